"""Tables cut from a classified frame: per unit, per plan, per month, and the watch lists.

Pure pandas on the output of tracker.views.classify; the dashboard, the charts and
the reports all read these, so a count is the same wherever it is shown.
"""

from __future__ import annotations

from itertools import chain
from typing import Any

import numpy as np
import pandas as pd

from models import TaskClass, UnitKind
from tracker.textfold import collation_key
from tracker.views.classify import CLASSES, COMPLETED_CLASSES, DATED_CLASSES, rate_columns

NO_LEAD_UNIT = "Chưa xác định đơn vị chủ trì"
# What stands in place of a rank for a unit with no task fallen due.
UNRANKED = "Chưa có nhiệm vụ đến hạn"
# … and for the row of tasks led by no unit (or by collectives only): it is no unit to rank.
NOT_RANKED = "Không xếp hạng"
CLASS_COLUMNS = [name.value for name in CLASSES]
_DATED_CLASSES = [name.value for name in DATED_CLASSES]


def _breakdown(
    classified: pd.DataFrame, position: np.ndarray, codes: np.ndarray, keys: dict[str, Any]
) -> pd.DataFrame:
    """Per group: the KEYS columns, total (cancelled and out-of-plan tasks apart), one column
    per class, flags and rates. The rows POSITION of CLASSIFIED fall in the groups CODES (from 0,
    in order of first appearance); counted on arrays with bincount, where grouping frames by
    names cost a tenth of a second at 100,000 tasks."""
    groups = len(next(iter(keys.values())))

    def flags(name: str) -> np.ndarray:
        values: np.ndarray = classified[name].to_numpy(dtype=bool)[position]
        return values

    def count(rows: np.ndarray) -> np.ndarray:
        return np.bincount(codes[rows], minlength=groups).astype("int64")

    counted = flags("counted")
    classes = pd.Categorical(classified["task_class"], categories=CLASS_COLUMNS).codes[position]
    per_class = np.bincount(
        codes[counted] * len(CLASS_COLUMNS) + classes[counted], minlength=groups * len(CLASS_COLUMNS)
    ).reshape(groups, len(CLASS_COLUMNS))
    table = pd.DataFrame(
        keys
        | {
            "total": count(counted),
            "cancelled": count(flags("cancelled")),
            "not_in_plan": count(flags("not_in_plan")),
            "due_soon": count(flags("due_soon") & counted),
            "awaiting_confirmation": count(flags("awaiting_confirmation") & counted),
        }
        | {value: per_class[:, at].astype("int64") for at, value in enumerate(CLASS_COLUMNS)}
    )
    table["completed"] = table[[name.value for name in COMPLETED_CLASSES]].sum(axis=1)
    return table.join(rate_columns(table))


def _groups(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each of KEYS (int64) numbered from 0 in order of first appearance, and each group's first row."""
    codes, _ = pd.factorize(keys, sort=False)
    return codes, np.unique(codes, return_index=True)[1]


def _rank(table: pd.DataFrame) -> pd.DataFrame:
    """The emulation ranking (thi đua): only units with at least one task fallen due are ranked,
    best first by on-time rate, completion rate, fewest overdue, most tasks. The others follow,
    unranked (`rank` missing): with nothing due yet there is nothing to compare; and the row of
    tasks led by no unit (NO_LEAD_UNIT, collectives' tasks among them) is no unit to rank."""
    fallen_due = (table["completed"] + table[TaskClass.overdue.value]) > 0
    ordered = (
        table.assign(_unranked=~(fallen_due & table["lead_unit_id"].notna()))
        .sort_values(
            ["_unranked", "on_time_rate", "completion_rate", TaskClass.overdue.value, "total"],
            ascending=[True, False, False, True, False],
            na_position="last",
            kind="stable",
        )
        .reset_index(drop=True)
    )
    ranked = ~ordered.pop("_unranked").astype(bool)
    ordered.insert(0, "rank", ranked.cumsum().where(ranked).astype("Int64"))
    return ordered


def _lead_rows(classified: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per task and lead unit (per_lead_unit's rows, in its order): the task's row in
    CLASSIFIED, the unit's id (None under NO_LEAD_UNIT) and its name."""
    id_lists = classified["lead_unit_ids"].tolist()
    lengths = np.fromiter(map(len, id_lists), dtype="int64", count=len(classified))
    positions = np.repeat(np.arange(len(classified)), lengths)
    flat = np.fromiter(chain.from_iterable(id_lists), dtype="int64", count=int(lengths.sum()))
    # Each unit's name and kind looked up once, at its first link: a unit has one name and one
    # kind, and walking every task's names and kinds took most of the 60 ms at 100,000 tasks.
    codes, unit_ids = pd.factorize(flat, sort=False)
    firsts = np.unique(codes, return_index=True)[1]
    starts = np.cumsum(lengths) - lengths
    names: list[list[str]] = classified["lead_units"].tolist()
    kinds: list[list[str]] = classified["lead_unit_kinds"].tolist()
    at = [(int(positions[first]), int(first - starts[positions[first]])) for first in firsts]
    unit_names = np.array([names[row][offset] for row, offset in at] + [NO_LEAD_UNIT], dtype=object)
    led = np.array([kinds[row][offset] != UnitKind.collective for row, offset in at], dtype=bool)[codes]
    # A mask, not a set difference: that sorts every position.
    unled = np.ones(len(classified), dtype=bool)
    unled[positions[led]] = False
    unled_at = np.flatnonzero(unled)
    # Plain arrays, not a frame: a frame turns the names into Arrow strings and back.
    position = np.concatenate([positions[led], unled_at])
    unit = np.concatenate([codes[led], np.full(len(unled_at), len(unit_ids))])
    unit_id = np.array([*unit_ids.tolist(), None], dtype=object)[unit]
    name = unit_names[unit]
    # By name, in the task order within a name: each distinct name is ranked once.
    ranked = {each: rank for rank, each in enumerate(sorted(set(unit_names), key=collation_key))}
    ranks = np.array([ranked[each] for each in unit_names], dtype="int64")[unit]
    order = np.lexsort((np.arange(len(position)), position, ranks))
    return position[order], unit_id[order], name[order]


def per_lead_unit(classified: pd.DataFrame) -> pd.DataFrame:
    """One row per task and lead unit, by lead unit in Vietnamese order: a task with joint
    leads counts in full for each, so per-unit totals add up to more than the plan's.
    Collectives ("các địa phương") are no unit and are left out; a task led by no unit
    keeps one row, under NO_LEAD_UNIT."""
    position, unit_id, name = _lead_rows(classified)
    frame = classified.iloc[position].reset_index(drop=True)
    frame["lead_unit_id"] = pd.array(unit_id.tolist(), dtype="Int64")
    frame["lead_unit"] = name.tolist()
    return frame


def unit_table(classified: pd.DataFrame) -> pd.DataFrame:
    """One row per lead unit (joint leads each count the task: per_lead_unit's rows) with
    totals, each class, flags and rates, ranked best first."""
    position, unit_id, name = _lead_rows(classified)
    codes, first = _groups(np.where(pd.isna(unit_id), -1, unit_id).astype("int64"))
    keys = {
        "lead_unit_id": pd.array(unit_id[first].tolist(), dtype="Int64"),
        "lead_unit": name[first].tolist(),
    }
    return _rank(_breakdown(classified, position, codes, keys))


def plan_table(classified: pd.DataFrame) -> pd.DataFrame:
    """One row per plan, in the frame's plan order, with the same counts and rates as units."""
    codes, first = _groups(classified["plan_id"].to_numpy(dtype="int64"))
    keys = {name: classified[name].iloc[first].reset_index(drop=True) for name in ("plan_id", "plan_number")}
    return _breakdown(classified, np.arange(len(classified)), codes, keys)


def _month(dates: pd.Series) -> pd.Series:
    """The first day of each date's month (periods cost a second per 100,000 dates)."""
    return pd.Series(dates.to_numpy().astype("datetime64[M]").astype("datetime64[ns]"), index=dates.index)


def deadlines_by_month(classified: pd.DataFrame) -> pd.DataFrame:
    """Long table (month, task_class, count) of dated tasks by the month of their deadline."""
    dated = classified.loc[classified["task_class"].isin(_DATED_CLASSES), ["task_class", "deadline"]]
    counts = (
        dated.assign(month=_month(dated["deadline"])).groupby(["month", "task_class"]).size().rename("count")
    )
    return counts.reset_index().sort_values(["month", "task_class"], kind="stable").reset_index(drop=True)


def _sorted_codes(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct VALUES in order, and each value's place among them: hashed, then only the
    distinct ones sorted (np.unique sorts all 100,000 names)."""
    codes, uniques = pd.factorize(values)
    order = np.argsort(uniques, kind="stable")
    places = np.empty(len(order), dtype="int64")
    places[order] = np.arange(len(order))
    return np.asarray(uniques)[order], places[codes]


def unit_month_heatmap(classified: pd.DataFrame) -> pd.DataFrame:
    """Deadlines per lead unit (rows, busiest first) and month (columns, first day of the month)."""
    columns = ["deadline", "lead_unit_ids", "lead_units", "lead_unit_kinds"]
    dated = classified.loc[classified["task_class"].isin(_DATED_CLASSES), columns]
    position, _, name = _lead_rows(dated)
    month = _month(dated["deadline"]).to_numpy()[position]
    # Counted on arrays (a pivot table of 100,000 rows took 40 ms): units by name, months in order.
    units, unit_codes = _sorted_codes(name)
    months, month_codes = _sorted_codes(month)
    counts = np.bincount(unit_codes * len(months) + month_codes, minlength=len(units) * len(months))
    grid = pd.DataFrame(
        counts.reshape(len(units), len(months)).astype("int64"),
        index=pd.Index(units, dtype="str", name="lead_unit"),
        columns=pd.Index(months, name="month"),
    )
    busiest = grid.sum(axis=1).sort_values(ascending=False, kind="stable").index
    return grid.loc[busiest]


def _ordered(
    classified: pd.DataFrame, mask: pd.Series, keys: list[str], ascending: list[bool]
) -> pd.DataFrame:
    # Sorted on the keys alone, then taken: sorting moves every column of every row.
    order = classified.loc[mask, keys].sort_values(keys, ascending=ascending).index
    return classified.loc[order]


def overdue_tasks(classified: pd.DataFrame) -> pd.DataFrame:
    """Overdue tasks, longest overdue first."""
    overdue = classified["task_class"] == TaskClass.overdue
    return _ordered(classified, overdue, ["days_overdue", "plan_id", "position"], [False, True, True])


def due_soon_tasks(classified: pd.DataFrame) -> pd.DataFrame:
    """Tasks due within the due-soon window, nearest deadline first."""
    return _ordered(
        classified, classified["due_soon"], ["days_left", "plan_id", "position"], [True, True, True]
    )
