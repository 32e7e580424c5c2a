"""What the pages, reports and CLI read of indicators: each with its latest value and status at D.

The as-of rule is the tasks' (tracker.views.classify): as of D, as known now, a
value counts from its effective date (its period's end, or the day it was
recorded if earlier) and a confirmation from its own (the day it was made; the
value's, for the secretariat's own value); known on T, only what was recorded by
T is read, so a report made at T is reproduced. The latest value is the one of
the latest period, and for one period the one recorded last (a correction). The
status counts confirmed values only, and of the kind the target takes (a number,
or an assessment for a target in words; a re-import may have changed the target
since); the latest value of all, confirmed or awaiting confirmation, is shown beside it.
Three queries whatever the number of indicators.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from models import Indicator, IndicatorConfirmation, IndicatorStatus, IndicatorValue, Plan, Unit, User
from tracker.indicators.status import Goal, behind_path, goal_of, status_at
from tracker.indicators.targets import plain_number
from tracker.indicators.values import result_text
from tracker.views.queries import resolve_plan_ids

STATUS_ORDER = (
    IndicatorStatus.met,
    IndicatorStatus.in_progress,
    IndicatorStatus.not_met,
    IndicatorStatus.no_data,
)


@dataclass(frozen=True)
class ValueAt:
    """A value as known at D: a number, or an assessment (reached or not) for a target in words."""

    id: int
    value: float | None
    reached: bool | None
    period: str
    period_end: date
    source: str
    evidence: str
    note: str
    recorded_by: str
    recorded_at: datetime
    confirmed: bool
    confirmed_by: str

    @property
    def result(self) -> float | bool:
        """The number, or the assessment (True: reached)."""
        if self.reached is not None:
            return self.reached
        assert self.value is not None, "a value is a number when it is not an assessment"
        return self.value

    def as_json(self) -> dict[str, object]:
        # An assessment's value is its word ("Đạt", "Chưa đạt"); "reached" says it plainly.
        shown = result_text(self.reached) if self.reached is not None else plain_number(self.value)
        return {"value": shown, "period": self.period, "confirmed": self.confirmed, "reached": self.reached}


@dataclass(frozen=True)
class IndicatorAt:
    """An indicator at D: its definition, its latest value and where it stands."""

    id: int
    plan_number: str
    code: str
    title: str
    measure_unit: str
    target_text: str
    goal: Goal
    lead_unit_id: int | None
    lead_unit: str
    section: str
    group: str
    history: list[ValueAt]  # known at D, oldest period first
    status: IndicatorStatus
    behind: bool

    @property
    def actual(self) -> ValueAt | None:
        """The latest value known at D, confirmed or awaiting confirmation."""
        return self.history[-1] if self.history else None

    @property
    def confirmed(self) -> ValueAt | None:
        return next((value for value in reversed(self.history) if value.confirmed), None)

    @property
    def awaiting(self) -> bool:
        return any(not value.confirmed for value in self.history)

    def as_json(self) -> dict[str, object]:
        target = self.goal.target
        return {
            "code": self.code,
            "title": self.title,
            "measure_unit": self.measure_unit,
            "target_text": self.target_text,
            "target": target.as_json() if target else None,
            "target_year": self.goal.target_year,
            "lead_unit": self.lead_unit or None,
            "section": self.section,
            "actual": self.actual.as_json() if self.actual else None,
            "status": str(self.status),
            "plan": self.plan_number,
            "behind_path": self.behind,
        }


def _values(
    session: Session, ids: list[int], as_of: date, known_on: datetime | None
) -> dict[int, list[ValueAt]]:
    """Per indicator, its values in effect at AS_OF (as known on KNOWN_ON, or now), oldest
    period first, corrections after."""
    confirmed = (
        select(IndicatorConfirmation)
        .join(IndicatorValue, col(IndicatorValue.id) == IndicatorConfirmation.value_id)
        .where(col(IndicatorValue.indicator_id).in_(ids), col(IndicatorConfirmation.effective_on) <= as_of)
    )
    if known_on is not None:
        confirmed = confirmed.where(col(IndicatorConfirmation.confirmed_at) <= known_on)
    confirmations = {row.value_id: row for row in session.exec(confirmed)}
    names = {user.id: user.display_name or user.username for user in session.exec(select(User))}
    query = (
        select(IndicatorValue)
        .where(col(IndicatorValue.indicator_id).in_(ids), col(IndicatorValue.effective_on) <= as_of)
        .order_by(col(IndicatorValue.period_end), col(IndicatorValue.recorded_at), col(IndicatorValue.id))
    )
    if known_on is not None:
        query = query.where(col(IndicatorValue.recorded_at) <= known_on)
    found: dict[int, list[ValueAt]] = defaultdict(list)
    for row in session.exec(query):
        assert row.id is not None, "stored rows have ids"
        confirmation = confirmations.get(row.id)
        found[row.indicator_id].append(
            ValueAt(
                id=row.id,
                value=row.value,
                reached=row.reached,
                period=row.period_text,
                period_end=row.period_end,
                source=row.source,
                evidence=row.evidence,
                note=row.note,
                recorded_by=names.get(row.user_id, "") if row.user_id else "",
                recorded_at=row.recorded_at,
                confirmed=confirmation is not None,
                confirmed_by=names.get(confirmation.user_id, "")
                if confirmation and confirmation.user_id
                else "",
            )
        )
    return found


def indicators_at(
    session: Session,
    *,
    as_of: date,
    plan_ids: Sequence[int] | None = None,
    unit_id: int | None = None,
    known_on: datetime | None = None,
) -> list[IndicatorAt]:
    """The indicators of PLAN_IDS (default: every plan in force), of UNIT_ID's lead if given,
    in the annex's order, as they stand at AS_OF (as known on KNOWN_ON, or now)."""
    query = (
        select(Indicator, Plan)
        .join(Plan)
        .where(col(Indicator.plan_id).in_(resolve_plan_ids(session, plan_ids)))
        .order_by(col(Plan.id), col(Indicator.position), col(Indicator.id))
    )
    if unit_id is not None:
        query = query.where(Indicator.lead_unit_id == unit_id)
    rows = list(session.exec(query))
    units = {unit.id: unit.name for unit in session.exec(select(Unit))}
    ids = [indicator.id for indicator, _ in rows if indicator.id is not None]
    values = _values(session, ids, as_of, known_on)
    found: list[IndicatorAt] = []
    for indicator, plan in rows:
        assert indicator.id is not None, "stored rows have ids"
        goal = goal_of(indicator)
        history = values.get(indicator.id, [])
        assessed = goal.target is None
        counted = [value for value in history if value.confirmed and (value.reached is not None) == assessed]
        confirmed = counted[-1] if counted else None
        found.append(
            IndicatorAt(
                id=indicator.id,
                plan_number=plan.number,
                code=indicator.code,
                title=indicator.title,
                measure_unit=indicator.measure_unit,
                target_text=indicator.target_text,
                goal=goal,
                lead_unit_id=indicator.lead_unit_id,
                lead_unit=units.get(indicator.lead_unit_id, "") if indicator.lead_unit_id else "",
                section=indicator.section_title,
                group=indicator.group_title,
                history=history,
                status=status_at(goal, confirmed.result if confirmed else None, as_of),
                behind=confirmed is not None
                and behind_path(goal, confirmed.value, confirmed.period_end, as_of),
            )
        )
    return found


def status_counts(indicators: Sequence[IndicatorAt]) -> dict[IndicatorStatus, int]:
    """How many indicators stand in each status, every status named (zero included)."""
    counted = Counter(indicator.status for indicator in indicators)
    return {status: counted.get(status, 0) for status in STATUS_ORDER}


def filter_indicators(
    indicators: Sequence[IndicatorAt],
    *,
    lead_unit_ids: Sequence[int] = (),
    statuses: Sequence[str] = (),
) -> list[IndicatorAt]:
    """INDICATORS led by one of LEAD_UNIT_IDS and in one of STATUSES; an empty choice filters nothing."""
    return [
        indicator
        for indicator in indicators
        if (not lead_unit_ids or indicator.lead_unit_id in lead_unit_ids)
        and (not statuses or indicator.status in statuses)
    ]


def awaiting_values(indicators: Sequence[IndicatorAt]) -> list[tuple[IndicatorAt, ValueAt]]:
    """Every value awaiting the secretariat's confirmation, with its indicator, oldest first."""
    waiting = [
        (indicator, value) for indicator in indicators for value in indicator.history if not value.confirmed
    ]
    return sorted(waiting, key=lambda pair: (pair[1].recorded_at, pair[1].id))
