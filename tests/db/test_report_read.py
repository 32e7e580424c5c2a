"""A report's read of the history (queries.state_history_at): only the rows its days need, and
the same classes and late entries as the whole history gives."""

from __future__ import annotations

from datetime import date, datetime, time

import pandas as pd
import pytest
from sqlalchemy import Engine

from models import HistoryKind, StatusUpdate, TaskStatus
from tests.support.factories import add_state, backdate_task, make_plan, make_task, make_unit
from tracker.db import read_session, write_session
from tracker.views.periods import PeriodKind, previous_cutoff
from tracker.views.queries import TaskState, read_state

AS_OF = date(2025, 7, 20)
PREVIOUS = previous_cutoff(PeriodKind.month, AS_OF)
LONG_AGO = datetime(2025, 1, 2, 8)
MORNING = time(8)


def _history_row(engine: Engine, task_id: int | None, kind: HistoryKind, on: date, **fields: object) -> None:
    with write_session(engine) as session:
        session.add(
            StatusUpdate(
                task_id=task_id,
                kind=kind,
                effective_on=on,
                recorded_at=datetime.combine(on, datetime.min.time()),
                **fields,
            )
        )


@pytest.fixture
def history(engine: Engine) -> Engine:
    """Tasks with every kind of row a classification reads, at and around the report's days."""
    plan, unit = make_plan(engine, "45-KH/TU"), make_unit(engine, "Sở Nội vụ")
    tasks = [
        backdate_task(
            engine, make_task(engine, plan, unit, code=f"I.{n}", deadline=date(2025, 6, 30)), LONG_AGO
        )
        for n in range(1, 7)
    ]
    first, second, third, fourth, fifth, sixth = tasks
    # Several entries, some after each day: the last one by each day counts.
    for day, progress in ((date(2025, 2, 3), 10), (date(2025, 6, 10), 40), (date(2025, 7, 5), 70)):
        add_state(engine, first, TaskStatus.in_progress, day, progress=progress)
    add_state(engine, first, TaskStatus.completed, date(2025, 7, 25))
    # Entered in July for May and for June: late entries, one after June's own entry.
    add_state(engine, second, TaskStatus.in_progress, date(2025, 6, 2))
    add_state(engine, second, TaskStatus.completed, date(2025, 5, 20), recorded_at=datetime(2025, 7, 19, 9))
    # Recorded before the task's last one (a clock set back): recorded order decides.
    add_state(engine, third, TaskStatus.in_progress, date(2025, 4, 1), recorded_at=datetime(2025, 4, 1, 17))
    add_state(engine, third, TaskStatus.reported_done, date(2025, 3, 1), recorded_at=datetime(2025, 3, 1, 9))
    # An extension taking effect between the two days.
    _history_row(
        engine,
        fourth.id,
        HistoryKind.extension_approved,
        date(2025, 7, 1),
        old_value="2025-06-30",
        new_value="2025-09-30",
    )
    # Out of the plan from June, back in July.
    _history_row(engine, fifth.id, HistoryKind.dropped, date(2025, 6, 5))
    _history_row(engine, fifth.id, HistoryKind.relisted, date(2025, 7, 10))
    # Cancelled, then a backdated start.
    add_state(engine, sixth, TaskStatus.cancelled, date(2025, 6, 1))
    add_state(engine, sixth, TaskStatus.in_progress, date(2025, 5, 1), recorded_at=datetime(2025, 7, 2, 9))
    return engine


def _read(engine: Engine, known_on: datetime | None, days: tuple[date, ...] | None) -> TaskState:
    with read_session(engine) as session:
        return read_state(session, None, due_soon_days=7, known_on=known_on, days=days)


@pytest.mark.parametrize("known_on", [None, datetime(2025, 7, 1, 12), datetime(2025, 7, 19, 12)])
def test_the_days_read_classify_and_list_late_entries_as_the_whole_history(
    history: Engine, known_on: datetime | None
) -> None:
    days = (AS_OF, PREVIOUS)
    report, whole = _read(history, known_on, days), _read(history, known_on, None)
    assert isinstance(report.history, pd.DataFrame) and isinstance(whole.history, pd.DataFrame)
    assert len(report.history) < len(whole.history)
    for day in days:
        pd.testing.assert_frame_equal(report.at(day), whole.at(day))
    for kind in (PeriodKind.month, PeriodKind.quarter):
        # An empty list's text columns may differ in dtype only.
        pd.testing.assert_frame_equal(
            report.late(AS_OF, kind).reset_index(drop=True),
            whole.late(AS_OF, kind).reset_index(drop=True),
            check_dtype=False,
        )


def test_a_state_read_for_some_days_refuses_any_other(history: Engine) -> None:
    report = _read(history, None, (AS_OF, PREVIOUS))
    with pytest.raises(ValueError, match="2025-07-21"):
        report.at(date(2025, 7, 21))
    with pytest.raises(ValueError):
        report.trend([date(2025, 5, 31)])
