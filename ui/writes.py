"""Every change a page makes goes through `save`: one transaction, errors shown plainly.

No cache is cleared here: the write renews the stamps of the tables it wrote, and the
cached reads (ui.cached) key on them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

import streamlit as st
from sqlmodel import Session

from tracker.db import write_session
from tracker.errors import StaleVersion, TrackerError
from ui.session import engine, flash
from ui.text import escape

T = TypeVar("T")
_RENEWED = "renewed_forms"


def form_keys(form: str, *fields: str) -> list[str]:
    """The widget keys of FORM's FIELDS, renewed by each successful save that resets FORM.

    Streamlit keeps what was typed in a widget in the browser even after its
    key is removed from session_state; only a new key brings it back empty, so
    a saved form cannot be sent twice by accident. Until the first reset the
    keys are plain "FORM:FIELD".
    """
    generation = st.session_state.get(_RENEWED, {}).get(form, 0)
    suffix = f"~{generation}" if generation else ""
    return [f"{form}:{field}{suffix}" for field in fields]


def task_form(form: str, task_id: int) -> str:
    """FORM drawn for one task: each task's form keeps its own widgets and is reset alone."""
    return f"{form}:{task_id}"


def task_form_keys(form: str, task_id: int, *fields: str) -> list[str]:
    """The widget keys of FORM's FIELDS for one task (form_keys)."""
    return form_keys(task_form(form, task_id), *fields)


def save(
    action: Callable[[Session], T],
    done: str,
    *,
    reset: Iterable[str] = (),
    keep: Callable[[T], None] | None = None,
) -> None:
    """Run ACTION in one write transaction.

    On success the forms named in RESET get new, empty widgets (form_keys) and the page reruns with
    DONE as a toast; KEEP, if given, receives what ACTION returned once it is
    committed (to show a summary after the rerun). On a TrackerError its
    message is shown and nothing the user typed is lost. When the error is
    that someone else changed the data first, the page reruns to show their
    change (the typed values stay), so the next save rests on what the user
    has now seen.
    """
    try:
        with write_session(engine()) as session:
            result = action(session)
    except StaleVersion as error:
        flash(str(error), "error")
        st.rerun()
    except TrackerError as error:
        st.error(escape(str(error)))
        return
    if keep is not None:
        keep(result)
    renewed = st.session_state.setdefault(_RENEWED, {})
    for form in reset:
        renewed[form] = renewed.get(form, 0) + 1
    flash(done)
    st.rerun()


def seen_version(key: str, shown: int) -> int:
    """The version the user looked at when acting: the one shown on the previous run.

    A form is submitted on a rerun that already read the task again; passing the
    version read now would hide a change someone made in between.
    """
    state_key = f"seen_version:{key}"
    seen: int = st.session_state.get(state_key, shown)
    st.session_state[state_key] = shown
    return seen
