"""How a deadline is read: the text of an annex cell → the last day it allows.

"Quý I/2025" gives 2025-03-31, "Trước 30/6/2025" 2025-06-30, "2026-2030"
2030-12-31; "Thường xuyên" / "Hằng năm" are recurring, with no date; "2025 và
những năm tiếp theo" is recurring from 2025, dated 2025-12-31 so the year is kept. Anything
else keeps its text and no date, and the importer warns about it.
"""

from __future__ import annotations

import calendar
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

from tracker.textfold import clean, fold

_FIRST_YEAR, _LAST_YEAR = 1900, 2200
# Excel's day 0 (its 1900 leap-year bug makes serials count from 1899-12-30).
_EXCEL_EPOCH = date(1899, 12, 30)
_EXCEL_SERIALS = range(25_569, 109_574)  # 1970-01-01 … 2199-12-31
_QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_RECURRING = re.compile(
    r"\b(thuong xuyen|hang (nam|quy|thang|tuan|ngay)|dinh ky|lien tuc|moi (nam|quy|thang))\b"
)
# "2025 và những năm tiếp theo", "từ năm 2025 trở đi": ongoing from that year on.
_ONWARD = re.compile(
    r"(?<!\d)(\d{4})\s*(?:va|,)?\s*(?:nhung|cac)\s+nam\s+(?:tiep\s+theo|sau)\b"
    r"|\btu\s+(?:nam\s+)?(\d{4})\s+(?:tro\s+di|tro\s+ve\s+sau|ve\s+sau)\b",
    re.ASCII,
)
_YEAR = r"(\d{4})"
_SEP = r"\s*(?:/|-|,|nam)?\s*"


@dataclass(frozen=True)
class Deadline:
    on: date | None
    recurring: bool
    text: str

    @property
    def unreadable(self) -> bool:
        """Written, but neither a date nor a recurring word: the importer warns."""
        return bool(self.text) and self.on is None and not self.recurring


def _day(year: int, month: int, day: int) -> date | None:
    if not _FIRST_YEAR <= year <= _LAST_YEAR:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _month_end(year: int, month: int) -> date | None:
    if not 1 <= month <= 12:
        return None
    return _day(year, month, calendar.monthrange(year, month)[1])


def _quarter_end(quarter: str, year: str) -> date | None:
    number = _QUARTERS.get(quarter)
    return _month_end(int(year), number * 3) if number else None


def _months_of_year(count: str, part: str, year: str) -> date | None:
    # "6 tháng đầu năm" ends with month 6; "6 tháng cuối năm" ends with the year.
    months = int(count)
    if not 1 <= months <= 12:
        return None
    return _month_end(int(year), months if part == "dau" else 12)


def _pattern(text: str) -> re.Pattern[str]:
    # ASCII: only 0-9 are digits; int() would accept other scripts' digits too.
    return re.compile(text, re.ASCII)


# Most specific first: each match blanks its span so "30/6/2025" is not read
# again as the year 2025 by a later, looser pattern.
_FORMS: list[tuple[re.Pattern[str], Callable[..., date | None]]] = [
    (
        _pattern(r"ngay\s*(\d{1,2})\s*thang\s*(\d{1,2})\s*nam\s*" + _YEAR),
        lambda d, m, y: _day(int(y), int(m), int(d)),
    ),
    (
        _pattern(r"(?<!\d)(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*" + _YEAR + r"(?!\d)"),
        lambda d, m, y: _day(int(y), int(m), int(d)),
    ),
    (
        _pattern(r"(?<!\d)" + _YEAR + r"-(\d{1,2})-(\d{1,2})(?!\d)"),
        lambda y, m, d: _day(int(y), int(m), int(d)),
    ),
    (
        _pattern(r"(?<!\d)(\d{1,2})\s*thang\s*(dau|cuoi)\s*(?:cua\s*)?(?:nam)?\s*" + _YEAR),
        _months_of_year,
    ),
    (_pattern(r"quy\s*([ivx]+|\d+)\b" + _SEP + _YEAR), _quarter_end),
    (
        _pattern(r"thang\s*(\d{1,2})" + _SEP + _YEAR),
        lambda m, y: _month_end(int(y), int(m)),
    ),
    (
        _pattern(r"(?<![\d/.\-])(\d{1,2})\s*/\s*" + _YEAR + r"(?!\d)"),
        lambda m, y: _month_end(int(y), int(m)),
    ),
    (
        _pattern(r"(?<!\d)" + _YEAR + r"\s*[-–—]\s*" + _YEAR + r"(?!\d)"),
        lambda _start, end: _month_end(int(end), 12),
    ),
    (_pattern(r"(?<!\d)" + _YEAR + r"(?!\d)"), lambda y: _month_end(int(y), 12)),
]


def _read_text(written: str) -> Deadline:
    text = clean(written)
    folded = fold(text)
    onward = _ONWARD.search(folded)
    if onward is not None:
        # Recurring, never overdue; the first year's end is kept as the date it starts from.
        return Deadline(on=_month_end(int(onward.group(1) or onward.group(2)), 12), recurring=True, text=text)
    if _RECURRING.search(folded):
        return Deadline(on=None, recurring=True, text=text)
    found: list[date] = []
    for pattern, to_date in _FORMS:

        def take(match: re.Match[str], to_date: Callable[..., date | None] = to_date) -> str:
            day = to_date(*match.groups())
            if day is not None:
                found.append(day)
            return " " * len(match.group(0))

        folded = pattern.sub(take, folded)
    return Deadline(on=max(found) if found else None, recurring=False, text=text)


# Annexes repeat a handful of deadlines over hundreds of rows. Typed: True, 1 and 1.0 stay apart.
@lru_cache(maxsize=4096, typed=True)
def read_deadline(value: object) -> Deadline:
    """The deadline a cell states: its last allowed day, recurring, or nothing readable."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return Deadline(on=value, recurring=False, text=value.strftime("%d/%m/%Y"))
    if isinstance(value, bool) or value is None or isinstance(value, timedelta):
        return Deadline(on=None, recurring=False, text=clean(value) if value is not None else "")
    if isinstance(value, int | float):
        return _read_number(value)
    return _read_text(str(value))


def _read_number(value: float) -> Deadline:
    """A bare number: a year (2025) or a date cell whose format was lost (45838)."""
    if not math.isfinite(value):
        return Deadline(on=None, recurring=False, text=str(value))
    whole = int(value)
    text = str(whole) if whole == value else str(value)
    if _FIRST_YEAR <= whole <= _LAST_YEAR:
        return Deadline(on=date(whole, 12, 31), recurring=False, text=text)
    if whole in _EXCEL_SERIALS:
        day = _EXCEL_EPOCH + timedelta(days=whole)
        return Deadline(on=day, recurring=False, text=day.strftime("%d/%m/%Y"))
    return Deadline(on=None, recurring=False, text=text)
