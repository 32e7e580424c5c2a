"""Which plan and which task a user means: plans by number, tasks by code within a plan."""

from __future__ import annotations

from sqlmodel import Session, col, select

from models import Plan, PlanStatus, Task
from tracker.errors import InvalidValue, NotFound


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
    query = select(Task, Plan).join(Plan).where(Task.code == code.strip())
    if plan_number:
        query = query.where(Plan.number == get_plan(session, plan_number).number)
    found = list(session.exec(query))
    if not found:
        where = f" trong kế hoạch '{plan_number}'" if plan_number else ""
        raise NotFound(f"Không có nhiệm vụ mã '{code}'{where}.")
    if len(found) > 1:
        numbers = ", ".join(sorted(plan.number for _, plan in found))
        raise InvalidValue(f"Mã nhiệm vụ '{code}' có trong nhiều kế hoạch ({numbers}): hãy chỉ rõ --plan.")
    return found[0][0]
