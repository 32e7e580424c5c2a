"""Kết quả theo đơn vị: each lead unit's counts and rates, ranked for emulation, and deadlines by month."""

import streamlit as st

from tracker.tasks.permissions import Action, can
from tracker.views.overview import unit_names
from ui.filters import view_filters
from ui.format import day
from ui.lang import t
from ui.reminders import overdue_letters_button
from ui.session import require_user
from ui.unit_drilldown import table_drilldown
from ui.view_reads import unit_heatmap, unit_results

user = require_user()
st.title(t("page_units"))
as_of, plan_ids = view_filters()
units = unit_results(as_of, plan_ids)
if units.empty:
    st.info(t("overview_empty"))
    st.stop()

st.caption(t("units_caption", day=day(as_of)))
if can(user, Action.manage_units):
    overdue_letters_button(as_of)
table_drilldown(as_of, plan_ids, units, unit_names(units))
st.plotly_chart(unit_heatmap(as_of, plan_ids))
