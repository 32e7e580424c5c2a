"""Recording an indicator's value for a period, and the secretariat's confirmation of it.

Both only ever insert (history is append-only): a correction is a new value for
the same period, recorded later. Permissions are the tasks' (tracker.tasks.permissions):
the lead unit's staff and the secretariat record, the secretariat confirms, and
a value the secretariat records itself needs no confirmation.
"""

from __future__ import annotations

import math
from datetime import date, datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from models import Indicator, IndicatorConfirmation, IndicatorValue, Plan, Role, User
from tracker.clock import now, today
from tracker.directory.plans import get_plan
from tracker.errors import InvalidValue, NotFound
from tracker.importer.deadlines import read_deadline
from tracker.indicators.targets import read_number
from tracker.tasks.permissions import Action, indicator_scope, require_current
from tracker.tasks.writes import check_day

MAX_PERIOD = 100
MAX_TEXT = 2000


def find_indicator(session: Session, code: str, plan_number: str | None = None) -> Indicator:
    """The indicator with CODE; PLAN_NUMBER is needed only when several plans use the code."""
    query = select(Indicator, Plan).join(Plan).where(Indicator.code == code.strip())
    if plan_number:
        query = query.where(Plan.number == get_plan(session, plan_number).number)
    found = list(session.exec(query))
    if not found:
        where = f" trong kế hoạch '{plan_number}'" if plan_number else ""
        raise NotFound(f"Không có chỉ tiêu mã '{code}'{where}.")
    if len(found) > 1:
        numbers = ", ".join(sorted(plan.number for _, plan in found))
        raise InvalidValue(f"Mã chỉ tiêu '{code}' có trong nhiều kế hoạch ({numbers}): hãy chỉ rõ --plan.")
    return found[0][0]


def read_value(text: str) -> float:
    """A value as a user types it ("72,5", "72.5", "80%"), or InvalidValue naming it."""
    number = read_number(text.strip().rstrip("% "))
    if number is None or not math.isfinite(number):
        raise InvalidValue(f"Giá trị '{text}' không phải một số (ví dụ: 72,5).")
    return number


def period_end(text: str) -> date:
    """The last day of a period: a year ("2025"), a quarter ("Quý I/2025") or a date ("30/6/2025")."""
    period = text.strip()
    found = read_deadline(period).on if period else None
    if found is None or len(period) > MAX_PERIOD:
        raise InvalidValue(
            f"Kỳ '{period[:MAX_PERIOD]}' không đọc được: ghi năm (2025), quý (Quý I/2025) "
            "hoặc ngày (30/6/2025)."
        )
    # A value may be reported during its period, not for a year still to come.
    return check_day(found, f"Kỳ '{period}' kết thúc ngày", latest=date(today().year, 12, 31))


def _limited(text: str, what: str) -> str:
    value = text.strip()
    if len(value) > MAX_TEXT:
        raise InvalidValue(f"{what} dài {len(value)} ký tự, quá {MAX_TEXT}.")
    return value


def record_value(
    session: Session,
    *,
    by: User,
    indicator_id: int,
    value: float,
    period: str,
    source: str = "",
    evidence: str = "",
    note: str = "",
) -> IndicatorValue:
    """Append a value of the indicator for PERIOD; the secretariat's own is confirmed at once."""
    indicator = session.get(Indicator, indicator_id)
    if indicator is None:
        raise NotFound(f"Không có chỉ tiêu mã số {indicator_id}.")
    scope = indicator_scope(indicator.code, indicator.lead_unit_id)
    require_current(session, by, Action.record_indicator_value, scope)
    if not math.isfinite(value):
        raise InvalidValue(f"Giá trị '{value}' không phải một số.")
    ends = period_end(period)
    row = IndicatorValue(
        indicator_id=indicator_id,
        value=value,
        period_text=period.strip(),
        period_end=ends,
        effective_on=min(ends, today()),
        source=_limited(source, "Nguồn số liệu"),
        evidence=_limited(evidence, "Minh chứng"),
        note=_limited(note, "Ghi chú"),
        user_id=by.id,
        recorded_at=now(),
    )
    session.add(row)
    session.flush()
    stored = session.get(User, by.id) if by.id is not None else by
    if stored is not None and stored.role == Role.secretariat:
        _confirm(session, row, by, "", row.recorded_at, row.effective_on)
    return row


def confirm_value(session: Session, *, by: User, value_id: int, note: str = "") -> IndicatorConfirmation:
    """The secretariat confirms a value awaiting confirmation."""
    row = session.get(IndicatorValue, value_id)
    indicator = session.get(Indicator, row.indicator_id) if row is not None else None
    if row is None or indicator is None:
        raise NotFound(f"Không có kết quả chỉ tiêu mã số {value_id}.")
    scope = indicator_scope(indicator.code, indicator.lead_unit_id)
    require_current(session, by, Action.confirm_indicator_value, scope)
    return _confirm(session, row, by, _limited(note, "Ghi chú"), now(), today())


def _confirm(
    session: Session, row: IndicatorValue, by: User, note: str, at: datetime, effective_on: date
) -> IndicatorConfirmation:
    assert row.id is not None, "values are flushed before they are confirmed"
    done = f"Kết quả kỳ '{row.period_text}' đã được xác nhận trước đó."
    if session.exec(select(IndicatorConfirmation).where(IndicatorConfirmation.value_id == row.id)).first():
        raise InvalidValue(done)
    confirmation = IndicatorConfirmation.model_validate(
        {"value_id": row.id, "user_id": by.id, "note": note, "effective_on": effective_on, "confirmed_at": at}
    )
    try:
        with session.begin_nested():
            session.add(confirmation)
    except IntegrityError:
        # Another confirmation landed between the check and this write.
        raise InvalidValue(done) from None
    return confirmation


def is_confirmed(session: Session, value_id: int) -> bool:
    query = select(IndicatorConfirmation.id).where(IndicatorConfirmation.value_id == value_id)
    return session.exec(query).first() is not None


def latest_awaiting(session: Session, indicator_id: int) -> IndicatorValue | None:
    """The value of the indicator recorded last among those awaiting confirmation."""
    confirmed = select(IndicatorConfirmation.value_id)
    query = (
        select(IndicatorValue)
        .where(IndicatorValue.indicator_id == indicator_id, col(IndicatorValue.id).not_in(confirmed))
        .order_by(col(IndicatorValue.recorded_at).desc(), col(IndicatorValue.id).desc())
    )
    return session.exec(query).first()
