"""Who is signed in, on which database: the engine, the user, idle timeout and flash messages."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

import streamlit as st
from sqlalchemy import Engine

from models import User
from tracker.auth import is_idle
from tracker.clock import now
from tracker.config import Settings, load_settings
from tracker.db import open_database, read_session

USER_ID = "user_id"
LAST_SEEN = "last_seen"
_FLASH = "flash"

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
    """The signed-in user as stored now, so a deactivation or role change applies at once."""
    user_id = st.session_state.get(USER_ID)
    if user_id is None:
        return None
    with read_session(engine()) as session:
        user = session.get(User, user_id)
    if user is None or not user.active:
        sign_out()
        return None
    return user


def sign_in(user: User) -> None:
    st.session_state[USER_ID] = user.id
    st.session_state[LAST_SEEN] = now()


def sign_out() -> None:
    for key in (USER_ID, LAST_SEEN):
        st.session_state.pop(key, None)


def expire_if_idle() -> bool:
    """Sign out a session idle longer than the setting; True when it did."""
    last_seen: datetime = st.session_state.get(LAST_SEEN, now())
    moment = now()
    if st.session_state.get(USER_ID) is not None and is_idle(last_seen, moment, settings().idle_minutes):
        sign_out()
        return True
    st.session_state[LAST_SEEN] = moment
    return False


def flash(message: str, kind: FlashKind = "success") -> None:
    """Show MESSAGE on the next run (a write is followed by st.rerun, which would drop a toast)."""
    st.session_state.setdefault(_FLASH, []).append((kind, message))


def show_flash() -> None:
    for kind, message in st.session_state.pop(_FLASH, []):
        if kind == "success":
            st.toast(message, icon=":material/check_circle:")
        elif kind == "info":
            st.info(message)
        else:
            st.error(message)


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
