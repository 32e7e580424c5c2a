"""A task's life cycle: the one table of what each action does to a task's state.

`TRANSITIONS` says, for every action bound to a task's status, which statuses
it may start from, which task columns it writes, which history row it appends
and what reason the user must write. Everything else reads this table: who may
act when (tracker.tasks.permissions), the writes themselves
(tracker.tasks.workflow, tracker.tasks.extensions), which history rows change
the task (tracker.tasks.history) and which carry its state at a date
(tracker.views.classify, tracker.views.queries). A new status is added to
models.TaskStatus (with its labels in tracker.i18n) and placed here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from models import HistoryKind, TaskStatus
from tracker.errors import InvalidValue
from tracker.i18n import label


class Action(StrEnum):
    """Everything a user may do; those bound to a task's status have a row in TRANSITIONS."""

    update_progress = "update_progress"
    report_done = "report_done"
    add_evidence = "add_evidence"
    coordination_note = "coordination_note"
    record_part = "record_part"
    request_coordination = "request_coordination"
    request_extension = "request_extension"
    comment = "comment"
    request_explanation = "request_explanation"
    confirm = "confirm"
    return_report = "return_report"
    decide_extension = "decide_extension"
    cancel = "cancel"
    keep_in_plan = "keep_in_plan"
    edit_task = "edit_task"
    set_completed = "set_completed"
    import_plan = "import_plan"
    manage_accounts = "manage_accounts"
    manage_units = "manage_units"
    export_reports = "export_reports"
    issue_report = "issue_report"
    view_all = "view_all"
    # Indicators follow the tasks' rule (tracker.tasks.permissions): the lead unit records,
    # the secretariat confirms. Not bound to a task's status.
    record_indicator_value = "record_indicator_value"
    confirm_indicator_value = "confirm_indicator_value"


# A task's status before anyone reports on it: new tasks, and tasks without a state row.
INITIAL = TaskStatus.not_started
# Work still under way, in the order every status picker shows them.
OPEN: tuple[TaskStatus, ...] = (TaskStatus.not_started, TaskStatus.in_progress, TaskStatus.paused)
ANY: frozenset[str] = frozenset(TaskStatus)


@dataclass(frozen=True)
class Given:
    """A value the user supplies when taking the action; a status must be one of CHOICES when listed."""

    name: str
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Transition:
    """What an action does to a task's state.

    `writes` maps task columns to their new value, or to a Given the user supplies.
    `reason`, when set, names what the note must hold; it is required whenever the
    status written is one of `reason_when` (any status, unless narrowed).
    """

    start: frozenset[str]
    writes: Mapping[str, object]
    kind: HistoryKind
    reason: str = ""
    reason_when: frozenset[str] = ANY
    # The secretariat may start from these instead (reopening a task closed by mistake).
    secretariat_start: frozenset[str] | None = None


TRANSITIONS: dict[Action, Transition] = {
    Action.update_progress: Transition(
        start=frozenset(OPEN),
        writes={"status": Given("status", OPEN), "progress": Given("progress"), "completed_on": None},
        kind=HistoryKind.status,
        reason="lý do tạm dừng, vướng mắc",
        reason_when=frozenset({TaskStatus.paused}),
        secretariat_start=frozenset({*OPEN, TaskStatus.completed, TaskStatus.cancelled}),
    ),
    Action.report_done: Transition(
        start=frozenset(OPEN),
        writes={"status": TaskStatus.reported_done, "progress": 100, "completed_on": Given("completed_on")},
        kind=HistoryKind.status,
    ),
    Action.confirm: Transition(
        start=frozenset({TaskStatus.reported_done}),
        writes={"status": TaskStatus.completed},
        kind=HistoryKind.confirmed,
    ),
    Action.return_report: Transition(
        start=frozenset({TaskStatus.reported_done}),
        writes={"status": TaskStatus.in_progress, "completed_on": None},
        kind=HistoryKind.returned,
        reason="lý do trả lại báo cáo",
    ),
    Action.set_completed: Transition(
        start=frozenset(OPEN),
        writes={"status": TaskStatus.completed, "progress": 100, "completed_on": Given("completed_on")},
        kind=HistoryKind.status,
    ),
    Action.cancel: Transition(
        start=ANY - {TaskStatus.cancelled},
        writes={"status": TaskStatus.cancelled, "completed_on": None},
        kind=HistoryKind.status,
        reason="lý do hủy nhiệm vụ",
    ),
    # A task a revision of the annex no longer lists stays counted apart until the secretariat
    # cancels it or keeps it in the plan (tracker.tasks.workflow.keep_in_plan).
    Action.keep_in_plan: Transition(
        start=ANY - {TaskStatus.cancelled},
        writes={"missing_since": None},
        kind=HistoryKind.kept,
    ),
    # A request writes nothing to the task until it is decided (tracker.tasks.extensions).
    Action.request_extension: Transition(
        start=frozenset(OPEN),
        writes={},
        kind=HistoryKind.extension_requested,
        reason="lý do đề nghị gia hạn",
    ),
    # Coordination writes nothing to the task: the lead's state stays the lead's (tracker.coordination).
    Action.request_coordination: Transition(
        start=frozenset(OPEN), writes={}, kind=HistoryKind.coordination_request
    ),
    Action.record_part: Transition(
        start=frozenset({*OPEN, TaskStatus.reported_done}), writes={}, kind=HistoryKind.coordination_part
    ),
}

# History rows that carry the task's state after the change (status, progress, completion date).
STATE_KINDS = frozenset(t.kind for t in TRANSITIONS.values() if "status" in t.writes)
# History rows that set or clear Task.missing_since: the task's place in its plan at a date
# (tracker.views.classify).
DROP_KINDS = frozenset({HistoryKind.dropped, HistoryKind.relisted, HistoryKind.kept})
# History rows that change the task row but not its state: its creation (in the initial
# state), a field edit or import, an approved extension's new deadline, its place in the plan.
ROW_KINDS = frozenset(
    {
        HistoryKind.created,
        HistoryKind.field_edit,
        HistoryKind.import_update,
        HistoryKind.extension_approved,
        *DROP_KINDS,
    }
)
# History rows that leave the task row (and its version) untouched.
EVENT_KINDS = frozenset(HistoryKind) - STATE_KINDS - ROW_KINDS


def start_statuses(action: Action, *, secretariat: bool) -> frozenset[str]:
    """The statuses ACTION may start from (any, for an action with no transition)."""
    transition = TRANSITIONS.get(action)
    if transition is None:
        return ANY
    if secretariat and transition.secretariat_start is not None:
        return transition.secretariat_start
    return transition.start


def written(action: Action, **given: object) -> dict[str, object]:
    """The task columns ACTION writes, with the values the user gave filled in."""
    values: dict[str, object] = {}
    for column, value in TRANSITIONS[action].writes.items():
        if isinstance(value, Given):
            value = _given(value, given[value.name])
        values[column] = value
    return values


def _given(spec: Given, value: object) -> object:
    if spec.choices and value not in spec.choices:
        choices = ", ".join(f"'{label(choice)}'" for choice in spec.choices)
        raise InvalidValue(f"Trạng thái '{label(str(value))}' không cập nhật được ở đây: chọn {choices}.")
    return value


def reason_note(action: Action, note: str, *, status: str | None = None) -> str:
    """NOTE stripped, refused when empty while ACTION requires a reason for STATUS."""
    transition = TRANSITIONS[action]
    note = note.strip()
    written_status = status if status is not None else transition.writes.get("status")
    required = transition.reason and (written_status is None or written_status in transition.reason_when)
    if required and not note:
        raise InvalidValue(f"Cần ghi {transition.reason}.")
    return note
