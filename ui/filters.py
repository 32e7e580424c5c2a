"""Filters kept in the address (st.query_params), so that a view can be shared as a link.

A filter's widget starts from the address; failing that, the filters every
view shares (the as-of date, the plans) start from what the user last chose on
another page, since moving between pages clears the address; then from the
default. Every run writes the values shown back to the address, defaults left
out, so the address always reproduces the view.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any, TypeVar

import streamlit as st

from models import PlanStatus
from tracker.clock import today
from ui.lang import current_lang, t
from ui.view_reads import all_plans

T = TypeVar("T")
AS_OF = "as_of"
PLANS = "plan"
LEAD_UNITS = "lead"


def filter_key(param: str) -> str:
    """The session-state key of PARAM's widget, for a callback that sets the filter.

    One key per language: switching language relabels every widget, and a
    relabelled widget kept under its old key showed no choice in the browser.
    A new widget starts from the address, which holds the value shown.
    """
    return f"filter:{current_lang()}:{param}"


def _memory(param: str) -> str:
    return f"filter_memory:{param}"


def _parsed(raw: str, parse: Callable[[str], T]) -> T | None:
    try:
        return parse(raw)
    except ValueError:
        return None


def _start(param: str, from_address: object, default: object, *, shared: bool) -> str:
    """The widget key of PARAM, its state set before the widget is drawn when it has none yet."""
    key = filter_key(param)
    if key not in st.session_state:
        value = from_address
        if value is None and shared:
            value = st.session_state.get(_memory(param))
        st.session_state[key] = default if value is None else value
    return key


def _publish(param: str, encoded: list[str], *, shared: bool, value: object) -> None:
    if shared:
        st.session_state[_memory(param)] = value
    if encoded:
        st.query_params[param] = encoded
    else:
        st.query_params.pop(param, None)


def text_filter(param: str, label: str, *, placeholder: str = "") -> str:
    raw = st.query_params.get(param)
    key = _start(param, raw, "", shared=False)
    value: str = st.text_input(label, key=key, placeholder=placeholder)
    _publish(param, [value] if value.strip() else [], shared=False, value=value)
    return value


def date_filter(param: str, label: str, default: date | None = None, *, shared: bool = False) -> date | None:
    raw = st.query_params.get(param)
    key = _start(param, _parsed(raw, date.fromisoformat) if raw else None, default, shared=shared)
    value: date | None = st.date_input(label, key=key, format="DD/MM/YYYY")
    encoded = [value.isoformat()] if value is not None and value != default else []
    _publish(param, encoded, shared=shared, value=value)
    return value


def multi_filter(
    param: str,
    label: str,
    options: Mapping[T, str],
    *,
    parse: Callable[[str], T],
    shared: bool = False,
    placeholder: str | None = None,
) -> list[T]:
    """A multiselect over OPTIONS (value → label); values the address names but OPTIONS lacks are dropped.
    Nothing chosen filters nothing: the box says so unless PLACEHOLDER says otherwise."""
    raw = st.query_params.get_all(param)
    asked = [value for value in (_parsed(item, parse) for item in raw) if value in options]
    key = _start(param, asked or None, [], shared=shared)
    st.session_state[key] = [value for value in st.session_state[key] if value in options]
    chosen: list[T] = st.multiselect(
        label,
        list(options),
        key=key,
        format_func=options.__getitem__,
        placeholder=placeholder or t("filter_any"),
    )
    _publish(param, [str(value) for value in chosen], shared=shared, value=chosen)
    return chosen


def select_filter(
    param: str, label: str, options: Mapping[T, str], *, parse: Callable[[str], T], placeholder: str
) -> T | None:
    """One of OPTIONS (value → label), or None; typing filters the list."""
    raw = st.query_params.get(param)
    asked = _parsed(raw, parse) if raw else None
    key = _start(param, asked if asked in options else None, None, shared=False)
    if st.session_state[key] not in options:
        st.session_state[key] = None
    chosen: T | None = st.selectbox(
        label, list(options), key=key, format_func=options.__getitem__, placeholder=placeholder
    )
    _publish(param, [] if chosen is None else [str(chosen)], shared=False, value=chosen)
    return chosen


def choice_filter(
    param: str, label: str, options: Mapping[Any, str], *, horizontal: bool = True, radio: bool = True
) -> str:
    """One of OPTIONS (value → label), as radio buttons or a select box; the first option is the default."""
    default = next(iter(options))
    raw = st.query_params.get(param)
    key = _start(param, raw if raw in options else None, default, shared=False)
    if st.session_state[key] not in options:
        st.session_state[key] = default
    if radio:
        value: str = st.radio(
            label, list(options), key=key, format_func=options.__getitem__, horizontal=horizontal
        )
    else:
        value = st.selectbox(label, list(options), key=key, format_func=options.__getitem__)
    _publish(param, [value] if value != default else [], shared=False, value=value)
    return value


def as_of_filter() -> date:
    """The "tính đến ngày" date of the view; today unless the address or the user says otherwise."""
    return date_filter(AS_OF, t("as_of"), today(), shared=True) or today()


def plan_filter() -> list[int] | None:
    """The plans the view covers: those chosen, or None for every plan in force."""
    plans = {
        plan.id: plan.number if plan.status == PlanStatus.in_force else t("plan_replaced", number=plan.number)
        for plan in all_plans()
    }
    chosen = multi_filter(
        PLANS, t("plans"), plans, parse=int, shared=True, placeholder=t("all_plans_in_force")
    )
    return chosen or None


def view_filters() -> tuple[date, list[int] | None]:
    """The two filters of every view, side by side: the as-of date and the plans."""
    as_of_column, plans_column = st.columns([1, 3])
    with as_of_column:
        as_of = as_of_filter()
    with plans_column:
        plan_ids = plan_filter()
    return as_of, plan_ids
