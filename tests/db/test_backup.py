"""`backup` makes one consistent file of records and evidence while writers run; `restore` puts it back."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, select
from sqlmodel import SQLModel

from models import Role, Task, TaskStatus, User
from tests.support.factories import make_plan, make_task, make_unit, make_user, run_cli
from tracker.db import data_versions, open_database, read_session, write_session
from tracker.tasks.evidence import store_evidence
from tracker.tasks.workflow import update_progress

WRITERS = 8


def _content(task_id: int, step: int) -> bytes:
    return f"%PDF-1.7 nhiem vu {task_id} lan {step}\n".encode() * 2000


def _write(engine: Engine, task_id: int, by: User, done: list[int], stop: threading.Event) -> None:
    """Each step, in one transaction: the task's progress moves on and one evidence file is added."""
    step = 0
    while not stop.is_set():
        step += 1
        with write_session(engine) as session:
            task = session.get(Task, task_id)
            assert task is not None
            update_progress(
                session,
                by=by,
                task_id=task_id,
                seen_version=task.version,
                status=TaskStatus.in_progress,
                progress=step % 100,
            )
            store_evidence(
                session, by=by, task_id=task_id, file_name=f"{step}.pdf", data=_content(task_id, step)
            )
        done.append(step)


def _rows(engine: Engine) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table in key order, file bytes as their sha256."""
    found: dict[str, list[dict[str, Any]]] = {}
    with engine.connect() as connection:
        # The data stamps are each database's own (a restore renews them all).
        for table in SQLModel.metadata.sorted_tables:
            if table.name == "dataversion":
                continue
            query = select(table).order_by(*table.primary_key.columns)
            found[table.name] = [
                {
                    key: hashlib.sha256(value).hexdigest() if isinstance(value, bytes) else value
                    for key, value in row.items()
                }
                for row in connection.execute(query).mappings()
            ]
    return found


def _backup_rows(path: Path) -> dict[str, list[dict[str, Any]]]:
    engine = create_engine(f"sqlite:///{path}")
    try:
        return _rows(engine)
    finally:
        engine.dispose()


def test_a_backup_taken_while_eight_writers_run_restores_every_task_history_row_and_file(
    engine: Engine,
    database_url: str,
    other_database_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    unit = make_unit(engine)
    plan = make_plan(engine)
    by = make_user(engine, Role.secretariat)
    tasks = [make_task(engine, plan, unit, code=f"I.{number}").id or 0 for number in range(1, WRITERS + 1)]
    done: dict[int, list[int]] = {task_id: [] for task_id in tasks}
    stop = threading.Event()
    writers = [
        threading.Thread(target=_write, args=(engine, task_id, by, done[task_id], stop)) for task_id in tasks
    ]
    for writer in writers:
        writer.start()
    try:
        while min(len(steps) for steps in done.values()) < 3:
            stop.wait(0.01)
        before = {task_id: len(steps) for task_id, steps in done.items()}
        out = tmp_path / "sao-luu.db"
        code, printed, err = run_cli(database_url, capsys, "backup", str(out))
        running = {task_id: len(steps) for task_id, steps in done.items()}
    finally:
        stop.set()
        for writer in writers:
            writer.join()
    assert (code, err) == (0, ""), err
    assert "tệp minh chứng" in printed
    # The writers kept writing while the backup ran.
    assert sum(running.values()) > sum(before.values())

    check = sqlite3.connect(out)
    assert check.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    check.close()
    code, _, err = run_cli(other_database_url, capsys, "restore", str(out))
    assert (code, err) == (0, ""), err

    restored_engine = open_database(other_database_url)
    restored = _rows(restored_engine)
    assert restored == _backup_rows(out)
    source = _rows(engine)
    history_by_id = {row["id"]: row for row in source["statusupdate"]}
    assert all(history_by_id[row["id"]] == row for row in restored["statusupdate"])
    for task_id in tasks:
        (task,) = [row for row in restored["task"] if row["id"] == task_id]
        # One snapshot: the task, its history and its files all stop at the same step.
        steps = task["version"] - 1
        assert before[task_id] <= steps <= len(done[task_id])
        assert task["progress"] == steps % 100
        history = [row for row in restored["statusupdate"] if row["task_id"] == task_id]
        assert len(history) == 2 * steps
        digests = {row["sha256"] for row in restored["evidence"] if row["task_id"] == task_id}
        files = {row["data"] for row in restored["evidencefile"] if row["sha256"] in digests}
        assert files == {hashlib.sha256(_content(task_id, step)).hexdigest() for step in range(1, steps + 1)}
    # Restored ids continue where the backup stopped, with no clash.
    with write_session(restored_engine) as session:
        store_evidence(session, by=by, task_id=tasks[0], file_name="sau.pdf", data=b"%PDF sau khi khoi phuc")


def test_restore_refuses_a_database_that_holds_data_unless_forced(
    engine: Engine,
    database_url: str,
    other_database_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    task = make_task(engine, make_plan(engine), make_unit(engine), code="1", title="Trong bản sao lưu")
    out = tmp_path / "sao-luu.db"
    assert run_cli(database_url, capsys, "backup", str(out))[0] == 0
    other = open_database(other_database_url)
    make_task(other, make_plan(other, "99-KH/UBND"), None, code="9", title="Đã có ở đích")

    code, _, err = run_cli(other_database_url, capsys, "restore", str(out))
    assert code == 1
    assert err.startswith("Lỗi: Cơ sở dữ liệu đích đã có dữ liệu") and "--force" in err
    with read_session(other) as session:
        assert [t.title for t in session.exec(select(Task)).scalars()] == ["Đã có ở đích"]

    assert run_cli(other_database_url, capsys, "restore", str(out), "--force")[0] == 0
    with read_session(other) as session:
        assert [(t.id, t.title) for t in session.exec(select(Task)).scalars()] == [
            (task.id, "Trong bản sao lưu")
        ]


def test_restore_refuses_a_file_that_is_not_a_backup(
    database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    not_backup = tmp_path / "ghi-chu.db"
    not_backup.write_bytes(b"day khong phai CSDL" * 100)
    for path, reason in ((not_backup, "không phải bản sao lưu"), (tmp_path / "khong-co.db", "Không có tệp")):
        code, _, err = run_cli(database_url, capsys, "restore", str(path))
        assert code == 1 and reason in err and len(err.strip().splitlines()) == 1


def test_backup_refuses_to_overwrite_a_file(
    database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "exists.db"
    out.write_bytes(b"keep me")
    code, _, err = run_cli(database_url, capsys, "backup", str(out))
    assert code == 1 and "đã tồn tại" in err
    assert out.read_bytes() == b"keep me"


def test_a_postgresql_backup_restores_into_sqlite(
    engine: Engine,
    database_url: str,
    sqlite_template: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    if database_url.startswith("sqlite"):
        pytest.skip("the PostgreSQL run of this test is the one that matters")
    by = make_user(engine, Role.secretariat)
    task = make_task(engine, make_plan(engine), make_unit(engine), code="1")
    with write_session(engine) as session:
        store_evidence(session, by=by, task_id=task.id or 0, file_name="a.pdf", data=_content(1, 1))
    out = tmp_path / "tu-postgresql.db"
    assert run_cli(database_url, capsys, "backup", str(out))[0] == 0
    target = tmp_path / "dich.db"
    shutil.copy(sqlite_template, target)
    target_url = f"sqlite:///{target}"
    assert run_cli(target_url, capsys, "restore", str(out))[0] == 0
    restored = open_database(target_url)
    try:
        assert _rows(restored) == _rows(engine)
    finally:
        restored.dispose()


def test_restore_refuses_a_backup_from_a_newer_version(
    database_url: str, other_database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "sao-luu.db"
    assert run_cli(database_url, capsys, "backup", str(out))[0] == 0
    with sqlite3.connect(out) as newer:
        newer.execute("UPDATE alembic_version SET version_num = '9999'")
    newer.close()
    code, _, err = run_cli(other_database_url, capsys, "restore", str(out))
    assert code == 1 and "'9999' mới hơn" in err


def test_a_restore_renews_every_tables_stamp_so_cached_reads_are_dropped(
    engine: Engine,
    database_url: str,
    other_database_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    make_task(engine, make_plan(engine), make_unit(engine), code="1")
    out = tmp_path / "sao-luu.db"
    assert run_cli(database_url, capsys, "backup", str(out))[0] == 0
    other = open_database(other_database_url)
    make_plan(other, "99-KH/UBND")
    before = data_versions(other)
    assert run_cli(other_database_url, capsys, "restore", str(out), "--force")[0] == 0
    after = data_versions(other)
    assert {"task", "evidence", "evidencefile", "user"} <= after.keys()
    assert all(after[name] != stamp for name, stamp in before.items())
