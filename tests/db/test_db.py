import threading
from datetime import date

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import SQLModel

import models  # noqa: F401
from models import Task
from tests.support.factories import make_plan, make_task, make_unit
from tracker.clock import now
from tracker.db import get_engine, read_session, write_session


def test_migrations_match_the_models(engine: Engine) -> None:
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    assert diff == []


def test_sqlite_connections_use_wal_and_foreign_keys(sqlite_url: str) -> None:
    engine = get_engine(sqlite_url)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000


def test_concurrent_read_then_write_transactions_never_lock(engine: Engine) -> None:
    plan = make_plan(engine)
    task = make_task(engine, plan, make_unit(engine), code="1", deadline=date(2025, 6, 30))
    errors: list[BaseException] = []

    def bump() -> None:
        try:
            for _ in range(20):
                with write_session(engine) as session:
                    current = session.get(Task, task.id, with_for_update=True)
                    assert current is not None
                    current.progress = (current.progress + 1) % 101
                    current.version += 1
        except BaseException as error:  # collected and re-raised in the test thread
            errors.append(error)

    threads = [threading.Thread(target=bump) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with read_session(engine) as session:
        assert session.get(Task, task.id).version == 1 + 8 * 20  # type: ignore[union-attr]


def test_foreign_keys_are_enforced(engine: Engine) -> None:
    plan = make_plan(engine)
    stamp = now()
    orphan = Task(
        plan_id=plan.id, code="x", title="x", lead_unit_id=99999, created_at=stamp, updated_at=stamp
    )
    with pytest.raises(IntegrityError), write_session(engine) as session:
        session.add(orphan)
    with read_session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Task)) == 0
