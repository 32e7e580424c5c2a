"""Which plan and which task a user means: plans by number, tasks by code within a plan.

An annex names its plan in its title block: "(Kèm theo Kế hoạch số 45-KH/TU
ngày 10/3/2025 của Ban Thường vụ Tỉnh ủy)"; `read_plan_heading` reads it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from sqlalchemy import func
from sqlmodel import Session, col, select

from models import Indicator, Plan, PlanStatus, Task
from tracker.clock import now
from tracker.errors import InvalidValue, NotFound
from tracker.textfold import clean, fold, modern_tones

# A plan's rows that carry a code by the annex's path rule.
Coded = TypeVar("Coded", Task, Indicator)

_HEADING = re.compile(
    r"kèm\s+theo\s+(?P<kind>kế\s+hoạch|quyết\s+định|chương\s+trình|đề\s+án|nghị\s+quyết|công\s+văn)"
    # The number may be left blank before the issuer's suffix: "Nghị quyết số    /NQ-CP",
    # "Kế hoạch số    -KH/TU".
    r"\s+số\s*:?\s*[.…]*\s*(?P<number>\d[^\s,;()]*|[/\-](?=\w)[^\s,;()]+)(?P<rest>.*)",
    re.IGNORECASE | re.DOTALL,
)
_ISSUED = (
    re.compile(r"ngày\s+(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})", re.IGNORECASE),
    re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.IGNORECASE),
)
# "PHỤ LỤC II: DANH MỤC …": the annex word, its number, and the list's title on the same line.
_ANNEX_WORD = re.compile(r"^phụ\s+lục(?:\s+(?:số\s+)?[IVXLC\d]+\b)?\s*[:.\-–—]?\s*", re.IGNORECASE)
# "của Chính phủ ban hành Chương trình hành động …": the issuer ends before what it issues.
_ISSUER = re.compile(
    r"\b(?:của|do)\s+(.+?)(?:\s+(?:ban hành|về việc)\b.*)?[\s)]*$", re.IGNORECASE | re.DOTALL
)


@dataclass(frozen=True)
class PlanHeading:
    """A plan as an annex names it."""

    number: str
    title: str = ""
    issuer: str = ""
    issued_on: date | None = None


@dataclass(frozen=True)
class PlanSummary:
    id: int
    number: str
    title: str
    issuer: str
    issued_on: date | None
    status: str
    tasks: int


def get_plan(session: Session, number: str) -> Plan:
    plan = session.exec(select(Plan).where(Plan.number == number.strip())).first()
    if plan is None:
        raise NotFound(f"Không có kế hoạch số '{number}'.")
    return plan


def plans_in_force(session: Session) -> list[Plan]:
    query = select(Plan).where(Plan.status == PlanStatus.in_force).order_by(col(Plan.issued_on), col(Plan.id))
    return list(session.exec(query))


def find_task(session: Session, code: str, plan_number: str | None = None) -> Task:
    """The task with CODE; PLAN_NUMBER is needed only when several plans use the code."""
    return find_by_code(session, Task, code, plan_number, noun="nhiệm vụ")


def find_by_code(
    session: Session, table: type[Coded], code: str, plan_number: str | None, *, noun: str
) -> Coded:
    """The row of TABLE (a plan's tasks or indicators) with CODE; PLAN_NUMBER is needed only when
    several plans use the code. NOUN names the row in the refusals ("nhiệm vụ", "chỉ tiêu")."""
    query = select(table, Plan).join(Plan).where(table.code == code.strip())
    if plan_number:
        query = query.where(Plan.number == get_plan(session, plan_number).number)
    found = list(session.exec(query))
    if not found:
        where = f" trong kế hoạch '{plan_number}'" if plan_number else ""
        raise NotFound(f"Không có {noun} mã '{code}'{where}.")
    if len(found) > 1:
        numbers = ", ".join(sorted(plan.number for _, plan in found))
        raise InvalidValue(f"Mã {noun} '{code}' có trong nhiều kế hoạch ({numbers}): hãy chỉ rõ --plan.")
    return found[0][0]


def _issued_on(text: str) -> date | None:
    for pattern in _ISSUED:
        found = pattern.search(text)
        if found:
            day, month, year = (int(part) for part in found.groups())
            try:
                return date(year, month, day)
            except ValueError:
                return None
    return None


def read_plan_heading(lines: Sequence[str]) -> PlanHeading | None:
    """The plan an annex's title block names ("Kèm theo Kế hoạch số …"), or None."""
    texts = [modern_tones(" ".join(clean(line).split())) for line in lines]
    for index, text in enumerate(texts):
        found = _HEADING.search(text)
        if found is None:
            continue
        number = found.group("number").rstrip(".:")
        rest = found.group("rest")
        # A long plan line wraps onto the next row: "(Kèm theo Kế hoạch số 45/KH-UBND" over
        # "ngày 10/3/2025 của UBND tỉnh)".
        if text.count("(") > text.count(")") and index + 1 < len(texts):
            rest = f"{rest} {texts[index + 1]}"
        issuer = _ISSUER.search(rest)
        annex = max((i for i in range(index) if fold(texts[i]).startswith("phu luc")), default=None)
        if annex is not None:
            title = " ".join(texts[annex + 1 : index]) or _ANNEX_WORD.sub("", texts[annex])
        else:
            title = " ".join(text for text in texts[:index] if fold(text).startswith("danh muc"))
        kind = " ".join(found.group("kind").split()).capitalize()
        return PlanHeading(
            number=number,
            title=title or f"{kind} số {number}",
            issuer=issuer.group(1).strip() if issuer else "",
            issued_on=_issued_on(rest),
        )
    return None


def get_or_create_plan(session: Session, *, heading: PlanHeading) -> tuple[Plan, bool]:
    """The plan numbered as HEADING says, created if new; True when it was created.

    An existing plan keeps its details; only those it lacks are filled in.
    """
    number = heading.number.strip()
    if not number:
        raise InvalidValue("Số hiệu kế hoạch không được để trống.")
    plan = session.exec(select(Plan).where(Plan.number == number)).first()
    if plan is None:
        plan = Plan(
            number=number,
            title=heading.title,
            issuer=heading.issuer,
            issued_on=heading.issued_on,
            created_at=now(),
        )
        session.add(plan)
        session.flush()
        return plan, True
    plan.title = plan.title or heading.title
    plan.issuer = plan.issuer or heading.issuer
    plan.issued_on = plan.issued_on or heading.issued_on
    session.add(plan)
    return plan, False


def list_plans(session: Session) -> list[PlanSummary]:
    """Every plan with its number of tasks, oldest issued first."""
    counts = (
        select(Plan, func.count(col(Task.id)))
        .outerjoin(Task, col(Task.plan_id) == Plan.id)
        .group_by(col(Plan.id))
        .order_by(col(Plan.issued_on), col(Plan.id))
    )
    return [
        PlanSummary(
            id=plan.id or 0,
            number=plan.number,
            title=plan.title,
            issuer=plan.issuer,
            issued_on=plan.issued_on,
            status=plan.status,
            tasks=count,
        )
        for plan, count in session.exec(counts)
    ]
