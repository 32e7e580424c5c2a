"""Backups that hold everything (records and evidence files) and restores from them.

A backup is one SQLite file at the schema of this version of the code:
- from SQLite, a copy by SQLite's online backup API, a snapshot that writers
  running meanwhile cannot tear;
- from PostgreSQL, every table read in one REPEATABLE READ, READ ONLY
  transaction (one snapshot of the whole database, taken without stopping
  writers) and written into a new SQLite file.
So a backup of either engine restores into either engine. The file is written
under a temporary name and renamed once complete: a backup cut short never
looks whole.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, Integer, Table, create_engine, func, select, text
from sqlalchemy.exc import DBAPIError
from sqlmodel import SQLModel

from models import DataVersion
from tracker.db import alembic_config, is_sqlite, renew_stamps, upgrade
from tracker.errors import InvalidValue, StorageFull, os_reason

# Rows copied per round trip; evidence rows hold up to 20 MB each, so fewer of them.
_BATCH = 500
_FILE_BATCH = 4


def _tables() -> list[Table]:
    """Every table of data, parents before the tables whose foreign keys point at them.

    Not the data stamps (models.DataVersion): they describe one database's
    caches; a restore renews them all instead.
    """
    return [table for table in SQLModel.metadata.sorted_tables if table.name != DataVersion.__tablename__]


def _batch(table: Table) -> int:
    return _FILE_BATCH if table.name == "evidencefile" else _BATCH


@contextmanager
def _plain_sqlite(path: Path) -> Iterator[Engine]:
    """An engine on the SQLite file PATH without the app's WAL setup, so it stays one file."""
    engine = create_engine(f"sqlite:///{path}")
    try:
        yield engine
    finally:
        engine.dispose()


def row_counts(connection: Connection) -> dict[str, int]:
    """The number of rows of every table."""
    return {
        table.name: connection.execute(select(func.count()).select_from(table)).scalar_one()
        for table in _tables()
    }


def _copy_rows(source: Connection, target: Connection) -> None:
    """Every row of every table from SOURCE to TARGET, a batch in memory at a time."""
    for table in _tables():
        rows = source.execution_options(yield_per=_batch(table)).execute(select(table))
        for batch in rows.mappings().partitions():
            target.execute(table.insert(), [dict(row) for row in batch])


def _backup_sqlite(engine: Engine, out_file: Path) -> None:
    source = sqlite3.connect(str(engine.url.database))
    target = sqlite3.connect(str(out_file))
    try:
        with target:
            source.backup(target)
        # The copy keeps the live database's WAL mode; as a backup it is better one plain file.
        target.execute("PRAGMA journal_mode=DELETE")
    finally:
        target.close()
        source.close()


def _backup_postgresql(engine: Engine, out_file: Path) -> None:
    with _plain_sqlite(out_file) as copy:
        upgrade(copy)
        snapshot = engine.connect().execution_options(isolation_level="REPEATABLE READ")
        with snapshot, snapshot.begin(), copy.begin() as target:
            snapshot.execute(text("SET TRANSACTION READ ONLY"))
            _copy_rows(snapshot, target)


def _write_failure(error: Exception) -> str | None:
    """Why the backup file could not be written, in words; None when ERROR is not about that file
    (the database being backed up failed: tracker.db.reporting_outages reports it)."""
    if isinstance(error, OSError):
        return os_reason(error)
    found = error.orig if isinstance(error, DBAPIError) else error
    if not isinstance(found, sqlite3.Error):
        return None
    reasons = {
        sqlite3.SQLITE_FULL: "hết chỗ trên đĩa",
        sqlite3.SQLITE_CANTOPEN: "không tạo được tệp ở thư mục này",
        sqlite3.SQLITE_READONLY: "thư mục chỉ cho phép đọc",
        sqlite3.SQLITE_IOERR: "lỗi đọc ghi đĩa",
    }
    return reasons.get(getattr(found, "sqlite_errorcode", 0) & 0xFF)


@contextmanager
def _writing(out_file: Path) -> Iterator[None]:
    """A backup file that cannot be written (a full disk, a folder without rights) is one plain
    line, never a traceback; the half-written file is removed by the caller."""
    try:
        yield
    except (OSError, sqlite3.Error, DBAPIError) as error:
        reason = _write_failure(error)
        if reason is None:
            raise
        raise StorageFull(
            f"Không ghi được tệp sao lưu '{out_file}': {reason}; chưa có bản sao lưu nào được tạo."
        ) from None


def backup(engine: Engine, out_file: Path) -> dict[str, int]:
    """Copy the database behind ENGINE, evidence files included, to OUT_FILE; the rows per table."""
    if out_file.exists():
        raise InvalidValue(f"Tệp '{out_file}' đã tồn tại; chọn tên khác để không ghi đè.")
    partial = out_file.with_name(f".{out_file.name}.partial")
    try:
        with _writing(out_file):
            out_file.parent.mkdir(parents=True, exist_ok=True)
            _remove(partial)
            (_backup_sqlite if is_sqlite(engine) else _backup_postgresql)(engine, partial)
            os.replace(partial, out_file)
    finally:
        _remove(partial)
    with _plain_sqlite(out_file) as copy, copy.connect() as connection:
        return row_counts(connection)


def _remove(partial: Path) -> None:
    """PARTIAL and the rollback journal SQLite leaves beside it when a write fails half-way."""
    for path in (partial, partial.with_name(f"{partial.name}-journal")):
        # exists(), not unlink(missing_ok): also False where the folder itself is missing or a file.
        if path.exists():
            path.unlink()


def _revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        found = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    return None if found is None else str(found)


def _check_backup(in_file: Path, engine: Engine) -> None:
    """Refuse a file that is not a backup, or one made by a newer version of the code."""
    probe = sqlite3.connect(f"file:{in_file}?mode=ro", uri=True)
    try:
        probe.execute("SELECT version_num FROM alembic_version").fetchall()
    except sqlite3.DatabaseError:
        raise InvalidValue(
            f"Tệp '{in_file}' không phải bản sao lưu của ứng dụng "
            "(không đọc được như một CSDL SQLite có lược đồ)."
        ) from None
    finally:
        probe.close()
    revision = _revision(engine)
    scripts = ScriptDirectory.from_config(alembic_config(engine))
    known = {script.revision for script in scripts.walk_revisions()}
    if revision not in known:
        raise InvalidValue(
            f"Bản sao lưu '{in_file}' có lược đồ '{revision}' mới hơn phiên bản này của ứng dụng; "
            "hãy cập nhật ứng dụng rồi khôi phục."
        )


def _clear(target: Connection) -> None:
    for table in reversed(_tables()):
        target.execute(table.delete())


def _restart_ids(target: Connection) -> None:
    """On PostgreSQL, let each id sequence continue after the restored rows."""
    for table in _tables():
        key = list(table.primary_key.columns)
        if len(key) != 1 or not isinstance(key[0].type, Integer) or key[0].foreign_keys:
            continue
        name = key[0].name
        target.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', '{name}'), "
                f'COALESCE(MAX("{name}"), 1), MAX("{name}") IS NOT NULL) FROM "{table.name}"'
            )
        )


def restore(engine: Engine, in_file: Path, *, force: bool = False) -> dict[str, int]:
    """Replace the data of ENGINE's database by the backup IN_FILE; the rows per table.

    A database that holds any row is refused unless FORCE. One transaction: a
    restore that fails leaves the database as it was.
    """
    if not in_file.is_file():
        raise InvalidValue(f"Không có tệp sao lưu '{in_file}'.")
    with tempfile.TemporaryDirectory() as folder:
        # Work on a copy brought to this version's schema: a backup is never changed.
        copy_file = Path(folder) / "backup.db"
        shutil.copyfile(in_file, copy_file)
        with _plain_sqlite(copy_file) as copy:
            _check_backup(copy_file, copy)
            upgrade(copy)
            bound = engine.execution_options(immediate=True)
            with copy.connect() as source, bound.begin() as target:
                present = {name: count for name, count in row_counts(target).items() if count}
                if present and not force:
                    summary = ", ".join(f"{name}: {count}" for name, count in present.items())
                    raise InvalidValue(
                        f"Cơ sở dữ liệu đích đã có dữ liệu ({summary}); "
                        "thêm --force để xóa hết và thay bằng bản sao lưu."
                    )
                _clear(target)
                _copy_rows(source, target)
                if not is_sqlite(engine):
                    _restart_ids(target)
                # Every app server's cached reads then see the restored data at their next rerun.
                renew_stamps(target, [table.name for table in _tables()])
                return row_counts(target)
