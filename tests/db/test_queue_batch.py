"""The secretariat confirms several reported completions at once; each keeps its own history row."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from models import HistoryKind, Role, StatusUpdate, Task, TaskStatus, User
from tests.support.factories import make_plan, make_task, make_unit, make_user
from tracker.clock import today
from tracker.db import read_session, write_session
from tracker.errors import InvalidValue, StaleVersion
from tracker.tasks.workflow import confirm_completions, report_done


def _reported(engine: Engine, count: int) -> tuple[list[Task], User]:
    plan, unit = make_plan(engine), make_unit(engine)
    staff = make_user(engine, Role.unit, unit)
    tasks = [make_task(engine, plan, unit, code=f"I.{n}") for n in range(1, count + 1)]
    with write_session(engine) as session:
        for task in tasks:
            report_done(session, by=staff, task_id=task.id or 0, seen_version=1, completed_on=today())
    return tasks, make_user(engine, Role.secretariat)


def _rows(engine: Engine, kind: HistoryKind) -> list[StatusUpdate]:
    with read_session(engine) as session:
        return list(session.exec(select(StatusUpdate).where(StatusUpdate.kind == kind)))


def test_each_selected_report_is_confirmed_with_its_own_history_row(engine: Engine) -> None:
    tasks, office = _reported(engine, 3)
    chosen = [(tasks[0].id or 0, 2), (tasks[2].id or 0, 2)]
    with write_session(engine) as session:
        confirmed = confirm_completions(session, by=office, reports=chosen, note="Đủ minh chứng")
    assert [task.code for task in confirmed] == ["I.1", "I.3"]
    rows = _rows(engine, HistoryKind.confirmed)
    assert sorted(row.task_id for row in rows) == sorted(task_id for task_id, _ in chosen)
    assert {row.note for row in rows} == {"Đủ minh chứng"}
    with read_session(engine) as session:
        statuses = [session.exec(select(Task.status).where(Task.id == task.id)).one() for task in tasks]
    assert statuses == [TaskStatus.completed, TaskStatus.reported_done, TaskStatus.completed]


def test_one_changed_report_confirms_none(engine: Engine) -> None:
    tasks, office = _reported(engine, 2)
    stale = [(tasks[0].id or 0, 2), (tasks[1].id or 0, 1)]
    with pytest.raises(StaleVersion), write_session(engine) as session:
        confirm_completions(session, by=office, reports=stale)
    assert _rows(engine, HistoryKind.confirmed) == []


def test_confirming_nothing_is_refused(engine: Engine) -> None:
    _, office = _reported(engine, 1)
    with pytest.raises(InvalidValue, match="Chưa chọn"), write_session(engine) as session:
        confirm_completions(session, by=office, reports=[])
