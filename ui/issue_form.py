"""The reports page's last step for the secretariat: issue the report shown (ban hành).

The narrative sections start from sentences generated from the figures; what
the secretariat types is what the Word file says. Once issued, the files and
figures go into the register (pages/issued.py) and never change.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from models import User
from tracker.clock import today
from tracker.errors import TrackerError
from tracker.reports.content import Report
from tracker.reports.docx import write_docx
from tracker.reports.issued import (
    SECTIONS,
    IssueDetails,
    ReportRequest,
    checked_details,
    draft_sections,
    issue_report,
)
from tracker.reports.xlsx import write_xlsx
from tracker.tasks.permissions import Action, can
from ui.lang import t
from ui.session import settings
from ui.text import escape
from ui.writes import form_keys, save

FORM = "issue_report"


def issue_form(user: User, report: Report, request: ReportRequest) -> None:
    """A folded form under the preview: number, date, place, signer and the five sections."""
    if not can(user, Action.issue_report):
        return
    drafts = draft_sections(report)
    # A new report (another date or scope) gets fresh fields, pre-filled from its own figures.
    form = f"{FORM}:{request.as_of}:{request.plan_ids}:{request.unit_id}:{request.section_code}"
    form += f":{request.period_kind}"
    keys = form_keys(form, "number", "issued_on", "place", "position", "name", *SECTIONS)
    with st.expander(t("issue_title"), icon=":material/approval:"), st.form(form):
        st.caption(t("issue_help"))
        left, middle, right = st.columns(3)
        number = left.text_input(t("issue_number"), placeholder="15/BC-BCĐ", key=keys[0])
        issued_on: date = middle.date_input(
            t("issue_date"),
            value=max(today(), request.as_of),
            min_value=request.as_of,
            format="DD/MM/YYYY",
            key=keys[1],
        )
        place = right.text_input(t("issue_place"), value=settings().province, key=keys[2])
        hint = t("issue_signer_position_hint")
        position = left.text_input(t("issue_signer_position"), placeholder=hint, key=keys[3])
        name = middle.text_input(t("issue_signer_name"), key=keys[4])
        sections = {
            section: st.text_area(t(f"issue_section_{section}"), value=drafts[section], height=120, key=key)
            for section, key in zip(SECTIONS, keys[5:], strict=True)
        }
        if not st.form_submit_button(t("issue_submit"), type="primary", icon=":material/approval:"):
            return
    try:
        details = checked_details(
            IssueDetails(
                number=number,
                issued_on=issued_on,
                place=place,
                signer_position=position,
                signer_name=name,
                sections=sections,
            ),
            as_of=report.as_of,
        )
    except TrackerError as error:
        st.error(escape(str(error)))
        return
    docx, xlsx = write_docx(report, details), write_xlsx(report)
    save(
        lambda session: issue_report(
            session, request=request, report=report, details=details, docx=docx, xlsx=xlsx, by=user
        ),
        t("issue_done", number=details.number),
        reset=[form],
    )
