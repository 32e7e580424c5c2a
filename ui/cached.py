"""The one way pages cache a read: keyed by what the read depends on.

A cached read's key holds the database URL, the stamps of the tables it reads
(tracker.db: every write renews the stamps of the tables it wrote, whichever
process made it), its arguments and, for a read that draws text, the language.
The stamps are read once per run (dashboard.py calls read_versions), so a write
made anywhere (this server, another one, the CLI) shows at the next rerun, and
a write shows only in the reads of the tables it touched: a sign-in, which
writes accounts, leaves the dashboard's figures cached.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, ParamSpec, TypeVar

import streamlit as st
from sqlmodel import Session

from tracker.db import data_versions, read_session
from tracker.views.store import StateStore
from ui.lang import current_lang
from ui.session import engine_for, settings

P = ParamSpec("P")
T = TypeVar("T")

# What a read may depend on. Coarse on purpose: naming a read's tables one by one invites a stale
# read the day a query gains a join. TASKS: the plans, units and tasks and everything written about
# them; PEOPLE adds the accounts, for reads that show who did what.
TASKS = frozenset(
    {"plan", "unit", "unitalias", "task", "taskcoordinator", "statusupdate", "evidence", "extensionrequest"}
    | {"importbatch", "evidencefile"}
    | {"tasklead", "coordinationpart", "coordinationrequest"}
)
PEOPLE = TASKS | {"user"}
# INDICATORS: the plans' indicators and their values too (with who recorded them), for the
# indicator views and the reports that carry them.
INDICATORS = PEOPLE | {"indicator", "indicatorcoordinator", "indicatorvalue", "indicatorconfirmation"}

_VERSIONS = "data_versions"
# Old entries (older stamps) are never asked for again; the time limit and the entry
# limits free them.
_TTL = 3600


def read_versions() -> None:
    """Read the tables' stamps for this run: once per run, before any cached read."""
    url = settings().database_url
    st.session_state[_VERSIONS] = (url, data_versions(engine_for(url)))


def _stamps(url: str, tables: frozenset[str]) -> tuple[str, ...]:
    known = st.session_state.get(_VERSIONS)
    # A page run without dashboard.py (Streamlit's first request on a page's address) reads them now.
    versions = known[1] if known is not None and known[0] == url else data_versions(engine_for(url))
    return tuple(versions.get(name, "") for name in sorted(tables))


def _as_key(value: object) -> object:
    """A collection of ids in one order, so [2, 1] and (1, 2) share an entry."""
    if isinstance(value, list | tuple | set | frozenset) and all(type(item) is int for item in value):
        return tuple(sorted(value))
    return value


@st.cache_resource(show_spinner=False)
def _state_store(url: str) -> StateStore:
    return StateStore()


def state_store() -> StateStore:
    """The tasks and history of the configured database, kept by this process for every session
    (tracker.views.store: it reads only what changed, by the same stamps)."""
    return _state_store(settings().database_url)


@contextmanager
def reading() -> Iterator[Session]:
    """A read session on the configured database, for the body of a cached read."""
    with read_session(engine_for(settings().database_url)) as session:
        yield session


def cached_read(
    depends_on: frozenset[str], *, by_language: bool = False, max_entries: int = 64, shared: bool = False
) -> Callable[[Callable[P, T]], Callable[P, T]]:
    """Cache READ's result by the stamps of DEPENDS_ON, its arguments and, with BY_LANGUAGE, the
    current language. READ opens its own session (`reading`) when it needs one.

    A SHARED result is handed to every caller as it is, not copied (a big report took a second to
    unpickle on each rerun): its callers must not change it.
    """

    def decorate(read: Callable[P, T]) -> Callable[P, T]:
        # URL, STAMPS and LANG only key the entry (no leading "_": Streamlit would not hash them).
        def keyed(url: str, stamps: tuple[str, ...], lang: str | None, /, *args: Any, **kwargs: Any) -> T:
            return read(*args, **kwargs)

        # Streamlit names a cache by the function's module and qualified name: one cache per read.
        # Not functools.wraps: its __wrapped__ would lend READ's signature to Streamlit's key.
        keyed.__module__, keyed.__qualname__ = read.__module__, read.__qualname__
        keyed.__name__ = read.__name__
        cache = st.cache_resource if shared else st.cache_data
        cached = cache(ttl=_TTL, max_entries=max_entries, show_spinner=False)(keyed)

        @functools.wraps(read)
        def call(*args: P.args, **kwargs: P.kwargs) -> T:
            url = settings().database_url
            lang = current_lang() if by_language else None
            keys = [_as_key(value) for value in args]
            named = {name: _as_key(value) for name, value in kwargs.items()}
            return cached(url, _stamps(url, depends_on), lang, *keys, **named)

        return call

    return decorate
