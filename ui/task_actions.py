"""The forms a user may use on a task, one tab each, chosen by tracker.tasks.permissions.

A form the user may not use is not drawn at all: a unit account sees no control
on another unit's task, a committee member only the remark form.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd
import streamlit as st

from models import TaskStatus, User
from tracker.tasks.permissions import Action, can
from ui.coordination_forms import part_form, request_form
from ui.lang import t
from ui.reads import units
from ui.review_forms import cancel_form, confirm_form, edit_form, set_completed_form
from ui.scope import scope_of
from ui.unit_forms import (
    comment_form,
    comment_kinds,
    evidence_form,
    extension_form,
    progress_form,
    report_done_form,
)
from ui.writes import seen_version

Form = tuple[str, Callable[[], None]]


def allowed_forms(user: User, task: Mapping[str, Any], seen: int) -> list[Form]:
    """(tab title, draw) for each form USER may use on TASK now, in the order work happens."""
    scope = scope_of(task)
    candidates: list[tuple[Action, str, Callable[[], None]]] = [
        (Action.confirm, "tab_review", lambda: _confirm(user, task, seen)),
        (Action.update_progress, "tab_progress", lambda: progress_form(user, task, seen)),
        (Action.report_done, "tab_report_done", lambda: report_done_form(user, task, seen)),
        (Action.request_extension, "tab_extension", lambda: extension_form(user, task)),
        (Action.add_evidence, "tab_evidence", lambda: evidence_form(user, task)),
        (Action.request_coordination, "tab_request_coordination", lambda: request_form(user, task)),
        (Action.record_part, "tab_part", lambda: part_form(user, task)),
        (Action.set_completed, "tab_set_completed", lambda: set_completed_form(user, task, seen)),
        (Action.edit_task, "tab_edit", lambda: edit_form(user, task, seen, units())),
        (Action.cancel, "tab_cancel", lambda: cancel_form(user, task, seen)),
    ]
    forms = [(t(title), draw) for action, title, draw in candidates if can(user, action, scope)]
    if comment_kinds(user, task):
        forms.append((t("tab_comment"), lambda: comment_form(user, task)))
    return forms


def task_actions(user: User, task: Mapping[str, Any]) -> None:
    """The forms USER may use on TASK, based on the version shown in this run."""
    seen = seen_version(f"task:{task['id']}", int(task["version"]))
    if task["status"] == TaskStatus.reported_done:
        st.info(t("awaiting_confirmation_note"))
    forms = allowed_forms(user, task, seen)
    if not forms:
        return
    for tab, (_, draw) in zip(st.tabs([title for title, _ in forms]), forms, strict=True):
        with tab:
            draw()


def _confirm(user: User, task: Mapping[str, Any], seen: int) -> None:
    completed_on = None if pd.isna(task["completed_on"]) else task["completed_on"]
    confirm_form(user, task_id=int(task["id"]), code=str(task["code"]), completed_on=completed_on, seen=seen)
