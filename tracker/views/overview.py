"""What the committee's overview shows: tasks at a date, their trend over report cut-offs, KPI tiles.

Tasks and history are read once. The classes at AS_OF and at each earlier
Decree 09 cut-off come from tracker.views.classify, so a tile's change since the
previous report is the difference between the counts the two reports give.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import pandas as pd
import plotly.graph_objects as go
from sqlmodel import Session

from models import TaskClass
from tracker.i18n import Lang
from tracker.textfold import collation_key
from tracker.views import breakdowns, charts, queries
from tracker.views.classify import CLASSES
from tracker.views.periods import PeriodKind, cutoffs
from tracker.views.rows import task_rows

if TYPE_CHECKING:
    from tracker.views.store import StateStore

# How many earlier cut-offs the trend goes back: about two years of reports, fewer points for long periods.
TREND_PERIODS = {PeriodKind.month: 12, PeriodKind.quarter: 8, PeriodKind.half_year: 4, PeriodKind.year: 3}
RATES = ("completion_rate", "on_time_rate")
# An overview names the worst cases; the task list holds them all (thousands in a big plan).
WATCH_LIMIT = 200
KPI_KEYS = ("total", *(name.value for name in CLASSES), "due_soon", "awaiting_confirmation", *RATES)
# Whether a rise is good news (True), bad news (False) or neither (None), for the colour of a change.
_RISE_IS_GOOD: dict[str, bool | None] = {
    TaskClass.completed_on_time: True,
    TaskClass.overdue: False,
    TaskClass.undated: False,
    "due_soon": False,
    "completion_rate": True,
    "on_time_rate": True,
}


@dataclass(frozen=True)
class Overview:
    """The tasks classified at AS_OF and the trend, one row per cut-off, oldest first, AS_OF last."""

    as_of: date
    previous_cutoff: date
    classified: pd.DataFrame
    trend: pd.DataFrame


def read_overview(
    session: Session,
    *,
    as_of: date,
    due_soon_days: int,
    plan_ids: Sequence[int] | None = None,
    period: PeriodKind = PeriodKind.month,
    known_on: datetime | None = None,
    store: StateStore | None = None,
) -> Overview:
    """The plans' tasks (default: in force) at AS_OF, and the trend back over earlier PERIOD cut-offs;
    from STORE when given (queries.read_state)."""
    state = queries.read_state(session, plan_ids, due_soon_days=due_soon_days, known_on=known_on, store=store)
    dates = cutoffs(period, as_of, TREND_PERIODS[period])
    return Overview(
        as_of=as_of,
        previous_cutoff=dates[-2],
        classified=state.at(as_of),
        trend=state.trend(dates),
    )


@dataclass(frozen=True)
class Kpi:
    """One tile: KEY (one of KPI_KEYS), its value at the as-of date and at the previous cut-off."""

    key: str
    value: float | None
    previous: float | None
    # The value at each cut-off of the trend, oldest first, for a sparkline.
    history: tuple[float | None, ...] = ()

    @property
    def change(self) -> float | None:
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous

    @property
    def rise_is_good(self) -> bool | None:
        return _RISE_IS_GOOD.get(self.key)

    @property
    def is_rate(self) -> bool:
        return self.key in RATES


def _number(value: Any) -> float | None:
    return None if pd.isna(value) else float(value)


def kpis(trend: pd.DataFrame) -> list[Kpi]:
    """The tiles from the last two rows of a trend table (TaskState.trend): now, previous cut-off."""
    now = trend.iloc[-1]
    before = trend.iloc[-2] if len(trend) > 1 else None
    return [
        Kpi(
            key,
            _number(now[key]),
            None if before is None else _number(before[key]),
            tuple(_number(value) for value in trend[key]),
        )
        for key in KPI_KEYS
    ]


@dataclass(frozen=True)
class OverviewView:
    """Everything the overview draws, in one language: figures and short tables, quick to cache and copy."""

    tasks: int
    as_of: date
    previous_cutoff: date
    kpis: list[Kpi]
    classes: go.Figure
    units: go.Figure
    deadlines: go.Figure
    timeline: go.Figure
    trend: go.Figure
    plans: go.Figure
    unit_names: dict[int, str]
    # The watch lists, cut at WATCH_LIMIT rows (most overdue, nearest due first), and their lengths.
    overdue: pd.DataFrame
    due_soon: pd.DataFrame
    overdue_total: int
    due_soon_total: int
    # Tasks out of their plan at AS_OF, counted apart from the total (tracker.views.classify).
    not_in_plan: int = 0


def unit_names(units: pd.DataFrame) -> dict[int, str]:
    """Id → name of the lead units of a breakdowns.unit_table, by name (the no-lead-unit row left out)."""
    named = units.dropna(subset=["lead_unit_id"])
    pairs = zip(named["lead_unit_id"].astype(int).tolist(), named["lead_unit"].tolist(), strict=True)
    return dict(sorted(pairs, key=lambda pair: collation_key(pair[1])))


def overview_view(overview: Overview, lang: Lang = "vi") -> OverviewView:
    """The figures, tiles and watch lists of OVERVIEW, labelled in LANG."""
    classified = overview.classified
    units = breakdowns.unit_table(classified)
    overdue, due_soon = breakdowns.overdue_tasks(classified), breakdowns.due_soon_tasks(classified)
    return OverviewView(
        tasks=len(classified),
        as_of=overview.as_of,
        previous_cutoff=overview.previous_cutoff,
        kpis=kpis(overview.trend),
        classes=charts.class_chart(classified, lang),
        units=charts.units_chart(units, lang),
        deadlines=charts.deadlines_chart(breakdowns.deadlines_by_month(classified), overview.as_of, lang),
        timeline=charts.timeline_chart(classified, overview.as_of, lang),
        trend=charts.trend_chart(overview.trend, lang),
        plans=charts.plans_chart(breakdowns.plan_table(classified), lang),
        unit_names=unit_names(units),
        overdue=task_rows(overdue.head(WATCH_LIMIT), lang, class_tags=True),
        due_soon=task_rows(due_soon.head(WATCH_LIMIT), lang, class_tags=True),
        overdue_total=len(overdue),
        due_soon_total=len(due_soon),
        not_in_plan=int(classified["not_in_plan"].sum()),
    )
