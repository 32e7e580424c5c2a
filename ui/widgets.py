"""Display pieces several pages share."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from ui.format import day
from ui.lang import t

_METRIC_WIDTH = 170


def metric_row(values: Sequence[tuple[str, int | str]]) -> None:
    """Counts side by side that wrap into a grid on a phone, instead of a column of one per line."""
    with st.container(horizontal=True, gap="small"):
        for name, value in values:
            st.metric(name, value, border=True, width=_METRIC_WIDTH)


def data_table(frame: pd.DataFrame, **options: Any) -> None:
    """FRAME drawn as every plain table is: full width, no index, a dash where a value is missing;
    OPTIONS go to st.dataframe (column_config, column_order …)."""
    st.dataframe(frame, hide_index=True, width="stretch", placeholder="—", **options)


def not_in_plan_mark(missing_since: date | pd.Timestamp | None) -> None:
    """The mark of a task a revision of its annex no longer lists, with the date it left the plan."""
    if missing_since is None or pd.isna(missing_since):
        return
    st.badge(t("not_in_plan_since", day=day(missing_since)), icon=":material/playlist_remove:", color="gray")
