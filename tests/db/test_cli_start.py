"""The command line starts without loading what only its commands need."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.support.apptest import ROOT

HEAVY = ("pandas", "sqlmodel", "sqlalchemy", "alembic", "openpyxl", "argon2")


def loaded_after(code: str) -> set[str]:
    """The HEAVY modules a fresh interpreter holds after running CODE."""
    probe = f"{code}\nimport sys\nprint(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True, timeout=120
    )
    return set(done.stdout.split())


def test_listing_the_commands_loads_none_of_what_they_need() -> None:
    assert loaded_after("from tracker.cli import build_parser\nbuild_parser().format_help()") == set()


def test_a_database_with_the_newest_schema_is_opened_without_loading_alembic(sqlite_url: str) -> None:
    assert loaded_after(f"from tracker.db import open_database\nopen_database({sqlite_url!r})") == {
        "sqlmodel",
        "sqlalchemy",
    }


def test_an_older_database_is_still_upgraded(tmp_path: Path) -> None:
    old = tmp_path / "old.db"
    old.write_bytes((ROOT / "tests" / "data" / "schema_0001.db").read_bytes())
    assert "alembic" in loaded_after(
        f"from tracker.db import open_database\nopen_database('sqlite:///{old}')"
    )


def test_a_reader_that_stops_early_gets_no_traceback(sqlite_url: str) -> None:
    """`python -m tracker units --json | head -c 0`: the pipe is closed before the command writes."""
    reader, writer = os.pipe()
    os.close(reader)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "tracker", "--db", sqlite_url, "units", "--json"],
            cwd=ROOT,
            stdout=writer,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    finally:
        os.close(writer)
    assert done.returncode == 1
    assert done.stderr == ""
