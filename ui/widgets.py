"""Inputs several pages share: the "tính đến ngày" date."""

from __future__ import annotations

from datetime import date

import streamlit as st

from tracker.clock import today
from ui.lang import t

_AS_OF = "as_of"


def as_of_picker() -> date:
    """The cut-off date of every view ("tính đến ngày"), today unless the user picks another.

    Kept outside the widget's own state so it survives moving between pages,
    where a widget not drawn on a run loses its value.
    """

    def remember() -> None:
        st.session_state[_AS_OF] = st.session_state["as_of_input"]

    chosen: date = st.date_input(
        t("as_of"),
        value=st.session_state.get(_AS_OF, today()),
        format="DD/MM/YYYY",
        key="as_of_input",
        on_change=remember,
    )
    return chosen
