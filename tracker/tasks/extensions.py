"""Deadline extensions: the lead unit asks, the secretariat approves or refuses.

Approval moves Task.deadline and keeps the deadline of the annex in
Task.original_deadline (set at the first approval only). Its history row holds
the old and new deadline as ISO dates, which is how a report for a past date
finds the deadline then in force (tracker.views.classify).
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, select, update

from models import ExtensionRequest, ExtensionStatus, HistoryKind, User
from tracker.clock import now
from tracker.errors import InvalidValue, NotFound
from tracker.i18n import day, moment
from tracker.tasks.fields import check_day, latest_deadline
from tracker.tasks.history import record_event
from tracker.tasks.lifecycle import TRANSITIONS, reason_note
from tracker.tasks.permissions import Action, require_current, task_scope
from tracker.tasks.writes import get_task, save_task


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def request_extension(
    session: Session, *, by: User, task_id: int, requested_deadline: date, reason: str
) -> ExtensionRequest:
    task = get_task(session, task_id)
    require_current(session, by, Action.request_extension, task_scope(session, task))
    reason = reason_note(Action.request_extension, reason)
    if task.recurring:
        raise InvalidValue(f"Nhiệm vụ {task.code} là nhiệm vụ thường xuyên, không có thời hạn để gia hạn.")
    check_day(requested_deadline, "Thời hạn đề nghị", latest=latest_deadline())
    if task.deadline is not None and requested_deadline <= task.deadline:
        raise InvalidValue(
            f"Thời hạn đề nghị {day(requested_deadline)} phải sau thời hạn hiện tại "
            f"{day(task.deadline)} của nhiệm vụ {task.code}."
        )
    pending = session.exec(
        select(ExtensionRequest).where(
            ExtensionRequest.task_id == task_id, ExtensionRequest.status == ExtensionStatus.pending
        )
    ).first()
    if pending is not None:
        raise InvalidValue(
            f"Nhiệm vụ {task.code} đã có đề nghị gia hạn đến {day(pending.requested_deadline)} "
            f"gửi lúc {moment(pending.requested_at)}, đang chờ xử lý."
        )
    assert by.id is not None, "requests are made by stored accounts"
    request = ExtensionRequest(
        task_id=task_id,
        current_deadline=task.deadline,
        requested_deadline=requested_deadline,
        reason=reason,
        requested_by_id=by.id,
        requested_at=now(),
    )
    session.add(request)
    session.flush()
    record_event(
        session,
        task_id=task_id,
        kind=TRANSITIONS[Action.request_extension].kind,
        by=by,
        note=reason,
        field="deadline",
        old_value=_iso(task.deadline),
        new_value=_iso(requested_deadline),
    )
    return request


def decide_extension(
    session: Session, *, by: User, request_id: int, approve: bool, note: str = ""
) -> ExtensionRequest:
    """Approve (moving the deadline) or refuse (with a reason) a pending request."""
    request = session.get(ExtensionRequest, request_id)
    if request is None:
        raise NotFound(f"Không có đề nghị gia hạn mã số {request_id}.")
    task = get_task(session, request.task_id)
    require_current(session, by, Action.decide_extension, task_scope(session, task))
    note = note.strip()
    if not approve and not note:
        raise InvalidValue("Cần ghi lý do không đồng ý gia hạn.")
    status = ExtensionStatus.approved if approve else ExtensionStatus.refused
    # Claim the request in the same statement that checks it is pending, so two
    # deciders at once cannot both act on it.
    claimed = session.exec(
        update(ExtensionRequest)
        .where(
            col(ExtensionRequest.id) == request_id, col(ExtensionRequest.status) == ExtensionStatus.pending
        )
        .values(status=status, decided_by_id=by.id, decided_at=now(), decision_note=note)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        raise InvalidValue(f"Đề nghị gia hạn nhiệm vụ {task.code} đã được xử lý trước đó.")
    old_deadline = task.deadline
    if approve:
        values = {
            "deadline": request.requested_deadline,
            "original_deadline": task.original_deadline or old_deadline,
        }
        save_task(session, task=task, seen_version=task.version, values=values)
    record_event(
        session,
        task_id=request.task_id,
        kind=HistoryKind.extension_approved if approve else HistoryKind.extension_refused,
        by=by,
        note=note,
        field="deadline",
        old_value=_iso(old_deadline),
        new_value=_iso(request.requested_deadline),
    )
    session.refresh(request)
    return request
