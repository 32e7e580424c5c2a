"""What waits for someone: the secretariat's queue and a unit's inbox.

The secretariat sees reported completions, extension requests and the tasks
a revision of the annex no longer lists, oldest first, so nothing waits
forever. A unit sees what others said about its tasks since it last touched
them: comments, requests for explanation, coordination notes, returned
reports and extension decisions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, Executable, and_, func, select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from models import (
    CoordinationRequest,
    ExtensionRequest,
    ExtensionStatus,
    HistoryKind,
    Plan,
    StatusUpdate,
    Task,
    TaskLead,
    TaskStatus,
    Unit,
    User,
)

INBOX_KINDS = (
    HistoryKind.comment,
    HistoryKind.explanation_request,
    HistoryKind.coordination_note,
    HistoryKind.coordination_part,
    HistoryKind.returned,
    HistoryKind.extension_approved,
    HistoryKind.extension_refused,
)


@dataclass(frozen=True)
class AwaitingConfirmation:
    task_id: int
    version: int
    plan_number: str
    code: str
    title: str
    unit: str
    completed_on: date | None
    note: str
    evidence: str
    reported_by: str
    reported_at: datetime
    # Set when a revision of the annex no longer lists the task (Task.missing_since).
    missing_since: date | None = None


@dataclass(frozen=True)
class PendingExtension:
    request_id: int
    task_id: int
    plan_number: str
    code: str
    title: str
    unit: str
    current_deadline: date | None
    requested_deadline: date
    reason: str
    requested_by: str
    requested_at: datetime
    missing_since: date | None = None


@dataclass(frozen=True)
class DroppedTask:
    """A task a revision of its annex no longer lists, awaiting the secretariat: cancel or keep."""

    task_id: int
    version: int
    plan_number: str
    code: str
    title: str
    unit: str
    status: str
    missing_since: date


@dataclass(frozen=True)
class InboxItem:
    history_id: int
    task_id: int
    code: str
    title: str
    kind: str
    note: str
    by: str
    recorded_at: datetime


def _name(user: type[User]) -> ColumnElement[str]:
    """The name a person is shown by: display name, else username."""
    return func.coalesce(func.nullif(user.display_name, ""), user.username, "")


def _task_names() -> tuple[ColumnElement[str], ...]:
    """What a queue row names its task by: the plan's number, the code, the title, the lead unit
    (the query joins Plan and, outer, Unit)."""
    return (
        col(Plan.number).label("plan_number"),
        col(Task.code).label("code"),
        col(Task.title).label("title"),
        func.coalesce(Unit.name, "").label("unit"),
    )


def awaiting_confirmation(session: Session) -> list[AwaitingConfirmation]:
    """Tasks reported done and not yet confirmed or returned, longest waiting first."""
    last_report = (
        select(col(StatusUpdate.task_id), func.max(StatusUpdate.id).label("row_id"))
        .where(col(StatusUpdate.status) == TaskStatus.reported_done)
        .group_by(col(StatusUpdate.task_id))
        .subquery()
    )
    reported_at = func.coalesce(StatusUpdate.recorded_at, Task.updated_at)
    query: Executable = (
        select(
            col(Task.id).label("task_id"),
            col(Task.version),
            *_task_names(),
            col(Task.completed_on),
            func.coalesce(StatusUpdate.note, "").label("note"),
            func.coalesce(StatusUpdate.evidence, "").label("evidence"),
            _name(User).label("reported_by"),
            reported_at.label("reported_at"),
            col(Task.missing_since),
        )
        .join(Plan, col(Plan.id) == Task.plan_id)
        .outerjoin(Unit, col(Unit.id) == Task.lead_unit_id)
        .outerjoin(last_report, last_report.c.task_id == Task.id)
        .outerjoin(StatusUpdate, col(StatusUpdate.id) == last_report.c.row_id)
        .outerjoin(User, col(User.id) == StatusUpdate.user_id)
        .where(col(Task.status) == TaskStatus.reported_done)
        .order_by(reported_at, last_report.c.row_id, col(Task.id))
    )
    return [AwaitingConfirmation(**row._mapping) for row in session.execute(query)]


def pending_extensions(session: Session) -> list[PendingExtension]:
    """Extension requests awaiting a decision, oldest first."""
    query: Executable = (
        select(
            col(ExtensionRequest.id).label("request_id"),
            col(ExtensionRequest.task_id),
            *_task_names(),
            col(Task.deadline).label("current_deadline"),
            col(ExtensionRequest.requested_deadline),
            col(ExtensionRequest.reason),
            _name(User).label("requested_by"),
            col(ExtensionRequest.requested_at),
            col(Task.missing_since),
        )
        .join(Task, col(Task.id) == ExtensionRequest.task_id)
        .join(Plan, col(Plan.id) == Task.plan_id)
        .outerjoin(Unit, col(Unit.id) == Task.lead_unit_id)
        .outerjoin(User, col(User.id) == ExtensionRequest.requested_by_id)
        .where(col(ExtensionRequest.status) == ExtensionStatus.pending)
        .order_by(col(ExtensionRequest.requested_at), col(ExtensionRequest.id))
    )
    return [PendingExtension(**row._mapping) for row in session.execute(query)]


def dropped_tasks(session: Session) -> list[DroppedTask]:
    """Tasks out of their plan and not cancelled, longest waiting first, in the plan's order."""
    query: Executable = (
        select(
            col(Task.id).label("task_id"),
            col(Task.version),
            *_task_names(),
            col(Task.status),
            col(Task.missing_since),
        )
        .join(Plan, col(Plan.id) == Task.plan_id)
        .outerjoin(Unit, col(Unit.id) == Task.lead_unit_id)
        .where(col(Task.missing_since).is_not(None), col(Task.status) != TaskStatus.cancelled)
        .order_by(col(Task.missing_since), col(Task.plan_id), col(Task.position), col(Task.id))
    )
    return [DroppedTask(**row._mapping) for row in session.execute(query)]


def unit_inbox(session: Session, unit_id: int) -> list[InboxItem]:
    """What others wrote on the tasks the unit leads since the unit's own last entry on each,
    and the requests for input it has not answered on the tasks it coordinates; newest first."""
    open_requests = select(col(CoordinationRequest.history_id)).where(
        col(CoordinationRequest.unit_id) == unit_id, col(CoordinationRequest.answered_at).is_(None)
    )
    own = aliased(User)
    last_own = (
        select(col(StatusUpdate.task_id), func.max(StatusUpdate.id).label("last_id"))
        .join(own, col(own.id) == StatusUpdate.user_id)
        .where(col(own.unit_id) == unit_id)
        .group_by(col(StatusUpdate.task_id))
        .subquery()
    )
    query: Executable = (
        select(
            col(StatusUpdate.id).label("history_id"),
            col(StatusUpdate.task_id),
            col(Task.code),
            col(Task.title),
            col(StatusUpdate.kind),
            col(StatusUpdate.note),
            _name(User).label("by"),
            col(StatusUpdate.recorded_at),
        )
        .join(Task, col(Task.id) == StatusUpdate.task_id)
        .outerjoin(User, col(User.id) == StatusUpdate.user_id)
        .outerjoin(last_own, last_own.c.task_id == Task.id)
        .where(
            and_(
                col(Task.id).in_(select(col(TaskLead.task_id)).where(col(TaskLead.unit_id) == unit_id)),
                col(StatusUpdate.kind).in_(INBOX_KINDS),
                last_own.c.last_id.is_(None) | (col(StatusUpdate.id) > last_own.c.last_id),
            )
            | col(StatusUpdate.id).in_(open_requests)
        )
        .order_by(col(StatusUpdate.recorded_at).desc(), col(StatusUpdate.id).desc())
    )
    return [InboxItem(**row._mapping) for row in session.execute(query)]
