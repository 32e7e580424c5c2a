"""How we talk to the database: one engine per URL and process, sessions, migrations.

SQLite gets WAL, foreign keys and a busy timeout on every connection. Its write
transactions begin with BEGIN IMMEDIATE: in WAL a transaction that reads and
then writes otherwise fails at once with "database is locked", whatever the
timeout, as soon as another writer committed in between.
"""

from __future__ import annotations

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
from sqlalchemy.exc import DBAPIError, InterfaceError, InternalError, OperationalError
from sqlmodel import Session

from tracker.errors import DatabaseUnavailable

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
        # A "file:…?mode=ro&uri=true" URL names an existing file, often on purpose read-only.
        if parsed.database and parsed.database != ":memory:" and not parsed.database.startswith("file:"):
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30})
        _prepare_sqlite(engine)
        return engine
    # A server that does not answer is reported after 10 s, not after the system's minutes.
    return create_engine(
        url, pool_pre_ping=True, pool_size=10, max_overflow=20, connect_args={"connect_timeout": 10}
    )


def is_sqlite(engine: Engine) -> bool:
    return engine.url.get_backend_name() == "sqlite"


@contextmanager
def read_session(engine: Engine) -> Iterator[Session]:
    with Session(engine) as session:
        yield session


@contextmanager
def write_session(engine: Engine) -> Iterator[Session]:
    """One transaction that takes the write lock up front; commits on success."""
    bound = engine.execution_options(immediate=True)
    with Session(bound, expire_on_commit=False) as session, session.begin():
        yield session


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


# What the driver says (lowercased), and what to tell the user, from the most specific.
_REASONS: tuple[tuple[tuple[str, ...], str], ...] = (
    (
        ("readonly database", "read-only transaction"),
        "Không ghi được vào cơ sở dữ liệu {url}: cơ sở dữ liệu chỉ cho phép đọc",
    ),
    (
        ("database or disk is full", "no space left", "disk full"),
        "Không ghi được vào cơ sở dữ liệu {url}: hết chỗ trên đĩa",
    ),
    (("database is locked",), "Cơ sở dữ liệu {url} đang bận quá lâu: hãy thử lại sau ít phút"),
    (
        ("authentication failed", "no password supplied"),
        "Không kết nối được cơ sở dữ liệu {url}: máy chủ từ chối tài khoản kết nối",
    ),
    (("does not exist",), "Không kết nối được cơ sở dữ liệu {url}: máy chủ không có cơ sở dữ liệu này"),
    (("unable to open database file",), "Không mở được tệp cơ sở dữ liệu {url}"),
    (
        (
            "connection refused",
            "timeout expired",
            "could not connect",
            "connection failed",
            "no route to host",
            "could not translate host name",
            "name or service not known",
            "server closed the connection",
            "terminating connection",
            "connection is closed",
        ),
        "Không kết nối được cơ sở dữ liệu {url}: máy chủ không trả lời",
    ),
)


def describe_outage(url: str, error: DBAPIError) -> str:
    """One plain line for ERROR from the database at URL: what failed, never the SQL or its parameters."""
    shown = make_url(url).render_as_string(hide_password=True)
    said = str(error.orig)
    lowered = said.lower()
    for needles, message in _REASONS:
        if any(needle in lowered for needle in needles):
            return message.format(url=shown)
    first_line = said.strip().splitlines()[0] if said.strip() else type(error.orig).__name__
    return f"Lỗi cơ sở dữ liệu {shown}: {first_line}"


@contextmanager
def reporting_outages(url: str) -> Iterator[None]:
    """Turn a database that is down, read-only, full or busy into DatabaseUnavailable, for the CLI
    and the app to show in one line. Other database errors are bugs and stay as they are."""
    try:
        yield
    except (OperationalError, InternalError, InterfaceError) as error:
        raise DatabaseUnavailable(describe_outage(url, error)) from None
