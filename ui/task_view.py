"""What the detail page shows of a task: its fields, evidence, extension requests, history."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from models import ExtensionStatus, User
from tracker.errors import TrackerError
from tracker.tasks.permissions import Action, can
from ui import format as fmt
from ui.lang import label, t
from ui.reads import evidence_file
from ui.review_forms import decide_extension_form
from ui.scope import rows_of, scope_of
from ui.text import plain

# History rows name a task field; the label of each, in the user's language.
_FIELDS = {
    "title": "col_title",
    "output": "field_output",
    "deadline": "field_deadline",
    "deadline_text": "field_deadline_text",
    "recurring": "field_recurring",
    "lead_unit_id": "field_lead_unit",
    "coordinator_unit_ids": "field_coordinators",
}


def fields(task: Mapping[str, Any], plan_title: str) -> None:
    """Every field of the task, user text shown as typed."""
    left, right = st.columns(2)
    with left:
        plain(t("plan_is", number=task["plan_number"], title=plan_title), caption=True)
        if task["section_title"]:
            plain(t("section_is", code=task["section_code"], title=task["section_title"]), caption=True)
        if task["group_title"]:
            plain(t("group_is", title=task["group_title"]), caption=True)
        plain(t("lead_unit_is", unit=task["lead_unit"] or "—"))
        coordinators = "; ".join(task["coordinating_units"]) or "—"
        plain(t("coordinators_are", units=coordinators))
        plain(t("output_is", output=task["output"] or "—"))
    with right:
        plain(t("deadline_is", deadline=fmt.deadline(task)))
        if not pd.isna(task["original_deadline"]):
            plain(t("original_deadline_is", day=fmt.day(task["original_deadline"])), caption=True)
        plain(t("status_is", status=label(task["status"]), progress=int(task["progress"])))
        if not pd.isna(task["completed_on"]):
            plain(t("completed_on_is", day=fmt.day(task["completed_on"])))
        plain(t("updated_at_is", moment=fmt.moment(task["updated_at"])), caption=True)


def evidence_list(evidence: pd.DataFrame) -> None:
    """Each piece of evidence: reference, link, file (downloadable), who added it and when."""
    if evidence.empty:
        st.caption(t("no_evidence"))
        return
    for item in rows_of(evidence):
        with st.container(border=True):
            if item["reference"]:
                plain(item["reference"])
            if item["link"]:
                st.link_button(t("open_link"), item["link"], icon=":material/link:")
            plain(t("added") + " " + fmt.by_whom(item["user_name"], item["uploaded_at"]), caption=True)
            if item["stored_name"]:
                _download(item)


def _download(item: Mapping[str, Any]) -> None:
    try:
        name, data = evidence_file(int(item["id"]))
    except TrackerError as error:
        st.warning(str(error))
        return
    st.download_button(
        t("download_file", name=name, size=fmt.size(len(data))),
        data,
        file_name=name,
        key=f"evidence:{item['id']}",
        icon=":material/download:",
        on_click="ignore",
    )


def extensions(user: User, task: Mapping[str, Any], requests: pd.DataFrame) -> None:
    """Extension requests, oldest first; pending ones can be decided here by the secretariat."""
    if requests.empty:
        st.caption(t("no_extensions"))
        return
    may_decide = can(user, Action.decide_extension, scope_of(task))
    for request in requests.to_dict("records"):
        with st.container(border=True):
            plain(
                t(
                    "extension_line",
                    old=fmt.day(request["current_deadline"]) or "—",
                    new=fmt.day(request["requested_deadline"]),
                    status=label(request["status"]),
                )
            )
            plain(t("extension_reason_is", reason=request["reason"]))
            plain(
                t("requested") + " " + fmt.by_whom(request["requested_by"], request["requested_at"]),
                caption=True,
            )
            if request["status"] != ExtensionStatus.pending:
                decided = t("decided") + " " + fmt.by_whom(request["decided_by"], request["decided_at"])
                plain(f"{decided} {request['decision_note']}".strip(), caption=True)
            elif may_decide:
                decide_extension_form(user, request_id=int(request["id"]), code=str(task["code"]))


def history(rows: pd.DataFrame) -> None:
    """The append-only timeline, newest first: when, who, what kind, then what changed."""
    if rows.empty:
        st.caption(t("no_history"))
        return
    for row in rows_of(rows.iloc[::-1]):
        when = t("history_when", moment=fmt.moment(row["recorded_at"]), day=fmt.day(row["effective_on"]))
        with st.container(border=True):
            plain(f"{when} · {row['user_name'] or '—'} · {label(row['kind'])}", caption=True)
            change = _change(row)
            if change:
                plain(change)


def _change(row: Mapping[str, Any]) -> str:
    """One line saying what a history row changed."""
    parts = []
    if isinstance(row["status"], str) and row["status"]:
        parts.append(
            f"{label(row['status'])} · {int(row['progress'])}%"
            if not pd.isna(row["progress"])
            else label(row["status"])
        )
    if row["field"]:
        parts.append(f"{row['field']}: {row['old_value'] or '—'} → {row['new_value'] or '—'}")
    if row["note"]:
        parts.append(str(row["note"]))
    if row["evidence"]:
        parts.append(t("evidence_is", evidence=row["evidence"]))
    return " · ".join(parts)
