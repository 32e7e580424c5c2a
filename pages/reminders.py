"""Nhắc việc (secretariat): what the next reminder run would send, "send now", and the log."""

import streamlit as st

from tracker.clock import today
from tracker.tasks.permissions import Action, can
from ui.lang import t
from ui.reads import reminder_log, reminder_preview
from ui.reminders import last_result, log_table, preview_list, send_button
from ui.session import require_user, settings

user = require_user()
st.title(t("page_reminders"))
if not can(user, Action.manage_accounts):
    st.info(t("secretariat_only"))
    st.stop()

configured = settings().mail.configured
if not configured:
    st.warning(t("mail_not_configured"), icon=":material/mail_off:")
last_result()
as_of = today()
preview_tab, log_tab = st.tabs([t("reminders_preview"), t("reminders_log")])
with preview_tab:
    st.caption(t("reminders_rule", days=settings().remind_every_days))
    send_button(as_of, configured=configured)
    preview_list(reminder_preview(as_of), as_of)
with log_tab:
    log_table(reminder_log())
