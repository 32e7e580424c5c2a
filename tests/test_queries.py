"""Reading tasks and history as DataFrames, classifying them, filtering and aggregating."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine

from models import Plan, PlanStatus, Task, TaskClass, TaskStatus, Unit
from tests.factories import add_state, backdate_task, make_plan, make_task, make_unit, make_user
from tracker.db import read_session
from tracker.queries import classified_tasks, history_frame, tasks_frame

AS_OF = date(2025, 6, 30)


def dated_task(engine: Engine, plan: Plan, unit: Unit | None, **fields: Any) -> Task:
    return backdate_task(engine, make_task(engine, plan, unit, **fields), datetime(2025, 1, 2, 8))


def test_tasks_frame_has_plan_units_and_coordinators_in_annex_order(engine: Engine) -> None:
    plan = make_plan(engine, "45-KH/TU")
    lead, first, second = make_unit(engine, "Sở Nội vụ"), make_unit(engine, "Sở Tài chính"), make_unit(engine)
    make_task(engine, plan, lead, code="I.2", position=2, deadline=date(2025, 3, 31))
    make_task(engine, plan, None, code="I.1", position=1, coordinators=(second, first))
    with read_session(engine) as session:
        frame = tasks_frame(session)
    assert list(frame["code"]) == ["I.1", "I.2"]
    assert list(frame["plan_number"]) == ["45-KH/TU", "45-KH/TU"]
    assert frame.loc[0, "coordinating_units"] == [second.name, "Sở Tài chính"]
    assert frame.loc[1, "coordinating_units"] == []
    assert list(frame["lead_unit"]) == ["", "Sở Nội vụ"]


def test_default_plan_filter_is_the_plans_in_force(engine: Engine) -> None:
    unit = make_unit(engine)
    current, old = make_plan(engine, "45-KH/TU"), make_plan(engine, "12-KH/TU", status=PlanStatus.replaced)
    make_task(engine, current, unit, code="I.1")
    make_task(engine, old, unit, code="I.1")
    with read_session(engine) as session:
        assert list(tasks_frame(session)["plan_number"]) == ["45-KH/TU"]
        both = tasks_frame(session, plan_ids=[current.id or 0, old.id or 0])
    assert sorted(both["plan_number"]) == ["12-KH/TU", "45-KH/TU"]


def test_classified_tasks_reads_history_up_to_the_date(engine: Engine) -> None:
    plan, unit = make_plan(engine), make_unit(engine)
    done = dated_task(engine, plan, unit, code="1", deadline=date(2025, 6, 15))
    late = dated_task(engine, plan, unit, code="2", deadline=date(2025, 6, 15))
    dated_task(engine, plan, unit, code="3", deadline=date(2025, 6, 29))
    add_state(engine, done, TaskStatus.completed, date(2025, 6, 1))
    add_state(engine, late, TaskStatus.completed, date(2025, 7, 2))
    with read_session(engine) as session:
        frame = classified_tasks(session, as_of=AS_OF).set_index("code")
        later = classified_tasks(session, as_of=date(2025, 7, 3)).set_index("code")
    assert list(frame["task_class"]) == [TaskClass.completed_on_time, TaskClass.overdue, TaskClass.overdue]
    assert later.loc["2", "task_class"] == TaskClass.completed_late


def test_history_frame_names_the_author(engine: Engine) -> None:
    plan, unit = make_plan(engine), make_unit(engine)
    user = make_user(engine, "unit", unit)
    task = make_task(engine, plan, unit)
    add_state(engine, task, TaskStatus.in_progress, date(2025, 6, 1), user=user, note="Đang khảo sát")
    with read_session(engine) as session:
        frame = history_frame(session, task_ids=[task.id or 0])
    assert list(frame["user_name"]) == [user.display_name]
    assert list(frame["note"]) == ["Đang khảo sát"]
    assert list(frame["user_unit_id"]) == [unit.id]
