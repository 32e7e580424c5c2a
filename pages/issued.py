"""Báo cáo đã ban hành: the register; one report's stored figures, files and what has changed since."""

import pandas as pd
import streamlit as st

from tracker.db import read_session
from tracker.errors import TrackerError
from tracker.reports.issued import changes_since, class_label, get_issued, list_issued
from tracker.tasks.permissions import Action, can
from tracker.views.classify import CLASSES
from ui import format as fmt
from ui.lang import label, t
from ui.session import engine, require_user
from ui.text import escape

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

user = require_user()
st.title(t("page_issued"))
if not can(user, Action.export_reports):
    st.info(t("reports_not_allowed"))
    st.stop()

with read_session(engine()) as session:
    register = list_issued(session)
if not register:
    st.info(t("issued_empty"))
    st.stop()

st.dataframe(
    pd.DataFrame(
        {
            t("issued_number"): [entry.number for entry in register],
            t("issued_as_of"): [fmt.day(entry.as_of) for entry in register],
            t("issued_on"): [fmt.day(entry.issued_on) for entry in register],
            t("issued_by"): [entry.by for entry in register],
            t("issued_total"): [entry.total for entry in register],
            **{label(name): [entry.counts.get(name.value, 0) for entry in register] for name in CLASSES},
        }
    ),
    hide_index=True,
    width="stretch",
)
names = {entry.id: f"{entry.number} · {fmt.day(entry.as_of)}" for entry in register}
chosen = st.selectbox(t("issued_open"), list(names), format_func=names.__getitem__)
try:
    with read_session(engine()) as session:
        issued, summary = get_issued(session, chosen)
        changes = changes_since(session, issued)
except TrackerError as error:
    st.error(escape(str(error)))
    st.stop()

st.caption(escape(t("issued_line", number=summary.number, at=fmt.moment(summary.issued_at), by=summary.by)))
left, right = st.columns(2)
safe = summary.number.replace("/", "-")
left.download_button(t("issued_docx"), issued.docx, f"bao-cao-{safe}.docx", DOCX, icon=":material/download:")
right.download_button(t("issued_xlsx"), issued.xlsx, f"bao-cao-{safe}.xlsx", XLSX, icon=":material/download:")
if not changes.tasks:
    st.success(t("issued_unchanged"))
    st.stop()
st.warning(t("issued_changed", count=len(changes.tasks)))
st.dataframe(
    pd.DataFrame(
        {
            t("issued_class"): [label(name) for name in CLASSES if name.value in changes.counts],
            t("issued_delta"): [
                f"{changes.counts[name.value]:+d}" for name in CLASSES if name.value in changes.counts
            ],
        }
    ),
    hide_index=True,
)
st.dataframe(
    pd.DataFrame(
        {
            t("issued_task"): [change["task"] for change in changes.tasks],
            t("issued_then"): [class_label(change["before"]) for change in changes.tasks],
            t("issued_now"): [class_label(change["after"]) for change in changes.tasks],
        }
    ),
    hide_index=True,
    width="stretch",
)
