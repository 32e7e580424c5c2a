"""Tổng quan: where the plans stand at a date, who is behind, what is due, whether it is getting better."""

import streamlit as st

from models import TaskClass
from tracker.indicators.queries import status_counts
from tracker.views.periods import PeriodKind
from ui.filters import choice_filter, view_filters
from ui.format import day
from ui.indicators import indicator_tiles, indicators
from ui.kpi_tiles import kpi_tiles
from ui.lang import t
from ui.session import require_user
from ui.task_table import DUE_SOON_COLUMNS, OVERDUE_COLUMNS, task_table, watch_list_cut
from ui.unit_drilldown import chart_drilldown
from ui.view_reads import overview

require_user()
st.title(t("page_overview"))
as_of, plan_ids = view_filters()
periods = {
    PeriodKind.month: t("period_month"),
    PeriodKind.quarter: t("period_quarter"),
    PeriodKind.half_year: t("period_half_year"),
    PeriodKind.year: t("period_year"),
}
period = PeriodKind(choice_filter("period", t("compare_with"), periods))
view = overview(as_of, plan_ids, period)
if view.tasks == 0:
    st.info(t("overview_empty"))
    st.stop()

st.caption(t("as_of_caption", day=day(view.as_of), previous=day(view.previous_cutoff)))
kpi_tiles(view.kpis)
if view.not_in_plan:
    st.caption(t("not_in_plan_count", count=view.not_in_plan))
plan_indicators = indicators(as_of, plan_ids)
if plan_indicators:
    indicator_tiles(status_counts(plan_indicators))

classes, deadlines = st.columns([2, 3])
classes.plotly_chart(view.classes)
deadlines.plotly_chart(view.deadlines)
chart_drilldown(as_of, plan_ids, view.units, view.unit_names)
st.plotly_chart(view.timeline)
st.caption(t("timeline_note"))
trend, plans = st.columns(2)
trend.plotly_chart(view.trend)
plans.plotly_chart(view.plans)

overdue, due_soon = st.tabs(
    [t("tab_overdue", count=view.overdue_total), t("tab_due_soon", count=view.due_soon_total)]
)
with overdue:
    task_table(view.overdue, key="overdue_tasks", columns=OVERDUE_COLUMNS, empty=t("no_overdue"))
    watch_list_cut(len(view.overdue), view.overdue_total, {"class": TaskClass.overdue.value})
with due_soon:
    task_table(view.due_soon, key="due_soon_tasks", columns=DUE_SOON_COLUMNS, empty=t("no_due_soon"))
    watch_list_cut(len(view.due_soon), view.due_soon_total)
