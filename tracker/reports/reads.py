"""What a report reads beyond the classified tasks: the units' last notes and the evidence, as of a date."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

import pandas as pd
from sqlalchemy import and_, or_, select, true
from sqlmodel import Session, col

from models import Evidence, HistoryKind, StatusUpdate, Task, TaskLead, User
from tracker.frames import read_frame


def last_unit_notes(
    session: Session,
    *,
    plan_ids: Sequence[int],
    as_of: date,
    known_on: datetime | None,
    task_ids: Sequence[int] | None = None,
) -> pd.Series:
    """Per task id (of TASK_IDS only, when given), the last non-empty note a lead unit wrote for
    a day up to AS_OF, among those recorded by KNOWN_ON (None: now).

    A note counts as the unit's when its author belongs to the task's lead
    units (any joint lead), or, with no author on record (imports, demo data), when it came with
    a progress update.
    """
    leads = select(col(TaskLead.unit_id)).where(col(TaskLead.task_id) == col(StatusUpdate.task_id))
    from_unit = or_(
        col(User.unit_id).in_(leads),
        and_(col(StatusUpdate.user_id).is_(None), col(StatusUpdate.kind) == HistoryKind.status),
    )
    # Per task, its newest row through the task's index: ranking every row of the plans with a
    # window function sorted a million of them.
    last = (
        select(col(StatusUpdate.note))
        .outerjoin(User, col(User.id) == StatusUpdate.user_id)
        .where(
            col(StatusUpdate.task_id) == col(Task.id),
            col(StatusUpdate.note) != "",
            col(StatusUpdate.effective_on) <= as_of,
            true() if known_on is None else col(StatusUpdate.recorded_at) <= known_on,
            from_unit,
        )
        .order_by(col(StatusUpdate.recorded_at).desc(), col(StatusUpdate.id).desc())
        .limit(1)
        .correlate(Task)
        .scalar_subquery()
    )
    query = select(col(Task.id).label("task_id"), last.label("note")).where(
        col(Task.plan_id).in_(list(plan_ids)),
        true() if task_ids is None else col(Task.id).in_(list(task_ids)),
    )
    frame = read_frame(session, query)
    return frame.dropna(subset=["note"]).set_index("task_id")["note"]


def evidence_references(session: Session, *, plan_ids: Sequence[int], before: datetime) -> pd.Series:
    """Per task id, its evidence uploaded before BEFORE, as one line: references, else file names or links."""
    query = (
        select(col(Evidence.task_id), col(Evidence.reference), col(Evidence.file_name), col(Evidence.link))
        .join(Task, col(Task.id) == Evidence.task_id)
        .where(col(Task.plan_id).in_(list(plan_ids)), col(Evidence.uploaded_at) < before)
        .order_by(col(Evidence.task_id), col(Evidence.uploaded_at), col(Evidence.id))
    )
    frame = read_frame(session, query)
    if frame.empty:
        return pd.Series(dtype=str)
    named = frame["reference"].where(frame["reference"] != "", frame["file_name"])
    named = named.where(named != "", frame["link"])
    return named[named != ""].groupby(frame["task_id"]).agg("; ".join)
