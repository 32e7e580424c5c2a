"""The rules a task's fields obey wherever they are written: a form, the CLI, an imported file.

The workflow, the secretariat's edits, the importers, coordination and the
indicators all check a date or a text here, so a limit is changed once.
"""

from __future__ import annotations

from datetime import date

from tracker.clock import today
from tracker.errors import InvalidValue
from tracker.i18n import day

EARLIEST = date(2000, 1, 1)
MAX_TEXT = 5000
# History names a change of leads as it always has, "lead_unit_id" (the names, "; "-joined).
HISTORY_FIELDS = {"lead_unit_ids": "lead_unit_id"}


def latest_deadline() -> date:
    """Deadlines beyond this are typing mistakes, not plans."""
    return date(today().year + 30, 12, 31)


def check_day(value: date, what: str, *, latest: date | None = None) -> date:
    """VALUE if it lies between 2000 and LATEST (default today: no one reports the future)."""
    latest = latest or today()
    if not EARLIEST <= value <= latest:
        raise InvalidValue(
            f"{what} {day(value)} không hợp lệ: phải trong khoảng {day(EARLIEST)}–{day(latest)}."
        )
    return value


def limited(text: str, what: str, *, limit: int = MAX_TEXT) -> str:
    """TEXT stripped, refused when longer than LIMIT; WHAT names the field in the refusal."""
    value = text.strip()
    if len(value) > limit:
        raise InvalidValue(f"{what} dài {len(value)} ký tự, vượt giới hạn {limit}.")
    return value


def history_text(value: object) -> str:
    """How a value is kept in history: dates as ISO, flags as có/không."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
