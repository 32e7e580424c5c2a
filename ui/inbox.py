"""A unit's inbox: what the committee and the secretariat said on its tasks, for information.

What asks the unit to act (a returned report, a request for explanation, an
extension decision) is in "Cần chú ý" (ui.attention) instead, with the deadlines.
"""

from __future__ import annotations

import streamlit as st

from tracker.reminders.items import EVENT_KINDS
from tracker.views.queues import InboxItem
from ui import format as fmt
from ui.lang import label, t
from ui.links import task_link
from ui.text import escape


def inbox(entries: list[InboxItem]) -> None:
    items = [entry for entry in entries if entry.kind not in EVENT_KINDS]
    if not items:
        return
    st.subheader(t("inbox_notes_title", count=len(items)))
    for item in items:
        text = "  \n".join(
            [
                f"**{escape(label(item.kind))}** · {escape(item.code)} — {escape(item.title[:120])}",
                escape(item.note) if item.note else "",
                f"_{escape(fmt.by_whom(item.by, item.recorded_at))}_",
            ]
        )
        st.info(text, icon=":material/chat:")
        task_link(item.task_id)
