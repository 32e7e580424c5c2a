"""The fast bulk read (tracker.frames.read_frame through the driver's cursor, the units per task
grouped in arrays) gives the very frames SQLAlchemy's rows give: values, NULLs, dtypes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import Date, DateTime, Engine, Select, String, cast, select
from sqlmodel import Session, col

from benchmarks.seed import seed_large
from models import Task, TaskCoordinator, TaskLead, TaskStatus, Unit, UnitKind
from tests.support.factories import add_state, make_plan, make_task, make_unit, make_user
from tracker import frames
from tracker.db import read_session
from tracker.views import queries
from tracker.views.classify import prepared
from tracker.views.queries import history_frame, state_history, tasks_frame
from tracker.views.store import StateStore


def _rows_frame(session: Session, query: Select[Any]) -> pd.DataFrame:
    """QUERY read the plain way: SQLAlchemy's rows, dates as ISO text parsed by pandas."""
    columns = list(query.selected_columns)
    dated = {column.name for column in columns if isinstance(column.type, Date | DateTime)}
    textual = query.with_only_columns(
        *(cast(column, String).label(column.name) if column.name in dated else column for column in columns),
        maintain_column_froms=True,
    )
    result = session.connection().execute(textual)
    keys = list(result.keys())
    frame = pd.DataFrame.from_records([tuple(row) for row in result.all()], columns=keys)
    for name in dated:
        frame[name] = pd.to_datetime(frame[name], format="ISO8601")
    return frame


@pytest.fixture
def seeded(engine: Engine) -> Engine:
    seed_large(engine, tasks=60, units=7, history=400)
    plan = make_plan(engine)
    lead, other = make_unit(engine, kind=UnitKind.collective.value), make_unit(engine)
    recurring = make_task(
        engine, plan, lead, deadline=date(2025, 3, 1), coordinators=(other, lead), recurring=True
    )
    # No lead, no deadline, no coordinators: the NULLs and empty lists.
    lone = make_task(engine, plan, None, title='Dấu "ngoặc", phẩy\nvà xuống dòng')
    user = make_user(engine, "admin", unit=lead)
    add_state(engine, recurring, TaskStatus.completed, date(2025, 2, 1), user=user, note="xong")
    add_state(
        engine,
        lone,
        TaskStatus.in_progress,
        date(2025, 2, 2),
        recorded_at=datetime(2025, 2, 2, 9, 30, 1, 250),
    )
    return engine


def _linked_plainly(
    session: Session, link: type[TaskLead] | type[TaskCoordinator], task_id: int
) -> list[Any]:
    query = (
        select(col(link.unit_id), col(Unit.name), col(Unit.kind))
        .join(Unit, col(Unit.id) == link.unit_id)
        .where(col(link.task_id) == task_id)
        .order_by(col(link.position))
    )
    return [tuple(row) for row in session.connection().execute(query)]


def test_the_fast_read_gives_the_frames_the_rows_give(
    seeded: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    with read_session(seeded) as session:
        fast = {
            "tasks": tasks_frame(session),
            "history": history_frame(session),
            "state": state_history(session),
            "after": state_history(session, after_id=10**9),
        }
        with monkeypatch.context() as patched:
            patched.setattr(queries, "read_frame", _rows_frame)
            plain = {
                "history": history_frame(session),
                "state": state_history(session),
                "after": frames.read_frame(session, select(col(Task.id)).where(col(Task.id) < 0)),
            }
            plain_tasks = tasks_frame(session)
        for name in ("history", "state"):
            pd.testing.assert_frame_equal(fast[name], plain[name])
        assert fast["after"].empty and fast["after"]["recorded_at"].dtype == "datetime64[s]"
        tasks = fast["tasks"]
        linked = [name for name in tasks.columns if name.startswith(("lead_unit_", "coordinating_"))]
        linked.remove("lead_unit_id")
        pd.testing.assert_frame_equal(tasks.drop(columns=linked), plain_tasks.drop(columns=linked))
        assert tasks["recurring"].dtype == bool and tasks["recurring"].any() and not tasks["recurring"].all()
        assert tasks["lead_unit_id"].dtype == "Int64" and tasks["lead_unit_id"].isna().sum() == 1
        for row in tasks.itertuples():
            for link, prefix in ((TaskLead, "lead"), (TaskCoordinator, "coordinating")):
                expected = _linked_plainly(session, link, row.id)
                assert getattr(row, f"{prefix}_unit_ids") == [unit_id for unit_id, _, _ in expected]
                assert getattr(row, f"{prefix}_units") == [name for _, name, _ in expected]
                kinds = [kind or UnitKind.unit.value for _, _, kind in expected]
                assert getattr(row, f"{prefix}_unit_kinds") == kinds
        assert tasks["coordinating_unit_ids"].map(len).max() == 2
        assert (
            tasks["coordinating_unit_kinds"].map(tuple) == (UnitKind.unit.value, UnitKind.collective.value)
        ).any()
        # The store's full load reads the same frames.
        state = StateStore().state(session, None, due_soon_days=7)
        pd.testing.assert_frame_equal(state.tasks, tasks)
        # The store holds its history prepared for classification: compare it with the read one's.
        pd.testing.assert_frame_equal(state.prepared.frame, prepared(fast["state"]).frame)


def test_columns_of_nothing_but_nulls_and_booleans_keep_their_types(engine: Engine) -> None:
    plan = make_plan(engine)
    make_task(engine, plan, None)
    with read_session(engine) as session:
        query = select(
            col(Task.deadline),
            col(Task.source_row),
            col(Task.recurring),
            col(Task.lead_unit_id).is_(None).label("alone"),
        )
        fast, plain = frames.read_frame(session, query), _rows_frame(session, query)
    pd.testing.assert_frame_equal(fast, plain)
