"""How numbers and dates are written in a Vietnamese administrative report."""

from __future__ import annotations

from datetime import date

import pandas as pd


def day_text(value: date | None) -> str:
    """DD/MM/YYYY, or "" when there is no date (None or NaT)."""
    if value is None or pd.isna(value):
        return ""
    return f"{value:%d/%m/%Y}"


def rate_text(rate: float | None) -> str:
    """A share as Vietnamese write it: "98,6%"; a dash when nothing fell due."""
    if rate is None or pd.isna(rate):
        return "–"
    return f"{rate * 100:.1f}%".replace(".", ",")


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
    return f"{sign}{abs(points):.1f} điểm %".replace(".", ",")


def change_words(now: int, before: int | None) -> str:
    """The change against the previous report as a report writes it: "tăng 02", "giảm 01", "không đổi"."""
    if before is None:
        return ""
    change = now - before
    if change == 0:
        return "không đổi"
    return f"{'tăng' if change > 0 else 'giảm'} {abs(change):02d}"
