"""Faults a real deployment meets: the process killed in the middle of an import."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import Engine

from tests.support.annexes import annex, xlsx
from tests.support.importing import row_counts
from tracker.config import ROOT, SAMPLE_PLAN
from tracker.db import get_engine, open_database

TASKS = 1500


def _big_annex(path: Path) -> None:
    rows: list[list[object]] = []
    for section in ("I", "II", "III"):
        rows.append([section, f"NHÓM NHIỆM VỤ {section}"])
        for number in range(1, TASKS // 3 + 1):
            title = f"Nhiệm vụ {section}.{number}"
            rows.append([number, title, "Sở Tài chính", "", "Quý IV/2026", "Báo cáo"])
    path.write_bytes(xlsx(annex(rows, number="77-KH/UBND")))


def _import(db: Path, annex_file: Path) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "tracker", "--db", f"sqlite:///{db}", "import", str(annex_file)]
    return subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _counts(db: Path) -> dict[str, int]:
    engine: Engine = get_engine(f"sqlite:///{db}")
    try:
        return row_counts(engine)
    finally:
        engine.dispose()


def test_killing_an_import_midway_leaves_the_database_as_before(sqlite_url: str, tmp_path: Path) -> None:
    original = Path(sqlite_url.removeprefix("sqlite:///"))
    engine = open_database(sqlite_url)
    subprocess.run(
        [sys.executable, "-m", "tracker", "--db", sqlite_url, "import", str(SAMPLE_PLAN)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    engine.dispose()
    before = _counts(original)
    annex_file = tmp_path / "big.xlsx"
    _big_annex(annex_file)

    timed = tmp_path / "timed.db"
    shutil.copy(original, timed)
    started = time.perf_counter()
    assert _import(timed, annex_file).wait(timeout=120) == 0
    duration = time.perf_counter() - started
    after = _counts(timed)
    assert after["task"] == before["task"] + TASKS

    # A kill may land before the commit (nothing of the import stays) or after it,
    # while the process is still exiting (all of it stays); never anything between.
    rolled_back = 0
    for fraction in (0.5, 0.65, 0.8, 0.9):
        victim = tmp_path / f"killed-{fraction}.db"
        shutil.copy(original, victim)
        process = _import(victim, annex_file)
        time.sleep(duration * fraction)
        if process.poll() is not None:
            continue
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
        check = sqlite3.connect(victim)
        assert check.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        check.close()
        counts = _counts(victim)
        assert counts in (before, after)
        rolled_back += counts == before
    assert rolled_back >= 1
