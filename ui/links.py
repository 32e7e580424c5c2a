"""Links to a task's detail page: /task?task=ID, so a task can be shared by its address."""

from __future__ import annotations

import streamlit as st

from ui.lang import t

TASK_PAGE = "pages/task.py"
TASK_PARAM = "task"


def task_link(task_id: int, text: str | None = None) -> None:
    """A link that opens the task's detail page in this session (signed in)."""
    st.page_link(
        TASK_PAGE,
        label=text or t("open_task"),
        icon=":material/open_in_new:",
        query_params={TASK_PARAM: str(task_id)},
    )


def open_task(task_id: int) -> None:
    """Go to the task's detail page now (e.g. from a table's selected row)."""
    st.switch_page(TASK_PAGE, query_params={TASK_PARAM: str(task_id)})
