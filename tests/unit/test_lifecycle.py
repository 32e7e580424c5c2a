"""The life-cycle table: what each action writes, and how history kinds are grouped."""

from __future__ import annotations

from datetime import date

import pytest

from models import HistoryKind, TaskStatus
from tracker.errors import InvalidValue
from tracker.tasks.lifecycle import (
    EVENT_KINDS,
    ROW_KINDS,
    STATE_KINDS,
    TRANSITIONS,
    Action,
    reason_note,
    start_statuses,
    written,
)


def test_every_history_kind_is_in_exactly_one_group() -> None:
    groups = [STATE_KINDS, ROW_KINDS, EVENT_KINDS]
    assert all(sum(kind in group for group in groups) == 1 for kind in HistoryKind)


def test_the_state_kinds_are_those_of_transitions_that_write_a_status() -> None:
    assert {HistoryKind.status, HistoryKind.confirmed, HistoryKind.returned} == STATE_KINDS
    assert TRANSITIONS[Action.request_extension].kind in EVENT_KINDS


def test_written_fills_in_what_the_user_gave() -> None:
    assert written(Action.report_done, completed_on=date(2025, 6, 1)) == {
        "status": TaskStatus.reported_done,
        "progress": 100,
        "completed_on": date(2025, 6, 1),
    }
    assert written(Action.update_progress, status=TaskStatus.paused, progress=30)["completed_on"] is None


def test_a_status_outside_the_choices_is_refused() -> None:
    with pytest.raises(InvalidValue, match="không cập nhật được ở đây"):
        written(Action.update_progress, status=TaskStatus.completed, progress=100)


def test_a_reason_is_required_only_where_the_table_says() -> None:
    assert reason_note(Action.update_progress, "  ", status=TaskStatus.in_progress) == ""
    with pytest.raises(InvalidValue, match="lý do tạm dừng"):
        reason_note(Action.update_progress, "  ", status=TaskStatus.paused)
    with pytest.raises(InvalidValue, match="lý do hủy nhiệm vụ"):
        reason_note(Action.cancel, "")
    assert reason_note(Action.confirm, " ok ") == "ok"


def test_only_the_secretariat_reopens_a_closed_task() -> None:
    assert TaskStatus.completed not in start_statuses(Action.update_progress, secretariat=False)
    assert TaskStatus.completed in start_statuses(Action.update_progress, secretariat=True)
    assert start_statuses(Action.comment, secretariat=False) == set(TaskStatus)
