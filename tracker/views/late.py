"""Late entries (báo cáo muộn): progress recorded after the report period it belongs to.

An entry belongs to the Decree 09 period of its effective date; it is late when it was
recorded after that period's cut-off day. A unit that reports three months after the
fact is what the committee wants to see, so reports list late entries per lead unit.
"""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd

from tracker.tasks.lifecycle import STATE_KINDS
from tracker.views.classify import known_rows
from tracker.views.periods import PeriodKind, period_for

# The entries a unit or the secretariat makes about progress: the rows that change a task's state.
ENTRY_KINDS = sorted(kind.value for kind in STATE_KINDS)
LATE_COLUMNS = (
    "task_id",
    "plan_id",
    "plan_number",
    "position",
    "code",
    "title",
    "lead_unit_id",
    "lead_unit",
    "status",
    "effective_on",
    "recorded_on",
    "period_end",
    "days_late",
)


# The columns of a late history row, before the task's fields are joined (late_rows).
_ROW_COLUMNS = ["task_id", "status", "effective_on", "recorded_on", "period_end", "days_late"]


def late_entries(
    tasks: pd.DataFrame,
    history: pd.DataFrame,
    *,
    as_of: date,
    kind: PeriodKind = PeriodKind.month,
    known_on: datetime | None = None,
) -> pd.DataFrame:
    """The late entries on TASKS effective by AS_OF and recorded by KNOWN_ON (None: now), one row
    each (LATE_COLUMNS), by lead unit then most days late first. HISTORY is a state history
    (tracker.views.queries.state_history); periods are of KIND."""
    return late_on(tasks, late_rows(history, as_of=as_of, kind=kind, known_on=known_on))


def late_rows(
    history: pd.DataFrame, *, as_of: date, kind: PeriodKind, known_on: datetime | None
) -> pd.DataFrame:
    """The rows of HISTORY that are late entries (as late_entries has them), of any task, without
    the tasks' fields. Whether a row is late is the row's own affair: the late rows of a history
    grown by more rows are those it had and those of the rows added (queries.StateMemo)."""
    rows = known_rows(history, known_on)
    effective = pd.to_datetime(rows["effective_on"]).dt.normalize()
    rows = rows[rows["kind"].isin(ENTRY_KINDS) & (effective <= pd.Timestamp(as_of))]
    effective = pd.to_datetime(rows["effective_on"]).dt.normalize()
    # period_for is per date; a history holds few distinct dates.
    ends = {day: pd.Timestamp(period_for(kind, day.date()).end) for day in effective.unique()}
    period_end = pd.to_datetime(effective.map(ends))
    recorded_on = rows["recorded_at"].dt.normalize()
    late = rows.assign(effective_on=effective, recorded_on=recorded_on, period_end=period_end)
    late = late[late["recorded_on"] > late["period_end"]]
    late = late.assign(days_late=(late["recorded_on"] - late["period_end"]).dt.days.astype(int))
    return late[_ROW_COLUMNS].reset_index(drop=True)


def late_on(tasks: pd.DataFrame, rows: pd.DataFrame) -> pd.DataFrame:
    """The late ROWS (late_rows) on TASKS, with the tasks' fields, as late_entries gives them."""
    rows = rows[rows["task_id"].isin(tasks["id"])]
    fields = tasks.set_index("id")[
        ["plan_id", "plan_number", "position", "code", "title", "lead_unit_id", "lead_unit"]
    ]
    joined = rows.join(fields, on="task_id")
    joined = joined.sort_values(
        ["lead_unit", "days_late", "plan_id", "position"], ascending=[True, False, True, True]
    )
    return joined[list(LATE_COLUMNS)].reset_index(drop=True)
