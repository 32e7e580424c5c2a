"""What an import does, in the caller's one transaction: upsert the plan's tasks by code.

The file is compared again with the database as it is now (the preview may be
minutes old). New tasks get a `created` history row; changed annex fields get
one `import_update` row each; status, progress, completion dates and history
are never touched. A task the revision no longer lists is never deleted: it
gets `missing_since` (the import's date) and a `dropped` row, and waits for
the secretariat to cancel or keep it; one a later revision lists again gets a
`relisted` row and is back in the plan. Writes are set-based (one INSERT or
UPDATE per kind of row), so a 5,000-task annex costs a handful of statements,
not 5,000 round trips.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import chain

from sqlalchemy import String, Table, cast, delete, exists, insert, literal, update
from sqlmodel import Session, SQLModel, col, select

from models import (
    HistoryKind,
    ImportBatch,
    Plan,
    StatusUpdate,
    Task,
    TaskCoordinator,
    TaskLead,
    Unit,
    User,
)
from tracker.clock import now, today
from tracker.directory.plans import get_or_create_plan
from tracker.directory.units import add_unit_alias, load_unit_keys, new_unit, unit_key
from tracker.errors import InvalidValue, NotFound
from tracker.importer.bulk import insert_rows
from tracker.importer.collector import collector_paused
from tracker.importer.diff import (
    StoredTask,
    UnitRef,
    changed_fields,
    display_value,
    dropped_codes,
    load_stored,
    match_rows,
    missing_codes,
    relisted_tasks,
    unit_refs,
    wanted_values,
)
from tracker.importer.preview import ImportPreview
from tracker.importer.rows import Problem, ProposedTask
from tracker.indicators.importing import ProposedIndicator, apply_indicators
from tracker.tasks.fields import HISTORY_FIELDS
from tracker.tasks.lifecycle import INITIAL
from tracker.tasks.permissions import SYSTEM, Action, System, require_current


@dataclass
class ImportResult:
    plan_number: str
    created: int
    updated: int
    unchanged: int
    missing: list[str]
    errors: list[Problem]
    warnings: list[Problem]
    batch_id: int | None
    # The missing codes this import took out of the plan (Task.missing_since set).
    dropped: list[str] = field(default_factory=list)
    # Indicators created, updated, unchanged (tracker.indicators.importing).
    indicators: dict[str, int] = field(default_factory=dict)


def _refuse_errors(preview: ImportPreview) -> None:
    rows = sorted({problem.row for problem in preview.errors})
    shown_rows = ", ".join(map(str, rows[:10])) + (", …" if len(rows) > 10 else "")
    raise InvalidValue(
        f"Tệp có {len(preview.errors)} lỗi (dòng {shown_rows}): hãy sửa tệp, hoặc chọn bỏ qua các dòng lỗi. "
        "Chưa ghi gì vào cơ sở dữ liệu."
    )


def _unit_ids(
    session: Session, rows: Sequence[ProposedTask | ProposedIndicator], unit_mapping: dict[str, int]
) -> dict[str, int]:
    """The unit id of every name in ROWS: as the user mapped it (remembered as an alias),
    as it matches a unit or alias, or a unit created under the fullest spelling the file uses."""
    keys = load_unit_keys(session)
    for name, unit_id in unit_mapping.items():
        unit = session.get(Unit, unit_id)
        if unit is None:
            raise NotFound(f"Không có đơn vị mã số {unit_id} để ghép với '{name}'.")
        add_unit_alias(session, unit_id=unit_id, name=name)
        keys[unit_key(name)] = unit
    spellings: dict[str, list[str]] = {}
    for name in dict.fromkeys(chain.from_iterable(row.unit_names for row in rows)):
        spellings.setdefault(unit_key(name), []).append(name)
    # Created together, in one flush: a first import brings dozens of new units.
    created = {key: new_unit(max(names, key=len)) for key, names in spellings.items() if key not in keys}
    session.add_all(created.values())
    session.flush()
    keys |= created
    ids: dict[str, int] = {}
    for key, names in spellings.items():
        unit = keys[key]
        assert unit.id is not None, "units are flushed before use"
        ids.update(dict.fromkeys(names, unit.id))
    return ids


def _task_columns(found: StoredTask, wanted: dict[str, object], fields: list[str]) -> dict[str, object]:
    """The Task columns to set for FIELDS; an extended task keeps its deadline in force and
    takes the annex's new deadline as the one it was extended from."""
    columns: dict[str, object] = {}
    for name in fields:
        if name == "coordinator_unit_ids":
            continue
        if name == "lead_unit_ids":
            leads = wanted[name]
            assert isinstance(leads, tuple)
            columns["lead_unit_id"] = leads[0] if leads else None
        elif name == "deadline" and found.extended:
            columns["original_deadline"] = wanted[name]
        else:
            columns[name] = wanted[name]
    return columns


def _table(model: type[SQLModel]) -> Table:
    return SQLModel.metadata.tables[str(model.__tablename__)]


@dataclass(frozen=True)
class _Context:
    """What every row of one import shares."""

    plan_id: int
    unit_ids: dict[str, int]
    names: dict[UnitRef, str]
    history: dict[str, object]  # the columns every history row of this import starts from
    new_task: dict[str, object]  # the columns every new task starts with
    file_name: str
    # The date a new task belongs to the plan from (tracker.views.classify).
    created_on: date


@dataclass(frozen=True)
class _Links:
    leads: tuple[int, ...]
    coordinators: tuple[int, ...]


@dataclass
class _Writes:
    """The rows an import will write, gathered first so each kind is written in one statement."""

    # A new task's columns, and its lead and coordinating units (tables of their own).
    new: list[tuple[dict[str, object], _Links]] = field(default_factory=list)
    updates: list[dict[str, object]] = field(default_factory=list)
    changed: list[int] = field(default_factory=list)
    unchanged: int = 0
    # Task id → its units in order, for the tasks whose units are written anew.
    leads: dict[int, tuple[int, ...]] = field(default_factory=dict)
    coordinators: dict[int, tuple[int, ...]] = field(default_factory=dict)
    history: list[dict[str, object]] = field(default_factory=list)


def _plan_writes(
    rows: list[tuple[int, ProposedTask]], matched: list[tuple[StoredTask | None, str]], context: _Context
) -> _Writes:
    writes = _Writes()
    for (position, row), (found, code) in zip(rows, matched, strict=True):
        wanted = wanted_values(row, context.unit_ids)
        place = {"position": position, "source_row": row.row}
        if found is None:
            links = _Links(
                leads=unit_refs(row.lead_units, context.unit_ids),
                coordinators=unit_refs(row.coordinators, context.unit_ids),
            )
            del wanted["lead_unit_ids"], wanted["coordinator_unit_ids"]
            first = links.leads[0] if links.leads else None
            new = {"plan_id": context.plan_id, "code": code, **wanted, "lead_unit_id": first}
            writes.new.append((new | place | context.new_task, links))
            continue
        fields = changed_fields(found, wanted)
        if found.extended and wanted["deadline"] is None and "deadline" in fields:
            # The annex lost the date of an extended task: keep the date it was extended from.
            fields.remove("deadline")
        moved = {key: value for key, value in place.items() if getattr(found, key) != value}
        columns = _task_columns(found, wanted, fields) | moved
        if columns:
            writes.updates.append({"id": found.id, **columns})
        if "lead_unit_ids" in fields:
            writes.leads[found.id] = unit_refs(row.lead_units, context.unit_ids)
        if "coordinator_unit_ids" in fields:
            writes.coordinators[found.id] = unit_refs(row.coordinators, context.unit_ids)
        for name in fields:
            writes.history.append(
                context.history
                | {
                    "task_id": found.id,
                    "kind": HistoryKind.import_update.value,
                    "field": "original_deadline"
                    if name == "deadline" and found.extended
                    else HISTORY_FIELDS.get(name, name),
                    "old_value": display_value(found.values[name], name, context.names),
                    "new_value": display_value(wanted[name], name, context.names),
                }
            )
        if fields:
            writes.changed.append(found.id)
        else:
            writes.unchanged += 1
    return writes


def _insert_tasks(session: Session, writes: _Writes, context: _Context) -> None:
    """Insert the new tasks, then their `created` history rows and their coordinators."""
    task, history = _table(Task), _table(StatusUpdate)
    # Plain executemany, then the ids by code: RETURNING in parameter order costs quadratic time here.
    insert_rows(session, task, [new for new, _ in writes.new])
    stamp = context.history["recorded_at"]
    created = (task.c.plan_id == context.plan_id) & (task.c.created_at == stamp)
    recorded = select(history.c.id).where(history.c.task_id == task.c.id)
    # The database writes the `created` rows from the task rows themselves, in one statement.
    values = {
        **{name: literal(value, history.c[name].type) for name, value in context.history.items()},
        "task_id": task.c.id,
        "kind": literal(HistoryKind.created.value),
        "effective_on": literal(context.created_on, history.c.effective_on.type),
        "status": literal(INITIAL.value),
        "progress": literal(0),
        "note": literal(f"Nhập từ tệp {context.file_name}, dòng ") + cast(task.c.source_row, String) + ".",
    }
    source = select(*(value.label(name) for name, value in values.items()))
    source = source.where(created, ~exists(recorded))
    session.execute(insert(history).from_select(list(values), source))
    ids: dict[str, int] = dict(session.execute(select(task.c.code, task.c.id).where(created)).all())
    for new, links in writes.new:
        task_id = ids[str(new["code"])]
        writes.leads[task_id] = links.leads
        writes.coordinators[task_id] = links.coordinators


def _write(session: Session, writes: _Writes) -> None:
    if writes.updates:
        session.execute(update(Task), writes.updates)
    if writes.changed:
        bump = update(Task).where(col(Task.id).in_(writes.changed))
        session.execute(bump.values(version=col(Task.version) + 1, updated_at=now()))
    changed = set(writes.changed)
    for link, units in ((TaskLead, writes.leads), (TaskCoordinator, writes.coordinators)):
        replaced = [task_id for task_id in units if task_id in changed]
        if replaced:
            session.execute(delete(link).where(col(link.task_id).in_(replaced)))
        rows = [
            {"task_id": task_id, "unit_id": unit_id, "position": position}
            for task_id, unit_ids in units.items()
            for position, unit_id in enumerate(unit_ids)
        ]
        insert_rows(session, _table(link), rows)
    insert_rows(session, _table(StatusUpdate), writes.history)


def _write_places(
    session: Session,
    context: _Context,
    *,
    dropped: list[StoredTask],
    relisted: list[StoredTask],
    changed: list[int],
) -> None:
    """Take DROPPED out of the plan and put RELISTED back, each with its history row; the
    version moves once per task (CHANGED already moved)."""
    day = context.history["effective_on"]
    rows = []
    for tasks, kind, missing_since, note in (
        (dropped, HistoryKind.dropped, day, f"Tệp {context.file_name} không còn nhiệm vụ này."),
        (relisted, HistoryKind.relisted, None, f"Tệp {context.file_name} có lại nhiệm vụ này."),
    ):
        if not tasks:
            continue
        ids = [task.id for task in tasks]
        session.execute(update(Task).where(col(Task.id).in_(ids)).values(missing_since=missing_since))
        rows += [context.history | {"task_id": task_id, "kind": kind.value, "note": note} for task_id in ids]
    moved = set(changed)
    unbumped = [task.id for task in (*dropped, *relisted) if task.id not in moved]
    if unbumped:
        bump = update(Task).where(col(Task.id).in_(unbumped))
        session.execute(bump.values(version=col(Task.version) + 1, updated_at=now()))
    insert_rows(session, _table(StatusUpdate), rows)


def _created_on(plan: Plan, *, first_import: bool) -> date:
    """The tasks of a plan's first import belong to it from its issue date (from today when it is
    unknown); the tasks a revision adds, from the date of that revision."""
    if first_import and plan.issued_on is not None:
        return min(plan.issued_on, today())
    return today()


@collector_paused()
def apply_import(
    session: Session,
    *,
    preview: ImportPreview,
    by: User | System,
    skip_errors: bool,
    unit_mapping: dict[str, int] | None = None,
) -> ImportResult:
    """Import the previewed file into its plan; rows with errors are skipped only if SKIP_ERRORS.

    BY is the account importing, checked for permission, or SYSTEM for an import no account makes."""
    if by is not SYSTEM:
        require_current(session, by, Action.import_plan)
    user_id = None if by is SYSTEM else by.id
    if preview.errors and not skip_errors:
        _refuse_errors(preview)
    if not preview.plan.number.strip():
        raise InvalidValue(
            f"Phần đầu của tệp '{preview.file_name}' không ghi số hiệu kế hoạch (dòng \"Kèm theo … số …\"): "
            "hãy nhập số hiệu kế hoạch. Chưa ghi gì vào cơ sở dữ liệu."
        )
    rows = [(position, row) for position, row in enumerate(preview.rows) if not row.has_error]
    indicator_rows = [row for row in preview.indicators.rows if not row.has_error]
    plan, _ = get_or_create_plan(session, heading=preview.plan)
    assert plan.id is not None, "plans are flushed before use"
    stamp = now()
    stored = load_stored(session, plan.id)
    context = _Context(
        plan_id=plan.id,
        unit_ids=_unit_ids(session, [*(row for _, row in rows), *indicator_rows], unit_mapping or {}),
        names={unit.id: unit.name for unit in session.exec(select(Unit)) if unit.id is not None},
        history={
            "effective_on": today(),
            "user_id": user_id,
            "recorded_at": stamp,
            # Every row names every column: one executemany needs one shape.
            **dict.fromkeys(("status", "progress", "completed_on")),
            **dict.fromkeys(("note", "evidence", "field", "old_value", "new_value"), ""),
        },
        new_task={
            "status": INITIAL.value,
            "progress": 0,
            "version": 1,
            "created_at": stamp,
            "updated_at": stamp,
        },
        file_name=preview.file_name,
        created_on=_created_on(plan, first_import=not stored),
    )
    matched = match_rows([row for _, row in rows], stored)
    writes = _plan_writes(rows, matched, context)
    if writes.new:
        _insert_tasks(session, writes, context)
    _write(session, writes)
    indicators = apply_indicators(session, preview.indicators, plan_id=plan.id, unit_ids=context.unit_ids)
    missing = missing_codes(stored, matched)
    dropped = dropped_codes(stored, missing)
    _write_places(
        session,
        context,
        dropped=[stored[code] for code in dropped],
        relisted=relisted_tasks(matched),
        changed=writes.changed,
    )
    batch = ImportBatch(
        plan_id=plan.id,
        file_name=preview.file_name,
        sha256=preview.sha256,
        sheet=preview.sheet,
        user_id=user_id,
        created_at=now(),
        created=len(writes.new),
        updated=len(writes.changed),
        unchanged=writes.unchanged,
        missing=len(missing),
        warnings=len(preview.warnings),
        errors=len(preview.errors),
    )
    session.add(batch)
    session.flush()
    return ImportResult(
        plan_number=plan.number,
        created=len(writes.new),
        updated=len(writes.changed),
        unchanged=writes.unchanged,
        missing=missing,
        errors=preview.errors,
        warnings=preview.warnings,
        batch_id=batch.id,
        indicators=indicators,
        dropped=dropped,
    )
