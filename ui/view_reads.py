"""Cached reads of the committee's views: overview, units, drill-downs, the plan list.

Same rules as ui.reads: keyed on the database URL, cleared by every write
(ui.writes.save clears all cached data). What is cached is what a page draws
(figures, short tables), so a warm rerun only copies small objects.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from tracker.db import read_session
from tracker.directory.plans import PlanSummary, list_plans
from tracker.i18n import Lang
from tracker.reports.content import Report, build_report
from tracker.views import breakdowns, charts
from tracker.views.filters import filter_tasks
from tracker.views.overview import Overview, OverviewView, overview_view, read_overview
from tracker.views.periods import PeriodKind
from tracker.views.rows import task_rows
from ui.lang import current_lang
from ui.reads import classified_tasks
from ui.session import engine_for, settings

_TTL = 300
Plans = tuple[int, ...] | None


def _plans_key(plan_ids: Sequence[int] | None) -> Plans:
    return None if plan_ids is None else tuple(sorted(plan_ids))


@st.cache_data(ttl=_TTL, show_spinner=False)
def _all_plans(url: str) -> list[PlanSummary]:
    with read_session(engine_for(url)) as session:
        return list_plans(session)


def all_plans() -> list[PlanSummary]:
    """Every plan, in force or replaced, oldest issued first."""
    return _all_plans(settings().database_url)


@st.cache_data(ttl=_TTL, show_spinner=False)
def _overview(url: str, as_of: date, plan_ids: Plans, period: PeriodKind) -> Overview:
    days = settings().due_soon_days
    with read_session(engine_for(url)) as session:
        return read_overview(session, as_of=as_of, due_soon_days=days, plan_ids=plan_ids, period=period)


@st.cache_data(ttl=_TTL, show_spinner=False)
def _overview_view(url: str, as_of: date, plan_ids: Plans, period: PeriodKind, lang: Lang) -> OverviewView:
    return overview_view(_overview(url, as_of, plan_ids, period), lang)


def overview(as_of: date, plan_ids: Sequence[int] | None, period: PeriodKind) -> OverviewView:
    """Tiles, figures and watch lists of the overview at AS_OF; changes since the last PERIOD cut-off."""
    return _overview_view(settings().database_url, as_of, _plans_key(plan_ids), period, current_lang())


@st.cache_data(ttl=_TTL, show_spinner=False)
def _unit_results(url: str, as_of: date, plan_ids: Plans) -> pd.DataFrame:
    return breakdowns.unit_table(classified_tasks(as_of, plan_ids))


def unit_results(as_of: date, plan_ids: Sequence[int] | None) -> pd.DataFrame:
    """breakdowns.unit_table at AS_OF: one ranked row per lead unit."""
    return _unit_results(settings().database_url, as_of, _plans_key(plan_ids))


@st.cache_data(ttl=_TTL, show_spinner=False)
def _unit_heatmap(url: str, as_of: date, plan_ids: Plans, lang: Lang) -> go.Figure:
    return charts.heatmap_chart(breakdowns.unit_month_heatmap(classified_tasks(as_of, plan_ids)), lang)


def unit_heatmap(as_of: date, plan_ids: Sequence[int] | None) -> go.Figure:
    """The unit × month heatmap of deadlines at AS_OF."""
    return _unit_heatmap(settings().database_url, as_of, _plans_key(plan_ids), current_lang())


@st.cache_data(ttl=_TTL, show_spinner=False)
def _unit_tasks(url: str, as_of: date, plan_ids: Plans, unit_id: int, lang: Lang) -> pd.DataFrame:
    led = filter_tasks(classified_tasks(as_of, plan_ids), lead_unit_ids=[unit_id])
    return task_rows(led, lang, class_tags=True)


def unit_tasks(as_of: date, plan_ids: Sequence[int] | None, unit_id: int) -> pd.DataFrame:
    """The readable rows (tracker.views.rows) of the tasks UNIT_ID leads, at AS_OF."""
    return _unit_tasks(settings().database_url, as_of, _plans_key(plan_ids), unit_id, current_lang())


@st.cache_data(ttl=_TTL, show_spinner=False)
def _report(
    url: str,
    as_of: date,
    plan_ids: Plans,
    unit_id: int | None,
    section: str | None,
    period: PeriodKind | None,
    known_on: datetime | None,
) -> Report:
    with read_session(engine_for(url)) as session:
        return build_report(
            session,
            as_of=as_of,
            due_soon_days=settings().due_soon_days,
            known_on=known_on,
            plan_ids=None if plan_ids is None else list(plan_ids),
            unit_id=unit_id,
            section_code=section,
            period_kind=period,
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
    return _report(settings().database_url, as_of, _plans_key(plan_ids), unit_id, section, period, known_on)
