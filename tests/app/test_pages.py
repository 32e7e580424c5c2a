"""Every page, found by globbing pages/, runs without an exception as each role,
on an empty database and on one with a plan; and each role's navigation lists
exactly the pages it may see.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine

from models import Role, Unit, User
from tests.support.apptest import PAGES, ROOT, page_as
from tests.support.factories import make_plan, make_task, make_unit, make_user
from tracker.clock import today
from tracker.db import open_database, write_session
from tracker.tasks import workflow
from tracker.tasks.extensions import request_extension
from ui.navigation import visible_pages

ROLES = tuple(Role)
# What each role finds in its sidebar (issue 2), among the pages that exist.
NAVIGATION = {
    Role.committee: {"overview", "units", "tasks", "task", "indicators", "reports", "issued"},
    Role.unit: {"my_unit", "overview", "tasks", "task", "indicators"},
    Role.secretariat: {
        "overview",
        "units",
        "tasks",
        "task",
        "indicators",
        "reports",
        "issued",
        "queue",
        "import_plan",
        "admin",
        "reminders",
    },
}


def user_of(engine: Engine, role: Role, unit: Unit | None = None) -> User:
    if role == Role.unit and unit is None:
        unit = make_unit(engine, "Sở Thông tin và Truyền thông")
    return make_user(engine, role, unit if role == Role.unit else None, username=f"nguoi_{role}")


def seed_plan(engine: Engine) -> Unit:
    """A small plan with a task in each state the pages show differently; returns its busiest unit."""
    plan = make_plan(engine, "45-KH/TU", title="Kế hoạch thực hiện Nghị quyết 57")
    own = make_unit(engine, "Sở Khoa học và Công nghệ")
    other = make_unit(engine, "Sở Tài chính")
    day = today()
    make_task(engine, plan, own, code="I.1", deadline=day - timedelta(days=10), coordinators=(other,))
    reported = make_task(engine, plan, own, code="I.2", deadline=day + timedelta(days=3))
    extended = make_task(engine, plan, other, code="II.1", deadline=day + timedelta(days=20))
    make_task(engine, plan, None, code="II.2", recurring=True)
    reporter = make_user(engine, Role.unit, own, username="can_bo_khcn")
    asker = make_user(engine, Role.unit, other, username="can_bo_tc")
    with write_session(engine) as session:
        workflow.report_done(session, by=reporter, task_id=reported.id, seen_version=1, completed_on=day)
        request_extension(
            session,
            by=asker,
            task_id=extended.id,
            requested_deadline=day + timedelta(days=60),
            reason="Chờ vốn",
        )
    return own


@pytest.fixture
def app_engine(app_url: str) -> Engine:
    return open_database(app_url)


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role", ROLES)
def test_every_page_runs_on_an_empty_database(app_engine: Engine, role: Role, page: str) -> None:
    at = page_as(user_of(app_engine, role), page).run()
    assert not at.exception, at.exception


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role", ROLES)
def test_every_page_runs_with_a_plan_loaded(app_engine: Engine, role: Role, page: str) -> None:
    user = user_of(app_engine, role, seed_plan(app_engine))
    at = page_as(user, page).run()
    assert not at.exception, at.exception
    english = page_as(user, page, lang="en").run()
    assert not english.exception, english.exception
    # With no placeholder of ours, an empty select box says "Choose an option" in English.
    empty = [box for box in at.selectbox if box.value is None and not box.proto.HasField("default")]
    empty += [box for box in at.multiselect if not box.value]
    assert [box.label for box in empty if not box.proto.placeholder] == []


@pytest.mark.parametrize("role", ROLES)
def test_each_role_sees_its_own_pages(app_engine: Engine, role: Role) -> None:
    existing = {path.removeprefix("pages/").removesuffix(".py") for path in PAGES}
    shown = {
        spec.file.removeprefix("pages/").removesuffix(".py")
        for spec in visible_pages(user_of(app_engine, role))
    }
    assert shown == NAVIGATION[role] & existing


def test_pages_are_found() -> None:
    assert "pages/task.py" in PAGES and (ROOT / "pages" / "task.py").exists()
