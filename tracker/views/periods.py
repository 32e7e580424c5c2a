"""Report periods of Decree 09/2019/NĐ-CP: data is cut off on the 14th.

A month runs from the 15th of the previous month to the 14th (the report of
July covers 15/6–14/7); a quarter from the 15th of the month before it to the
14th of its last month; a half-year 15/12–14/6 and 15/6–14/12; a year
15/12–14/12 (named after the year it ends in).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from tracker.errors import InvalidValue

if TYPE_CHECKING:
    # Only named: tracker.i18n loads models, and the CLI lists its commands without them.
    from tracker.i18n import Lang

CUTOFF_DAY = 14


class PeriodKind(StrEnum):
    month = "month"
    quarter = "quarter"
    half_year = "half_year"
    year = "year"


_MONTHS = {PeriodKind.month: 1, PeriodKind.quarter: 3, PeriodKind.half_year: 6, PeriodKind.year: 12}
_ROMAN = ("I", "II", "III", "IV")
# Spelled out: strftime("%B") follows the server's locale.
_MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


@dataclass(frozen=True)
class Period:
    kind: PeriodKind
    start: date
    end: date
    label_vi: str
    label_en: str

    def label(self, lang: Lang = "vi") -> str:
        """The period's name in LANG: "Quý II/2025", "Q2 2025"."""
        return self.label_en if lang == "en" else self.label_vi


def _labels(kind: PeriodKind, year: int, last_month: int) -> tuple[str, str]:
    if kind == PeriodKind.month:
        return f"Tháng {last_month}/{year}", f"{_MONTH_NAMES[last_month - 1]} {year}"
    if kind == PeriodKind.quarter:
        quarter = last_month // 3
        return f"Quý {_ROMAN[quarter - 1]}/{year}", f"Q{quarter} {year}"
    if kind == PeriodKind.half_year:
        if last_month == 6:
            return f"6 tháng đầu năm {year}", f"First half of {year}"
        return f"6 tháng cuối năm {year}", f"Second half of {year}"
    return f"Năm {year}", f"Year {year}"


def parse_kind(value: str) -> PeriodKind:
    try:
        return PeriodKind(value)
    except ValueError:
        names = ", ".join(kind.value for kind in PeriodKind)
        raise InvalidValue(f"Kỳ báo cáo '{value}' không hợp lệ: chọn một trong {names}.") from None


def period_for(kind: PeriodKind | str, reference_date: date) -> Period:
    """The report period of KIND that contains REFERENCE_DATE."""
    kind = parse_kind(kind) if not isinstance(kind, PeriodKind) else kind
    length = _MONTHS[kind]
    # Months counted from year 0; a date after the cut-off belongs to next month's report.
    month_index = reference_date.year * 12 + reference_date.month - 1
    if reference_date.day > CUTOFF_DAY:
        month_index += 1
    end_index = (month_index // length + 1) * length - 1
    start_index = end_index - length
    year, last_month = divmod(end_index, 12)
    start_year, start_month = divmod(start_index, 12)
    vi, en = _labels(kind, year, last_month + 1)
    return Period(
        kind=kind,
        start=date(start_year, start_month + 1, CUTOFF_DAY + 1),
        end=date(year, last_month + 1, CUTOFF_DAY),
        label_vi=vi,
        label_en=en,
    )


def previous_period(period: Period) -> Period:
    return period_for(period.kind, period.start - timedelta(days=1))


def previous_cutoff(kind: PeriodKind | str, as_of: date) -> date:
    """The cut-off of the last report of KIND made before AS_OF: "change since the previous report"."""
    return previous_period(period_for(kind, as_of)).end


def cutoffs(kind: PeriodKind | str, as_of: date, count: int) -> list[date]:
    """The cut-offs of the COUNT periods of KIND before AS_OF, oldest first, then AS_OF itself."""
    found: list[date] = []
    period = period_for(kind, as_of)
    while len(found) < count:
        period = previous_period(period)
        found.append(period.end)
    return [*reversed(found), as_of]


def recent_periods(kind: PeriodKind | str, today: date, count: int) -> list[Period]:
    """The COUNT latest periods of KIND already cut off by TODAY, newest first: the reports one can make."""
    period = period_for(kind, today)
    if period.end > today:
        period = previous_period(period)
    found = [period]
    while len(found) < count:
        found.append(previous_period(found[-1]))
    return found


def parse_known_on(text: str | None) -> datetime | None:
    """A recorded-time cut-off as written: a date (recorded by the end of that day) or a
    date-time such as the issued_at of an issued report; None or blank for none."""
    value = (text or "").strip()
    if not value:
        return None
    try:
        if len(value) == len("YYYY-MM-DD"):
            return datetime.combine(date.fromisoformat(value), time.max)
        return datetime.fromisoformat(value)
    except ValueError:
        raise InvalidValue(
            f"Thời điểm ghi nhận '{text}' không hợp lệ: dùng YYYY-MM-DD hoặc YYYY-MM-DD HH:MM:SS, "
            "ví dụ 2025-07-14 hoặc 2025-07-14 16:30:00."
        ) from None
