"""A unit's tasks in the order it should work through them."""

from __future__ import annotations

import pandas as pd

from tracker.views.urgency import by_urgency


def frame(*rows: dict[str, object]) -> pd.DataFrame:
    defaults = {
        "task_class": "in_progress_on_time",
        "due_soon": False,
        "cancelled": False,
        "not_in_plan": False,
        "counted": True,
        "days_overdue": pd.NA,
        "deadline": pd.NaT,
        "plan_id": 1,
    }
    return pd.DataFrame([defaults | row for row in rows])


def test_overdue_first_longest_first_then_due_soon_then_by_deadline_undated_last() -> None:
    tasks = frame(
        {"code": "later", "deadline": pd.Timestamp("2026-06-30"), "position": 1},
        {"code": "undated", "task_class": "undated", "position": 2},
        {"code": "soon", "due_soon": True, "deadline": pd.Timestamp("2026-01-10"), "position": 3},
        {"code": "late 3", "task_class": "overdue", "days_overdue": 3, "position": 4},
        {"code": "late 40", "task_class": "overdue", "days_overdue": 40, "position": 5},
        {"code": "cancelled", "cancelled": True, "counted": False, "task_class": pd.NA, "position": 6},
        {"code": "sooner", "deadline": pd.Timestamp("2026-03-31"), "position": 7},
        {"code": "dropped", "not_in_plan": True, "counted": False, "task_class": pd.NA, "position": 0},
    )
    assert by_urgency(tasks)["code"].tolist() == [
        "late 40",
        "late 3",
        "soon",
        "sooner",
        "later",
        "undated",
        "dropped",
        "cancelled",
    ]


def test_ties_keep_the_plans_own_order() -> None:
    tasks = frame(
        {"code": "b", "deadline": pd.Timestamp("2026-03-31"), "position": 2},
        {"code": "a", "deadline": pd.Timestamp("2026-03-31"), "position": 1},
    )
    assert by_urgency(tasks)["code"].tolist() == ["a", "b"]
