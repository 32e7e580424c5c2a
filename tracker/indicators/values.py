"""Recording an indicator's value for a period, and the secretariat's confirmation of it.

Both only ever insert (history is append-only): a correction is a new value for
the same period, recorded later. Permissions are the tasks' (tracker.tasks.permissions):
the lead unit's staff and the secretariat record, the secretariat confirms, and
a value the secretariat records itself needs no confirmation.

A value is a number against a numeric target; against a target written in words
it is an assessment, typed as officials write it ("Đạt", "đã hoàn thành";
"chưa đạt", "không đạt"), and stored as reached or not.
"""

from __future__ import annotations

import math
from datetime import date, datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from models import Indicator, IndicatorConfirmation, IndicatorValue, Role, User
from tracker import i18n
from tracker.clock import now, today
from tracker.directory.plans import find_by_code
from tracker.errors import InvalidValue, NotFound
from tracker.i18n import Lang
from tracker.importer.deadlines import read_deadline
from tracker.indicators.status import goal_of
from tracker.indicators.targets import read_number
from tracker.tasks.fields import check_day, limited
from tracker.tasks.permissions import Action, indicator_scope, require_current
from tracker.textfold import fold

MAX_PERIOD = 100
MAX_TEXT = 2000
# The words an assessment is written in, folded (tracker.textfold): reached, or not (yet).
REACHED_WORDS = frozenset({"dat", "da dat", "hoan thanh", "da hoan thanh", "met"})
NOT_REACHED_WORDS = frozenset({"chua dat", "khong dat", "chua hoan thanh", "khong hoan thanh", "not met"})


def find_indicator(session: Session, code: str, plan_number: str | None = None) -> Indicator:
    """The indicator with CODE; PLAN_NUMBER is needed only when several plans use the code."""
    return find_by_code(session, Indicator, code, plan_number, noun="chỉ tiêu")


def in_words(indicator: Indicator) -> bool:
    """Whether INDICATOR's target is written in words: its values are then assessments."""
    return goal_of(indicator).target is None


def read_assessment(text: str) -> bool | None:
    """An assessment as officials write it: True for "Đạt", "đã hoàn thành", "met"; False for
    "chưa đạt", "không đạt", "not met"; None for anything else. Case and marks do not matter."""
    key = fold(text).strip(" .!")
    if key in REACHED_WORDS:
        return True
    if key in NOT_REACHED_WORDS:
        return False
    return None


def _number(text: str) -> float | None:
    number = read_number(text.strip().rstrip("% "))
    return number if number is not None and math.isfinite(number) else None


def read_result(indicator: Indicator, text: str) -> float | bool:
    """What was typed against INDICATOR: a number ("72,5", "80%") for a numeric target, an
    assessment (True: reached) for a target in words; InvalidValue naming the value and the
    indicator when it is neither, or of the other kind."""
    shown = text.strip()[:MAX_PERIOD]
    result: float | bool | None = read_assessment(text)
    if result is None:
        result = _number(text)
    if result is None:
        if in_words(indicator):
            raise InvalidValue(
                f"Kết quả '{shown}' của chỉ tiêu {indicator.code} không đọc được: ghi 'Đạt' hoặc 'Chưa đạt'."
            )
        raise InvalidValue(
            f"Giá trị '{shown}' của chỉ tiêu {indicator.code} không phải một số (ví dụ: 72,5)."
        )
    _check_kind(indicator, result, shown)
    return result


def _check_kind(indicator: Indicator, value: float | bool, shown: str) -> None:
    """Refuse a number against a target in words, and an assessment against a numeric one."""
    assessed = isinstance(value, bool)
    if in_words(indicator) and not assessed:
        raise InvalidValue(
            f"Chỉ tiêu {indicator.code} có mục tiêu ghi bằng lời: kết quả là 'Đạt' hoặc 'Chưa đạt', "
            f"không phải số '{shown}'."
        )
    if not in_words(indicator) and assessed:
        raise InvalidValue(
            f"Chỉ tiêu {indicator.code} có mục tiêu bằng số ({indicator.target_text}): "
            f"kết quả là một số, không phải '{shown}'."
        )


def value_text(value: float | None, lang: Lang = "vi") -> str:
    """A number as reported, with no more decimals than it has (two at most); "" for none."""
    if value is None:
        return ""
    decimals = next((places for places in (0, 1) if round(value, places) == value), 2)
    return i18n.number(value, decimals, lang)


def result_text(value: float | bool | None, lang: Lang = "vi") -> str:
    """A value as shown: a number as reported, an assessment as its word (Đạt, Chưa đạt)."""
    if isinstance(value, bool):
        return i18n.text("indicator_reached" if value else "indicator_not_reached", lang)
    return value_text(value, lang)


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
    # An indicator's notes are shorter than a task's texts (tracker.tasks.fields.MAX_TEXT).
    return limited(text, what, limit=MAX_TEXT)


def record_value(
    session: Session,
    *,
    by: User,
    indicator_id: int,
    value: float | bool,
    period: str,
    source: str = "",
    evidence: str = "",
    note: str = "",
) -> IndicatorValue:
    """Append a value of the indicator for PERIOD: a number, or for a target in words an
    assessment (True: reached); the secretariat's own is confirmed at once."""
    indicator = session.get(Indicator, indicator_id)
    if indicator is None:
        raise NotFound(f"Không có chỉ tiêu mã số {indicator_id}.")
    scope = indicator_scope(indicator.code, indicator.lead_unit_id)
    require_current(session, by, Action.record_indicator_value, scope)
    _check_kind(indicator, value, result_text(value))
    if not math.isfinite(value):
        raise InvalidValue(f"Giá trị '{value}' của chỉ tiêu {indicator.code} không phải một số.")
    ends = period_end(period)
    row = IndicatorValue(
        indicator_id=indicator_id,
        value=None if isinstance(value, bool) else value,
        reached=value if isinstance(value, bool) else None,
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
