"""Who may do what: the one place that decides, for a user, an action and a task.

A rule has two parts. The role part says whether this user may ever take the
action on this task (their unit leads or coordinates it, or their role covers
every task); refusing it is a PermissionDenied. The state part says whether the
task's status lets the action happen now (only a reported completion can be
confirmed), as the life-cycle table says (tracker.tasks.lifecycle); refusing it
is an InvalidValue, because the user may do it later.
Pages ask `can()` with a TaskScope built from a row, so no ORM object is needed;
the write functions call `require_current()` at the moment of writing, with the
account as stored then.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Final, Literal

from sqlalchemy import bindparam, literal, union_all
from sqlmodel import Session, col, select

from models import Role, Task, TaskCoordinator, TaskLead, User
from tracker.errors import InvalidValue, PermissionDenied
from tracker.i18n import label
from tracker.tasks.lifecycle import INITIAL, start_statuses

# Re-exported: pages and writers name actions through this module.
from tracker.tasks.lifecycle import Action as Action


@dataclass(frozen=True)
class TaskScope:
    """What a rule needs to know of a task."""

    code: str
    # Every lead: joint leads each lead the task in full.
    lead_unit_ids: frozenset[int] = frozenset()
    coordinator_unit_ids: frozenset[int] = frozenset()
    status: str = INITIAL
    # What the code names, for messages: an indicator is held to the same rule as a task.
    kind: str = "nhiệm vụ"


class _System(Enum):
    SYSTEM = "system"


# The product itself acting, with no account: an import from a shell without --by, a
# script, a test builder. Only a function whose `by` says `User | System` accepts it, and
# no permission is checked for it; history records it as "hệ thống" (no user).
SYSTEM: Final = _System.SYSTEM
System = Literal[_System.SYSTEM]

# The lead unit's own work on its task, and asking its coordinators for input (yêu cầu phối hợp).
LEAD_ACTIONS = frozenset(
    {
        Action.update_progress,
        Action.report_done,
        Action.add_evidence,
        Action.request_extension,
        Action.request_coordination,
        Action.record_indicator_value,
    }
)
# A coordinating unit's own part: never the lead's status, progress or evidence.
COORDINATOR_ACTIONS = frozenset({Action.coordination_note, Action.record_part})
# Reading, and speaking up without changing anything.
COMMITTEE_ACTIONS = frozenset(
    {Action.comment, Action.request_explanation, Action.view_all, Action.export_reports}
)

# Verb phrases for messages: "không được phép <doing> nhiệm vụ II.3".
DOING: dict[Action, str] = {
    Action.update_progress: "cập nhật tiến độ",
    Action.report_done: "báo cáo hoàn thành",
    Action.add_evidence: "bổ sung minh chứng cho",
    Action.coordination_note: "ghi ý kiến phối hợp cho",
    Action.record_part: "ghi phần phối hợp của đơn vị mình vào",
    Action.request_coordination: "yêu cầu phối hợp cho",
    Action.request_extension: "đề nghị gia hạn",
    Action.comment: "ghi ý kiến cho",
    Action.request_explanation: "yêu cầu giải trình",
    Action.confirm: "xác nhận hoàn thành",
    Action.return_report: "trả lại báo cáo của",
    Action.decide_extension: "quyết định gia hạn",
    Action.cancel: "hủy",
    Action.keep_in_plan: "giữ trong kế hoạch",
    Action.edit_task: "sửa thông tin",
    Action.set_completed: "đánh dấu hoàn thành",
    Action.import_plan: "nhập kế hoạch",
    Action.manage_accounts: "quản lý tài khoản",
    Action.manage_units: "quản lý đơn vị",
    Action.export_reports: "xuất báo cáo",
    Action.issue_report: "ban hành báo cáo",
    Action.view_all: "xem toàn bộ nhiệm vụ",
    Action.record_indicator_value: "ghi kết quả",
    Action.confirm_indicator_value: "xác nhận kết quả",
}


# A task's units, leads (True) and coordinators (False), in one Core query built once: every
# write asks it, and each statement it sends and builds costs the write its time.
_TASK_UNITS = union_all(
    select(literal(True), col(TaskLead.unit_id)).where(TaskLead.task_id == bindparam("task_id")),
    select(literal(False), col(TaskCoordinator.unit_id)).where(
        TaskCoordinator.task_id == bindparam("task_id")
    ),
)


def task_scope(session: Session, task: Task) -> TaskScope:
    """The scope of TASK as stored now, its leads and coordinators included."""
    units = session.connection().execute(_TASK_UNITS, {"task_id": task.id}).all()
    return TaskScope(
        code=task.code,
        lead_unit_ids=frozenset(unit for leading, unit in units if leading),
        coordinator_unit_ids=frozenset(unit for leading, unit in units if not leading),
        status=task.status,
    )


def indicator_scope(code: str, lead_unit_id: int | None) -> TaskScope:
    """An indicator as the rules see it: a code and the unit that leads it."""
    leads = frozenset({lead_unit_id}) if lead_unit_id is not None else frozenset()
    return TaskScope(code=code, lead_unit_ids=leads, kind="chỉ tiêu")


def _role_allows(user: User, action: Action, task: TaskScope | None) -> bool:
    if not user.active:
        return False
    if user.role == Role.secretariat:
        return True
    if user.role == Role.committee:
        return action in COMMITTEE_ACTIONS
    if user.role != Role.unit or user.unit_id is None:
        return False
    if action == Action.view_all:
        return True
    if task is None:
        return False
    if action in LEAD_ACTIONS:
        return user.unit_id in task.lead_unit_ids
    if action in COORDINATOR_ACTIONS:
        return user.unit_id in task.coordinator_unit_ids
    return False


def _state_allows(user: User, action: Action, task: TaskScope) -> bool:
    return task.status in start_statuses(action, secretariat=user.role == Role.secretariat)


def can(user: User, action: Action, task: TaskScope | None = None) -> bool:
    """Whether USER may take ACTION (on TASK, when the action concerns one) now."""
    return _role_allows(user, action, task) and (task is None or _state_allows(user, action, task))


def require(user: User, action: Action, task: TaskScope | None = None) -> None:
    """Raise unless `can(user, action, task)`, saying who, what and which task."""
    target = f" {task.kind} {task.code}" if task is not None else ""
    if not _role_allows(user, action, task):
        who = f"Tài khoản '{user.username}' ({label(user.role)})"
        if not user.active:
            raise PermissionDenied(f"{who} đã bị vô hiệu hóa, không được phép {DOING[action]}{target}.")
        raise PermissionDenied(f"{who} không được phép {DOING[action]}{target}.")
    if task is not None and not _state_allows(user, action, task):
        raise InvalidValue(
            f"Nhiệm vụ {task.code} đang ở trạng thái '{label(task.status)}': "
            f"không thể {DOING[action]}{target} lúc này."
        )


def require_current(session: Session, user: User, action: Action, task: TaskScope | None = None) -> None:
    """`require()` for the account as stored now, not as it was when the page signed in:
    a deactivation or a change of role applies to the very next write."""
    stored = session.get(User, user.id) if user.id is not None else user
    if stored is None:
        raise PermissionDenied(f"Tài khoản '{user.username}' không còn tồn tại.")
    require(stored, action, task)
