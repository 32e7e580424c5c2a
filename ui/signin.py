"""The gate before any page: first-run setup, the sign-in form, optional OpenID Connect."""

from __future__ import annotations

import threading

import streamlit as st
from sqlmodel import Session

from models import User
from tracker.clock import today
from tracker.config import SAMPLE_PLAN, MailSettings
from tracker.db import write_session
from tracker.demo import seed_demo_progress
from tracker.directory.auth import authenticate, create_first_secretariat, user_for_email
from tracker.directory.plans import get_plan
from tracker.directory.throttle import client_address
from tracker.directory.unlock_codes import send_unlock_code
from tracker.errors import TrackerError
from tracker.importer.apply import apply_import
from tracker.importer.preview import preview_import
from ui.lang import t
from ui.session import engine, settings, show_flash, sign_in, sign_out
from ui.text import escape


def setup_screen() -> None:
    """Create the first secretariat account on an empty database, then sign it in."""
    st.title(t("setup_title"))
    st.write(t("setup_intro"))
    with st.form("setup", clear_on_submit=False):
        username = st.text_input(t("username"), key="setup_username")
        display_name = st.text_input(t("display_name"), key="setup_display_name")
        password = st.text_input(t("password"), type="password", key="setup_password")
        repeat = st.text_input(t("password_repeat"), type="password", key="setup_repeat")
        sample = st.checkbox(t("setup_sample"), value=SAMPLE_PLAN.exists(), key="setup_sample")
        demo = st.checkbox(t("setup_demo"), value=True, key="setup_demo")
        submitted = st.form_submit_button(t("setup_create"), type="primary")
    if not submitted:
        return
    if password != repeat:
        st.error(t("passwords_differ"))
        return
    try:
        with write_session(engine()) as session:
            user = create_first_secretariat(
                session, username=username, display_name=display_name, password=password
            )
            if sample:
                _load_sample(session, user, demo=demo)
    except TrackerError as error:
        st.error(escape(str(error)))
        return
    sign_in(user)
    st.rerun()


def _load_sample(session: Session, user: User, *, demo: bool) -> None:
    """The sample annex, imported as any annex is, so a newcomer sees a working dashboard at once;
    with DEMO, a made-up history of updates so the charts have something to show."""
    preview = preview_import(session, data=SAMPLE_PLAN.read_bytes(), file_name=SAMPLE_PLAN.name)
    result = apply_import(session, preview=preview, by=user, skip_errors=True)
    if demo:
        plan = get_plan(session, result.plan_number)
        seed_demo_progress(session, plan_id=int(plan.id or 0), today=today())


def sign_in_form() -> None:
    """Local accounts first; the identity provider's button when [auth] is configured."""
    show_flash()
    st.title(t("app_title"))
    mail = settings().mail
    with st.form("sign_in", clear_on_submit=False):
        username = st.text_input(t("username"), key="sign_in_username")
        password = st.text_input(t("password"), type="password", key="sign_in_password")
        code = ""
        if mail.configured:
            with st.expander(t("unlock_have_code")):
                code = st.text_input(t("unlock_code"), key="sign_in_code", help=t("unlock_code_help"))
        submitted = st.form_submit_button(t("sign_in"), type="primary")
    if submitted:
        try:
            user = authenticate(
                engine(), username=username, password=password, address=_client_address(), unlock_code=code
            )
        except TrackerError as error:
            st.error(escape(str(error)))
        else:
            sign_in(user)
            st.rerun()
    if mail.configured:
        _ask_for_unlock_code(mail)
    if _oidc_configured():
        _oidc_sign_in()


def _ask_for_unlock_code(mail: MailSettings) -> None:
    """The way past waits a stranger at the same address keeps up (tracker.directory.unlock_codes).
    The mail leaves in the background and the answer is one for every name, so neither the words
    nor the time taken tell whether the account exists."""
    with st.expander(t("unlock_ask")), st.form("unlock_request"):
        st.caption(t("unlock_ask_help"))
        username = st.text_input(t("username"), key="unlock_username")
        if not st.form_submit_button(t("unlock_send")):
            return
        threading.Thread(target=send_unlock_code, args=(engine(), mail, username), daemon=True).start()
        st.info(t("unlock_sent"))


def _client_address() -> str:
    """Where this attempt comes from, for counting failed sign-ins (tracker.directory.throttle)."""
    peer, headers = st.context.ip_address, st.context.headers.to_dict()
    # Under AppTest st.context is a stand-in answering anything: keep only real values.
    return client_address(
        peer if isinstance(peer, str) else None,
        headers if isinstance(headers, dict) else {},
        settings().client_ip_header,
    )


def _oidc_configured() -> bool:
    return st.secrets.load_if_toml_exists() and "auth" in st.secrets


def _oidc_sign_in() -> None:
    """st.login only proves an e-mail; the account (and its role) is ours."""
    st.divider()
    if not st.user.is_logged_in:
        st.button(t("sign_in_oidc"), on_click=st.login, icon=":material/key:")
        return
    try:
        with write_session(engine()) as session:
            user = user_for_email(session, str(st.user.email))
    except TrackerError as error:
        st.error(escape(str(error)))
        st.button(t("sign_out"), on_click=st.logout)
        return
    sign_in(user)
    st.rerun()


def sign_out_button() -> None:
    """Ends our session, and the identity provider's too, or st.login would sign the user straight back in."""
    if not st.sidebar.button(t("sign_out"), icon=":material/logout:"):
        return
    sign_out()
    if _oidc_configured() and st.user.is_logged_in:
        st.logout()
    st.rerun()
