"""What importing a row changes in its plan: the stored task it matches and the fields that differ.

A task's identity is its code within the plan; rows the annex did not number
match on their folded content instead. Only the fields the annex owns are
compared; status, progress, completion and history belong to the units.
For a task whose deadline was extended, the annex's deadline is the one kept
in `original_deadline`, so a re-import neither undoes the extension nor sees
a change.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import select
from sqlmodel import Session, col

from models import Task, TaskCoordinator, TaskStatus
from tracker.importer.rows import ProposedTask
from tracker.textfold import fold

# Annex fields in the order history rows are written; names as tracker.tasks.edits uses them.
ANNEX_FIELDS = (
    "title",
    "section_code",
    "section_title",
    "group_title",
    "lead_unit_id",
    "coordinator_unit_ids",
    "deadline",
    "deadline_text",
    "recurring",
    "output",
)
UnitRef = int | str  # a unit's id, or the key of a unit not yet created
Ref = TypeVar("Ref", int, UnitRef)


@dataclass(frozen=True)
class StoredTask:
    id: int
    code: str
    status: str
    extended: bool
    position: int
    source_row: int | None
    values: dict[str, object]


def load_stored(session: Session, plan_id: int | None) -> dict[str, StoredTask]:
    """The plan's tasks by code, with the annex fields as they stand."""
    if plan_id is None:
        return {}
    coordinators: dict[int, list[int]] = defaultdict(list)
    links = (
        select(col(TaskCoordinator.task_id), col(TaskCoordinator.unit_id))
        .join(Task, col(Task.id) == TaskCoordinator.task_id)
        .where(col(Task.plan_id) == plan_id)
        .order_by(col(TaskCoordinator.task_id), col(TaskCoordinator.position))
    )
    for task_id, unit_id in session.execute(links):
        coordinators[task_id].append(unit_id)
    simple = [name for name in ANNEX_FIELDS if name != "coordinator_unit_ids"]
    keys = (
        col(Task.id),
        col(Task.code),
        col(Task.status),
        col(Task.original_deadline),
        col(Task.position),
        col(Task.source_row),
    )
    query = select(*keys, *(col(getattr(Task, name)) for name in simple))
    query = query.where(col(Task.plan_id) == plan_id)
    stored: dict[str, StoredTask] = {}
    for task_id, code, status, original, position, source_row, *values in session.execute(query):
        fields: dict[str, object] = dict(zip(simple, values, strict=True))
        fields["coordinator_unit_ids"] = tuple(coordinators[task_id])
        if original is not None:
            fields["deadline"] = original
        stored[code] = StoredTask(
            id=task_id,
            code=code,
            status=status,
            extended=original is not None,
            position=position,
            source_row=source_row,
            values=fields,
        )
    return stored


def content_key(title: str) -> str:
    return " ".join(fold(title).split())


def match_rows(
    tasks: list[ProposedTask], stored: dict[str, StoredTask]
) -> list[tuple[StoredTask | None, str]]:
    """The stored task each proposed task is (by code, or by content for rows without a
    number) and the code it will have: a row matched by content keeps the stored code; a
    new unnumbered row whose counted code is taken moves on to the next free number."""
    by_content = {content_key(str(task.values["title"])): task for task in stored.values()}
    used: set[int] = set()
    matched: list[tuple[StoredTask | None, str]] = []
    for task in tasks:
        found = stored.get(task.code) if task.numbered else by_content.get(content_key(task.title))
        if found is not None and found.id not in used:
            used.add(found.id)
            matched.append((found, found.code))
        else:
            matched.append((None, task.code))
    taken = set(stored) | {task.code for task in tasks if task.numbered}
    skips: dict[tuple[str, int], int] = {}
    for index, (task, (found, code)) in enumerate(zip(tasks, matched, strict=True)):
        if found is None and not task.numbered and code in taken:
            matched[index] = (None, _free_code(code, taken, skips))
        taken.add(matched[index][1])
    return matched


def _free_code(code: str, taken: set[str], skips: dict[tuple[str, int], int]) -> str:
    """The first code after CODE at its level that is not TAKEN.

    SKIPS remembers, for a number found taken, a number past a run of taken ones: codes
    are only ever added to TAKEN, so the run stays taken, and a file of new rows whose
    counted codes are all taken is numbered in linear time, not by counting past them
    again for every row.
    """
    prefix, _, last = code.rpartition(".")
    number = (int(last) if last.isdigit() else 0) + 1
    passed: list[int] = []
    while (candidate := f"{prefix}.{number}" if prefix else str(number)) in taken:
        passed.append(number)
        number = skips.get((prefix, number), number + 1)
    for taken_number in passed:
        skips[(prefix, taken_number)] = number
    return candidate


def unit_refs(names: list[str], unit: Mapping[str, Ref]) -> tuple[Ref, ...]:
    """The units NAMES mean, each once, in order."""
    return tuple(dict.fromkeys([unit[name] for name in names])) if names else ()


def wanted_values(task: ProposedTask, unit: Mapping[str, UnitRef]) -> dict[str, object]:
    """The annex fields TASK asks for; UNIT gives the reference of each unit name."""
    return {
        "title": task.title,
        "section_code": task.section_code,
        "section_title": task.section_title,
        "group_title": task.group_title,
        "lead_unit_id": unit[task.lead_unit] if task.lead_unit else None,
        "coordinator_unit_ids": unit_refs(task.coordinators, unit),
        "deadline": task.deadline,
        "deadline_text": task.deadline_text,
        "recurring": task.recurring,
        "output": task.output,
    }


def changed_fields(stored: StoredTask, wanted: dict[str, object]) -> list[str]:
    return [name for name in ANNEX_FIELDS if stored.values[name] != wanted[name]]


def missing_codes(stored: dict[str, StoredTask], matched: list[tuple[StoredTask | None, str]]) -> list[str]:
    """Codes of the plan's tasks the file no longer lists (cancelled ones are not missed)."""
    seen = {task.id for task, _ in matched if task is not None}
    return [
        task.code for task in stored.values() if task.id not in seen and task.status != TaskStatus.cancelled
    ]
