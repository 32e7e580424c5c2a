"""A write made outside this app process (the CLI, another server) shows at the next rerun.

The cached reads key on the stamps each write renews in the database (ui.cached),
so nothing has to clear this process's caches.
"""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from models import Role, TaskStatus
from tests.support.apptest import page_as, texts
from tests.support.factories import make_plan, make_task, make_unit, make_user, run_cli
from tracker.db import open_database
from tracker.i18n import label


@pytest.fixture
def engine(app_url: str) -> Engine:
    return open_database(app_url)


def test_a_task_added_and_a_completion_entered_through_the_cli_show_at_the_next_rerun(
    engine: Engine, app_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    plan, unit = make_plan(engine, "45-KH/TU"), make_unit(engine, "Sở Y tế")
    task = make_task(engine, plan, unit, code="I.1", status=TaskStatus.in_progress)
    secretariat = make_user(engine, Role.secretariat, username="van_phong")
    listing = page_as(secretariat, "pages/tasks.py").run()
    detail = page_as(secretariat, "pages/task.py", query={"task": str(task.id)}).run()
    assert "1 / 1" in texts(listing)
    assert label(TaskStatus.completed) not in texts(detail)

    make_task(engine, plan, unit, code="I.2")
    code, _, err = run_cli(app_url, capsys, "status", "I.1", "completed", "--by", "van_phong")
    assert code == 0, err

    assert "2 / 2" in texts(listing.run())
    assert label(TaskStatus.completed) in texts(detail.run())
