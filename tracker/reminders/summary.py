"""The committee's weekly summary: the headline figures and the units most behind, for members who opt in.

The figures are tracker.views.classify's and the per-unit counts
tracker.views.breakdowns.unit_table's. A summary is an item of its own
(reason weekly_summary) named by its ISO week, so the repeat rule sends it
once a week however often the reminders run.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd
from sqlmodel import Session, col, select

from models import Role, TaskClass, User
from tracker.errors import PermissionDenied
from tracker.reminders.items import Item, Reason
from tracker.views.breakdowns import unit_table
from tracker.views.classify import summarize

BEHIND_LIMIT = 5


@dataclass(frozen=True)
class BehindUnit:
    name: str
    overdue: int
    total: int
    completion_rate: float | None


@dataclass(frozen=True)
class WeeklySummary:
    as_of: date
    total: int
    completed: int
    overdue: int
    due_soon: int
    awaiting_confirmation: int
    completion_rate: float | None
    on_time_rate: float | None
    behind: tuple[BehindUnit, ...]


def _rate(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def weekly_summary(tasks: pd.DataFrame, *, as_of: date) -> WeeklySummary:
    """TASKS classified at AS_OF (the plans in force): totals, rates, and the units with the most
    overdue tasks."""
    summary = summarize(tasks)
    units = unit_table(tasks[tasks["lead_unit_id"].notna()])
    overdue = TaskClass.overdue.value
    late = units[units[overdue] > 0].sort_values([overdue, "completion_rate"], ascending=[False, True])
    behind = tuple(
        BehindUnit(str(row["lead_unit"]), int(row[overdue]), int(row["total"]), _rate(row["completion_rate"]))
        for row in late.head(BEHIND_LIMIT).to_dict("records")
    )
    return WeeklySummary(
        as_of=as_of,
        total=summary.total,
        completed=summary.completed,
        overdue=summary.counts[TaskClass.overdue],
        due_soon=summary.due_soon,
        awaiting_confirmation=summary.awaiting_confirmation,
        completion_rate=summary.completion_rate,
        on_time_rate=summary.on_time_rate,
        behind=behind,
    )


def summary_item(as_of: date) -> Item:
    """The summary as an item for the repeat rule: one per ISO week."""
    year, week, _ = as_of.isocalendar()
    return Item(reason=Reason.weekly_summary, ref=f"week:{year}-W{week:02d}", task_id=0, code="", title="")


def committee_recipients(session: Session) -> tuple[str, ...]:
    """Active committee members with an e-mail who asked for the weekly summary."""
    query = select(User).where(
        col(User.active),
        User.role == Role.committee,
        col(User.weekly_summary),
        col(User.email).is_not(None),
        col(User.email) != "",
    )
    return tuple((user.email or "").strip() for user in session.exec(query.order_by(col(User.username))))


def set_weekly_summary(session: Session, *, by: User, user_id: int, wanted: bool) -> User:
    """A committee member's own choice (or the secretariat's for them) to receive the summary."""
    user = session.get(User, user_id)
    if user is None or user.role != Role.committee:
        raise PermissionDenied("Chỉ thành viên Ban Chỉ đạo nhận bản tóm tắt hằng tuần.")
    acting = session.get(User, by.id)
    if acting is None or not acting.active or (acting.id != user_id and acting.role != Role.secretariat):
        raise PermissionDenied("Chỉ chính thành viên hoặc Tổ giúp việc được đổi lựa chọn này.")
    user.weekly_summary = wanted
    session.add(user)
    session.flush()
    return user
