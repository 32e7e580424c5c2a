"""Which task the detail page shows: the one in the address, or the one the user picks."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from ui.lang import t
from ui.links import TASK_PARAM
from ui.text import escape

_PICKER = "task_picker"


def pick_task(tasks: Callable[[], pd.DataFrame], asked: str | None) -> int | None:
    """The task id from the address (?task=ID); otherwise a search box over the frame TASKS
    returns, read only then: a link to one task does not classify every task."""
    if asked is not None:
        if asked.strip().isdigit():
            return int(asked)
        st.error(escape(t("bad_task_param", value=asked)))
    if st.session_state.get(_PICKER) is None:
        st.title(t("page_task"))
    names = {
        int(task["id"]): f"{task['code']} — {task['title'][:100]} ({task['plan_number']})"
        for task in tasks().to_dict("records")
    }
    chosen = st.selectbox(
        t("pick_task"),
        list(names),
        index=None,
        format_func=names.__getitem__,
        placeholder=t("pick_task_hint"),
        key=_PICKER,
    )
    if chosen is None:
        if not names:
            st.info(t("no_tasks_yet"))
        return None
    st.query_params[TASK_PARAM] = str(chosen)
    return int(chosen)
