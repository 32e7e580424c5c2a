"""Targets as annexes write them, read into comparisons; words stay text."""

from __future__ import annotations

import pytest

from tracker.indicators.targets import Target, parse_target, read_number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("≥ 80", {"op": ">=", "value": 80}),
        ("≥80%", {"op": ">=", "value": 80}),
        (">= 30%", {"op": ">=", "value": 30}),
        ("Tối thiểu 3%", {"op": ">=", "value": 3}),
        ("≥ 12 %/năm", {"op": ">=", "value": 12}),
        ("≤ 5", {"op": "<=", "value": 5}),
        ("Không quá 5%", {"op": "<=", "value": 5}),
        ("5 trở xuống", {"op": "<=", "value": 5}),
        ("90", {"op": ">=", "value": 90}),
        ("100%", {"op": ">=", "value": 100}),
        ("Đạt 100%", {"op": ">=", "value": 100}),
        ("2,5", {"op": ">=", "value": 2.5}),
        ("1.000", {"op": ">=", "value": 1000}),
        ("Trên 50%", {"op": ">", "value": 50}),
        ("20% - 50%", {"op": "between", "low": 20, "high": 50}),
        ("20 – 50", {"op": "between", "low": 20, "high": 50}),
        ("Từ 20 đến 50%", {"op": "between", "low": 20, "high": 50}),
        ("Top 20", {"op": "rank<=", "value": 20}),
        ("Thuộc nhóm 20 tỉnh, thành phố dẫn đầu", {"op": "rank<=", "value": 20}),
        ("thuộc TOP 10 cả nước", {"op": "rank<=", "value": 10}),
    ],
)
def test_numeric_targets_are_parsed(text: str, expected: dict[str, object]) -> None:
    target = parse_target(text)
    assert target is not None
    assert target.as_json() == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Đạt mức tiên tiến của khu vực ASEAN",
        "Hoàn thành",
        "Cơ bản hoàn thành chuyển đổi số",
        "≥ 80% dân số trưởng thành có điện thoại thông minh, 50% hộ gia đình",
    ],
)
def test_targets_in_words_stay_text(text: str) -> None:
    assert parse_target(text) is None


def test_decomposed_text_reads_the_same() -> None:
    import unicodedata

    assert parse_target(unicodedata.normalize("NFD", "Tối thiểu 80%")) == Target(">=", 80)


@pytest.mark.parametrize(
    ("target", "met", "unmet"),
    [
        (Target(">=", 80), [80, 95.5], [79.9]),
        (Target("<=", 5), [5, 0], [5.1]),
        (Target(">", 50), [50.1], [50]),
        (Target("<", 5), [4.9], [5]),
        (Target("between", 20, 50), [20, 35, 50], [19.9, 50.1]),
        (Target("rank<=", 20), [1, 20], [21]),
    ],
)
def test_met_by_holds_the_boundary(target: Target, met: list[float], unmet: list[float]) -> None:
    assert all(target.met_by(value) for value in met)
    assert not any(target.met_by(value) for value in unmet)


def test_read_number_takes_vietnamese_separators() -> None:
    assert read_number("2,5") == 2.5
    assert read_number("1.234,5") == 1234.5
    assert read_number("0.5") == 0.5
    assert read_number("abc") is None
