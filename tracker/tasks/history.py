"""Appending to a task's history, and reading who changed it last.

History is append-only: this module only ever inserts. Rows that change the
task's state (tracker.tasks.lifecycle.STATE_KINDS) copy the state after the
change, so the state at any past date is the last such row (see
tracker.views.classify).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, select

from models import HistoryKind, StatusUpdate, Task, User
from tracker.clock import now, today
from tracker.tasks.lifecycle import EVENT_KINDS


def record_state(
    session: Session,
    *,
    task: Task,
    kind: HistoryKind,
    by: User,
    effective_on: date | None = None,
    note: str = "",
    evidence: str = "",
) -> StatusUpdate:
    """A row carrying TASK's status, progress and completion date as they are now."""
    assert task.id is not None, "history is written for stored tasks only"
    return append_state(
        session,
        task_id=task.id,
        status=task.status,
        progress=task.progress,
        completed_on=task.completed_on,
        kind=kind,
        by=by,
        effective_on=effective_on,
        note=note,
        evidence=evidence,
    )


def append_state(
    session: Session,
    *,
    task_id: int,
    status: str,
    progress: int,
    completed_on: date | None,
    kind: HistoryKind,
    by: User,
    effective_on: date | None = None,
    note: str = "",
    evidence: str = "",
) -> StatusUpdate:
    """A row carrying a state the task had at EFFECTIVE_ON, which may lie before its current one."""
    state = {"status": status, "progress": progress, "completed_on": completed_on}
    return _append(session, task_id, kind, by, effective_on, note=note, evidence=evidence, **state)


def record_event(
    session: Session,
    *,
    task_id: int,
    kind: HistoryKind,
    by: User,
    note: str = "",
    field: str = "",
    old_value: str = "",
    new_value: str = "",
    evidence: str = "",
    effective_on: date | None = None,
) -> StatusUpdate:
    """A row that changes no state: a comment, a field edit, an extension step."""
    change = {"field": field, "old_value": old_value, "new_value": new_value}
    return _append(session, task_id, kind, by, effective_on, note=note, evidence=evidence, **change)


def _append(
    session: Session, task_id: int, kind: HistoryKind, by: User, effective_on: date | None, **fields: Any
) -> StatusUpdate:
    """A history row of KIND about the task, with FIELDS, by BY, recorded now, effective on
    EFFECTIVE_ON (default today)."""
    row = StatusUpdate(
        task_id=task_id,
        kind=kind,
        effective_on=effective_on or today(),
        user_id=by.id,
        recorded_at=now(),
        **fields,
    )
    session.add(row)
    return row


def last_change(session: Session, task_id: int) -> tuple[str, datetime] | None:
    """Who made the newest change to the task row itself, and when."""
    query = (
        select(StatusUpdate, User)
        .outerjoin(User, col(User.id) == StatusUpdate.user_id)
        .where(StatusUpdate.task_id == task_id, col(StatusUpdate.kind).not_in(EVENT_KINDS))
        .order_by(col(StatusUpdate.recorded_at).desc(), col(StatusUpdate.id).desc())
        .limit(1)
    )
    found = session.exec(query).first()
    if found is None:
        return None
    row, user = found
    who = (user.display_name or user.username) if user else "hệ thống"
    return who, row.recorded_at
