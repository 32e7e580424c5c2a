"""Where an indicator stands at a date D: a pure function of its target and its latest value.

- met: the latest confirmed value satisfies the target;
- in_progress: it does not yet, and the target year has not passed (the year runs to 31/12);
- not_met: the target year has passed without the target being satisfied;
- no_data: no confirmed value yet.

A numeric target is satisfied by a number; a target written in words by an
assessment: the one recording the value says whether it is reached (đạt) or
not yet (chưa đạt), and the secretariat confirms it as it confirms a number.

Where a baseline (a value and its year) and a numeric target with its year are
known, the path between them is a straight line from the end of the baseline
year to the end of the target year; an indicator in progress whose latest value
falls short of the path at the end of its period is "chậm so với lộ trình".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from models import Indicator, IndicatorStatus
from tracker.indicators.targets import Target

# A path can be drawn only towards a single number; a range or a strict bound has no one point.
_PATH_OPS = (">=", "<=", "rank<=")


@dataclass(frozen=True)
class Goal:
    """What an indicator is held to."""

    target: Target | None
    target_year: int | None
    baseline: float | None = None
    baseline_year: int | None = None


def goal_of(indicator: Indicator) -> Goal:
    target = (
        Target(indicator.target_op, indicator.target_value, indicator.target_high)
        if indicator.target_op and indicator.target_value is not None
        else None
    )
    return Goal(target, indicator.target_year, indicator.baseline_value, indicator.baseline_year)


def year_end(year: int) -> date:
    return date(year, 12, 31)


def reached(goal: Goal, value: float | bool) -> bool:
    """Whether VALUE satisfies GOAL: a number its numeric target, an assessment (True:
    reached) its target in words."""
    if goal.target is None:
        assert isinstance(value, bool), "a target in words is held to an assessment"
        return value
    assert not isinstance(value, bool), "a numeric target is held to a number"
    return goal.target.met_by(value)


def status_at(goal: Goal, value: float | bool | None, as_of: date) -> IndicatorStatus:
    """Where GOAL stands at AS_OF given VALUE, its latest confirmed value of the kind it takes
    (a number, or an assessment for a target in words), or None without one."""
    if value is None:
        return IndicatorStatus.no_data
    if reached(goal, value):
        return IndicatorStatus.met
    if goal.target_year is not None and as_of > year_end(goal.target_year):
        return IndicatorStatus.not_met
    return IndicatorStatus.in_progress


def path_value(goal: Goal, on: date) -> float | None:
    """The value the straight path from baseline to target reaches ON, or None without a path."""
    target = goal.target
    if (
        target is None
        or target.op not in _PATH_OPS
        or goal.baseline is None
        or goal.baseline_year is None
        or goal.target_year is None
        or goal.target_year <= goal.baseline_year
    ):
        return None
    start, end = year_end(goal.baseline_year), year_end(goal.target_year)
    share = min(max((on - start).days / (end - start).days, 0.0), 1.0)
    return goal.baseline + (target.value - goal.baseline) * share


def behind_path(goal: Goal, value: float | None, period_end: date | None, as_of: date) -> bool:
    """Whether an indicator in progress at AS_OF is behind its path at the end of its value's period."""
    expected = path_value(goal, period_end) if period_end is not None else None
    if value is None or expected is None or status_at(goal, value, as_of) != IndicatorStatus.in_progress:
        return False
    assert goal.target is not None, "a path leads to a numeric target"
    return not Target(goal.target.op, expected).met_by(value)
