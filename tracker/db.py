"""How we talk to the database: one engine per URL and process, sessions, migrations.

SQLite gets WAL, foreign keys and a busy timeout on every connection. Its write
transactions begin with BEGIN IMMEDIATE: in WAL a transaction that reads and
then writes otherwise fails at once with "database is locked", whatever the
timeout, as soon as another writer committed in between.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from tracker.errors import StorageFull

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_upgraded: set[str] = set()
_upgrade_lock = threading.Lock()


def _prepare_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event, not the driver, open transactions.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection: Any) -> None:
        immediate = connection.get_execution_options().get("immediate", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


@cache
def get_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30})
        _prepare_sqlite(engine)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


def is_sqlite(engine: Engine) -> bool:
    return engine.url.get_backend_name() == "sqlite"


@contextmanager
def read_session(engine: Engine) -> Iterator[Session]:
    with Session(engine) as session:
        yield session


def _disk_full(error: DBAPIError) -> bool:
    """Whether the database refused a write because its disk is full (SQLite or PostgreSQL)."""
    return (
        getattr(error.orig, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL
        or getattr(error.orig, "sqlstate", None) == "53100"
    )


@contextmanager
def write_session(engine: Engine) -> Iterator[Session]:
    """One transaction that takes the write lock up front; commits on success.

    A full disk rolls the transaction back (the database keeps its last
    committed state) and is reported as StorageFull.
    """
    bound = engine.execution_options(immediate=True)
    try:
        with Session(bound, expire_on_commit=False) as session, session.begin():
            yield session
    except DBAPIError as error:
        if not _disk_full(error):
            raise
        raise StorageFull(
            "Ổ đĩa chứa cơ sở dữ liệu đã đầy nên thay đổi này chưa được lưu; không có gì bị ghi dở. "
            "Hãy báo quản trị viên giải phóng dung lượng rồi thử lại."
        ) from None


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine) -> None:
    """Create or upgrade the schema to the newest migration."""
    command.upgrade(alembic_config(engine), "head")


def open_database(url: str) -> Engine:
    """The engine for URL, its schema upgraded once per process."""
    engine = get_engine(url)
    with _upgrade_lock:
        if url not in _upgraded:
            upgrade(engine)
            _upgraded.add(url)
    return engine
