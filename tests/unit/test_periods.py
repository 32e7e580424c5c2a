"""Report periods cut off on the 14th (Decree 09/2019/NĐ-CP)."""

from __future__ import annotations

from datetime import date

import pytest

from tracker.errors import InvalidValue
from tracker.views.periods import PeriodKind, cutoffs, period_for, previous_cutoff, previous_period


@pytest.mark.parametrize(
    ("kind", "reference", "start", "end", "label"),
    [
        (PeriodKind.month, date(2025, 7, 14), date(2025, 6, 15), date(2025, 7, 14), "Tháng 7/2025"),
        (PeriodKind.month, date(2025, 7, 15), date(2025, 7, 15), date(2025, 8, 14), "Tháng 8/2025"),
        (PeriodKind.month, date(2025, 12, 20), date(2025, 12, 15), date(2026, 1, 14), "Tháng 1/2026"),
        (PeriodKind.quarter, date(2025, 1, 3), date(2024, 12, 15), date(2025, 3, 14), "Quý I/2025"),
        (PeriodKind.quarter, date(2025, 3, 15), date(2025, 3, 15), date(2025, 6, 14), "Quý II/2025"),
        (PeriodKind.quarter, date(2025, 9, 14), date(2025, 6, 15), date(2025, 9, 14), "Quý III/2025"),
        (PeriodKind.quarter, date(2025, 11, 1), date(2025, 9, 15), date(2025, 12, 14), "Quý IV/2025"),
        (
            PeriodKind.half_year,
            date(2025, 6, 14),
            date(2024, 12, 15),
            date(2025, 6, 14),
            "6 tháng đầu năm 2025",
        ),
        (
            PeriodKind.half_year,
            date(2025, 6, 15),
            date(2025, 6, 15),
            date(2025, 12, 14),
            "6 tháng cuối năm 2025",
        ),
        (PeriodKind.year, date(2025, 12, 14), date(2024, 12, 15), date(2025, 12, 14), "Năm 2025"),
        (PeriodKind.year, date(2025, 12, 15), date(2025, 12, 15), date(2026, 12, 14), "Năm 2026"),
    ],
)
def test_period_containing_a_date(
    kind: PeriodKind, reference: date, start: date, end: date, label: str
) -> None:
    period = period_for(kind, reference)
    assert (period.start, period.end, period.label_vi) == (start, end, label)


def test_previous_period_ends_the_day_before_the_period_starts() -> None:
    quarter = period_for("quarter", date(2025, 2, 1))
    previous = previous_period(quarter)
    assert (previous.start, previous.end, previous.label_vi) == (
        date(2024, 9, 15),
        date(2024, 12, 14),
        "Quý IV/2024",
    )
    assert previous.label_en == "Q4 2024"


def test_previous_cutoff_is_the_last_report_before_the_date() -> None:
    assert previous_cutoff("month", date(2025, 7, 14)) == date(2025, 6, 14)
    assert previous_cutoff("month", date(2025, 7, 20)) == date(2025, 7, 14)


def test_cutoffs_for_a_trend_end_with_the_date_itself() -> None:
    assert cutoffs("month", date(2025, 7, 20), 3) == [
        date(2025, 5, 14),
        date(2025, 6, 14),
        date(2025, 7, 14),
        date(2025, 7, 20),
    ]


def test_unknown_period_kind_is_refused_in_vietnamese() -> None:
    with pytest.raises(InvalidValue, match="Kỳ báo cáo 'week'"):
        period_for("week", date(2025, 1, 1))
