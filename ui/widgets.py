"""Display pieces several pages share."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

_METRIC_WIDTH = 170


def metric_row(values: Sequence[tuple[str, int | str]]) -> None:
    """Counts side by side that wrap into a grid on a phone, instead of a column of one per line."""
    with st.container(horizontal=True, gap="small"):
        for name, value in values:
            st.metric(name, value, border=True, width=_METRIC_WIDTH)
