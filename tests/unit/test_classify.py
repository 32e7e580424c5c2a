"""Table tests of the one classification rule: task x date -> class, flags, rates."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pandas as pd
import pytest

from models import HistoryKind, TaskClass, TaskStatus
from tracker.views.classify import classify_at, summarize

D = date(2025, 6, 30)
CREATED = datetime(2025, 1, 2, 8, 0)


def task(task_id: int, deadline: date | None = date(2025, 6, 30), **fields: Any) -> dict[str, Any]:
    return {"id": task_id, "deadline": deadline, "recurring": False, "created_at": CREATED} | fields


def row(
    task_id: int,
    status: str | None,
    effective_on: date,
    recorded_at: datetime | None = None,
    kind: str = HistoryKind.status,
    completed_on: date | None = None,
    old_value: str = "",
    progress: int | None = None,
) -> dict[str, Any]:
    if status == TaskStatus.completed and completed_on is None:
        completed_on = effective_on
    return {
        "task_id": task_id,
        "kind": kind,
        "status": status,
        "progress": progress if progress is not None else (100 if status == TaskStatus.completed else 50),
        "completed_on": completed_on,
        "effective_on": effective_on,
        "field": "",
        "old_value": old_value,
        "recorded_at": recorded_at or datetime.combine(effective_on, datetime.min.time()).replace(hour=9),
    }


def classified(
    tasks: list[dict[str, Any]], history: list[dict[str, Any]], as_of: date = D, due_soon_days: int = 7
) -> pd.DataFrame:
    columns = ["id", "task_id", "kind", "status", "progress", "completed_on", "effective_on"]
    history_frame = pd.DataFrame(
        [{"id": number} | entry for number, entry in enumerate(history, start=1)],
        columns=[*columns, "field", "old_value", "recorded_at"],
    )
    return classify_at(pd.DataFrame(tasks), history_frame, as_of, due_soon_days).set_index("id")


def class_of(tasks: list[dict[str, Any]], history: list[dict[str, Any]], as_of: date = D) -> object:
    return classified(tasks, history, as_of).loc[1, "task_class"]


@pytest.mark.parametrize(
    ("deadline", "history", "as_of", "expected"),
    [
        # completed on the deadline day itself is on time
        (date(2025, 6, 30), [row(1, "completed", date(2025, 6, 30))], D, TaskClass.completed_on_time),
        (date(2025, 6, 30), [row(1, "completed", date(2025, 6, 10))], D, TaskClass.completed_on_time),
        (date(2025, 6, 29), [row(1, "completed", date(2025, 6, 30))], D, TaskClass.completed_late),
        # D == deadline is still within the deadline; D = deadline + 1 is overdue
        (date(2025, 6, 30), [row(1, "in_progress", date(2025, 5, 1))], D, TaskClass.in_progress_on_time),
        (date(2025, 6, 29), [row(1, "in_progress", date(2025, 5, 1))], D, TaskClass.overdue),
        (date(2025, 6, 29), [], D, TaskClass.overdue),
        (date(2025, 7, 31), [], D, TaskClass.in_progress_on_time),
        # a completion after D is not a completion at D
        (date(2025, 6, 30), [row(1, "completed", date(2025, 7, 1))], D, TaskClass.in_progress_on_time),
        (date(2025, 6, 29), [row(1, "completed", date(2025, 7, 1))], D, TaskClass.overdue),
        # reported done awaits confirmation: not completed
        (date(2025, 6, 29), [row(1, "reported_done", date(2025, 6, 20))], D, TaskClass.overdue),
        (None, [], D, TaskClass.undated),
        (None, [row(1, "completed", date(2025, 6, 1))], D, TaskClass.undated),
    ],
)
def test_class_at_a_date(
    deadline: date | None, history: list[dict[str, Any]], as_of: date, expected: str
) -> None:
    assert class_of([task(1, deadline)], history, as_of) == expected


def test_recurring_tasks_are_recurring_whatever_their_status() -> None:
    tasks = [task(1, None, recurring=True), task(2, None, recurring=True)]
    frame = classified(tasks, [row(2, "completed", date(2025, 3, 1))])
    assert list(frame["task_class"]) == [TaskClass.recurring, TaskClass.recurring]
    assert not frame["due_soon"].any()


def test_completion_recorded_after_d_counts_where_it_belongs_as_of_d() -> None:
    late_entry = row(1, "completed", date(2025, 6, 20), recorded_at=datetime(2025, 11, 1, 10, 0))
    assert class_of([task(1, date(2025, 6, 29))], [late_entry]) == TaskClass.completed_on_time
    assert (
        class_of([task(1, date(2025, 6, 29))], [late_entry], date(2025, 6, 19))
        == TaskClass.in_progress_on_time
    )


def known_class(history: list[dict[str, Any]], known_on: datetime, tasks: list[dict[str, Any]]) -> object:
    columns = [
        "id",
        "task_id",
        "kind",
        "status",
        "progress",
        "completed_on",
        "effective_on",
        "field",
        "old_value",
    ]
    frame = pd.DataFrame(
        [{"id": number} | entry for number, entry in enumerate(history, start=1)],
        columns=[*columns, "recorded_at"],
    )
    found = classify_at(pd.DataFrame(tasks), frame, D, 7, known_on).set_index("id")
    return found.loc[1, "task_class"] if 1 in found.index else None


def test_known_on_t_counts_only_rows_recorded_by_t() -> None:
    late_entry = row(1, "completed", date(2025, 6, 20), recorded_at=datetime(2025, 7, 1, 8, 30, 0, 250))
    tasks = [task(1, date(2025, 6, 29))]
    assert known_class([late_entry], datetime(2025, 7, 1, 8, 30, 0, 249), tasks) == TaskClass.overdue
    assert (
        known_class([late_entry], datetime(2025, 7, 1, 8, 30, 0, 250), tasks) == TaskClass.completed_on_time
    )


def test_known_on_t_leaves_out_tasks_created_after_t() -> None:
    created = row(1, None, date(2025, 3, 10), datetime(2025, 9, 1, 9), kind=HistoryKind.created)
    tasks = [task(1, created_at=datetime(2025, 9, 1, 9))]
    assert known_class([created], datetime(2025, 8, 31), tasks) is None
    assert known_class([created], datetime(2025, 9, 1, 9), tasks) == TaskClass.in_progress_on_time


def test_a_task_belongs_to_its_plan_from_the_effective_date_of_its_creation() -> None:
    # Imported on 1/9 for a plan issued on 10/3: in the plan at 30/6, not at 9/3.
    created = row(1, None, date(2025, 3, 10), datetime(2025, 9, 1, 9), kind=HistoryKind.created)
    tasks = [task(1, created_at=datetime(2025, 9, 1, 9))]
    assert class_of(tasks, [created]) == TaskClass.in_progress_on_time
    assert classified(tasks, [created], date(2025, 3, 9)).empty


def test_recorded_late_in_the_evening_of_d_counts_at_d() -> None:
    evening = row(1, "completed", date(2025, 6, 30), recorded_at=datetime(2025, 6, 30, 23, 59, 59))
    assert class_of([task(1)], [evening]) == TaskClass.completed_on_time


def test_latest_recorded_state_wins_even_when_backdated() -> None:
    history = [
        row(1, "completed", date(2025, 6, 10), recorded_at=datetime(2025, 6, 10, 9)),
        row(1, "in_progress", date(2025, 6, 1), recorded_at=datetime(2025, 6, 12, 9)),
    ]
    frame = classified([task(1)], history)
    assert frame.loc[1, "status"] == TaskStatus.in_progress
    assert frame.loc[1, "task_class"] == TaskClass.in_progress_on_time


def test_rows_without_a_status_do_not_change_the_state() -> None:
    history = [
        row(1, "in_progress", date(2025, 6, 1)),
        row(1, None, date(2025, 6, 5), kind=HistoryKind.comment),
    ]
    assert classified([task(1)], history).loc[1, "status"] == TaskStatus.in_progress


def test_state_effective_after_d_is_ignored() -> None:
    future = row(1, "completed", date(2025, 7, 5), recorded_at=datetime(2025, 6, 28, 9))
    frame = classified([task(1)], [future])
    assert frame.loc[1, "status"] == TaskStatus.not_started
    assert frame.loc[1, "progress"] == 0


def extension(task_id: int, old: str, recorded_at: datetime) -> dict[str, Any]:
    return row(
        task_id, None, recorded_at.date(), recorded_at, kind=HistoryKind.extension_approved, old_value=old
    )


def test_extension_approved_before_d_moves_the_deadline() -> None:
    approved = extension(1, "2025-06-15", datetime(2025, 6, 10, 9))
    frame = classified([task(1, date(2025, 7, 31))], [approved])
    assert frame.loc[1, "task_class"] == TaskClass.in_progress_on_time
    assert bool(frame.loc[1, "extended"])
    not_yet_known = known_class([approved], datetime(2025, 6, 9), [task(1, date(2025, 7, 31))])
    assert not_yet_known == TaskClass.overdue


def test_a_deadline_corrected_after_t_is_the_old_one_known_on_t() -> None:
    corrected = row(1, None, date(2025, 7, 5), datetime(2025, 7, 5, 9), kind=HistoryKind.field_edit)
    corrected |= {"field": "deadline", "old_value": "2025-06-15"}
    tasks = [task(1, date(2025, 8, 31))]
    assert class_of(tasks, [corrected]) == TaskClass.in_progress_on_time
    assert known_class([corrected], datetime(2025, 7, 1), tasks) == TaskClass.overdue


def test_extension_approved_after_d_leaves_the_old_deadline_in_force_at_d() -> None:
    history = [
        extension(1, "2025-06-15", datetime(2025, 7, 2, 9)),
        extension(1, "2025-07-31", datetime(2025, 7, 20, 9)),
    ]
    frame = classified([task(1, date(2025, 8, 31))], history)
    assert frame.loc[1, "deadline"] == pd.Timestamp("2025-06-15")
    assert frame.loc[1, "task_class"] == TaskClass.overdue
    assert frame.loc[1, "days_overdue"] == 15
    assert not bool(frame.loc[1, "extended"])


def test_cancelled_tasks_are_counted_apart() -> None:
    tasks = [task(1, date(2025, 6, 1)), task(2, date(2025, 6, 1))]
    frame = classified(tasks, [row(1, "cancelled", date(2025, 5, 1))])
    assert pd.isna(frame.loc[1, "task_class"])
    summary = summarize(frame)
    assert (summary.total, summary.cancelled, summary.counts[TaskClass.overdue]) == (1, 1, 1)


def test_cancellation_after_d_is_not_seen_at_d() -> None:
    frame = classified([task(1, date(2025, 6, 1))], [row(1, "cancelled", date(2025, 7, 1))])
    assert frame.loc[1, "task_class"] == TaskClass.overdue


def test_tasks_created_after_d_are_not_in_the_plan_at_d() -> None:
    tasks = [
        task(1),
        task(2, created_at=datetime(2025, 7, 1, 8)),
        task(3, created_at=datetime(2025, 7, 1, 8)),
    ]
    created_early = row(3, None, date(2025, 6, 1), datetime(2025, 6, 1, 9), kind=HistoryKind.created)
    created_late = row(1, None, date(2025, 7, 3), datetime(2025, 7, 3, 9), kind=HistoryKind.created)
    frame = classified(tasks, [created_early, created_late])
    assert list(frame.index) == [3]


def test_due_soon_counts_days_from_d_inclusive() -> None:
    tasks = [task(1, date(2025, 6, 30)), task(2, date(2025, 7, 7)), task(3, date(2025, 7, 8)), task(4)]
    frame = classified(tasks, [row(4, "completed", date(2025, 6, 1))])
    assert list(frame["due_soon"]) == [True, True, False, False]
    assert list(frame["days_left"].astype(object)) == [0, 7, 8, pd.NA]


def test_awaiting_confirmation_flag() -> None:
    frame = classified([task(1), task(2)], [row(1, "reported_done", date(2025, 6, 1))])
    assert list(frame["awaiting_confirmation"]) == [True, False]


def test_rates_are_over_the_tasks_fallen_due() -> None:
    tasks = [
        task(1, date(2025, 6, 1)),
        task(2, date(2025, 6, 1)),
        task(3, date(2025, 6, 1)),
        task(4, date(2025, 6, 1)),
        task(5, date(2025, 12, 31)),
        task(6, None, recurring=True),
    ]
    history = [row(1, "completed", date(2025, 5, 1)), row(2, "completed", date(2025, 6, 5))]
    summary = summarize(classified(tasks, history))
    assert summary.total == 6
    assert summary.completed == 2
    assert summary.completion_rate == pytest.approx(0.5)
    assert summary.on_time_rate == pytest.approx(0.25)


def test_rates_are_none_when_nothing_has_fallen_due() -> None:
    summary = summarize(classified([task(1, date(2025, 12, 31))], []))
    assert summary.completion_rate is None
    assert summary.on_time_rate is None


def test_every_task_gets_exactly_one_class() -> None:
    tasks = [
        task(n, date(2025, 6, n % 28 + 1) if n % 5 else None, recurring=n % 7 == 0) for n in range(1, 60)
    ]
    history = [
        row(n, ("completed", "in_progress", "reported_done")[n % 3], date(2025, 6, n % 30 + 1))
        for n in range(1, 60)
    ]
    summary = summarize(classified(tasks, history))
    assert sum(summary.counts.values()) == summary.total == 59


def test_classifying_leaves_the_frames_it_reads_as_they_were() -> None:
    # The state store hands every page the same frames: a classification at a past date must not
    # write that date's states into them.
    tasks = pd.DataFrame([task(1, status=TaskStatus.completed, progress=100)])
    history = pd.DataFrame([{"id": 1} | row(1, TaskStatus.in_progress, date(2025, 3, 1))])
    kept_tasks, kept_history = tasks.copy(), history.copy()
    assert classify_at(tasks, history, date(2025, 4, 1)).loc[0, "status"] == TaskStatus.in_progress
    pd.testing.assert_frame_equal(tasks, kept_tasks)
    pd.testing.assert_frame_equal(history, kept_history)
