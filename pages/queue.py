"""The secretariat's queue: reported completions to confirm or return, extension requests to decide.

Oldest first, so nothing waits forever.
"""

import streamlit as st

from tracker.tasks.permissions import Action, can
from ui.lang import t
from ui.queue_items import batch_confirm_form, extension_item, report_item
from ui.reads import awaiting_confirmation, pending_extensions
from ui.session import require_user

user = require_user()
st.title(t("page_queue"))
if not can(user, Action.confirm):
    st.info(t("secretariat_only"))
    st.stop()

reports, extensions = awaiting_confirmation(), pending_extensions()
reports_tab, extensions_tab = st.tabs(
    [t("queue_reports", count=len(reports)), t("queue_extensions", count=len(extensions))]
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
