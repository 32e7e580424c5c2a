"""Links to a task's detail page: /task?task=ID, so a task can be shared by its address."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from ui.lang import t
from ui.text import escape

TASK_PAGE = "pages/task.py"
TASKS_PAGE = "pages/tasks.py"
TASK_PARAM = "task"
_ROOT = Path(__file__).resolve().parent.parent


def task_link(task_id: int, text: str | None = None) -> None:
    """A link that opens the task's detail page in this session (signed in)."""
    st.page_link(
        TASK_PAGE,
        label=escape(text) if text else t("open_task"),
        icon=":material/open_in_new:",
        query_params={TASK_PARAM: str(task_id)},
    )


def open_task(task_id: int) -> None:
    """Go to the task's detail page now (e.g. from a table's selected row)."""
    st.switch_page(TASK_PAGE, query_params={TASK_PARAM: str(task_id)})


def tasks_link() -> None:
    """A link to the list of tasks (the detail page's picker until the list page exists)."""
    page = TASKS_PAGE if (_ROOT / TASKS_PAGE).exists() else TASK_PAGE
    st.page_link(page, label=t("see_tasks"), icon=":material/list_alt:")
