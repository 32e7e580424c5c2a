"""How the words of a progress sheet are read: status as officials write it, progress as a percent."""

import pytest

from models import TaskStatus
from tracker.importer.progress import read_progress, read_status


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("Đã hoàn thành", TaskStatus.completed),
        ("Hoàn thành quá hạn", TaskStatus.completed),
        ("Đã hoàn thành (Quyết định số 15/QĐ-UBND ngày 20/6/2025)", TaskStatus.completed),
        ("ĐANG TRIỂN KHAI", TaskStatus.in_progress),
        ("Đang thực hiện, dự kiến xong quý IV", TaskStatus.in_progress),
        ("Chưa hoàn thành", TaskStatus.in_progress),
        ("Chưa thực hiện", TaskStatus.not_started),
        ("Tạm dừng", TaskStatus.paused),
        ("Hoàn thành", TaskStatus.completed),
        ("Hoàn thành!", TaskStatus.completed),
    ],
)
def test_status_words_as_officials_write_them(text: str, status: TaskStatus) -> None:
    assert read_status(text) == status


@pytest.mark.parametrize("text", ["", "Làm được một nửa", "Hoàn", "Hoànthành"])
def test_words_that_state_no_known_status(text: str) -> None:
    assert read_status(text) is None


@pytest.mark.parametrize(
    ("value", "percent"),
    [(40, 40), ("40%", 40), ("40 %", 40), (0.4, 40), ("12,5", 12), ("", None), (None, None)],
)
def test_progress_is_a_whole_percent(value: object, percent: int | None) -> None:
    assert read_progress(value) == percent


@pytest.mark.parametrize("value", ["140", -5, "nhiều", True])
def test_progress_outside_0_to_100_or_not_a_number_is_refused(value: object) -> None:
    with pytest.raises(ValueError):
        read_progress(value)
