"""Chỉ tiêu: each indicator's target, latest value and status; one indicator's values against its target."""

import streamlit as st

from tracker.indicators.queries import STATUS_ORDER, filter_indicators, status_counts
from ui.filters import filter_key, multi_filter, select_filter, view_filters
from ui.format import day
from ui.indicators import indicator_detail, indicator_table, indicator_tiles, indicators
from ui.lang import label, t
from ui.session import require_user

user = require_user()
st.title(t("page_indicators"))
as_of, plan_ids = view_filters()
found = indicators(as_of, plan_ids)
if not found:
    st.info(t("indicators_empty"))
    st.stop()

st.caption(t("indicators_caption", day=day(as_of)))
units = {indicator.lead_unit_id: indicator.lead_unit for indicator in found if indicator.lead_unit_id}
unit_column, status_column = st.columns(2)
with unit_column:
    unit_ids = multi_filter(
        "lead", t("filter_lead_unit"), dict(sorted(units.items(), key=lambda item: item[1])), parse=int
    )
with status_column:
    statuses = multi_filter(
        "status", t("filter_indicator_status"), {str(s): label(s) for s in STATUS_ORDER}, parse=str
    )
shown = filter_indicators(found, lead_unit_ids=unit_ids, statuses=statuses)
indicator_tiles(status_counts(shown))
if not shown:
    st.info(t("indicators_none_match"))
    st.stop()
picked = indicator_table(shown, key="indicator_table")
by_id = {indicator.id: indicator for indicator in shown}
# A row picked in the table opens it in the drill-down, once: the box may then choose another.
if picked is not None and st.session_state.get("indicator_picked") != picked.id:
    st.session_state[filter_key("indicator")] = picked.id
st.session_state["indicator_picked"] = picked.id if picked is not None else None
chosen = select_filter(
    "indicator",
    t("indicator_pick"),
    {indicator.id: f"{indicator.code} — {indicator.title}" for indicator in shown},
    parse=int,
    placeholder=t("indicator_pick_placeholder"),
)
if chosen is not None:
    indicator_detail(user, by_id[chosen])
