"""One entry of the secretariat's queue: what the unit reported or asked, or the task a revision
of the annex dropped, and the decision form."""

from __future__ import annotations

from datetime import date

import streamlit as st

from models import User
from tracker.tasks import workflow
from tracker.views.queues import AwaitingConfirmation, DroppedTask, PendingExtension
from ui import format as fmt
from ui.lang import label, t
from ui.links import task_link
from ui.review_forms import confirm_form, decide_extension_form, dropped_form
from ui.text import escape, plain
from ui.widgets import not_in_plan_mark
from ui.writes import form_keys, save, seen_version


def _heading(code: str, plan_number: str, unit: str, title: str, missing_since: date | None) -> None:
    st.markdown(f"**{escape(code)}** · {escape(plan_number)} — {escape(unit)}")
    not_in_plan_mark(missing_since)
    plain(title)


def report_item(user: User, report: AwaitingConfirmation) -> None:
    with st.container(border=True):
        _heading(report.code, report.plan_number, report.unit, report.title, report.missing_since)
        plain(t("reported") + " " + fmt.by_whom(report.reported_by, report.reported_at), caption=True)
        if report.note:
            plain(t("unit_note_is", note=report.note))
        if report.evidence:
            plain(t("evidence_is", evidence=report.evidence))
        task_link(report.task_id)
        confirm_form(
            user,
            task_id=report.task_id,
            code=report.code,
            completed_on=report.completed_on,
            seen=seen_version(f"task:{report.task_id}", report.version),
        )


def extension_item(user: User, request: PendingExtension) -> None:
    with st.container(border=True):
        _heading(request.code, request.plan_number, request.unit, request.title, request.missing_since)
        old, new = fmt.day(request.current_deadline) or "—", fmt.day(request.requested_deadline)
        plain(t("extension_asked", old=old, new=new))
        plain(t("extension_reason_is", reason=request.reason))
        plain(t("requested") + " " + fmt.by_whom(request.requested_by, request.requested_at), caption=True)
        task_link(request.task_id)
        decide_extension_form(user, request_id=request.request_id, code=request.code)


def dropped_item(user: User, task: DroppedTask) -> None:
    with st.container(border=True):
        _heading(task.code, task.plan_number, task.unit, task.title, task.missing_since)
        plain(t("status_only_is", status=label(task.status)), caption=True)
        plain(t("dropped_explain"))
        task_link(task.task_id)
        dropped_form(
            user,
            task_id=task.task_id,
            code=task.code,
            seen=seen_version(f"task:{task.task_id}", task.version),
        )


def batch_confirm_form(user: User, reports: list[AwaitingConfirmation]) -> None:
    """Confirm several reports at once. Each choice carries the version shown, so a report
    changed meanwhile drops out of the choice or is refused, never confirmed unseen."""
    if len(reports) < 2:
        return
    shown = {f"{report.task_id}:{report.version}": report for report in reports}
    keys = form_keys("batch_confirm", "chosen", "note")
    with st.expander(t("batch_confirm_title"), icon=":material/done_all:"), st.form("batch_confirm"):
        chosen = st.multiselect(
            t("batch_confirm_pick"),
            list(shown),
            format_func=lambda key: f"{shown[key].code} · {shown[key].unit} — {shown[key].title[:80]}",
            key=keys[0],
        )
        note = st.text_area(t("review_note"), key=keys[1])
        submitted = st.form_submit_button(t("batch_confirm"), type="primary")
    if not submitted:
        return
    picked = [(shown[key].task_id, shown[key].version) for key in chosen]
    save(
        lambda session: workflow.confirm_completions(session, by=user, reports=picked, note=note),
        t("saved_batch_confirmed", count=len(picked)),
        reset=["batch_confirm"],
    )
