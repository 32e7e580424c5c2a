"""How a Vietnamese administrative report writes its figures: rates, and changes since the last report.

Dates and the marks of numbers are the language layer's (tracker.i18n).
"""

from __future__ import annotations

import pandas as pd

from tracker.i18n import number, percent


def rate_text(rate: float | None) -> str:
    """A share as Vietnamese write it: "98,6%"; a dash when nothing fell due."""
    if rate is None or pd.isna(rate):
        return "–"
    return percent(rate)


def count_change(now: int, before: int | None) -> str:
    """ "+3", "−2" or "0" against the previous report; "" without one."""
    if before is None:
        return ""
    change = now - before
    if change > 0:
        return f"+{change}"
    return f"−{-change}" if change < 0 else "0"


def rate_change(now: float | None, before: float | None) -> str:
    """The change of a rate in percentage points, "+2,5 điểm %"; "" when either is missing."""
    if now is None or before is None:
        return ""
    points = round((now - before) * 100, 1)
    if points == 0:
        return "0"
    sign = "+" if points > 0 else "−"
    return f"{sign}{number(abs(points), 1)} điểm %"
