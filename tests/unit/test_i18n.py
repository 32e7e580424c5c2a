"""The one formatter of dates and numbers, per language."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd

from tracker.i18n import day, moment, number, percent, text


def test_vietnamese_writes_a_decimal_comma_and_a_thousands_point() -> None:
    assert (number(20000), number(62.5, 1), percent(0.2333)) == ("20.000", "62,5", "23,3%")
    assert (number(20000, lang="en"), number(62.5, 1, "en"), percent(0.2333, "en")) == (
        "20,000",
        "62.5",
        "23.3%",
    )


def test_dates_read_day_first_and_missing_ones_are_blank() -> None:
    assert day(date(2025, 6, 3)) == "03/06/2025"
    assert moment(datetime(2025, 6, 3, 9, 5)) == "09:05 03/06/2025"
    assert day(None) == day(pd.NaT) == moment(None) == ""


def test_tracker_texts_exist_in_both_languages() -> None:
    assert text("trend", "vi") == "Diễn biến theo kỳ báo cáo"
    assert text("trend", "en") == "Trend by report period"
