"""Who is signed in, on which database: the engine, the user, idle timeout and flash messages.

A sign-in outlives a reload or a new tab through a cookie holding a token of
tracker.directory.signins. Streamlit reads cookies but cannot set them, so a
short script does, on the run after the sign-in (or sign-out) that asked for it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

import streamlit as st
from sqlalchemy import Engine

from models import User
from tracker.clock import now
from tracker.config import Settings, load_settings
from tracker.db import open_database, read_session, write_session
from tracker.directory.auth import is_idle
from tracker.directory.signins import end_sign_in, open_sign_in, resume_sign_in, sign_in_open, touch_sign_in
from ui.lang import t
from ui.text import escape

USER_ID = "user_id"
LAST_SEEN = "last_seen"
_FLASH = "flash"
_COOKIE = "tracker_sign_in"
_TOKEN = "sign_in_token"
_TOUCHED = "sign_in_touched"
# The token of the cookie this browser connected with, once it failed: not looked up again.
_REFUSED = "sign_in_refused"
_COOKIE_SCRIPT = "cookie_script"
# How often an active session restarts its token's idle time in the database (or twice per idle
# time, when that is shorter).
_TOUCH_EVERY = timedelta(minutes=5)

FlashKind = Literal["success", "info", "error"]


@st.cache_resource(show_spinner=False)
def engine_for(url: str) -> Engine:
    return open_database(url)


def settings() -> Settings:
    return load_settings()


def engine() -> Engine:
    """The engine of the configured database, shared by every session of the process."""
    return engine_for(settings().database_url)


def current_user() -> User | None:
    """The signed-in user as stored now, so a deactivation or role change applies at once;
    signed in again from the browser's cookie after a reload. A session whose browser token
    was ended elsewhere (sign-out in another tab, password reset) ends too."""
    user_id = st.session_state.get(USER_ID)
    if user_id is None:
        return _resume()
    token = st.session_state.get(_TOKEN)
    with read_session(engine()) as session:
        user = session.get(User, user_id)
        ended = token is not None and not sign_in_open(session, token=token)
    if ended:
        flash(t("signed_out_elsewhere"), "info")
    if user is None or not user.active or ended:
        sign_out()
        return None
    return user


def _resume() -> User | None:
    # to_dict, not get: under AppTest the cookies are a stand-in that answers any key.
    token = st.context.cookies.to_dict().get(_COOKIE)
    if not token or token == st.session_state.get(_REFUSED):
        return None
    with write_session(engine()) as session:
        user = resume_sign_in(session, token=token, idle_minutes=settings().idle_minutes)
    if user is None:
        st.session_state[_REFUSED] = token
        return None
    _remember(user, token)
    return user


def _remember(user: User, token: str) -> None:
    moment = now()
    st.session_state.update({USER_ID: user.id, LAST_SEEN: moment, _TOKEN: token, _TOUCHED: moment})


def sign_in(user: User) -> None:
    """Sign USER in, in this session and, through a cookie, in this browser."""
    assert user.id is not None, "accounts are stored before they sign in"
    with write_session(engine()) as session:
        token = open_sign_in(session, user_id=user.id, idle_minutes=settings().idle_minutes)
    _remember(user, token)
    secure = "(location.protocol === 'https:' ? '; Secure' : '')"
    # token_urlsafe: letters, digits, '-' and '_' only, safe inside the quotes.
    _set_cookie_script(f"document.cookie = '{_COOKIE}={token}; path=/; SameSite=Strict' + {secure};")


def sign_out() -> None:
    """Sign out of this session and of this browser."""
    token = st.session_state.pop(_TOKEN, None)
    for key in (USER_ID, LAST_SEEN, _TOUCHED):
        st.session_state.pop(key, None)
    if token is not None:
        with write_session(engine()) as session:
            end_sign_in(session, token=token)
        _set_cookie_script(f"document.cookie = '{_COOKIE}=; path=/; max-age=0; SameSite=Strict';")


def _set_cookie_script(script: str) -> None:
    st.session_state[_COOKIE_SCRIPT] = script


def run_cookie_script() -> None:
    """Run, once, the script that sets or clears the sign-in cookie."""
    script = st.session_state.pop(_COOKIE_SCRIPT, None)
    if script is not None:
        st.sidebar.html(f"<script>{script}</script>", unsafe_allow_javascript=True)


def expire_if_idle() -> bool:
    """Sign out a session idle longer than the setting; True when it did. An active session
    restarts its browser token's idle time every few minutes."""
    last_seen: datetime = st.session_state.get(LAST_SEEN, now())
    moment = now()
    if st.session_state.get(USER_ID) is not None and is_idle(last_seen, moment, settings().idle_minutes):
        sign_out()
        return True
    st.session_state[LAST_SEEN] = moment
    token = st.session_state.get(_TOKEN)
    every = min(_TOUCH_EVERY, timedelta(minutes=settings().idle_minutes) / 2)
    if token is not None and moment - st.session_state.get(_TOUCHED, moment) >= every:
        with write_session(engine()) as session:
            touch_sign_in(session, token=token)
        st.session_state[_TOUCHED] = moment
    return False


def flash(message: str, kind: FlashKind = "success") -> None:
    """Show MESSAGE on the next run (a write is followed by st.rerun, which would drop a toast),
    as plain text: messages carry names users typed."""
    st.session_state.setdefault(_FLASH, []).append((kind, message))


def show_flash() -> None:
    for kind, message in st.session_state.pop(_FLASH, []):
        if kind == "success":
            st.toast(escape(message), icon=":material/check_circle:")
        elif kind == "info":
            st.info(escape(message))
        else:
            st.error(escape(message))


def require_user() -> User:
    """The signed-in user; a page reached without one shows the sign-in form instead.

    Normally dashboard.py signs the user in before any page runs. But on the
    first request a fresh server process gets, Streamlit still runs a page of
    pages/ directly (its older pages-folder mode) when the address names one.
    """
    show_flash()
    user = current_user()
    if user is None:
        # Imported here: both modules import this one.
        from ui.navigation import gate
        from ui.signin import sign_in_form

        gate(sign_in_form)
    return user
