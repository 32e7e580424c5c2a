"""How values read on screen: dates the Vietnamese way, deadlines as written beside the date read."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

import pandas as pd

from ui.lang import t


def day(value: date | datetime | pd.Timestamp | None) -> str:
    """DD/MM/YYYY, or an empty string for a missing date."""
    if value is None or pd.isna(value):
        return ""
    return f"{value:%d/%m/%Y}"


def moment(value: datetime | pd.Timestamp | None) -> str:
    if value is None or pd.isna(value):
        return ""
    return f"{value:%H:%M %d/%m/%Y}"


def deadline(task: Mapping[str, Any]) -> str:
    """TASK's deadline as the annex wrote it, with the date the tracker read from it; once
    extended, the date in force, with the deadline it was extended from."""
    text, value = str(task["deadline_text"] or ""), task["deadline"]
    original = task.get("original_deadline")
    if original is not None and not pd.isna(original):
        return t("deadline_extended", day=day(value), original=text or day(original))
    read = t("recurring_short") if task["recurring"] else day(value) or t("no_date")
    if not text or text == day(value):
        return read
    return f"{text} ({read})"


def by_whom(name: str | None, when: datetime | pd.Timestamp | None) -> str:
    """ "by NAME at HH:MM DD/MM/YYYY" in the user's language."""
    return t("by_whom", name=name or "—", moment=moment(when))


def size(count: int) -> str:
    """A file size people read: KB below one megabyte, MB above."""
    if count < 1024 * 1024:
        return f"{max(count / 1024, 0.1):.1f} KB"
    return f"{count / 1024 / 1024:.1f} MB"
