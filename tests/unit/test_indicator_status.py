"""Status at D, at the boundary of the target year, and the path from baseline to target."""

from __future__ import annotations

from datetime import date

import pytest

from models import IndicatorStatus
from tracker.indicators.status import Goal, behind_path, path_value, status_at
from tracker.indicators.targets import Target

AT_LEAST_80_BY_2030 = Goal(Target(">=", 80), 2030, baseline=40, baseline_year=2024)


@pytest.mark.parametrize(
    ("value", "as_of", "expected"),
    [
        (None, date(2031, 6, 1), IndicatorStatus.no_data),
        (80, date(2026, 1, 1), IndicatorStatus.met),
        (79.9, date(2030, 12, 31), IndicatorStatus.in_progress),  # the target year's last day
        (79.9, date(2031, 1, 1), IndicatorStatus.not_met),  # the day after
        (85, date(2031, 1, 1), IndicatorStatus.met),
    ],
)
def test_status_at_the_boundary_of_the_target_year(
    value: float | None, as_of: date, expected: IndicatorStatus
) -> None:
    assert status_at(AT_LEAST_80_BY_2030, value, as_of) == expected


def test_without_a_target_year_an_indicator_stays_in_progress() -> None:
    assert status_at(Goal(Target("<=", 5), None), 9, date(2099, 1, 1)) == IndicatorStatus.in_progress


IN_WORDS_BY_2030 = Goal(None, 2030)


@pytest.mark.parametrize(
    ("reached", "as_of", "expected"),
    [
        (None, date(2031, 6, 1), IndicatorStatus.no_data),
        (True, date(2026, 1, 1), IndicatorStatus.met),
        (False, date(2030, 12, 31), IndicatorStatus.in_progress),  # the target year's last day
        (False, date(2031, 1, 1), IndicatorStatus.not_met),  # the day after
        (True, date(2031, 1, 1), IndicatorStatus.met),
    ],
)
def test_a_target_in_words_is_judged_by_its_assessment_at_the_boundary_of_its_year(
    reached: bool | None, as_of: date, expected: IndicatorStatus
) -> None:
    assert status_at(IN_WORDS_BY_2030, reached, as_of) == expected


def test_a_target_in_words_without_a_year_stays_in_progress_until_reached() -> None:
    assert status_at(Goal(None, None), False, date(2099, 1, 1)) == IndicatorStatus.in_progress
    assert status_at(Goal(None, None), True, date(2099, 1, 1)) == IndicatorStatus.met


def test_exactly_four_statuses_exist() -> None:
    assert [str(status) for status in IndicatorStatus] == ["met", "in_progress", "not_met", "no_data"]


def test_a_rank_is_met_at_or_above_its_place() -> None:
    goal = Goal(Target("rank<=", 20), 2030)
    assert status_at(goal, 20, date(2027, 1, 1)) == IndicatorStatus.met
    assert status_at(goal, 21, date(2027, 1, 1)) == IndicatorStatus.in_progress


def test_the_path_runs_straight_from_baseline_to_target() -> None:
    assert path_value(AT_LEAST_80_BY_2030, date(2024, 12, 31)) == 40
    assert path_value(AT_LEAST_80_BY_2030, date(2030, 12, 31)) == 80
    assert path_value(AT_LEAST_80_BY_2030, date(2027, 12, 31)) == pytest.approx(60, abs=0.05)
    assert path_value(Goal(Target(">=", 80), 2030), date(2027, 1, 1)) is None  # no baseline
    assert path_value(Goal(Target("between", 20, 50), 2030, 10, 2024), date(2027, 1, 1)) is None


def test_an_indicator_behind_its_path_is_flagged() -> None:
    end_2027 = date(2027, 12, 31)
    assert behind_path(AT_LEAST_80_BY_2030, 55, end_2027, date(2028, 2, 1))
    assert not behind_path(AT_LEAST_80_BY_2030, 65, end_2027, date(2028, 2, 1))
    assert not behind_path(AT_LEAST_80_BY_2030, 85, end_2027, date(2028, 2, 1))  # met
    assert not behind_path(AT_LEAST_80_BY_2030, 55, end_2027, date(2031, 2, 1))  # not met, no longer a path
    assert not behind_path(
        Goal(None, 2030, baseline=20, baseline_year=2024), None, end_2027, date(2028, 2, 1)
    )
    falling = Goal(Target("<=", 5), 2030, baseline=20, baseline_year=2024)
    assert behind_path(falling, 15, end_2027, date(2028, 2, 1))
    assert not behind_path(falling, 10, end_2027, date(2028, 2, 1))
