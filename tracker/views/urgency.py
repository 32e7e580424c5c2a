"""The order a unit works through its tasks: overdue first, then due soon, then by deadline."""

from __future__ import annotations

import pandas as pd

from models import TaskClass


def by_urgency(classified: pd.DataFrame) -> pd.DataFrame:
    """CLASSIFIED rows (from tracker.views.classify) most urgent first.

    Overdue tasks, longest overdue first; then tasks due soon, nearest first;
    then the rest by deadline (none last); ties keep the plan's own order.
    Cancelled tasks and tasks out of their plan come last: nothing is asked of them.
    """
    overdue = classified["task_class"] == TaskClass.overdue
    rank = pd.Series(2, index=classified.index)
    rank = rank.mask(classified["due_soon"].fillna(False).astype(bool), 1).mask(overdue, 0)
    rank = rank.mask(~classified["counted"].fillna(True).astype(bool), 3)
    keys = classified.assign(
        _rank=rank,
        _overdue=-classified["days_overdue"].astype("Float64").fillna(0),
        _deadline=pd.to_datetime(classified["deadline"]),
    )
    ordered = keys.sort_values(
        ["_rank", "_overdue", "_deadline", "plan_id", "position"], na_position="last", kind="stable"
    )
    return ordered.drop(columns=["_rank", "_overdue", "_deadline"])
