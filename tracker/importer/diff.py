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
from datetime import date
from typing import TypeVar

from sqlalchemy import select
from sqlmodel import Session, col

from models import HistoryKind, StatusUpdate, Task, TaskCoordinator, TaskLead, TaskStatus
from tracker.importer.rows import ProposedTask
from tracker.tasks.fields import history_text
from tracker.tasks.lifecycle import DROP_KINDS
from tracker.textfold import fold

# Annex fields in the order history rows are written; names as tracker.tasks.edits uses them.
ANNEX_FIELDS = (
    "title",
    "section_code",
    "section_title",
    "group_title",
    "lead_unit_ids",
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
    # Out of the plan since a revision stopped listing it (Task.missing_since).
    missing_since: date | None = None
    # Kept in the plan by the secretariat after a revision dropped it, and listed by no
    # revision since: a later revision that still leaves it out does not drop it again.
    kept: bool = False


def load_stored(session: Session, plan_id: int | None) -> dict[str, StoredTask]:
    """The plan's tasks by code, with the annex fields as they stand."""
    if plan_id is None:
        return {}
    leads = _links(session, TaskLead, plan_id)
    coordinators = _links(session, TaskCoordinator, plan_id)
    places = _last_place(session, plan_id)
    simple = [name for name in ANNEX_FIELDS if name not in ("lead_unit_ids", "coordinator_unit_ids")]
    keys = (
        col(Task.id),
        col(Task.code),
        col(Task.status),
        col(Task.original_deadline),
        col(Task.position),
        col(Task.source_row),
        col(Task.missing_since),
    )
    query = select(*keys, *(col(getattr(Task, name)) for name in simple))
    query = query.where(col(Task.plan_id) == plan_id)
    stored: dict[str, StoredTask] = {}
    for task_id, code, status, original, position, source_row, missing_since, *values in session.execute(
        query
    ):
        fields: dict[str, object] = dict(zip(simple, values, strict=True))
        fields["lead_unit_ids"] = tuple(leads[task_id])
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
            missing_since=missing_since,
            kept=places.get(task_id) == HistoryKind.kept,
        )
    return stored


def _last_place(session: Session, plan_id: int) -> dict[int, str]:
    """The kind of each task's last history row about its place in the plan (DROP_KINDS)."""
    query = (
        select(col(StatusUpdate.task_id), col(StatusUpdate.kind))
        .join(Task, col(Task.id) == StatusUpdate.task_id)
        .where(col(Task.plan_id) == plan_id, col(StatusUpdate.kind).in_(sorted(DROP_KINDS)))
        .order_by(col(StatusUpdate.recorded_at), col(StatusUpdate.id))
    )
    return {task_id: kind for task_id, kind in session.execute(query)}


def _links(
    session: Session, link: type[TaskLead] | type[TaskCoordinator], plan_id: int
) -> dict[int, list[int]]:
    """The units LINK ties to each task of the plan, in their order."""
    units: dict[int, list[int]] = defaultdict(list)
    query = (
        select(col(link.task_id), col(link.unit_id))
        .join(Task, col(Task.id) == link.task_id)
        .where(col(Task.plan_id) == plan_id)
        .order_by(col(link.task_id), col(link.position))
    )
    for task_id, unit_id in session.execute(query):
        units[task_id].append(unit_id)
    return units


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
        "lead_unit_ids": unit_refs(task.lead_units, unit),
        "coordinator_unit_ids": unit_refs(task.coordinators, unit),
        "deadline": task.deadline,
        "deadline_text": task.deadline_text,
        "recurring": task.recurring,
        "output": task.output,
    }


def display_value(value: object, name: str, names: Mapping[UnitRef, str]) -> str:
    """A field's value as people read it (history, the preview of changes): units by name."""
    if name in ("lead_unit_ids", "coordinator_unit_ids") and isinstance(value, tuple):
        return "; ".join(names.get(unit, str(unit)) for unit in value)
    return history_text(value)


def changed_fields(stored: StoredTask, wanted: dict[str, object]) -> list[str]:
    return [name for name in ANNEX_FIELDS if stored.values[name] != wanted[name]]


def missing_codes(stored: dict[str, StoredTask], matched: list[tuple[StoredTask | None, str]]) -> list[str]:
    """Codes of the plan's tasks the file no longer lists (cancelled ones are not missed)."""
    seen = {task.id for task, _ in matched if task is not None}
    return [
        task.code for task in stored.values() if task.id not in seen and task.status != TaskStatus.cancelled
    ]


def dropped_codes(stored: dict[str, StoredTask], missing: list[str]) -> list[str]:
    """The MISSING codes this revision takes out of the plan: not those already out of it,
    nor those the secretariat kept in it after an earlier revision left them out."""
    return [code for code in missing if stored[code].missing_since is None and not stored[code].kept]


def relisted_tasks(matched: list[tuple[StoredTask | None, str]]) -> list[StoredTask]:
    """The stored tasks the file lists again after a revision left them out (out of the plan, or kept)."""
    return [task for task, _ in matched if task is not None and (task.missing_since is not None or task.kept)]
