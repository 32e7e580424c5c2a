"""The page shown while the database cannot be reached or written, until it can again.

The detail (which server, what it said) goes to the server's log for the
administrator; the page tells everyone else what is going on in plain words,
without naming hosts or files. The page tries again by itself, so the app
comes back on its own when the database does.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from datetime import timedelta
from typing import ParamSpec

import streamlit as st

from tracker.db import reporting_outages
from tracker.errors import DatabaseUnavailable
from ui.lang import t
from ui.session import settings

P = ParamSpec("P")

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


def outage_inside(fragment: Callable[P, None]) -> Callable[P, None]:
    """FRAGMENT (placed under @st.fragment) showing the outage page in its place when the database
    fails while it runs. Streamlit shows what a fragment raises as an error box of its own, even in
    a run of the whole page, so dashboard.py's guard never sees it."""

    @functools.wraps(fragment)
    def guarded(*args: P.args, **kwargs: P.kwargs) -> None:
        try:
            with reporting_outages(settings().database_url):
                fragment(*args, **kwargs)
        except DatabaseUnavailable as error:
            outage_screen(str(error))

    return guarded
