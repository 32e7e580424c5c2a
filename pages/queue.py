"""The secretariat's queue: reported completions to confirm or return, extension requests to decide,
tasks a revision of the annex dropped to cancel or keep, indicator values to confirm.

Oldest first, so nothing waits forever.
"""

import streamlit as st

from tracker.clock import today
from tracker.indicators.queries import awaiting_values
from tracker.tasks.permissions import Action, can
from ui.indicators import awaiting_item, indicators
from ui.lang import t
from ui.queue_items import batch_confirm_form, dropped_item, extension_item, report_item
from ui.reads import awaiting_confirmation, dropped_tasks, pending_extensions
from ui.session import require_user

user = require_user()
st.title(t("page_queue"))
if not can(user, Action.confirm):
    st.info(t("secretariat_only"))
    st.stop()

reports, extensions, dropped = awaiting_confirmation(), pending_extensions(), dropped_tasks()
values = awaiting_values(indicators(today(), None))
reports_tab, extensions_tab, dropped_tab, values_tab = st.tabs(
    [
        t("queue_reports", count=len(reports)),
        t("queue_extensions", count=len(extensions)),
        t("queue_dropped", count=len(dropped)),
        t("queue_indicator_values", count=len(values)),
    ]
)
with reports_tab:
    if not reports:
        st.success(t("queue_reports_empty"))
    batch_confirm_form(user, reports)
    for report in reports:
        report_item(user, report)
with extensions_tab:
    if not extensions:
        st.success(t("queue_extensions_empty"))
    for request in extensions:
        extension_item(user, request)
with dropped_tab:
    if not dropped:
        st.success(t("queue_dropped_empty"))
    for task in dropped:
        dropped_item(user, task)
with values_tab:
    if not values:
        st.success(t("queue_indicator_values_empty"))
    for indicator, value in values:
        awaiting_item(user, indicator, value)
