"""How a task's state changes: progress, reported completion, confirmation, cancellation,
and keeping in the plan a task a revision of the annex dropped.

What each step may start from, writes and records is the life-cycle table
(tracker.tasks.lifecycle). Every change is checked for permission at the
moment of writing, is written only if the task is still at the version the user
saw (tracker.tasks.writes), and appends its history row carrying the state
after the change.

Field edits and comments (tracker.tasks.edits) and extensions
(tracker.tasks.extensions) are re-exported, so every change to a task is reachable
from here.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlmodel import Session

from models import Task, User
from tracker.clock import today
from tracker.errors import InvalidValue
from tracker.tasks.edits import add_comment, edit_task
from tracker.tasks.evidence import attach_evidence, describe_evidence
from tracker.tasks.extensions import decide_extension, request_extension
from tracker.tasks.fields import check_day
from tracker.tasks.history import record_event, record_state
from tracker.tasks.lifecycle import TRANSITIONS, Action, reason_note, written
from tracker.tasks.writes import open_task, save_task

__all__ = [
    "add_comment",
    "cancel_task",
    "confirm_completion",
    "confirm_completions",
    "decide_extension",
    "edit_task",
    "keep_in_plan",
    "report_done",
    "request_extension",
    "return_report",
    "set_completed",
    "update_progress",
]


def _effective(effective_on: date | None) -> date:
    return check_day(effective_on or today(), "Ngày hiệu lực")


def _change_state(
    session: Session,
    *,
    by: User,
    task_id: int,
    seen_version: int,
    action: Action,
    values: dict[str, object],
    effective_on: date,
    note: str,
) -> Task:
    """Open the task for ACTION, write VALUES at the version the user saw, record the new state."""
    task = open_task(session, by=by, task_id=task_id, action=action, seen_version=seen_version)
    save_task(session, task=task, seen_version=seen_version, values=values)
    kind = TRANSITIONS[action].kind
    record_state(session, task=task, kind=kind, by=by, effective_on=effective_on, note=note)
    return task


def update_progress(
    session: Session,
    *,
    by: User,
    task_id: int,
    seen_version: int,
    status: str,
    progress: int,
    note: str = "",
    effective_on: date | None = None,
) -> Task:
    """Record work under way: not started, in progress or paused (with a note)."""
    values = written(Action.update_progress, status=status, progress=progress)
    if not 0 <= progress <= 100:
        raise InvalidValue(f"Tiến độ {progress}% không hợp lệ: phải từ 0 đến 100.")
    note = reason_note(Action.update_progress, note, status=status)
    day = _effective(effective_on)
    return _change_state(
        session,
        by=by,
        task_id=task_id,
        seen_version=seen_version,
        action=Action.update_progress,
        values=values,
        effective_on=day,
        note=note,
    )


def report_done(
    session: Session,
    *,
    by: User,
    task_id: int,
    seen_version: int,
    completed_on: date,
    note: str = "",
    evidence_reference: str = "",
    evidence_link: str = "",
    evidence_file_name: str = "",
    evidence_data: bytes = b"",
) -> Task:
    """The lead unit reports the task done; it awaits the secretariat's confirmation.
    The evidence given with the report (document, link, file) is kept as one entry."""
    day = check_day(completed_on, "Ngày hoàn thành")
    task = open_task(session, by=by, task_id=task_id, action=Action.report_done, seen_version=seen_version)
    values = written(Action.report_done, completed_on=day)
    save_task(session, task=task, seen_version=seen_version, values=values)
    proof = ""
    if evidence_reference.strip() or evidence_link.strip() or evidence_data:
        attached = attach_evidence(
            session,
            by=by,
            task_id=task_id,
            reference=evidence_reference,
            link=evidence_link,
            file_name=evidence_file_name,
            data=evidence_data,
        )
        proof = describe_evidence(attached)
    record_state(
        session,
        task=task,
        kind=TRANSITIONS[Action.report_done].kind,
        by=by,
        effective_on=day,
        note=reason_note(Action.report_done, note),
        evidence=proof,
    )
    return task


def confirm_completion(
    session: Session,
    *,
    by: User,
    task_id: int,
    seen_version: int,
    note: str = "",
    effective_on: date | None = None,
) -> Task:
    """The secretariat confirms a reported completion, keeping the date the unit reported."""
    day = _effective(effective_on)
    return _change_state(
        session,
        by=by,
        task_id=task_id,
        seen_version=seen_version,
        action=Action.confirm,
        values=written(Action.confirm),
        effective_on=day,
        note=reason_note(Action.confirm, note),
    )


def confirm_completions(
    session: Session, *, by: User, reports: Sequence[tuple[int, int]], note: str = ""
) -> list[Task]:
    """Confirm several reported completions at once: REPORTS holds (task id, version seen).

    Each gets its own confirmation and history row; in the caller's one
    transaction, so one refusal (a report changed meanwhile) confirms none.
    """
    if not reports:
        raise InvalidValue("Chưa chọn báo cáo hoàn thành nào để xác nhận.")
    return [
        confirm_completion(session, by=by, task_id=task_id, seen_version=seen, note=note)
        for task_id, seen in reports
    ]


def _step_with_reason(
    session: Session,
    *,
    by: User,
    task_id: int,
    seen_version: int,
    action: Action,
    reason: str,
    effective_on: date | None,
) -> Task:
    """A secretariat step that writes what the life-cycle table says and must say why."""
    return _change_state(
        session,
        by=by,
        task_id=task_id,
        seen_version=seen_version,
        action=action,
        values=written(action),
        # The reason is checked first: a missing reason is the likelier mistake.
        note=reason_note(action, reason),
        effective_on=_effective(effective_on),
    )


def return_report(
    session: Session,
    *,
    by: User,
    task_id: int,
    seen_version: int,
    reason: str,
    effective_on: date | None = None,
) -> Task:
    """The secretariat sends a reported completion back to the unit, saying why."""
    return _step_with_reason(
        session,
        by=by,
        task_id=task_id,
        seen_version=seen_version,
        action=Action.return_report,
        reason=reason,
        effective_on=effective_on,
    )


def set_completed(
    session: Session,
    *,
    by: User,
    task_id: int,
    seen_version: int,
    completed_on: date,
    note: str = "",
) -> Task:
    """The secretariat records a completion directly, without a unit's report."""
    day = check_day(completed_on, "Ngày hoàn thành")
    return _change_state(
        session,
        by=by,
        task_id=task_id,
        seen_version=seen_version,
        action=Action.set_completed,
        values=written(Action.set_completed, completed_on=day),
        effective_on=day,
        note=reason_note(Action.set_completed, note),
    )


def cancel_task(
    session: Session,
    *,
    by: User,
    task_id: int,
    seen_version: int,
    reason: str,
    effective_on: date | None = None,
) -> Task:
    """The secretariat takes a task out of the plan's counts, saying why."""
    return _step_with_reason(
        session,
        by=by,
        task_id=task_id,
        seen_version=seen_version,
        action=Action.cancel,
        reason=reason,
        effective_on=effective_on,
    )


def keep_in_plan(session: Session, *, by: User, task_id: int, seen_version: int, note: str = "") -> Task:
    """The secretariat keeps in the plan a task a revision of the annex no longer lists: it is
    counted again from today, and later revisions that leave it out do not drop it again."""
    action = Action.keep_in_plan
    task = open_task(session, by=by, task_id=task_id, action=action, seen_version=seen_version)
    if task.missing_since is None:
        raise InvalidValue(f"Nhiệm vụ {task.code} vẫn có trong kế hoạch: không có gì để giữ lại.")
    dropped_on = task.missing_since
    save_task(session, task=task, seen_version=seen_version, values=written(action))
    assert task.id is not None, "stored tasks have ids"
    record_event(
        session,
        task_id=task.id,
        kind=TRANSITIONS[action].kind,
        by=by,
        note=reason_note(action, note),
        field="missing_since",
        old_value=dropped_on.isoformat(),
    )
    return task
