"""The "Cần chú ý" list: what the user must act on (tracker.reminders.attention), asks highlighted,
each with the link to its task."""

from __future__ import annotations

from datetime import date

import streamlit as st

from tracker.reminders.items import Item, Reason
from tracker.reminders.mail import item_facts
from ui.lang import current_lang, t
from ui.links import task_link
from ui.reminders import reason_label
from ui.text import escape

# Asked of the user: act or answer; the rest is for information.
_ASKS = frozenset(
    {
        Reason.overdue,
        Reason.returned,
        Reason.explanation_requested,
        Reason.extension_refused,
        Reason.coordination_requested,
    }
)


# Per reason, the first few: a unit with 160 overdue tasks got 160 boxes (half a second to draw)
# before the answer someone waits for. Its tasks all follow on the page, by urgency.
SHOWN_PER_REASON = 5


def attention(items: list[Item], as_of: date) -> None:
    if not items:
        return
    st.subheader(t("inbox_title", count=len(items)))
    by_reason: dict[Reason, list[Item]] = {}
    for item in items:
        by_reason.setdefault(item.reason, []).append(item)
    for reason, group in by_reason.items():
        for item in group[:SHOWN_PER_REASON]:
            _item(item, as_of)
        if len(group) > SHOWN_PER_REASON:
            more = len(group) - SHOWN_PER_REASON
            st.caption(t("attention_more", count=more, reason=escape(reason_label(reason))))


def _item(item: Item, as_of: date) -> None:
    lines = [
        f"**{escape(reason_label(item.reason))}** · {escape(item.code)} — {escape(item.title[:120])}",
        escape("; ".join(item_facts(item, as_of, current_lang()))),
        escape(item.note) if item.note else "",
    ]
    asked = item.reason in _ASKS
    box = st.warning if asked else st.info
    box(
        "  \n".join(line for line in lines if line),
        icon=":material/priority_high:" if asked else ":material/schedule:",
    )
    task_link(item.task_id)
