"""An assessment against a target in words, typed as officials write it."""

from __future__ import annotations

import pytest

from tracker.indicators.values import read_assessment, result_text


@pytest.mark.parametrize(
    "text",
    ["Đạt", "đạt", "ĐẠT", "dat", "Đã đạt", "da dat", "Hoàn thành", "Đã hoàn thành.", "đã  hoàn thành", "met"],
)
def test_words_for_reached(text: str) -> None:
    assert read_assessment(text) is True


@pytest.mark.parametrize(
    "text", ["Chưa đạt", "chua dat", "Không đạt", "KHÔNG ĐẠT", "Chưa hoàn thành", "not met", "Not Met"]
)
def test_words_for_not_reached(text: str) -> None:
    assert read_assessment(text) is False


@pytest.mark.parametrize("text", ["", "85", "đạt 90%", "sắp đạt", "có", "đạt mức tiên tiến"])
def test_anything_else_is_no_assessment(text: str) -> None:
    assert read_assessment(text) is None


def test_an_assessment_is_shown_as_its_word_and_a_number_as_reported() -> None:
    assert (result_text(True), result_text(False)) == ("Đạt", "Chưa đạt")
    assert (result_text(True, "en"), result_text(False, "en")) == ("Reached", "Not reached")
    assert (result_text(72.5), result_text(80.0), result_text(None)) == ("72,5", "80", "")
