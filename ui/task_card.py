"""One task of a unit's list: a summary line, and the forms the user may use on it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from models import NOT_IN_PLAN, TaskClass, TaskStatus, User
from ui import format as fmt
from ui.lang import label, t
from ui.links import task_link
from ui.task_actions import task_actions
from ui.text import escape, plain
from ui.widgets import not_in_plan_mark

_TITLE_CHARS = 110


# Cards for a unit's most urgent tasks only: each holds its forms, and a unit leading hundreds of
# tasks waited seconds for all of them on every rerun. The bulk table and the task list hold them all.
CARDS = 30


def headline(task: Mapping[str, Any]) -> str:
    """Code, title (shortened) and where the task stands, Markdown-safe."""
    title = str(task["title"])
    short = title if len(title) <= _TITLE_CHARS else title[: _TITLE_CHARS - 1] + "…"
    standing = label(task["task_class"]) if not pd.isna(task["task_class"]) else label(task["status"])
    if task["not_in_plan"]:
        standing = label(NOT_IN_PLAN)
    if task["status"] == TaskStatus.reported_done:
        standing = f"{standing} · {label(task['status'])}"
    return f"**{escape(str(task['code']))}** · {escape(short)} — {escape(standing)}"


def facts(task: Mapping[str, Any]) -> str:
    """Plan, deadline, status and progress on one line."""
    parts = [
        t("plan_number", number=task["plan_number"]),
        t("deadline_is", deadline=fmt.deadline(task)),
        f"{label(task['status'])} · {int(task['progress'])}%",
    ]
    if not pd.isna(task.get("days_overdue")):
        parts.append(t("days_overdue", days=int(task["days_overdue"])))
    elif task.get("due_soon"):
        parts.append(t("days_left", days=int(task["days_left"])))
    return " · ".join(parts)


def icon(task: Mapping[str, Any]) -> str:
    """A shape beside the class label, so urgency does not rest on reading words alone."""
    if task["not_in_plan"]:
        return ":material/playlist_remove:"
    if task["task_class"] == TaskClass.overdue:
        return ":material/error:"
    if task.get("due_soon"):
        return ":material/alarm:"
    if task["status"] == TaskStatus.reported_done:
        return ":material/hourglass_top:"
    if task["task_class"] in (TaskClass.completed_on_time, TaskClass.completed_late):
        return ":material/check_circle:"
    return ":material/radio_button_unchecked:"


def card_key(kind: str, task_id: int) -> str:
    """The session-state key of a card's open state: KIND is "lead" or "coordination"."""
    return f"card:{kind}:{task_id}"


def _card(kind: str, task: Mapping[str, Any]) -> st.delta_generator.DeltaGenerator | None:
    """The card's expander when it is open, else None: a closed card draws nothing inside, as
    thirty cards of forms (five each) took a second on every rerun."""
    card = st.expander(
        headline(task), icon=icon(task), key=card_key(kind, int(task["id"])), on_change="rerun"
    )
    return card if card.open else None


def _summary(task: Mapping[str, Any]) -> None:
    """What every card opens with: the mark of a task out of the plan, its facts and its title."""
    not_in_plan_mark(task["missing_since"])
    plain(facts(task), caption=True)
    plain(str(task["title"]))


def task_card(user: User, task: Mapping[str, Any]) -> None:
    """The task folded in an expander: the list stays short enough to scan on a phone."""
    card = _card("lead", task)
    if card is None:
        return
    with card:
        _summary(task)
        if task["output"]:
            plain(t("output_is", output=task["output"]), caption=True)
        task_link(int(task["id"]))
        task_actions(user, task)


def coordination_card(user: User, task: Mapping[str, Any]) -> None:
    """A task the user's unit coordinates: what it is, its own part, and a coordination note."""
    card = _card("coordination", task)
    if card is None:
        return
    with card:
        _summary(task)
        plain(t("lead_unit_is", unit="; ".join(task["lead_units"]) or "—"), caption=True)
        task_link(int(task["id"]))
        task_actions(user, task)
