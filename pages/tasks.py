"""Danh sách nhiệm vụ: every task at a date, searched without diacritics, filtered, sorted, downloadable."""

import streamlit as st

from tracker.views.export import tasks_xlsx
from tracker.views.filters import filter_options, filter_tasks
from tracker.views.rows import task_rows
from ui.filters import view_filters
from ui.lang import current_lang, t
from ui.reads import classified_tasks
from ui.session import require_user
from ui.task_filters import task_filters
from ui.task_table import TASK_LIST_LIMIT, task_table

require_user()
st.title(t("page_tasks"))
as_of, plan_ids = view_filters()
tasks = classified_tasks(as_of, plan_ids)
if tasks.empty:
    st.info(t("overview_empty"))
    st.stop()

shown = filter_tasks(tasks, **task_filters(filter_options(tasks)))
count, download = st.columns([3, 1], vertical_alignment="center")
shown_count = t("tasks_shown", shown=len(shown), total=len(tasks))
dropped = int(shown["not_in_plan"].sum())
count.caption(f"{shown_count} · {t('not_in_plan_count', count=dropped)}" if dropped else shown_count)
download.download_button(
    t("download_xlsx"),
    data=lambda: tasks_xlsx(shown, as_of=as_of),
    file_name=f"nhiem-vu-{as_of:%Y-%m-%d}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    icon=":material/download:",
    disabled=shown.empty,
    on_click="ignore",
)
# The first rows only: a grid of 100,000 rows took seconds to send on every rerun, and no one scrolls it.
# The filters and the download cover every task.
listed = shown.head(TASK_LIST_LIMIT)
task_table(
    task_rows(listed, current_lang(), class_tags=True), key="task_list", empty=t("no_match"), tall=True
)
if len(listed) < len(shown):
    st.caption(t("task_list_cut", shown=len(listed), total=len(shown)))
