"""A table of tasks (tracker.views.rows): sortable, classes as coloured named tags, a row opens its task."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
import streamlit as st

from tracker.views.rows import class_tag_colours
from ui.lang import current_lang, t
from ui.links import open_task

# The class beside the code, so the colours read down the left of the table. Days overdue only
# in the overdue list: elsewhere most rows have none, and st.dataframe writes a missing value "None".
FULL_COLUMNS = (
    "plan",
    "code",
    "task_class",
    "title",
    "lead_unit",
    "deadline",
    "deadline_text",
    "status",
    "progress",
    "coordinating_units",
    "completed_on",
)
OVERDUE_COLUMNS = ("plan", "code", "title", "lead_unit", "deadline", "days_overdue", "status", "progress")
DUE_SOON_COLUMNS = ("plan", "code", "title", "lead_unit", "deadline", "days_left", "status", "progress")
# How many rows the task list draws; the rest are reached by its filters or its download.
TASK_LIST_LIMIT = 1000
UNIT_COLUMNS = ("plan", "code", "task_class", "title", "deadline", "deadline_text", "status", "progress")


def _config() -> dict[str, Any]:
    colours = class_tag_colours(current_lang())
    return {
        "plan": st.column_config.TextColumn(t("col_plan"), width=110),
        "code": st.column_config.TextColumn(t("col_code"), width="small"),
        "section": st.column_config.TextColumn(t("col_section"), width="small"),
        "title": st.column_config.TextColumn(t("col_title"), width="large"),
        "lead_unit": st.column_config.TextColumn(t("col_lead_unit"), width="medium"),
        "coordinating_units": st.column_config.TextColumn(t("col_coordinating"), width="medium"),
        "deadline": st.column_config.DateColumn(t("col_deadline"), format="DD/MM/YYYY", width="small"),
        "deadline_text": st.column_config.TextColumn(t("col_deadline_text"), width="small"),
        "task_class": st.column_config.MultiselectColumn(
            t("col_class"), options=list(colours), color=list(colours.values()), width="medium"
        ),
        "status": st.column_config.TextColumn(t("col_status"), width="medium"),
        "progress": st.column_config.ProgressColumn(
            t("col_progress"), min_value=0, max_value=100, format="%d%%", width="small"
        ),
        "days_overdue": st.column_config.NumberColumn(t("col_days_overdue"), format="%d", width="small"),
        "days_left": st.column_config.NumberColumn(t("col_days_left"), format="%d", width="small"),
        "completed_on": st.column_config.DateColumn(
            t("col_completed_on"), format="DD/MM/YYYY", width="small"
        ),
    }


def task_table(
    rows: pd.DataFrame, *, key: str, columns: Sequence[str] = FULL_COLUMNS, empty: str, tall: bool = False
) -> None:
    """ROWS as a table; selecting a row opens that task's detail page. EMPTY says why there is none.

    A TALL table (the full list) shows about twenty rows at once, the others ten.
    """
    if rows.empty:
        st.info(empty)
        return
    event = st.dataframe(
        rows,
        key=key,
        column_order=list(columns),
        column_config=_config(),
        hide_index=True,
        placeholder="—",
        on_select="rerun",
        selection_mode="single-row",
        height=min(38 + 35 * len(rows), 740 if tall else 420),
    )
    st.caption(t("pick_row_hint"))
    picked = event.selection.rows
    if picked:
        open_task(int(rows.iloc[picked[0]]["id"]))


def watch_list_cut(shown: int, total: int, query: Mapping[str, str] | None = None) -> None:
    """Say when a watch list shows only its first SHOWN of TOTAL tasks; QUERY opens all in the task list."""
    if shown >= total:
        return
    st.caption(t("watch_list_cut", shown=shown, total=total))
    if query is not None:
        st.page_link(
            "pages/tasks.py", label=t("open_in_task_list"), icon=":material/list_alt:", query_params=query
        )
