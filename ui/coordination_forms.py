"""Coordination on a task: the coordinating unit's own part, the lead's request for input,
and which coordinators have answered."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

import streamlit as st

from models import PartStatus, UnitKind, User
from tracker.clock import today
from tracker.coordination.reads import CoordinatorState
from tracker.coordination.writes import record_part, request_input
from ui import format as fmt
from ui.lang import label, t
from ui.text import escape, plain
from ui.writes import form_keys, save


def part_form(user: User, task: Mapping[str, Any]) -> None:
    """The user's unit reports on its own part of a task it coordinates; the lead's status stays."""
    task_id = int(task["id"])
    name = f"part:{task_id}"
    keys = form_keys(name, "status", "note", "evidence")
    with st.form(name, clear_on_submit=False):
        status = st.radio(t("part_status"), list(PartStatus), format_func=label, horizontal=True, key=keys[0])
        note = st.text_area(t("part_note"), key=keys[1])
        evidence = st.text_input(t("part_evidence"), help=t("part_evidence_help"), key=keys[2])
        submitted = st.form_submit_button(t("save_part"))
    if submitted and status is not None:
        save(
            lambda session: record_part(
                session, by=user, task_id=task_id, status=status, note=note, evidence=evidence
            ),
            t("saved_part", code=task["code"]),
            reset=[name],
        )


def request_form(user: User, task: Mapping[str, Any]) -> None:
    """A lead unit asks one of the task's coordinating units for its input by a date."""
    task_id = int(task["id"])
    coordinators = {
        int(unit_id): str(name)
        for unit_id, name, kind in zip(
            task["coordinating_unit_ids"],
            task["coordinating_units"],
            task["coordinating_unit_kinds"],
            strict=True,
        )
        if kind != UnitKind.collective
    }
    if not coordinators:
        st.caption(t("no_coordinators_to_ask"))
        return
    name = f"ask:{task_id}"
    keys = form_keys(name, "unit", "due", "message")
    with st.form(name, clear_on_submit=False):
        unit_id = st.selectbox(
            t("ask_unit"), list(coordinators), format_func=coordinators.__getitem__, key=keys[0]
        )
        due = st.date_input(
            t("ask_due"),
            value=today() + timedelta(days=7),
            min_value=today(),
            format="DD/MM/YYYY",
            key=keys[1],
        )
        message = st.text_area(t("ask_message"), key=keys[2])
        submitted = st.form_submit_button(t("send_request"))
    if submitted:
        save(
            lambda session: request_input(
                session, by=user, task_id=task_id, unit_id=unit_id, due_on=due, message=message
            ),
            t("saved_request", code=task["code"]),
            reset=[name],
        )


def coordinator_states(states: list[CoordinatorState]) -> None:
    """Each coordinating unit of the task: its latest part, and whether it answered the lead."""
    if not states:
        return
    st.subheader(t("coordination_heading"))
    for state in states:
        if state.kind == UnitKind.collective:
            plain(t("coordinator_collective", unit=state.unit), caption=True)
            continue
        if state.open_request_due is not None:
            answer = t("coordinator_waiting", day=fmt.day(state.open_request_due))
        elif state.status is None:
            answer = t("coordinator_silent")
        else:
            answer = label(state.status)
        lines = [f"**{escape(state.unit)}** — {escape(answer)}"]
        if state.note:
            lines.append(escape(state.note))
        if state.evidence:
            lines.append(escape(t("part_evidence_is", evidence=state.evidence)))
        if state.recorded_at is not None:
            lines.append(f"_{escape(fmt.moment(state.recorded_at))}_")
        st.markdown("  \n".join(lines))
