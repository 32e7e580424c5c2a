"""What someone must act on at a date, one source per reason.

A unit's sources each read a Scope and return items per unit id; adding a reason (coordination
requests, say) is one more Reason, one more function in UNIT_SOURCES and its line of words in
tracker.reminders.mail.REASON_WORDS (a test checks every reason has its words and labels). The
classification of deadlines is tracker.views.classify's, the open events are
tracker.views.queues' inbox, and the secretariat's items are its queue: this
module only turns them into items.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

import pandas as pd
from sqlmodel import Session, col, select

from models import CoordinationRequest, HistoryKind, Plan, Task, TaskClass, Unit
from tracker.views.breakdowns import per_lead_unit
from tracker.views.classify import end_of_day
from tracker.views.filters import filter_tasks
from tracker.views.queries import classified_tasks
from tracker.views.queues import awaiting_confirmation, pending_extensions, unit_inbox
from tracker.views.urgency import by_urgency


class Reason(StrEnum):
    """Why an item is in a reminder; the order is the order of every digest."""

    overdue = "overdue"
    due_soon = "due_soon"
    returned = "returned"
    explanation_requested = "explanation_requested"
    extension_approved = "extension_approved"
    extension_refused = "extension_refused"
    coordination_requested = "coordination_requested"
    awaiting_confirmation = "awaiting_confirmation"
    extension_pending = "extension_pending"
    weekly_summary = "weekly_summary"


REASON_ORDER = {reason: position for position, reason in enumerate(Reason)}
_EVENT_REASONS = {
    HistoryKind.returned: Reason.returned,
    HistoryKind.explanation_request: Reason.explanation_requested,
    HistoryKind.extension_approved: Reason.extension_approved,
    HistoryKind.extension_refused: Reason.extension_refused,
}


@dataclass(frozen=True)
class Item:
    """One thing to act on. REF names it for the repeat rule: the same REF and
    reason are not sent twice to a recipient within the repeat interval."""

    reason: Reason
    ref: str
    task_id: int
    code: str
    title: str
    plan_number: str = ""
    unit: str = ""
    deadline: date | None = None
    deadline_text: str = ""
    # The deadline was moved by an approved extension: DEADLINE_TEXT is the annex's, no longer in force.
    extended: bool = False
    days_left: int | None = None
    days_overdue: int | None = None
    note: str = ""
    # When what the item reports happened: the event, the report, the request.
    since: datetime | None = None

    def waited_days(self, as_of: date) -> int | None:
        return None if self.since is None else max((as_of - self.since.date()).days, 0)


# Kinds of history whose open entries are items (the rest of a unit's inbox is for information):
# a request for input is one through coordination_items, with its own due date.
EVENT_KINDS = frozenset({*_EVENT_REASONS, HistoryKind.coordination_request})
UnitItems = dict[int, list[Item]]


@dataclass
class Scope:
    """What the sources read: the date, the due-soon window, one unit (ONLY) or every unit, and
    the classified tasks at the date, read once and shared (the app passes the frame it caches)."""

    session: Session
    as_of: date
    due_soon_days: int
    only: int | None = None
    tasks: pd.DataFrame | None = None
    _led: pd.DataFrame | None = field(default=None, init=False, repr=False)

    def classified(self) -> pd.DataFrame:
        if self.tasks is None:
            self.tasks = classified_tasks(self.session, as_of=self.as_of, due_soon_days=self.due_soon_days)
        return self.tasks

    def lead_unit_ids(self) -> list[int]:
        """The units the sources look at: ONLY, or every lead unit (each joint lead) of the plans in force."""
        if self.only is not None:
            return [self.only]
        return sorted(int(unit_id) for unit_id in self.led()["lead_unit_id"].dropna().unique())

    def led(self) -> pd.DataFrame:
        """The classified tasks (those ONLY leads, when set), one row per task and lead unit
        (tracker.views.breakdowns.per_lead_unit)."""
        if self._led is None:
            tasks = self.classified()
            if self.only is not None:
                # The unit's own tasks first: spreading 100,000 tasks over their leads costs more.
                tasks = filter_tasks(tasks, lead_unit_ids=[self.only])
            self._led = per_lead_unit(tasks)
        return self._led


UnitSource = Callable[[Scope], UnitItems]


def _day(value: Any) -> date | None:
    return None if pd.isna(value) else pd.Timestamp(value).date()


def _count(value: Any) -> int | None:
    return None if pd.isna(value) else int(value)


def deadline_items(scope: Scope) -> UnitItems:
    """Per lead unit (each joint lead, or the unit ONLY), its overdue tasks and those due within the
    window, most urgent first. A task reported done waits on the secretariat, not on the unit: it is
    left out.
    """
    tasks = scope.led()
    if scope.only is not None:
        tasks = tasks[tasks["lead_unit_id"] == scope.only]
    overdue = tasks["task_class"] == TaskClass.overdue
    wanted = tasks[
        (overdue | tasks["due_soon"]) & ~tasks["awaiting_confirmation"] & tasks["lead_unit_id"].notna()
    ]
    found: UnitItems = {}
    for row in by_urgency(wanted).to_dict("records"):
        deadline = _day(row["deadline"])
        is_overdue = row["task_class"] == TaskClass.overdue
        # A new deadline (an extension) makes a new due-soon item.
        ref = f"task:{row['id']}" if is_overdue else f"task:{row['id']}:{deadline}"
        found.setdefault(int(row["lead_unit_id"]), []).append(
            Item(
                reason=Reason.overdue if is_overdue else Reason.due_soon,
                ref=ref,
                task_id=int(row["id"]),
                code=str(row["code"]),
                title=str(row["title"]),
                plan_number=str(row["plan_number"]),
                unit=str(row["lead_unit"]),
                deadline=deadline,
                deadline_text=str(row["deadline_text"]),
                extended=bool(row["extended"]),
                days_left=_count(row["days_left"]),
                days_overdue=_count(row["days_overdue"]),
            )
        )
    return found


# (days left, days overdue) of a task the classification has no date for (or no row: out of plan).
_NO_DAYS: tuple[int | None, int | None] = (None, None)


def unit_event_items(scope: Scope, unit_id: int) -> list[Item]:
    """Returned reports, requests for explanation and extension decisions the unit has not acted on
    since, with the days left to or past their task's deadline at the scope's date."""
    session = scope.session
    end = end_of_day(scope.as_of).to_pydatetime()
    entries = [
        entry
        for entry in unit_inbox(session, unit_id)
        if entry.kind in _EVENT_REASONS and entry.recorded_at < end
    ]
    if not entries:
        return []
    tasks = {
        task.id: task
        for task in session.exec(select(Task).where(col(Task.id).in_({e.task_id for e in entries})))
    }
    frame = scope.classified()
    timing = {
        int(row["id"]): (_count(row["days_left"]), _count(row["days_overdue"]))
        for row in frame[frame["id"].isin(list(tasks))].to_dict("records")
    }
    return [
        Item(
            reason=_EVENT_REASONS[HistoryKind(entry.kind)],
            ref=f"history:{entry.history_id}",
            task_id=entry.task_id,
            code=entry.code,
            title=entry.title,
            deadline=tasks[entry.task_id].deadline,
            deadline_text=tasks[entry.task_id].deadline_text,
            extended=tasks[entry.task_id].original_deadline is not None,
            days_left=timing.get(entry.task_id, _NO_DAYS)[0],
            days_overdue=timing.get(entry.task_id, _NO_DAYS)[1],
            note=entry.note,
            since=entry.recorded_at,
        )
        for entry in entries
    ]


def event_items(scope: Scope) -> UnitItems:
    """unit_event_items of every lead unit, or of the unit ONLY."""
    found = {unit_id: unit_event_items(scope, unit_id) for unit_id in scope.lead_unit_ids()}
    return {unit_id: items for unit_id, items in found.items() if items}


def coordination_items(scope: Scope) -> UnitItems:
    """Per coordinating unit (or the unit ONLY), the lead's requests for its input made by AS_OF
    and not answered, soonest due first, with the days left to or past the request's date."""
    end = end_of_day(scope.as_of).to_pydatetime()
    query = (
        select(CoordinationRequest, Task, Plan, Unit)
        .join(Task, col(Task.id) == CoordinationRequest.task_id)
        .join(Plan, col(Plan.id) == Task.plan_id)
        .outerjoin(Unit, col(Unit.id) == Task.lead_unit_id)
        .where(col(CoordinationRequest.answered_at).is_(None), col(CoordinationRequest.requested_at) < end)
        .order_by(col(CoordinationRequest.due_on), col(CoordinationRequest.id))
    )
    if scope.only is not None:
        query = query.where(col(CoordinationRequest.unit_id) == scope.only)
    found: UnitItems = {}
    for request, task, plan, lead in scope.session.exec(query):
        days = (request.due_on - scope.as_of).days
        found.setdefault(request.unit_id, []).append(
            Item(
                reason=Reason.coordination_requested,
                ref=f"coordination:{request.id}",
                task_id=task.id or 0,
                code=task.code,
                title=task.title,
                plan_number=plan.number,
                unit=lead.name if lead else "",
                deadline=request.due_on,
                days_left=days if days >= 0 else None,
                days_overdue=-days if days < 0 else None,
                note=request.message,
                since=request.requested_at,
            )
        )
    return found


UNIT_SOURCES: tuple[UnitSource, ...] = (deadline_items, event_items, coordination_items)


def unit_items(scope: Scope) -> UnitItems:
    """Every unit's items (or the unit ONLY's) from every source, in the order of Reason."""
    merged: UnitItems = {}
    for source in UNIT_SOURCES:
        for unit_id, items in source(scope).items():
            merged.setdefault(unit_id, []).extend(items)
    return {unit_id: sort_items(items) for unit_id, items in merged.items()}


def sort_items(items: list[Item]) -> list[Item]:
    """By reason, keeping each source's own order within a reason."""
    return sorted(items, key=lambda item: REASON_ORDER[item.reason])


def secretariat_items(session: Session, as_of: date) -> list[Item]:
    """Completions awaiting confirmation and extension requests waiting, longest waiting first."""
    end = end_of_day(as_of).to_pydatetime()
    reports = [
        Item(
            reason=Reason.awaiting_confirmation,
            ref=f"task:{report.task_id}",
            task_id=report.task_id,
            code=report.code,
            title=report.title,
            plan_number=report.plan_number,
            unit=report.unit,
            note=report.note,
            since=report.reported_at,
        )
        for report in awaiting_confirmation(session)
        if report.reported_at < end
    ]
    requests = [
        Item(
            reason=Reason.extension_pending,
            ref=f"extension:{request.request_id}",
            task_id=request.task_id,
            code=request.code,
            title=request.title,
            plan_number=request.plan_number,
            unit=request.unit,
            deadline=request.requested_deadline,
            note=request.reason,
            since=request.requested_at,
        )
        for request in pending_extensions(session)
        if request.requested_at < end
    ]
    return reports + requests
