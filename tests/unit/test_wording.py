"""How a report words a change against the previous period."""

import pytest

from tracker.reports.wording import change_words


@pytest.mark.parametrize(
    ("now", "before", "words"),
    [(12, 10, "tăng 02"), (9, 10, "giảm 01"), (10, 10, "không đổi"), (130, 10, "tăng 120"), (3, None, "")],
)
def test_a_change_is_written_as_reports_write_it(now: int, before: int | None, words: str) -> None:
    assert change_words(now, before) == words
