"""Entry point: `streamlit run dashboard.py`. Sign-in gate, then the pages the user's role may see."""

# ruff: noqa: E402 (the first-load fix runs before the app's slow imports)
import streamlit as st

from ui.first_load import hide_folder_pages

hide_folder_pages()

from tracker.clock import today
from tracker.db import read_session, reporting_outages
from tracker.directory.auth import needs_setup
from tracker.errors import ConfigError, DatabaseUnavailable
from ui.cached import read_versions
from ui.chrome import streamlit_texts
from ui.lang import label, language_switch, t
from ui.navigation import attention_badges, gate, navigation
from ui.outage import outage_screen
from ui.reads import attention
from ui.reminders import weekly_summary_toggle
from ui.session import current_user, engine, expire_if_idle, flash, run_cookie_script, settings
from ui.signin import setup_screen, sign_in_form, sign_out_button
from ui.text import escape

st.set_page_config(page_title="Theo dõi nhiệm vụ NQ 57", page_icon=":material/task_alt:", layout="wide")
language_switch()
streamlit_texts()
run_cookie_script()

try:
    url = settings().database_url
except ConfigError as error:
    message = str(error)
    gate(lambda: st.error(escape(message)))

try:
    # Whatever page runs, a database that is down or read-only shows the outage page.
    with reporting_outages(url):
        database = engine()
        read_versions()
        with read_session(database) as session:
            first_run = needs_setup(session)
        if first_run:
            gate(setup_screen)

        if expire_if_idle():
            flash(t("signed_out_idle", minutes=settings().idle_minutes), "info")
        user = current_user()
        if user is None:
            gate(sign_in_form)

        st.sidebar.caption(
            escape(t("signed_in_as", name=user.display_name or user.username, role=label(user.role)))
        )
        sign_out_button()
        weekly_summary_toggle(user)

        navigation(user, attention_badges(user, len(attention(user, today())))).run()
except DatabaseUnavailable as error:
    detail = str(error)
    gate(lambda: outage_screen(detail))
