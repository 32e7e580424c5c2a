"""Báo cáo: the report at a Decree 09 cut-off or any date, for a scope — previewed, then downloaded."""

import streamlit as st

from tracker.errors import TrackerError
from tracker.reports.docx import write_docx
from tracker.reports.xlsx import write_xlsx
from tracker.tasks.permissions import Action, can
from ui.lang import t
from ui.reads import classified_tasks
from ui.report_choice import report_choice
from ui.report_preview import report_preview
from ui.session import require_user
from ui.view_reads import report

WRITERS = {"xlsx": write_xlsx, "docx": write_docx}
MIME = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}

user = require_user()
st.title(t("page_reports"))
if not can(user, Action.export_reports):
    st.info(t("reports_not_allowed"))
    st.stop()

choice = report_choice()
if classified_tasks(choice.as_of, choice.plan_ids).empty:
    st.info(t("overview_empty"))
    st.stop()
try:
    content = report(
        choice.as_of,
        choice.plan_ids,
        unit_id=choice.unit_id,
        section=choice.section,
        period=choice.period,
        known_on=choice.known_on,
    )
except TrackerError as error:
    st.error(str(error))
    st.stop()

write = WRITERS[choice.file_format]
st.download_button(
    t("download_report", extension=choice.file_format),
    data=lambda: write(content),
    file_name=f"bao-cao-{choice.as_of:%Y-%m-%d}.{choice.file_format}",
    mime=MIME[choice.file_format],
    icon=":material/download:",
    type="primary",
    on_click="ignore",
)
report_preview(content)
