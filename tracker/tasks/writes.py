"""Writing a task row safely: the optimistic version check and its refusal.

A user's save is based on the version of the task they saw, carried across
Streamlit reruns; SQLAlchemy's own version check only spans one flush, so the
check is written out: `UPDATE … WHERE id = :id AND version = :seen`, then one
row must have changed. When none did, the message names who changed the task
last and when, and nothing is overwritten.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, col, update

from models import Task, User
from tracker.clock import now
from tracker.db import note_written
from tracker.errors import NotFound, StaleVersion
from tracker.i18n import moment
from tracker.tasks.history import last_change
from tracker.tasks.permissions import Action, require_current, task_scope


def get_task(session: Session, task_id: int) -> Task:
    task = session.get(Task, task_id)
    if task is None:
        raise NotFound(f"Không có nhiệm vụ mã số {task_id}.")
    return task


def stale_error(session: Session, task: Task) -> StaleVersion:
    """The refusal of a save based on an older version of TASK."""
    change = last_change(session, task.id) if task.id is not None else None
    who, when = change if change else ("người khác", task.updated_at)
    return StaleVersion(
        f"Nhiệm vụ {task.code} vừa được {who} cập nhật lúc {moment(when)}; "
        "thay đổi của bạn chưa được lưu: hãy xem nội dung mới nhất rồi lưu lại."
    )


def open_task(session: Session, *, by: User, task_id: int, action: Action, seen_version: int) -> Task:
    """The task, once the user is known to have seen its current version and may act on it."""
    task = get_task(session, task_id)
    if task.version != seen_version:
        raise stale_error(session, task)
    require_current(session, by, action, task_scope(session, task))
    return task


def save_task(session: Session, *, task: Task, seen_version: int, values: Mapping[str, object]) -> Task:
    """Write VALUES if TASK is still at SEEN_VERSION, bumping the version; else StaleVersion."""
    stored = {**values, "version": seen_version + 1, "updated_at": now()}
    statement = update(Task).where(col(Task.id) == task.id, col(Task.version) == seen_version).values(stored)
    # A Core statement: every write of a task comes here, and the ORM's UPDATE machinery and reading
    # the row back cost more than the statement itself. The row now holds exactly what was sent (the
    # WHERE pinned the version), so TASK takes it as its stored state.
    if session.connection().execute(statement).rowcount != 1:
        raise stale_error(session, task)
    note_written(session, "task")
    for name, value in stored.items():
        set_committed_value(task, name, value)
    return task
