"""How we talk to the database: one engine per URL and process, sessions, migrations, data versions.

SQLite gets WAL, foreign keys and a busy timeout on every connection. Its write
transactions begin with BEGIN IMMEDIATE: in WAL a transaction that reads and
then writes otherwise fails at once with "database is locked", whatever the
timeout, as soon as another writer committed in between. Writers of one process
(the app's sessions are threads) queue for the file in turn before that:
SQLite's busy handler polls in sleeps growing to 100 ms, so a writer that
arrives behind a few others would wait far longer than their transactions hold
the lock. Other processes meet the busy timeout as before.

Every transaction that writes renews, before it commits and inside it, the
stamp of each table it wrote (models.DataVersion). A cache keyed on the stamps
of the tables it read is then right for every process on the database: the
app servers, the CLI. Read the stamps before the data they key: an entry is
then never older than its key. On PostgreSQL a table's stamp is kept in shares
(a row per share), so that parallel writers do not queue for one row.
"""

from __future__ import annotations

import itertools
import random
import re
import sqlite3
import threading
import uuid
import weakref
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from functools import cache
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, Executable, Table, create_engine, event, inspect, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, InterfaceError, InternalError, OperationalError
from sqlalchemy.orm import ORMExecuteState, UOWTransaction
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session

from models import DataVersion
from tracker.errors import DatabaseUnavailable, StorageFull, os_reason

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_upgraded: set[str] = set()
_upgrade_lock = threading.Lock()
# A migration's own id and the one it follows, as the files of migrations/versions write them.
_REVISION = re.compile(r"^revision(?::\s*str)?\s*=\s*[\"']([^\"']+)[\"']", re.MULTILINE)
_DOWN_REVISION = re.compile(r"^down_revision(?::[^=]*)?\s*=\s*[\"']([^\"']+)[\"']", re.MULTILINE)
_VERSIONS: Table = DataVersion.__table__  # type: ignore[attr-defined]
_WRITTEN = "written_tables"


def _prepare_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event, not the driver, open transactions.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={_BUSY_SECONDS * 1000}")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection: Any) -> None:
        immediate = connection.get_execution_options().get("immediate", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


class _WriterQueue:
    """Writer threads of one process, let in one at a time in the order they came.

    First come, first served: a plain lock lets the thread that just released
    it take it again before a waiting one wakes, so a busy writer would starve
    the others. A thread already in may enter again (SQLite then decides, as
    it would without the queue), and one that waited as long as the busy
    timeout goes on to meet SQLite's own answer.
    """

    def __init__(self, timeout: float) -> None:
        self._timeout = timeout
        self._guard = threading.Lock()
        self._waiting: deque[threading.Event] = deque()
        self._owner: int | None = None
        self._depth = 0

    @contextmanager
    def turn(self) -> Iterator[None]:
        entered = self._enter()
        try:
            yield
        finally:
            if entered:
                self._leave()

    def _enter(self) -> bool:
        """Wait for this thread's turn; False when it did not come within the timeout."""
        me = threading.get_ident()
        with self._guard:
            if self._owner == me:
                self._depth += 1
                return True
            if self._owner is None:
                self._owner = me
                return True
            called = threading.Event()
            self._waiting.append(called)
        called.wait(self._timeout)
        with self._guard:
            if called.is_set():
                self._owner = me
                return True
            self._waiting.remove(called)
            return False

    def _leave(self) -> None:
        with self._guard:
            if self._depth:
                self._depth -= 1
            elif self._waiting:
                # The turn is the next thread's from here, before it even wakes.
                self._owner = _HANDED_OVER
                self._waiting.popleft().set()
            else:
                self._owner = None


# No thread has this id: the owner of a turn handed over whose thread has not woken yet.
_HANDED_OVER = -1
_BUSY_SECONDS = 30
_writer_queues: weakref.WeakKeyDictionary[Engine, _WriterQueue] = weakref.WeakKeyDictionary()
_queues_lock = threading.Lock()


def _make_folder(url: str, folder: Path) -> None:
    """The folder of a new SQLite file; a path where it cannot be is an outage, said in one line."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise DatabaseUnavailable(
            f"Không mở được tệp cơ sở dữ liệu {url}: không tạo được thư mục '{folder}' ({os_reason(error)})"
        ) from None


@cache
def get_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        # A "file:…?mode=ro&uri=true" URL names an existing file, often on purpose read-only.
        if parsed.database and parsed.database != ":memory:" and not parsed.database.startswith("file:"):
            _make_folder(url, Path(parsed.database).parent)
        engine = create_engine(url, connect_args={"timeout": _BUSY_SECONDS})
        _prepare_sqlite(engine)
        return engine
    # A server that does not answer is reported after 10 s, not after the system's minutes.
    engine = create_engine(
        url, pool_pre_ping=True, pool_size=10, max_overflow=20, connect_args={"connect_timeout": 10}
    )
    _deal_shares(engine)
    return engine


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


def _writers_turn(engine: Engine) -> AbstractContextManager[None]:
    """On SQLite, this thread's turn among the process's writers to ENGINE's file."""
    if not is_sqlite(engine):
        return nullcontext()
    with _queues_lock:
        queue = _writer_queues.setdefault(engine, _WriterQueue(_BUSY_SECONDS))
    return queue.turn()


@contextmanager
def write_session(engine: Engine) -> Iterator[Session]:
    """One transaction that takes the write lock up front; commits on success.

    A full disk rolls the transaction back (the database keeps its last
    committed state) and is reported as StorageFull.
    """
    bound = engine.execution_options(immediate=True)
    try:
        with _writers_turn(engine), Session(bound, expire_on_commit=False) as session, session.begin():
            yield session
    except DBAPIError as error:
        if not _disk_full(error):
            raise
        raise StorageFull(
            "Ổ đĩa chứa cơ sở dữ liệu đã đầy nên thay đổi này chưa được lưu; không có gì bị ghi dở. "
            "Hãy báo quản trị viên giải phóng dung lượng rồi thử lại."
        ) from None


def alembic_config(engine: Engine) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine) -> None:
    """Create or upgrade the schema to the newest migration."""
    from alembic import command

    command.upgrade(alembic_config(engine), "head")


@cache
def _heads() -> frozenset[str] | None:
    """The newest migrations, read from the files' revision lines without loading alembic;
    None when a file does not say its revision plainly (alembic then decides)."""
    revisions: set[str] = set()
    followed: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        found = _REVISION.search(source)
        if found is None:
            return None
        revisions.add(found.group(1))
        followed.update(match.group(1) for match in _DOWN_REVISION.finditer(source))
    return frozenset(revisions - followed)


def _is_current(engine: Engine) -> bool:
    heads = _heads()
    if not heads:
        return False
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return False
        stored = connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalars().all()
    return frozenset(stored) == heads


def open_database(url: str) -> Engine:
    """The engine for URL, its schema upgraded once per process (alembic is not even loaded
    when the schema is already the newest: a command's start stays short)."""
    engine = get_engine(url)
    with _upgrade_lock:
        if url not in _upgraded:
            if not _is_current(engine):
                upgrade(engine)
            _upgraded.add(url)
    return engine


def _written(session: OrmSession) -> set[str]:
    tables: set[str] = session.info.setdefault(_WRITTEN, set())
    return tables


def note_written(session: OrmSession, table: str) -> None:
    """Count TABLE as written by SESSION's transaction: for writes sent to the driver directly,
    which the session's events do not see."""
    _written(session).add(table)


@event.listens_for(OrmSession, "after_flush")
def _note_flushed(session: OrmSession, _flush: UOWTransaction) -> None:
    # After a flush the session still lists what it flushed.
    changed = [*session.new, *session.deleted, *(obj for obj in session.dirty if session.is_modified(obj))]
    _written(session).update(inspect(obj).mapper.persist_selectable.name for obj in changed)


@event.listens_for(OrmSession, "do_orm_execute")
def _note_statement(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        _written(state.session).add(state.statement.table.name)  # type: ignore[attr-defined]


@event.listens_for(OrmSession, "before_commit")
def _renew_stamps(session: OrmSession) -> None:
    session.flush()
    written = session.info.pop(_WRITTEN, set()) - {_VERSIONS.name}
    if written:
        renew_stamps(session.connection(), written)


@event.listens_for(OrmSession, "after_rollback")
def _forget_written(session: OrmSession) -> None:
    session.info.pop(_WRITTEN, None)


# PostgreSQL writers run side by side, and a stamp row one of them renewed stays locked until
# its transaction commits: with one row per table every writer of the task table would wait
# for the commit of the one before. There each connection renews its own share of a table's
# stamp (row "task#3"), and a table's stamp is read as all its shares together. An engine deals
# the shares to its connections in turn from a random start, so that the connections of one
# process do not share, and those of several processes seldom do. A SQLite file has one writer
# at a time: one row per table.
_SHARES = 8
_SHARE_MARK = "#"
_SHARE = "stamp_share"


def _deal_shares(engine: Engine) -> None:
    shares = itertools.count(random.randrange(_SHARES))

    @event.listens_for(engine, "connect")
    def on_connect(_dbapi_connection: Any, record: Any) -> None:
        record.info[_SHARE] = f"{_SHARE_MARK}{next(shares) % _SHARES}"


def renew_stamps(connection: Connection, tables: Iterable[str]) -> None:
    """Give each of TABLES a new stamp, in the transaction of CONNECTION.

    In name order, so that two PostgreSQL writers lock the rows in one order.
    """
    stamp = uuid.uuid4().hex
    share = connection.info.get(_SHARE, "")
    rows = [{"name": f"{name}{share}", "stamp": stamp} for name in sorted(set(tables))]
    connection.execute(_stamp_upsert(connection.dialect.name), rows)


@cache
def _stamp_upsert(dialect_name: str) -> Executable:
    """The upsert of one stamp, built once: every write transaction sends it."""
    # Only the dialect in use is loaded: PostgreSQL's costs a SQLite process (the CLI) a tenth of a second.
    dialect = import_module(f"sqlalchemy.dialects.{dialect_name}")
    upsert = dialect.insert(_VERSIONS)
    statement: Executable = upsert.on_conflict_do_update(
        index_elements=["name"], set_={"stamp": upsert.excluded.stamp}
    )
    return statement


def data_versions(bind: Engine | Connection) -> dict[str, str]:
    """Each written table's current stamp (its shares' together); a table never written has none.
    On a CONNECTION, in its transaction: read before the data they key."""
    if isinstance(bind, Engine):
        with bind.connect() as connection:
            return data_versions(connection)
    rows = bind.execute(select(_VERSIONS.c.name, _VERSIONS.c.stamp)).all()
    shares: dict[str, list[str]] = {}
    # Sorted here, not by the server: its collation may order "#" as it likes.
    for name, stamp in sorted(rows):
        shares.setdefault(name.partition(_SHARE_MARK)[0], []).append(stamp)
    return {table: "".join(stamps) for table, stamps in shares.items()}


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
        ("authentication failed", "no password supplied", 'role "'),
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
