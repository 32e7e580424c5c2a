"""A coordinating unit records its part; a lead unit asks a coordinator for input by a date.

Neither touches the task row: the lead's status, progress and evidence stay the
lead's. Both append a history row, so the task's timeline and the other side's
inbox show them.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import update
from sqlmodel import Session, col, select

from models import CoordinationPart, CoordinationRequest, HistoryKind, PartStatus, TaskCoordinator, Unit, User
from tracker.clock import now, today
from tracker.errors import InvalidValue, NotFound
from tracker.i18n import day, label
from tracker.tasks.fields import limited
from tracker.tasks.history import record_event
from tracker.tasks.permissions import Action, require_current, task_scope
from tracker.tasks.writes import get_task


def record_part(
    session: Session, *, by: User, task_id: int, status: str, note: str = "", evidence: str = ""
) -> CoordinationPart:
    """The part BY's unit plays in the task it coordinates: its status, a note, its evidence.
    It answers every open request the lead made of that unit on the task."""
    if status not in set(PartStatus):
        choices = ", ".join(f"'{label(part)}'" for part in PartStatus)
        raise InvalidValue(f"Trạng thái phần phối hợp '{status}' không hợp lệ: chọn {choices}.")
    task = get_task(session, task_id)
    require_current(session, by, Action.record_part, task_scope(session, task))
    unit_id = by.unit_id
    if unit_id is None:
        raise InvalidValue("Chỉ tài khoản của đơn vị phối hợp mới ghi được phần phối hợp của đơn vị.")
    body, proof = limited(note, "Nội dung phần phối hợp"), limited(evidence, "Minh chứng")
    stamp = now()
    part = CoordinationPart(
        task_id=task_id,
        unit_id=unit_id,
        status=status,
        note=body,
        evidence=proof,
        user_id=by.id,
        recorded_at=stamp,
    )
    session.add(part)
    session.execute(
        update(CoordinationRequest)
        .where(
            col(CoordinationRequest.task_id) == task_id,
            col(CoordinationRequest.unit_id) == unit_id,
            col(CoordinationRequest.answered_at).is_(None),
        )
        .values(answered_at=stamp)
    )
    text = f"{label(status)}" + (f": {body}" if body else "")
    record_event(
        session, task_id=task_id, kind=HistoryKind.coordination_part, by=by, note=text, evidence=proof
    )
    session.flush()
    return part


def request_input(
    session: Session, *, by: User, task_id: int, unit_id: int, due_on: date, message: str
) -> CoordinationRequest:
    """BY (a lead unit, or the secretariat) asks coordinating unit UNIT_ID for its input by DUE_ON."""
    task = get_task(session, task_id)
    require_current(session, by, Action.request_coordination, task_scope(session, task))
    unit = session.get(Unit, unit_id)
    if unit is None:
        raise NotFound(f"Không có đơn vị mã số {unit_id}.")
    coordinates = select(TaskCoordinator).where(
        TaskCoordinator.task_id == task_id, TaskCoordinator.unit_id == unit_id
    )
    if session.exec(coordinates).first() is None:
        raise InvalidValue(f"'{unit.name}' không phối hợp thực hiện nhiệm vụ {task.code}.")
    if due_on < today():
        raise InvalidValue(f"Hạn phối hợp {day(due_on)} đã qua: hãy chọn một ngày từ hôm nay.")
    body = limited(message, "Nội dung yêu cầu phối hợp")
    if not body:
        raise InvalidValue("Nội dung yêu cầu phối hợp không được để trống.")
    history = record_event(
        session,
        task_id=task_id,
        kind=HistoryKind.coordination_request,
        by=by,
        note=f"Đề nghị {unit.name} phối hợp trước ngày {day(due_on)}: {body}",
    )
    session.flush()
    request = CoordinationRequest(
        task_id=task_id,
        unit_id=unit_id,
        due_on=due_on,
        message=body,
        history_id=history.id,
        requested_by_id=by.id,
        requested_at=history.recorded_at,
    )
    session.add(request)
    session.flush()
    return request
