"""Demo progress for the sample plan: every kind of state, consistent task rows, deterministic."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from models import Plan, Role, Task, TaskClass, TaskStatus
from tests.support.factories import make_user
from tracker.config import SAMPLE_PLAN
from tracker.db import open_database, read_session, write_session
from tracker.demo import seed_demo_progress
from tracker.errors import InvalidValue
from tracker.importer.apply import apply_import
from tracker.importer.preview import preview_import
from tracker.tasks.permissions import SYSTEM
from tracker.views.classify import summarize
from tracker.views.queries import classified_tasks

TODAY = date(2026, 11, 26)


def sample_with_demo(engine: Engine) -> int:
    make_user(engine, Role.secretariat)
    with write_session(engine) as session:
        preview = preview_import(session, data=SAMPLE_PLAN.read_bytes(), file_name=SAMPLE_PLAN.name)
        apply_import(session, preview=preview, by=SYSTEM, skip_errors=True)
        plan = session.exec(select(Plan)).one()
        assert plan.id is not None
        seed_demo_progress(session, plan_id=plan.id, today=TODAY)
        return plan.id


def test_demo_shows_every_kind_of_state_and_task_rows_match_history(engine: Engine) -> None:
    sample_with_demo(engine)
    with read_session(engine) as session:
        now = classified_tasks(session, as_of=TODAY, due_soon_days=7)
        early = classified_tasks(session, as_of=date(2025, 4, 14), due_soon_days=7)
        tasks = {task.id: task for task in session.exec(select(Task))}
    summary = summarize(now)
    for name in (
        TaskClass.completed_on_time,
        TaskClass.completed_late,
        TaskClass.in_progress_on_time,
        TaskClass.overdue,
    ):
        assert summary.counts[name] > 0, name
    assert summary.awaiting_confirmation >= 1
    assert summary.extended == 1
    assert (now["status"] == TaskStatus.paused).sum() == 1
    # The plan existed from its start: past dates show all tasks, with less done.
    assert len(early) == len(now)
    assert summarize(early).completed < summary.completed
    for row in now.to_dict("records"):
        task = tasks[row["id"]]
        assert (task.status, task.progress) == (row["status"], row["progress"]), task.code
    extended = next(task for task in tasks.values() if task.original_deadline is not None)
    assert extended.deadline is not None and extended.deadline > TODAY


def test_demo_is_deterministic(engine: Engine, sqlite_template: Path, tmp_path: Path) -> None:
    sample_with_demo(engine)
    copy = tmp_path / "other.db"
    shutil.copy(sqlite_template, copy)
    other = open_database(f"sqlite:///{copy}")
    sample_with_demo(other)
    with read_session(engine) as first, read_session(other) as second:
        classes = [
            list(
                classified_tasks(s, as_of=TODAY, due_soon_days=7)[["code", "status"]].itertuples(index=False)
            )
            for s in (first, second)
        ]
    assert classes[0] == classes[1]


def test_demo_refuses_a_plan_that_already_has_progress(engine: Engine) -> None:
    plan_id = sample_with_demo(engine)
    with (
        write_session(engine) as session,
        pytest.raises(InvalidValue, match="45-KH/UBND đã có dữ liệu tiến độ"),
    ):
        seed_demo_progress(session, plan_id=plan_id, today=TODAY)
