"""The queue's batch confirmation; a unit sees its pending extension request instead of a second form."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from models import HistoryKind, StatusUpdate, Task, TaskStatus
from tests.support.apptest import page_as, shown, texts
from tests.support.reminders import account, build_world
from tracker.clock import today
from tracker.db import open_database, read_session, write_session
from tracker.tasks.extensions import request_extension
from tracker.tasks.workflow import report_done


@pytest.fixture
def app_engine(app_url: str) -> Engine:
    return open_database(app_url)


def test_the_secretariat_confirms_two_reports_at_once(app_engine: Engine) -> None:
    world = build_world(app_engine)
    staff = account(app_engine, "a1")
    with write_session(app_engine) as session:
        report_done(
            session, by=staff, task_id=world.tasks["I.4"].id or 0, seen_version=1, completed_on=today()
        )
    at = page_as(world.secretariat, "pages/queue.py").run()
    picker = at.multiselect(key="batch_confirm:chosen")
    assert len(picker.options) == 2
    # Each choice is "task id:version shown".
    picker.set_value([f"{world.tasks[code].id}:2" for code in ("I.4", "I.5")])
    next(button for button in at.form_submit_button if button.form_id == "batch_confirm").click().run()
    assert not at.exception
    assert shown(at.toast) == ["Đã xác nhận hoàn thành 2 nhiệm vụ."]
    ids = [world.tasks["I.4"].id, world.tasks["I.5"].id]
    with read_session(app_engine) as session:
        rows = session.exec(select(StatusUpdate).where(StatusUpdate.kind == HistoryKind.confirmed)).all()
        statuses = {session.exec(select(Task.status).where(Task.id == task_id)).one() for task_id in ids}
    assert sorted(row.task_id for row in rows) == sorted(ids)
    assert statuses == {TaskStatus.completed}


def test_a_unit_sees_its_pending_extension_request_and_no_second_form(app_engine: Engine) -> None:
    world = build_world(app_engine)
    staff = account(app_engine, "a1")
    task_id = world.tasks["I.4"].id or 0
    wanted = today() + timedelta(days=400)
    with write_session(app_engine) as session:
        request_extension(session, by=staff, task_id=task_id, requested_deadline=wanted, reason="Chờ vốn")
    at = page_as(staff, "pages/task.py", query={"task": str(task_id)}).run()
    assert not at.exception
    assert f"Đề nghị gia hạn đến {wanted:%d/%m/%Y}" in texts(at)
    assert "đang chờ Tổ giúp việc xử lý" in texts(at)
    assert not [form for form in at.form_submit_button if form.form_id == f"extension:{task_id}"]
