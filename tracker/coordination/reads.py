"""What coordination looks like: each coordinator's part of a task, and per unit its requests."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd
from sqlalchemy import func
from sqlalchemy import select as select_columns
from sqlmodel import Session, col, select

from models import CoordinationPart, CoordinationRequest, Task, TaskCoordinator, Unit, UnitKind
from tracker.frames import read_frame
from tracker.textfold import collation_key

COORDINATION_COLUMNS = ["unit_id", "unit", "received", "answered", "overdue"]


@dataclass(frozen=True)
class CoordinatorState:
    """One coordinating unit of a task: its latest part, and whether it answered the lead."""

    unit_id: int
    unit: str
    kind: str
    status: str | None  # PartStatus of its latest part; None when it recorded none
    note: str
    evidence: str
    recorded_at: datetime | None
    open_request_due: date | None  # the earliest due date of the requests it has not answered

    @property
    def answered(self) -> bool:
        return self.status is not None and self.open_request_due is None


def task_coordination(session: Session, task_id: int) -> list[CoordinatorState]:
    """The task's coordinating units in the annex's order, each with its latest part."""
    coordinators = session.exec(
        select(Unit)
        .join(TaskCoordinator, col(TaskCoordinator.unit_id) == Unit.id)
        .where(TaskCoordinator.task_id == task_id)
        .order_by(col(TaskCoordinator.position))
    ).all()
    parts = session.exec(
        select(CoordinationPart)
        .where(CoordinationPart.task_id == task_id)
        .order_by(col(CoordinationPart.recorded_at), col(CoordinationPart.id))
    ).all()
    latest = {part.unit_id: part for part in parts}
    open_requests = (
        select_columns(col(CoordinationRequest.unit_id), func.min(CoordinationRequest.due_on))
        .where(col(CoordinationRequest.task_id) == task_id, col(CoordinationRequest.answered_at).is_(None))
        .group_by(col(CoordinationRequest.unit_id))
    )
    due: dict[int, date] = {unit_id: day for unit_id, day in session.execute(open_requests)}
    states = []
    for unit in coordinators:
        assert unit.id is not None
        part = latest.get(unit.id)
        states.append(
            CoordinatorState(
                unit_id=unit.id,
                unit=unit.name,
                kind=unit.kind or UnitKind.unit.value,
                status=part.status if part else None,
                note=part.note if part else "",
                evidence=part.evidence if part else "",
                recorded_at=part.recorded_at if part else None,
                open_request_due=due.get(unit.id),
            )
        )
    return states


def coordination_table(
    session: Session, *, plan_ids: Sequence[int], as_of: date, before: datetime
) -> pd.DataFrame:
    """Per coordinating unit asked for input on the plans' tasks before BEFORE (the end of
    AS_OF): requests received, answered by then, and overdue (unanswered past their date)."""
    query = (
        select_columns(
            col(CoordinationRequest.unit_id),
            col(Unit.name),
            col(CoordinationRequest.due_on),
            col(CoordinationRequest.answered_at),
        )
        .join(Unit, col(Unit.id) == CoordinationRequest.unit_id)
        .join(Task, col(Task.id) == CoordinationRequest.task_id)
        .where(col(Task.plan_id).in_(list(plan_ids)), col(CoordinationRequest.requested_at) < before)
    )
    requests = read_frame(session, query).rename(columns={"name": "unit"})
    if requests.empty:
        return pd.DataFrame(columns=COORDINATION_COLUMNS)
    answered = requests["answered_at"].notna() & (requests["answered_at"] < pd.Timestamp(before))
    overdue = ~answered & (requests["due_on"] < pd.Timestamp(as_of))
    table = (
        requests.assign(received=1, answered=answered.astype(int), overdue=overdue.astype(int))
        .groupby(["unit_id", "unit"], as_index=False)[["received", "answered", "overdue"]]
        .sum()
    )
    order = sorted(range(len(table)), key=lambda index: collation_key(str(table["unit"].iat[index])))
    return table.iloc[order].reset_index(drop=True)[COORDINATION_COLUMNS]
