"""The page shown while the database cannot be reached or written, until it can again.

The detail (which server, what it said) goes to the server's log for the
administrator; the page tells everyone else what is going on in plain words,
without naming hosts or files. The page tries again by itself, so the app
comes back on its own when the database does.
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta

import streamlit as st

from ui.lang import t

RETRY_EVERY = timedelta(seconds=10)
_SHOWN_AT = "outage_shown_at"
_log = logging.getLogger("tracker")


def outage_screen(detail: str) -> None:
    _log.error(detail)
    st.title(t("outage_title"))
    st.error(t("outage_body"))
    st.caption(t("outage_retry", seconds=int(RETRY_EVERY.total_seconds())))
    st.button(t("outage_retry_now"), icon=":material/refresh:")
    st.session_state[_SHOWN_AT] = time.monotonic()
    _retry_later()


@st.fragment(run_every=RETRY_EVERY)
def _retry_later() -> None:
    """Run the whole app again once the page has waited RETRY_EVERY: a fragment runs with the page
    too, and that first run must not retry at once, or the page would never settle."""
    waited = time.monotonic() - st.session_state.get(_SHOWN_AT, time.monotonic())
    if waited >= RETRY_EVERY.total_seconds() * 0.9:
        st.rerun(scope="app")
