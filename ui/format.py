"""How values read on screen: deadlines as written beside the date read, authors, sizes.

Dates and numbers are written by the tracker's one formatter (tracker.i18n), in the user's language.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import pandas as pd

from tracker.i18n import day, megabytes, moment, number
from ui.lang import current_lang, t

__all__ = ["by_whom", "day", "deadline", "moment", "size"]


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
        return f"{number(max(count / 1024, 0.1), 1, current_lang())} KB"
    return megabytes(count, current_lang())
