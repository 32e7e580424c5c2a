"""A consistent copy of a live SQLite database, through SQLite's online backup API."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import Engine

from tracker.db import is_sqlite
from tracker.errors import InvalidValue


def backup_sqlite(engine: Engine, out_file: Path) -> int:
    """Copy the database behind ENGINE to OUT_FILE; returns the pages copied.

    The backup API copies a snapshot that writers running meanwhile cannot tear.
    """
    if not is_sqlite(engine):
        raise InvalidValue("Lệnh backup chỉ dành cho SQLite; với PostgreSQL hãy dùng pg_dump.")
    if out_file.exists():
        raise InvalidValue(f"Tệp '{out_file}' đã tồn tại; chọn tên khác để không ghi đè.")
    out_file.parent.mkdir(parents=True, exist_ok=True)
    copied = 0

    def progress(_status: int, remaining: int, total: int) -> None:
        nonlocal copied
        copied = total - remaining

    source = sqlite3.connect(str(engine.url.database))
    target = sqlite3.connect(str(out_file))
    try:
        with target:
            source.backup(target, progress=progress)
    finally:
        target.close()
        source.close()
    return copied
