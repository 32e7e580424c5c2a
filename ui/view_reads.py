"""Cached reads of the committee's views (ui.cached): overview, units, drill-downs, the plan list.

What is cached is what a page draws (figures, short tables), so a warm rerun
only copies small objects.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields, replace
from datetime import date, datetime
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from tracker.directory.plans import PlanSummary, list_plans
from tracker.reports.content import Report, build_report
from tracker.reports.tables import Table
from tracker.views import breakdowns, charts
from tracker.views.filters import filter_tasks
from tracker.views.overview import OverviewView, overview_view, read_overview
from tracker.views.periods import PeriodKind
from tracker.views.rows import task_rows
from ui.cached import INDICATORS, TASKS, cached_read, reading, state_store
from ui.lang import current_lang
from ui.reads import classified_tasks
from ui.session import settings


@cached_read(TASKS)
def all_plans() -> list[PlanSummary]:
    """Every plan, in force or replaced, oldest issued first."""
    with reading() as session:
        return list_plans(session)


@cached_read(TASKS, by_language=True)
def overview(as_of: date, plan_ids: Sequence[int] | None, period: PeriodKind) -> OverviewView:
    """Tiles, figures and watch lists of the overview at AS_OF; changes since the last PERIOD cut-off."""
    with reading() as session:
        days = settings().due_soon_days
        found = read_overview(
            session, as_of=as_of, due_soon_days=days, plan_ids=plan_ids, period=period, store=state_store()
        )
    return overview_view(found, current_lang())


@cached_read(TASKS)
def unit_results(as_of: date, plan_ids: Sequence[int] | None) -> pd.DataFrame:
    """breakdowns.unit_table at AS_OF: one ranked row per lead unit."""
    return breakdowns.unit_table(classified_tasks(as_of, plan_ids))


@cached_read(TASKS, by_language=True)
def unit_heatmap(as_of: date, plan_ids: Sequence[int] | None) -> go.Figure:
    """The unit × month heatmap of deadlines at AS_OF."""
    grid = breakdowns.unit_month_heatmap(classified_tasks(as_of, plan_ids))
    return charts.heatmap_chart(grid, current_lang())


@cached_read(TASKS, by_language=True)
def unit_tasks(as_of: date, plan_ids: Sequence[int] | None, unit_id: int) -> pd.DataFrame:
    """The readable rows (tracker.views.rows) of the tasks UNIT_ID leads, at AS_OF."""
    led = filter_tasks(classified_tasks(as_of, plan_ids), lead_unit_ids=[unit_id])
    return task_rows(led, current_lang(), class_tags=True)


@cached_read(INDICATORS, shared=True, max_entries=16)
def _report(
    as_of: date,
    plan_ids: Sequence[int] | None,
    *,
    unit_id: int | None = None,
    section: str | None = None,
    period: PeriodKind | None = None,
    known_on: datetime | None = None,
) -> Report:
    with reading() as session:
        return build_report(
            session,
            as_of=as_of,
            due_soon_days=settings().due_soon_days,
            known_on=known_on,
            plan_ids=None if plan_ids is None else list(plan_ids),
            unit_id=unit_id,
            section_code=section,
            period_kind=period,
            store=state_store(),
        )


def report(
    as_of: date,
    plan_ids: Sequence[int] | None,
    *,
    unit_id: int | None = None,
    section: str | None = None,
    period: PeriodKind | None = None,
    known_on: datetime | None = None,
) -> Report:
    """The secretariat's report at AS_OF (tracker.reports), as known on KNOWN_ON (None: now);
    NotFound for a scope with no task."""
    found = _report(as_of, plan_ids, unit_id=unit_id, section=section, period=period, known_on=known_on)
    # The cached report is every session's: its tables are handed out as shallow copies, which
    # copy-on-write keeps apart from it whatever a writer does to them.
    tables: dict[str, Any] = {
        name.name: replace(value, rows=value.rows.copy(deep=False))
        for name in fields(found)
        if isinstance(value := getattr(found, name.name), Table)
    }
    return replace(found, **tables)
