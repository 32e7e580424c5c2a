"""The forms a lead unit (and the secretariat on its behalf) fills in on a task.

Each form keeps what the user typed across reruns (clear_on_submit=False) so a
refused save loses nothing; a successful one resets its widgets. SEEN is the
version the user looked at (ui.writes.seen_version).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

import streamlit as st

from models import HistoryKind, User
from tracker.clock import today
from tracker.tasks import workflow
from tracker.tasks.edits import COMMENT_ACTIONS, add_comment
from tracker.tasks.evidence import MAX_BYTES, store_evidence
from tracker.tasks.extensions import request_extension
from tracker.tasks.lifecycle import OPEN
from tracker.tasks.permissions import can
from ui import format as fmt
from ui.lang import label, t
from ui.reads import pending_extensions
from ui.scope import scope_of
from ui.text import escape
from ui.writes import save, task_form, task_form_keys

MAX_UPLOAD_MB = MAX_BYTES // 1024 // 1024


def progress_form(user: User, task: Mapping[str, Any], seen: int) -> None:
    """Status (not started, in progress, paused), progress, note and the date it took effect."""
    task_id = int(task["id"])
    keys = task_form_keys("progress", task_id, "status", "progress", "note", "on")
    statuses: list[str] = list(OPEN)
    current = str(task["status"])
    with st.form(f"progress:{task_id}", clear_on_submit=False):
        status = st.selectbox(
            t("status"),
            statuses,
            index=statuses.index(current) if current in statuses else 1,
            format_func=label,
            key=keys[0],
        )
        progress = st.number_input(
            t("progress_pct"), min_value=0, max_value=100, value=int(task["progress"]), step=5, key=keys[1]
        )
        note = st.text_area(t("note"), help=t("note_help"), key=keys[2])
        effective = st.date_input(
            t("effective_on"), value=today(), max_value=today(), format="DD/MM/YYYY", key=keys[3]
        )
        submitted = st.form_submit_button(t("save_progress"), type="primary")
    if submitted:
        save(
            lambda session: workflow.update_progress(
                session,
                by=user,
                task_id=task_id,
                seen_version=seen,
                status=str(status),
                progress=int(progress),
                note=note,
                effective_on=effective,
            ),
            t("saved_progress", code=task["code"]),
            reset=[task_form("progress", task_id)],
        )


def _evidence_fields(reference_key: str, link_key: str, file_key: str) -> tuple[str, str, str, bytes]:
    """The evidence widgets of a form: document reference, link, and the uploaded file's name and bytes."""
    reference = st.text_input(t("evidence_reference"), placeholder=t("evidence_example"), key=reference_key)
    link = st.text_input(t("evidence_link"), placeholder="https://", key=link_key)
    upload = st.file_uploader(t("evidence_file"), max_upload_size=MAX_UPLOAD_MB, key=file_key)
    return reference, link, upload.name if upload else "", upload.getvalue() if upload else b""


def report_done_form(user: User, task: Mapping[str, Any], seen: int) -> None:
    """The unit says the task is done: the day, and the evidence (document, link and/or file)."""
    task_id = int(task["id"])
    keys = task_form_keys("done", task_id, "on", "note", "reference", "link", "file")
    with st.form(f"done:{task_id}", clear_on_submit=False):
        completed_on = st.date_input(
            t("completed_on"), value=today(), max_value=today(), format="DD/MM/YYYY", key=keys[0]
        )
        note = st.text_area(t("note"), key=keys[1])
        reference, link, file_name, data = _evidence_fields(*keys[2:])
        submitted = st.form_submit_button(t("report_done"), type="primary")
    if not submitted:
        return

    save(
        lambda session: workflow.report_done(
            session,
            by=user,
            task_id=task_id,
            seen_version=seen,
            completed_on=completed_on,
            note=note,
            evidence_reference=reference,
            evidence_link=link,
            evidence_file_name=file_name,
            evidence_data=data,
        ),
        t("saved_report_done", code=task["code"]),
        reset=[task_form("done", task_id)],
    )


def evidence_form(user: User, task: Mapping[str, Any]) -> None:
    """More evidence for a task: a document reference, a link and/or a file."""
    task_id = int(task["id"])
    keys = task_form_keys("evidence", task_id, "reference", "link", "file")
    with st.form(f"evidence:{task_id}", clear_on_submit=False):
        reference, link, file_name, data = _evidence_fields(*keys)
        submitted = st.form_submit_button(t("add_evidence"))
    if submitted:
        save(
            lambda session: store_evidence(
                session,
                by=user,
                task_id=task_id,
                reference=reference,
                link=link,
                file_name=file_name,
                data=data,
            ),
            t("saved_evidence", code=task["code"]),
            reset=[task_form("evidence", task_id)],
        )


def extension_form(user: User, task: Mapping[str, Any]) -> None:
    """Ask the secretariat for a later deadline, saying why."""
    task_id = int(task["id"])
    pending = next((request for request in pending_extensions() if request.task_id == task_id), None)
    if pending is not None:
        # One request at a time (tracker.tasks.extensions refuses a second): show the one waiting.
        asked = t(
            "extension_waiting",
            new=fmt.day(pending.requested_deadline),
            when=fmt.by_whom(pending.requested_by, pending.requested_at),
        )
        st.info(escape(asked), icon=":material/hourglass_top:")
        return
    keys = task_form_keys("extension", task_id, "deadline", "reason")
    with st.form(f"extension:{task_id}", clear_on_submit=False):
        requested = st.date_input(
            t("requested_deadline"),
            value=today() + timedelta(days=30),
            min_value=today(),
            format="DD/MM/YYYY",
            key=keys[0],
        )
        reason = st.text_area(t("extension_reason"), key=keys[1])
        submitted = st.form_submit_button(t("request_extension"))
    if submitted:
        save(
            lambda session: request_extension(
                session, by=user, task_id=task_id, requested_deadline=requested, reason=reason
            ),
            t("saved_extension_request", code=task["code"]),
            reset=[task_form("extension", task_id)],
        )


def comment_kinds(user: User, task: Mapping[str, Any]) -> list[HistoryKind]:
    """The kinds of remark USER may leave on TASK (comment, request for explanation, coordination note)."""
    scope = scope_of(task)
    return [kind for kind, action in COMMENT_ACTIONS.items() if can(user, action, scope)]


def comment_form(user: User, task: Mapping[str, Any]) -> None:
    """A remark that changes nothing on the task; the lead unit sees it on its page."""
    kinds = comment_kinds(user, task)
    if not kinds:
        return
    task_id = int(task["id"])
    keys = task_form_keys("comment", task_id, "kind", "text")
    with st.form(f"comment:{task_id}", clear_on_submit=False):
        kind = st.radio(t("comment_kind"), kinds, format_func=label, horizontal=True, key=keys[0])
        text = st.text_area(t("comment_text"), key=keys[1])
        submitted = st.form_submit_button(t("send_comment"))
    if submitted:
        save(
            lambda session: add_comment(session, by=user, task_id=task_id, text=text, kind=kind),
            t("saved_comment", code=task["code"]),
            reset=[task_form("comment", task_id)],
        )
