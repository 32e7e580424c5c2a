"""Entry point: `streamlit run dashboard.py`. Sign-in gate, then the pages the user's role may see."""

# ruff: noqa: E402 (the first-load fix runs before the app's slow imports)
import streamlit as st

from ui.first_load import hide_folder_pages

hide_folder_pages()

from tracker.db import read_session
from tracker.directory.auth import needs_setup
from tracker.errors import ConfigError
from ui.cached import read_versions
from ui.chrome import streamlit_texts
from ui.lang import label, language_switch, t
from ui.navigation import gate, navigation
from ui.session import current_user, engine, expire_if_idle, flash, run_cookie_script, settings
from ui.signin import setup_screen, sign_in_form, sign_out_button

st.set_page_config(page_title="Theo dõi nhiệm vụ NQ 57", page_icon=":material/task_alt:", layout="wide")
language_switch()
streamlit_texts()
run_cookie_script()

try:
    database = engine()
except ConfigError as error:
    message = str(error)
    gate(lambda: st.error(message))
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

st.sidebar.caption(t("signed_in_as", name=user.display_name or user.username, role=label(user.role)))
sign_out_button()

navigation(user).run()
