"""The secretariat's forms on a task: confirm or return a report, complete, cancel, edit, extensions."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st
from sqlmodel import Session

from models import User
from tracker.clock import today
from tracker.tasks import workflow
from tracker.tasks.edits import edit_task
from tracker.tasks.extensions import decide_extension
from ui import format as fmt
from ui.lang import t
from ui.writes import save, task_form, task_form_keys

# One of a form's two buttons: its label, the workflow step it sends (with the note typed) and
# the toast once saved.
Choice = tuple[str, Callable[[Session, str], object], str]


def _two_way_form(form: str, task_id: int, note_label: str, first: Choice, second: Choice) -> None:
    """A note and two buttons, the first the primary one; the note goes with the step chosen."""
    keys = task_form_keys(form, task_id, "note")
    with st.form(task_form(form, task_id), clear_on_submit=False):
        note = st.text_area(note_label, key=keys[0])
        left, right = st.columns(2)
        pressed = [
            left.form_submit_button(first[0], type="primary"),
            right.form_submit_button(second[0]),
        ]
    for (_, step, done), chosen in zip((first, second), pressed, strict=True):
        if chosen:
            _save_step(task_form(form, task_id), step, note, done)


def _save_step(form: str, step: Callable[[Session, str], object], note: str, done: str) -> None:
    save(lambda session: step(session, note), done, reset=[form])


def confirm_form(user: User, *, task_id: int, code: str, completed_on: date | None, seen: int) -> None:
    """Confirm the completion the unit reported (its date stays), or return it with a reason."""
    st.caption(t("review_reported", day=fmt.day(completed_on)))
    _two_way_form(
        "review",
        task_id,
        t("review_note"),
        (
            t("confirm_done"),
            lambda session, note: workflow.confirm_completion(
                session, by=user, task_id=task_id, seen_version=seen, note=note
            ),
            t("saved_confirmed", code=code),
        ),
        (
            t("return_report"),
            lambda session, note: workflow.return_report(
                session, by=user, task_id=task_id, seen_version=seen, reason=note
            ),
            t("saved_returned", code=code),
        ),
    )


def dropped_form(user: User, *, task_id: int, code: str, seen: int) -> None:
    """Keep in the plan a task a revision dropped, or cancel it with the reason written."""
    _two_way_form(
        "dropped",
        task_id,
        t("dropped_note"),
        (
            t("keep_in_plan"),
            lambda session, note: workflow.keep_in_plan(
                session, by=user, task_id=task_id, seen_version=seen, note=note
            ),
            t("saved_kept", code=code),
        ),
        (
            t("cancel_task"),
            lambda session, note: workflow.cancel_task(
                session, by=user, task_id=task_id, seen_version=seen, reason=note
            ),
            t("saved_cancelled", code=code),
        ),
    )


def set_completed_form(user: User, task: Mapping[str, Any], seen: int) -> None:
    """Record a completion directly, without waiting for the unit's report."""
    task_id = int(task["id"])
    keys = task_form_keys("complete", task_id, "on", "note")
    with st.form(f"complete:{task_id}", clear_on_submit=False):
        completed_on = st.date_input(
            t("completed_on"), value=today(), max_value=today(), format="DD/MM/YYYY", key=keys[0]
        )
        note = st.text_area(t("note"), key=keys[1])
        submitted = st.form_submit_button(t("set_completed"))
    if submitted:
        save(
            lambda session: workflow.set_completed(
                session, by=user, task_id=task_id, seen_version=seen, completed_on=completed_on, note=note
            ),
            t("saved_completed", code=task["code"]),
            reset=[task_form("complete", task_id)],
        )


def cancel_form(user: User, task: Mapping[str, Any], seen: int) -> None:
    """Take the task out of the counts, saying why."""
    task_id = int(task["id"])
    keys = task_form_keys("cancel", task_id, "reason")
    with st.form(f"cancel:{task_id}", clear_on_submit=False):
        reason = st.text_area(t("cancel_reason"), key=keys[0])
        submitted = st.form_submit_button(t("cancel_task"))
    if submitted:
        save(
            lambda session: workflow.cancel_task(
                session, by=user, task_id=task_id, seen_version=seen, reason=reason
            ),
            t("saved_cancelled", code=task["code"]),
            reset=[task_form("cancel", task_id)],
        )


def edit_form(user: User, task: Mapping[str, Any], seen: int, units: Mapping[int, str]) -> None:
    """Correct the task's fields; each change is kept in the history, old → new."""
    task_id = int(task["id"])
    keys = task_form_keys(
        "edit", task_id, "title", "output", "text", "deadline", "recurring", "lead", "coordinators"
    )
    with st.form(f"edit:{task_id}", clear_on_submit=False):
        title = st.text_area(t("col_title"), value=str(task["title"]), key=keys[0])
        output = st.text_area(t("field_output"), value=str(task["output"]), key=keys[1])
        deadline_text = st.text_input(t("field_deadline_text"), value=str(task["deadline_text"]), key=keys[2])
        deadline = st.date_input(
            t("field_deadline"),
            value=None if pd.isna(task["deadline"]) else task["deadline"],
            format="DD/MM/YYYY",
            key=keys[3],
        )
        recurring = st.checkbox(t("field_recurring"), value=bool(task["recurring"]), key=keys[4])
        leads = st.multiselect(
            t("field_lead_unit"),
            list(units),
            default=[int(unit) for unit in task["lead_unit_ids"]],
            format_func=units.__getitem__,
            key=keys[5],
        )
        coordinators = st.multiselect(
            t("field_coordinators"),
            list(units),
            default=[int(unit) for unit in task["coordinating_unit_ids"]],
            format_func=units.__getitem__,
            key=keys[6],
        )
        submitted = st.form_submit_button(t("save_edit"))
    if submitted:
        changes: dict[str, object] = {
            "title": title,
            "output": output,
            "deadline_text": deadline_text,
            "deadline": deadline,
            "recurring": recurring,
            "lead_unit_ids": leads,
            "coordinator_unit_ids": coordinators,
        }
        save(
            lambda session: edit_task(session, by=user, task_id=task_id, seen_version=seen, changes=changes),
            t("saved_edit", code=task["code"]),
            reset=[task_form("edit", task_id)],
        )


def decide_extension_form(user: User, *, request_id: int, code: str) -> None:
    """Approve (the deadline moves, the original stays on record) or refuse with a reason."""
    keys = task_form_keys("decide", request_id, "note")
    with st.form(f"decide:{request_id}", clear_on_submit=False):
        note = st.text_input(t("decision_note"), key=keys[0])
        approve, refuse = st.columns(2)
        approved = approve.form_submit_button(t("approve_extension"), type="primary")
        refused = refuse.form_submit_button(t("refuse_extension"))
    if approved or refused:
        save(
            lambda session: decide_extension(
                session, by=user, request_id=request_id, approve=approved, note=note
            ),
            t("saved_extension_approved" if approved else "saved_extension_refused", code=code),
            reset=[task_form("decide", request_id)],
        )
