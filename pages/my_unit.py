"""Đơn vị của tôi: the unit's tasks by urgency, a quick update form on each, a bulk progress table."""

import streamlit as st

from models import TaskClass
from tracker.clock import today
from tracker.views.classify import summarize
from tracker.views.filters import filter_tasks
from tracker.views.urgency import by_urgency
from ui.attention import attention
from ui.bulk_progress import bulk_progress_table
from ui.filters import LEAD_UNITS
from ui.inbox import inbox
from ui.lang import t
from ui.reads import attention as attention_items
from ui.reads import classified_tasks, unit_inbox
from ui.scope import rows_of
from ui.session import require_user
from ui.task_card import CARDS, coordination_card, task_card
from ui.task_table import watch_list_cut
from ui.widgets import metric_row

user = require_user()
st.title(t("page_my_unit"))
if user.unit_id is None:
    st.info(t("no_unit"))
    st.stop()

tasks = classified_tasks(today())
mine = by_urgency(filter_tasks(tasks, lead_unit_ids=[user.unit_id]))
coordinated = filter_tasks(tasks, coordinator_unit_ids=[user.unit_id])
if mine.empty and coordinated.empty:
    st.info(t("my_unit_empty"))
    st.stop()

attention(attention_items(user, today()), today())
inbox(unit_inbox(user.unit_id))
summary = summarize(mine)
metric_row(
    [
        (t("metric_overdue"), summary.counts[TaskClass.overdue]),
        (t("metric_due_soon"), summary.due_soon),
        (t("metric_awaiting"), summary.awaiting_confirmation),
        (t("metric_total"), summary.total),
    ]
)
if summary.not_in_plan:
    st.caption(t("not_in_plan_count", count=summary.not_in_plan))

lead_tab, bulk_tab, coordination_tab = st.tabs(
    [t("tab_my_tasks", count=len(mine)), t("tab_bulk"), t("tab_coordinated", count=len(coordinated))]
)
with lead_tab:
    for task in rows_of(mine.head(CARDS)):
        task_card(user, task)
    watch_list_cut(min(CARDS, len(mine)), len(mine), {LEAD_UNITS: str(user.unit_id)})
with bulk_tab:
    bulk_progress_table(user, mine)
with coordination_tab:
    for task in rows_of(coordinated.head(CARDS)):
        coordination_card(user, task)
    watch_list_cut(min(CARDS, len(coordinated)), len(coordinated))
