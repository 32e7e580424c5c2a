"""A task a revision dropped: marked on every page that lists it, kept or cancelled from the queue."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import select
from streamlit.testing.v1 import AppTest

from models import HistoryKind, Plan, Role, StatusUpdate, Task, TaskStatus, Unit, User
from tests.support.annexes import SMALL_TASKS, annex, xlsx
from tests.support.apptest import open_card, page_as, shown, texts
from tests.support.factories import make_user
from tests.support.importing import run_import
from tracker.clock import today
from tracker.db import open_database, read_session

REVISED = [row for row in SMALL_TASKS if row[1] != "Trung tâm dữ liệu tỉnh"]
MARK = f"Không còn trong kế hoạch từ {today():%d/%m/%Y}"


@pytest.fixture
def app_engine(app_url: str) -> Engine:
    engine = open_database(app_url)
    run_import(engine, xlsx(annex(SMALL_TASKS)))
    run_import(engine, xlsx(annex(REVISED)))
    return engine


def dropped(engine: Engine) -> Task:
    with read_session(engine) as session:
        return session.exec(select(Task).join(Plan).where(Task.code == "II.2")).one()


def finance_staff(engine: Engine) -> User:
    with read_session(engine) as session:
        unit = session.exec(select(Unit).where(Unit.name == "Sở Tài chính")).one()
    return make_user(engine, Role.unit, unit)


def button(at: AppTest, task: Task, label: str) -> Any:
    """The button LABEL of the queue's decision form on TASK."""
    return next(b for b in at.form_submit_button if b.form_id == f"dropped:{task.id}" and b.label == label)


def test_the_secretariat_keeps_a_dropped_task_from_the_queue(app_engine: Engine) -> None:
    secretariat = make_user(app_engine, Role.secretariat)
    at = page_as(secretariat, "pages/queue.py").run()
    assert not at.exception
    assert "Không còn trong kế hoạch (1)" in [tab.label for tab in at.tabs]
    assert MARK in texts(at)
    task = dropped(app_engine)
    keep = next(
        b
        for b in at.form_submit_button
        if b.form_id == f"dropped:{task.id}" and b.label == "Giữ trong kế hoạch"
    )
    keep.click().run()
    assert not at.exception
    assert shown(at.toast) == ["Đã giữ nhiệm vụ II.2 trong kế hoạch."]
    kept = dropped(app_engine)
    assert (kept.missing_since, kept.version) == (None, task.version + 1)
    with read_session(app_engine) as session:
        rows = session.exec(select(StatusUpdate).where(StatusUpdate.task_id == task.id)).all()
    assert rows[-1].kind == HistoryKind.kept
    assert "Không có nhiệm vụ nào chờ quyết định hủy hay giữ lại trong kế hoạch." in texts(at)


def test_cancelling_from_the_queue_needs_a_reason(app_engine: Engine) -> None:
    secretariat = make_user(app_engine, Role.secretariat)
    task = dropped(app_engine)
    at = page_as(secretariat, "pages/queue.py").run()

    def cancel() -> None:
        button = next(
            b
            for b in at.form_submit_button
            if b.form_id == f"dropped:{task.id}" and b.label == "Hủy nhiệm vụ"
        )
        button.click().run()

    cancel()
    assert shown(at.error) == ["Cần ghi lý do hủy nhiệm vụ."]
    assert dropped(app_engine).status == TaskStatus.not_started
    at.text_area(key=f"dropped:{task.id}:note").set_value("Kế hoạch sửa đổi đã bỏ")
    cancel()
    assert not at.exception
    assert shown(at.toast) == ["Đã hủy nhiệm vụ II.2."]
    after = dropped(app_engine)
    assert (after.status, after.missing_since) == (TaskStatus.cancelled, today())


def test_the_mark_shows_on_the_task_page_the_task_list_and_the_units_own_page(app_engine: Engine) -> None:
    staff = finance_staff(app_engine)
    task = dropped(app_engine)
    page = page_as(staff, "pages/task.py", query={"task": str(task.id)}).run()
    assert not page.exception
    assert MARK in texts(page)
    # The card draws its content once opened (the headline names the standing while closed).
    mine = open_card(page_as(staff, "pages/my_unit.py"), int(task.id)).run()
    assert not mine.exception
    assert MARK in texts(mine)
    assert "Không còn trong kế hoạch (không tính vào tổng số): 1 nhiệm vụ" in texts(mine)
    listed = page_as(staff, "pages/tasks.py").run()
    assert not listed.exception
    assert "Không còn trong kế hoạch (không tính vào tổng số): 1 nhiệm vụ" in texts(listed)
    english = page_as(staff, "pages/task.py", query={"task": str(task.id)}, lang="en").run()
    assert f"Not in the plan since {today():%d/%m/%Y}" in texts(english)


def test_unit_staff_have_no_queue_to_keep_from(app_engine: Engine) -> None:
    at = page_as(finance_staff(app_engine), "pages/queue.py").run()
    assert not at.exception
    assert not [b for b in at.form_submit_button if b.form_id.startswith("dropped:")]
