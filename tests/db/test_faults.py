"""Faults a real deployment meets: the process killed inside a save or an import, a full disk.

A kill is made to land inside the write transaction, after its last statement
and before its commit (tests.support.pause_commit reports the rows the
transaction sees, which proves where it stopped).
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from models import Role, Task, User
from tests.support.annexes import annex, xlsx
from tests.support.factories import make_plan, make_task, make_unit, make_user, run_cli
from tests.support.importing import row_counts
from tracker.config import ROOT, SAMPLE_PLAN
from tracker.db import open_database, read_session, write_session
from tracker.errors import StorageFull
from tracker.tasks.evidence import list_evidence, read_evidence, store_evidence

TASKS = 300
PDF = b"%PDF-1.7 bien ban\n" * 1000


def _big_annex(path: Path) -> None:
    rows: list[list[object]] = []
    for section in ("I", "II", "III"):
        rows.append([section, f"NHÓM NHIỆM VỤ {section}"])
        for number in range(1, TASKS // 3 + 1):
            title = f"Nhiệm vụ {section}.{number}"
            rows.append([number, title, "Sở Tài chính", "", "Quý IV/2026", "Báo cáo"])
    path.write_bytes(xlsx(annex(rows, number="77-KH/UBND")))


def _kill_before_commit(url: str, tmp_path: Path, table: str, *args: str) -> int:
    """Run the CLI with ARGS until its write transaction is about to commit, then kill -9 it.

    Returns the rows of TABLE the transaction saw at that moment.
    """
    marker = tmp_path / f"paused-{time.monotonic_ns()}"
    command = [sys.executable, "-m", "tests.support.pause_commit", str(marker), table, "--db", url, *args]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while not marker.exists():
        assert process.poll() is None, process.stderr.read() if process.stderr else ""
        assert time.monotonic() < deadline, "the command never reached its commit"
        time.sleep(0.02)
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=10)
    if process.stderr:
        process.stderr.close()
    return int(marker.read_text(encoding="utf-8"))


def _sqlite_intact(url: str) -> None:
    if url.startswith("sqlite"):
        check = sqlite3.connect(url.removeprefix("sqlite:///"))
        assert check.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        check.close()


@pytest.fixture
def staff_and_task(engine: Engine) -> tuple[User, Task]:
    unit = make_unit(engine)
    staff = make_user(engine, Role.unit, unit, username="so-khcn")
    task = make_task(engine, make_plan(engine), unit, code="II.3")
    with write_session(engine) as session:
        store_evidence(session, by=staff, task_id=task.id or 0, file_name="truoc.pdf", data=b"%PDF truoc")
    return staff, task


@pytest.mark.parametrize(
    ("table", "command"),
    [
        ("evidencefile", ("evidence", "add", "II.3", "{file}", "--by", "so-khcn")),
        ("statusupdate", ("status", "II.3", "in_progress", "--by", "so-khcn", "--progress", "40")),
    ],
)
def test_a_save_killed_inside_its_transaction_leaves_the_database_as_before(
    engine: Engine,
    database_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    staff_and_task: tuple[User, Task],
    table: str,
    command: tuple[str, ...],
) -> None:
    _, task = staff_and_task
    upload = tmp_path / "bien-ban.pdf"
    upload.write_bytes(PDF)
    args = [part.format(file=upload) for part in command]
    before = row_counts(engine)

    seen = _kill_before_commit(database_url, tmp_path, table, *args)

    assert seen == before[table] + 1
    _sqlite_intact(database_url)
    assert row_counts(engine) == before
    with read_session(engine) as session:
        (kept,) = list_evidence(session, task.id or 0)
        assert read_evidence(session, evidence_id=kept.id or 0)[1] == b"%PDF truoc"
    # Nothing stays locked: the same save goes through now.
    assert run_cli(database_url, capsys, *args)[0] == 0
    assert row_counts(engine)[table] == before[table] + 1


def test_an_import_killed_in_its_write_phase_leaves_the_database_as_before(
    engine: Engine, database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_cli(database_url, capsys, "import", str(SAMPLE_PLAN))[0] == 0
    before = row_counts(engine)
    annex_file = tmp_path / "big.xlsx"
    _big_annex(annex_file)

    seen = _kill_before_commit(database_url, tmp_path, "task", "import", str(annex_file))

    # Every task of the annex was written inside the transaction the kill ended.
    assert seen == before["task"] + TASKS
    _sqlite_intact(database_url)
    assert row_counts(engine) == before
    assert run_cli(database_url, capsys, "import", str(annex_file))[0] == 0
    assert row_counts(engine)["task"] == before["task"] + TASKS


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 1 MB file system (tmpfs), or a skip where mounting is not permitted."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)], capture_output=True, check=False
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {done.stderr.decode(errors='replace').strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_full_disk_refuses_the_save_plainly_and_keeps_the_database_whole(
    small_disk: Path, sqlite_template: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = small_disk / "tracker.db"
    shutil.copy(sqlite_template, database)
    url = f"sqlite:///{database}"
    engine = open_database(url)
    unit = make_unit(engine)
    make_user(engine, Role.unit, unit, username="so-khcn")
    task = make_task(engine, make_plan(engine), unit, code="II.3")
    big = tmp_path / "lon.pdf"
    big.write_bytes(os.urandom(3 * 1024 * 1024))
    before = row_counts(engine)
    try:
        code, out, err = run_cli(url, capsys, "evidence", "add", "II.3", str(big), "--by", "so-khcn")

        assert (code, out) == (1, "")
        assert err.strip().splitlines() == [
            "Lỗi: Ổ đĩa chứa cơ sở dữ liệu đã đầy nên thay đổi này chưa được lưu; không có gì bị ghi dở. "
            "Hãy báo quản trị viên giải phóng dung lượng rồi thử lại."
        ]
        _sqlite_intact(url)
        assert row_counts(engine) == before
        # A change that fits still goes through.
        small = tmp_path / "nho.pdf"
        small.write_bytes(b"%PDF nho")
        assert run_cli(url, capsys, "evidence", "add", "II.3", str(small), "--by", "so-khcn")[0] == 0
        with read_session(engine) as session:
            assert [item.file_name for item in list_evidence(session, task.id or 0)] == ["nho.pdf"]
    finally:
        engine.dispose()


class _PostgresDiskFull(Exception):
    """What psycopg raises when PostgreSQL's disk is full (SQLSTATE 53100 disk_full)."""

    sqlstate = "53100"


def test_a_full_postgresql_disk_is_reported_the_same_way(sqlite_url: str) -> None:
    engine = open_database(sqlite_url)
    with pytest.raises(StorageFull, match="Ổ đĩa chứa cơ sở dữ liệu đã đầy"), write_session(engine):
        raise OperationalError("INSERT INTO evidencefile …", {}, _PostgresDiskFull())
    with pytest.raises(OperationalError), write_session(engine):
        raise OperationalError("INSERT INTO evidencefile …", {}, Exception("another failure"))


def test_a_backup_onto_a_full_disk_says_so_in_one_line_and_leaves_no_file(
    engine: Engine,
    database_url: str,
    small_disk: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    staff_and_task: tuple[User, Task],
) -> None:
    staff, task = staff_and_task
    with write_session(engine) as session:
        store_evidence(session, by=staff, task_id=task.id or 0, file_name="lon.pdf", data=os.urandom(3 << 20))
    out = small_disk / "sao-luu.db"

    code, printed, err = run_cli(database_url, capsys, "backup", str(out))

    assert (code, printed) == (1, "")
    assert err.strip().splitlines() == [
        f"Lỗi: Không ghi được tệp sao lưu '{out}': hết chỗ trên đĩa; chưa có bản sao lưu nào được tạo."
    ]
    assert list(small_disk.iterdir()) == []
    # A folder that cannot be made is one line too.
    (tmp_path / "tep").write_bytes(b"")
    code, _, err = run_cli(database_url, capsys, "backup", str(tmp_path / "tep" / "sao-luu.db"))
    assert code == 1 and len(err.strip().splitlines()) == 1
    assert err.startswith("Lỗi: Không ghi được tệp sao lưu") and "không phải thư mục" in err
