"""`python -m tracker backup` copies a live SQLite database consistently."""

import sqlite3
import threading
from pathlib import Path

import pytest
from sqlalchemy import Engine

from models import HistoryKind, StatusUpdate
from tests.support.factories import make_plan, make_task, make_unit
from tracker.cli import main
from tracker.clock import now, today
from tracker.db import open_database, write_session


def _append_history(engine: Engine, task_id: int, committed: list[int], stop: threading.Event) -> None:
    while not stop.is_set():
        with write_session(engine) as session:
            row = StatusUpdate(
                task_id=task_id, kind=HistoryKind.comment, effective_on=today(), note="x", recorded_at=now()
            )
            session.add(row)
            session.flush()
            row_id = row.id
        assert row_id is not None
        committed.append(row_id)


def test_backup_taken_while_writers_run_holds_every_change_committed_before_it(
    sqlite_url: str, tmp_path: Path
) -> None:
    engine = open_database(sqlite_url)
    task = make_task(engine, make_plan(engine), make_unit(engine), code="1")
    assert task.id is not None
    committed: list[int] = []
    stop = threading.Event()
    writers = [
        threading.Thread(target=_append_history, args=(engine, task.id, committed, stop)) for _ in range(4)
    ]
    for writer in writers:
        writer.start()
    while len(committed) < 50:
        stop.wait(0.01)
    before = set(committed)
    out = tmp_path / "backup.db"
    assert main(["--db", sqlite_url, "backup", str(out)]) == 0
    stop.set()
    for writer in writers:
        writer.join()

    copy = sqlite3.connect(out)
    assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    in_backup = {row_id for (row_id,) in copy.execute("SELECT id FROM statusupdate")}
    copy.close()
    assert before <= in_backup
    assert in_backup <= set(committed)


def test_backup_refuses_to_overwrite_a_file(
    sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "exists.db"
    out.write_bytes(b"keep me")
    assert main(["--db", sqlite_url, "backup", str(out)]) == 1
    assert "đã tồn tại" in capsys.readouterr().err
    assert out.read_bytes() == b"keep me"


def test_backup_of_postgresql_points_to_pg_dump(
    database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if database_url.startswith("sqlite"):
        pytest.skip("the PostgreSQL run of this test is the one that matters")
    assert main(["--db", database_url, "backup", str(tmp_path / "x.db")]) == 1
    assert "pg_dump" in capsys.readouterr().err
