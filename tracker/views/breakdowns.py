"""Tables cut from a classified frame: per unit, per plan, per month, and the watch lists.

Pure pandas on the output of tracker.views.classify; the dashboard, the charts and
the reports all read these, so a count is the same wherever it is shown.
"""

from __future__ import annotations

import pandas as pd

from models import TaskClass, UnitKind
from tracker.textfold import collation_key
from tracker.views.classify import CLASSES, COMPLETED_CLASSES, DATED_CLASSES, rate_columns

NO_LEAD_UNIT = "Chưa xác định đơn vị chủ trì"
# What stands in place of a rank for a unit with no task fallen due.
UNRANKED = "Chưa có nhiệm vụ đến hạn"
CLASS_COLUMNS = [name.value for name in CLASSES]
_DATED_CLASSES = [name.value for name in DATED_CLASSES]


def _breakdown(classified: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Per group of KEYS: total (cancelled and out-of-plan tasks apart), one column per class,
    flags and rates."""
    frame = classified.assign(
        live=classified["counted"],
        due_soon=classified["due_soon"] & classified["counted"],
        awaiting_confirmation=classified["awaiting_confirmation"] & classified["counted"],
    )
    grouped = frame.groupby(keys, dropna=False, sort=False)
    totals = grouped.agg(
        total=("live", "sum"),
        cancelled=("cancelled", "sum"),
        not_in_plan=("not_in_plan", "sum"),
        due_soon=("due_soon", "sum"),
        awaiting_confirmation=("awaiting_confirmation", "sum"),
    )
    live = frame[frame["live"]]
    per_class = live.groupby([*keys, "task_class"], dropna=False, sort=False).size().unstack("task_class")
    per_class = per_class.reindex(index=totals.index, columns=CLASS_COLUMNS).fillna(0).astype(int)
    table = totals.astype(int).join(per_class)
    table["completed"] = table[[name.value for name in COMPLETED_CLASSES]].sum(axis=1)
    return table.join(rate_columns(table)).reset_index()


def _rank(table: pd.DataFrame) -> pd.DataFrame:
    """The emulation ranking (thi đua): only units with at least one task fallen due are ranked,
    best first by on-time rate, completion rate, fewest overdue, most tasks. The others follow,
    unranked (`rank` missing): with nothing due yet there is nothing to compare."""
    ordered = table.sort_values(
        ["on_time_rate", "completion_rate", TaskClass.overdue.value, "total"],
        ascending=[False, False, True, False],
        na_position="last",
        kind="stable",
    ).reset_index(drop=True)
    # Nothing fallen due leaves both rates missing, so these units already sort last.
    fallen_due = (ordered["completed"] + ordered[TaskClass.overdue.value]) > 0
    ranks = pd.Series(range(1, len(ordered) + 1), index=ordered.index).where(fallen_due)
    ordered.insert(0, "rank", ranks.astype("Int64"))
    return ordered


def per_lead_unit(classified: pd.DataFrame) -> pd.DataFrame:
    """One row per task and lead unit, by lead unit in Vietnamese order: a task with joint
    leads counts in full for each, so per-unit totals add up to more than the plan's.
    Collectives ("các địa phương") are no unit and are left out; a task led by no unit
    keeps one row, under NO_LEAD_UNIT."""
    rows: list[tuple[int, int | None, str]] = []
    columns = (classified[name].tolist() for name in ("lead_unit_ids", "lead_units", "lead_unit_kinds"))
    for position, (ids, names, kinds) in enumerate(zip(*columns, strict=True)):
        units = [
            (unit_id, name)
            for unit_id, name, kind in zip(ids, names, kinds, strict=True)
            if kind != UnitKind.collective
        ]
        rows.extend((position, unit_id, name) for unit_id, name in units or [(None, NO_LEAD_UNIT)])
    # Each name's place in the order, worked out once: a collation key costs microseconds a letter,
    # and comparing nested tuples as long again, while 100,000 rows name a few hundred units.
    keys = {name: collation_key(name) for name in {name for _, _, name in rows}}
    places = {key: place for place, key in enumerate(sorted(set(keys.values())))}
    rows.sort(key=lambda row: places[keys[row[2]]])
    frame = classified.iloc[[position for position, _, _ in rows]].reset_index(drop=True)
    frame["lead_unit_id"] = pd.array([unit_id for _, unit_id, _ in rows], dtype="Int64")
    frame["lead_unit"] = [name for _, _, name in rows]
    return frame


def unit_table(classified: pd.DataFrame) -> pd.DataFrame:
    """One row per lead unit (joint leads each count the task) with totals, each class,
    flags and rates, ranked best first."""
    return _rank(_breakdown(per_lead_unit(classified), ["lead_unit_id", "lead_unit"]))


def plan_table(classified: pd.DataFrame) -> pd.DataFrame:
    """One row per plan, in the frame's plan order, with the same counts and rates as units."""
    return _breakdown(classified, ["plan_id", "plan_number"])


def deadlines_by_month(classified: pd.DataFrame) -> pd.DataFrame:
    """Long table (month, task_class, count) of dated tasks by the month of their deadline."""
    dated = classified[classified["task_class"].isin(_DATED_CLASSES)]
    month = dated["deadline"].dt.to_period("M").dt.to_timestamp()
    counts = dated.assign(month=month).groupby(["month", "task_class"]).size().rename("count")
    return counts.reset_index().sort_values(["month", "task_class"], kind="stable").reset_index(drop=True)


def unit_month_heatmap(classified: pd.DataFrame) -> pd.DataFrame:
    """Deadlines per lead unit (rows, busiest first) and month (columns, first day of the month)."""
    dated = per_lead_unit(classified[classified["task_class"].isin(_DATED_CLASSES)])
    frame = dated.assign(month=dated["deadline"].dt.to_period("M").dt.to_timestamp())
    grid = frame.pivot_table(index="lead_unit", columns="month", values="id", aggfunc="count", fill_value=0)
    busiest = grid.sum(axis=1).sort_values(ascending=False, kind="stable").index
    return grid.loc[busiest].sort_index(axis=1)


def overdue_tasks(classified: pd.DataFrame) -> pd.DataFrame:
    """Overdue tasks, longest overdue first."""
    overdue = classified[classified["task_class"] == TaskClass.overdue]
    return overdue.sort_values(["days_overdue", "plan_id", "position"], ascending=[False, True, True])


def due_soon_tasks(classified: pd.DataFrame) -> pd.DataFrame:
    """Tasks due within the due-soon window, nearest deadline first."""
    return classified[classified["due_soon"]].sort_values(["days_left", "plan_id", "position"])
