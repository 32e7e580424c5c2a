"""The import page's second part: a progress sheet brought in as backdated history.

The preview is read again at each rerun (a progress sheet is small), so what
the secretariat sees is exactly what "Ghi lịch sử" will write; a sheet with a
bad row writes nothing until it is corrected.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from models import User
from tracker.clock import today
from tracker.db import read_session
from tracker.directory.plans import plans_in_force
from tracker.errors import TrackerError
from tracker.importer.guards import MAX_FILE_BYTES
from tracker.importer.progress import ProgressPreview, apply_progress, preview_progress
from ui import format as fmt
from ui.lang import label, t
from ui.session import engine
from ui.text import escape
from ui.widgets import data_table, metric_row
from ui.writes import form_keys, save

FORM = "progress_import"


def _rows(preview: ProgressPreview) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("col_row"): [row.row for row in preview.rows],
            t("col_code"): [row.code for row in preview.rows],
            t("col_title"): [row.title for row in preview.rows],
            t("col_status"): [label(row.status) for row in preview.rows],
            t("col_progress"): [row.progress for row in preview.rows],
            t("progress_effective_on"): [fmt.day(row.effective_on) for row in preview.rows],
            t("note"): [row.note for row in preview.rows],
        }
    )


def _errors(preview: ProgressPreview) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("col_row"): [problem.row for problem in preview.errors],
            t("col_column"): [problem.column for problem in preview.errors],
            t("col_message"): [problem.message for problem in preview.errors],
        }
    )


def _preview(file_name: str, data: bytes, on: date, plan_number: str | None) -> ProgressPreview:
    with read_session(engine()) as session:
        return preview_progress(session, data=data, file_name=file_name, on=on, plan_number=plan_number)


def _plan_numbers() -> list[str]:
    with read_session(engine()) as session:
        return [plan.number for plan in plans_in_force(session)]


def progress_import(user: User) -> None:
    """Upload, the date the sheet holds at, the preview, and one button that writes it all."""
    st.caption(t("progress_import_help"))
    file_key, on_key, plan_key = form_keys(FORM, "file", "on", "plan")
    upload = st.file_uploader(
        t("progress_file"),
        type=["xlsx", "xls", "csv"],
        max_upload_size=MAX_FILE_BYTES // 1024 // 1024,
        key=file_key,
    )
    if upload is None:
        return
    numbers = _plan_numbers()
    left, right = st.columns(2)
    on: date = left.date_input(
        t("progress_on"), value=today(), max_value=today(), format="DD/MM/YYYY", key=on_key
    )
    plan_number = right.selectbox(t("progress_plan"), numbers, key=plan_key) if len(numbers) > 1 else None
    try:
        preview = _preview(upload.name, upload.getvalue(), on, plan_number)
    except TrackerError as error:
        st.error(escape(str(error)))
        return
    metric_row([(t("progress_matched"), len(preview.rows)), (t("import_errors"), len(preview.errors))])
    if preview.errors:
        st.error(t("progress_has_errors", count=len(preview.errors)))
        data_table(_errors(preview))
    data_table(_rows(preview))
    if preview.errors or not preview.rows:
        return
    if st.button(t("progress_commit"), type="primary", icon=":material/history:"):
        save(
            lambda session: apply_progress(session, preview=preview, by=user),
            t("progress_done", count=len(preview.rows)),
            reset=[FORM],
        )
