"""From per-unit results to one unit's tasks: click a bar or a table row, or pick the unit by name.

Fragments, so choosing a unit reruns only this part of the page; an outage while one runs shows
the outage page in its place (ui.outage.outage_inside). The unit is kept in the address (?unit=ID)
like every filter.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from models import TaskClass
from tracker.tasks.permissions import Action, can
from tracker.views.breakdowns import CLASS_COLUMNS
from ui.filters import LEAD_UNITS, filter_key, select_filter
from ui.lang import label, t
from ui.outage import outage_inside
from ui.reminders import letter_button
from ui.session import current_user
from ui.task_table import UNIT_COLUMNS, task_table
from ui.text import escape
from ui.view_reads import unit_tasks

UNIT = "unit"
_CHART = "units_chart"
_TABLE = "units_table"


def _pick(unit_id: object, names: Mapping[int, str]) -> None:
    if isinstance(unit_id, list):
        unit_id = unit_id[0] if unit_id else None
    if unit_id in names:
        st.session_state[filter_key(UNIT)] = unit_id


def _unit_tasks(
    as_of: date, plan_ids: Sequence[int] | None, names: Mapping[int, str], placeholder: str
) -> None:
    unit_id = select_filter(UNIT, t("drilldown_unit"), names, parse=int, placeholder=placeholder)
    if unit_id is None:
        return
    st.subheader(t("unit_tasks_heading", unit=escape(names[unit_id])))
    task_table(
        unit_tasks(as_of, plan_ids, unit_id), key="unit_tasks", columns=UNIT_COLUMNS, empty=t("no_tasks")
    )
    st.page_link(
        "pages/tasks.py",
        label=t("open_in_task_list"),
        icon=":material/list_alt:",
        query_params={LEAD_UNITS: str(unit_id)},
    )
    user = current_user()
    if user is not None and can(user, Action.manage_units):
        letter_button(unit_id, names[unit_id], as_of)


@st.fragment
@outage_inside
def chart_drilldown(
    as_of: date, plan_ids: Sequence[int] | None, figure: go.Figure, names: Mapping[int, str]
) -> None:
    """Stacked bars per unit (each carries its unit id, charts.units_chart); a click opens the unit."""

    def clicked() -> None:
        points = st.session_state[_CHART]["selection"]["points"]
        if points:
            _pick(points[0].get("customdata"), names)

    st.plotly_chart(figure, key=_CHART, on_select=clicked, selection_mode="points")
    _unit_tasks(as_of, plan_ids, names, t("drilldown_hint"))


def _unit_columns() -> tuple[list[str], dict[str, Any]]:
    """The columns of the ranked table: short headings (the full name on hover), rates as bars."""
    # Whole per cents: Streamlit's formats write a decimal point, where Vietnamese writes a comma.
    rate: dict[str, Any] = {"min_value": 0.0, "max_value": 100.0, "format": "%.0f%%"}
    short = {
        TaskClass.completed_on_time: t("short_completed_on_time"),
        TaskClass.completed_late: t("short_completed_late"),
        TaskClass.in_progress_on_time: t("short_in_progress_on_time"),
        TaskClass.overdue: t("short_overdue"),
        TaskClass.recurring: t("short_recurring"),
        TaskClass.undated: t("short_undated"),
    }
    config: dict[str, Any] = {
        "rank": st.column_config.NumberColumn(t("col_rank"), pinned=True),
        "lead_unit": st.column_config.TextColumn(t("col_lead_unit"), width="large", pinned=True),
        "total": st.column_config.NumberColumn(t("short_total"), help=t("kpi_total")),
        "not_in_plan": st.column_config.NumberColumn(t("short_not_in_plan"), help=t("help_not_in_plan")),
        "due_soon": st.column_config.NumberColumn(t("kpi_due_soon")),
        "awaiting_confirmation": st.column_config.NumberColumn(t("kpi_awaiting")),
        "completion_rate": st.column_config.ProgressColumn(t("kpi_completion_rate"), **rate),
        "on_time_rate": st.column_config.ProgressColumn(t("kpi_on_time_rate"), **rate),
    } | {name.value: st.column_config.NumberColumn(text, help=label(name)) for name, text in short.items()}
    order = ["rank", "lead_unit", "total", "on_time_rate", "completion_rate", *CLASS_COLUMNS]
    return [*order, "due_soon", "awaiting_confirmation", "not_in_plan"], config


@st.fragment
@outage_inside
def table_drilldown(
    as_of: date, plan_ids: Sequence[int] | None, units: pd.DataFrame, names: Mapping[int, str]
) -> None:
    """The ranked table of units (breakdowns.unit_table); selecting a row opens the unit."""

    def selected() -> None:
        rows = st.session_state[_TABLE]["selection"]["rows"]
        if rows:
            _pick(units.iloc[rows[0]]["lead_unit_id"], names)

    order, config = _unit_columns()
    st.dataframe(
        units.assign(**{name: units[name] * 100 for name in ("completion_rate", "on_time_rate")}),
        key=_TABLE,
        column_order=order,
        column_config=config,
        hide_index=True,
        placeholder="—",
        on_select=selected,
        selection_mode="single-row",
    )
    if units["rank"].isna().any():
        st.caption(t("units_unranked"))
    _unit_tasks(as_of, plan_ids, names, t("drilldown_table_hint"))
