import unicodedata
from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.importer.deadlines import Deadline, read_deadline


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("Quý I/2025", date(2025, 3, 31)),
        ("Quý 1/2025", date(2025, 3, 31)),
        ("Quý I năm 2025", date(2025, 3, 31)),
        ("trong quý I năm 2025", date(2025, 3, 31)),
        ("Quý II/2026", date(2026, 6, 30)),
        ("Quý III - 2025", date(2025, 9, 30)),
        ("QUÝ IV/2026", date(2026, 12, 31)),
        ("Tháng 6/2025", date(2025, 6, 30)),
        ("tháng 6 năm 2025", date(2025, 6, 30)),
        ("trong tháng 11/2025", date(2025, 11, 30)),
        ("Tháng 2/2028", date(2028, 2, 29)),
        ("6/2026", date(2026, 6, 30)),
        ("Trước 30/6/2025", date(2025, 6, 30)),
        ("trước ngày 10/12/2025", date(2025, 12, 10)),
        ("30/6/2025", date(2025, 6, 30)),
        ("30-6-2025", date(2025, 6, 30)),
        ("30.6.2025", date(2025, 6, 30)),
        ("ngày 15 tháng 9 năm 2026", date(2026, 9, 15)),
        ("6 tháng đầu năm 2025", date(2025, 6, 30)),
        ("6 tháng cuối năm 2025", date(2025, 12, 31)),
        ("Năm 2025", date(2025, 12, 31)),
        ("trong năm 2025", date(2025, 12, 31)),
        ("2025-2030", date(2030, 12, 31)),
        ("giai đoạn 2026 - 2030", date(2030, 12, 31)),
        ("đến năm 2030", date(2030, 12, 31)),
        ("Quý III/2025 - Quý II/2026", date(2026, 6, 30)),
        (unicodedata.normalize("NFD", "Trước tháng 9/2025"), date(2025, 9, 30)),
        (datetime(2025, 6, 30, 0, 0), date(2025, 6, 30)),
        (date(2026, 1, 15), date(2026, 1, 15)),
        (2027, date(2027, 12, 31)),
        (45838.0, date(2025, 6, 30)),
    ],
)
def test_a_written_deadline_reads_as_the_last_day_it_allows(written: object, expected: date) -> None:
    deadline = read_deadline(written)
    assert deadline.on == expected
    assert not deadline.recurring
    assert not deadline.unreadable


@pytest.mark.parametrize(
    "written",
    ["Thường xuyên", "Hằng năm", "Hàng năm", "Hằng quý", "Định kỳ", "thường xuyên, hằng năm", "HẰNG THÁNG"],
)
def test_recurring_words_give_no_date(written: str) -> None:
    assert read_deadline(written) == Deadline(on=None, recurring=True, text=written)


@pytest.mark.parametrize(
    ("written", "year"),
    [
        ("2025 và những năm tiếp theo", 2025),
        ("Năm 2026 và các năm tiếp theo", 2026),
        ("Từ năm 2025 trở đi", 2025),
        ("từ 2027 trở về sau", 2027),
    ],
)
def test_from_a_year_onwards_is_recurring_and_keeps_the_year(written: str, year: int) -> None:
    assert read_deadline(written) == Deadline(on=date(year, 12, 31), recurring=True, text=written)


@pytest.mark.parametrize(
    "written", ["Theo tiến độ dự án", "31/2/2025", "Quý V/2025", "Khi có hướng dẫn", True]
)
def test_other_text_keeps_its_words_and_has_no_date(written: object) -> None:
    deadline = read_deadline(written)
    assert deadline.on is None
    assert not deadline.recurring
    assert deadline.unreadable
    assert deadline.text == str(written)


def test_an_empty_cell_is_no_deadline_and_no_warning() -> None:
    for empty in (None, "", "   "):
        assert read_deadline(empty) == Deadline(on=None, recurring=False, text="")
        assert not read_deadline(empty).unreadable


def test_the_text_is_kept_clean_and_composed() -> None:
    assert read_deadline(unicodedata.normalize("NFD", "  Quý  I/2025 ")).text == "Quý I/2025"


def test_a_date_cell_is_written_back_as_day_month_year() -> None:
    assert read_deadline(datetime(2025, 3, 5, 14, 30)).text == "05/03/2025"


@given(st.one_of(st.text(), st.integers(), st.floats(), st.dates(), st.datetimes(), st.none(), st.booleans()))
def test_any_cell_gives_a_deadline_and_never_raises(value: object) -> None:
    deadline = read_deadline(value)
    assert isinstance(deadline, Deadline)
    assert deadline.on is None or isinstance(deadline.on, date)
    assert not (deadline.recurring and deadline.on is not None)


@given(st.text(alphabet="0123456789/-. QuýIVXthángnăm", max_size=40))
def test_date_like_noise_never_raises(text: str) -> None:
    read_deadline(text)
