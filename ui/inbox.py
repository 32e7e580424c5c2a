"""A unit's inbox: what the committee and the secretariat said on its tasks, highlighted."""

from __future__ import annotations

import streamlit as st

from models import HistoryKind
from tracker.views.queues import InboxItem
from ui import format as fmt
from ui.lang import label, t
from ui.links import task_link
from ui.text import escape

# Asked of the unit: it must answer or act; the rest is for information.
_ASKS = frozenset(
    {
        HistoryKind.explanation_request,
        HistoryKind.returned,
        HistoryKind.extension_refused,
        HistoryKind.coordination_request,
    }
)


def inbox(items: list[InboxItem]) -> None:
    if not items:
        return
    st.subheader(t("inbox_title", count=len(items)))
    for item in items:
        text = "  \n".join(
            [
                f"**{escape(label(item.kind))}** · {escape(item.code)} — {escape(item.title[:120])}",
                escape(item.note) if item.note else "",
                f"_{escape(fmt.by_whom(item.by, item.recorded_at))}_",
            ]
        )
        box = st.warning if item.kind in _ASKS else st.info
        box(text, icon=":material/priority_high:" if item.kind in _ASKS else ":material/chat:")
        task_link(item.task_id)
