"""Which unnumbered rows open a section of a target year, and the year they name."""

from __future__ import annotations

import pytest

from tracker.indicators.importing import heading_year, is_year_heading, year_in


@pytest.mark.parametrize(
    ("title", "year"),
    [
        ("Đến năm 2030", 2030),
        ("ĐẾN NĂM 2045", 2045),
        ("Tầm nhìn đến năm 2045", 2045),
        ("Giai đoạn 2026 - 2030", 2030),
        ("Mục tiêu đến hết năm 2025", 2025),
        ("Năm 2025", 2025),
    ],
)
def test_year_headings_open_a_section(title: str, year: int) -> None:
    assert is_year_heading("", title, ("", ""))
    assert year_in(title) == year


@pytest.mark.parametrize(
    ("code", "title", "others"),
    [
        ("", "Tỷ lệ dân số có chữ ký số năm 2030", ("",)),  # an indicator written without a number
        ("1", "Đến năm 2030", ("",)),  # numbered: an indicator or a group
        ("", "Đến năm 2030", ("≥ 80",)),  # a target of its own
        ("", "Hạ tầng số", ("",)),  # no year
    ],
)
def test_other_rows_do_not(code: str, title: str, others: tuple[str, ...]) -> None:
    assert not is_year_heading(code, title, others)


@pytest.mark.parametrize(
    ("title", "year"),
    [
        ("Đến năm 2030", 2030),
        ("CHỈ TIÊU ĐẾN HẾT NĂM 2025", 2025),
        ("Chỉ tiêu giai đoạn 2026 - 2030", 2030),
        ("Nhóm chỉ tiêu theo Quyết định 749/QĐ-TTg năm 2020", None),
        ("CHỈ TIÊU CHUNG", None),
    ],
)
def test_a_section_heading_gives_a_target_year_only_when_it_says_so(title: str, year: int | None) -> None:
    assert heading_year(title) == year
