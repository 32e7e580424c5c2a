"""The app and the CLI upgrade a database made by an earlier schema and keep its data.

tests/data/schema_0001.db was made by the first migration through the CLI
(an account, the sample annex, one status change) and is never regenerated:
each later migration must carry it forward.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy import text

from tests.support.importing import row_counts
from tracker.db import alembic_config, open_database, read_session
from tracker.directory.auth import authenticate
from tracker.directory.plans import find_task

OLD_DATABASE = Path(__file__).parent.parent / "data" / "schema_0001.db"


def test_an_old_database_is_upgraded_on_open_and_keeps_its_data(tmp_path: Path) -> None:
    copy = tmp_path / "old.db"
    shutil.copy(OLD_DATABASE, copy)
    engine = open_database(f"sqlite:///{copy}")
    head = ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == head
    counts = row_counts(engine)
    assert counts["task"] == 43
    assert counts["user"] == 1
    assert counts["statusupdate"] == 44
    with read_session(engine) as session:
        task = find_task(session, "I.1")
        assert (task.status, task.progress) == ("in_progress", 40)
    assert (
        authenticate(engine, username="vanphong", password="mat-khau-cu-2025", address="192.0.2.10").role
        == "secretariat"
    )
    engine.dispose()
