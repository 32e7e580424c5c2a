"""The scale issue's other figures, side by side in one run, as JSON.

    python benchmarks/scale_benchmark.py [--keep FOLDER] [--report-tasks 100000]
        [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres]
        [--only cli_help,import_vs_pandas,sign_in,report_xlsx,report_xlsx_app,concurrent_writes]

- cli_help: `python -m tracker --help`, a whole process, best of 5;
- import_vs_pandas: a whole-process `python -m tracker import` of a 5,000-task
  annex (benchmarks.import_benchmark.write_annex) into a fresh migrated
  database, against a whole-process bare `pandas.read_excel(engine="openpyxl")`
  of the same file, best of 3 each;
- sign_in: the server time of the run that signs a user in through the form
  (AppTest through dashboard.py), with the real argon2 parameters;
- report_xlsx: the .xlsx report (build and write) at --report-tasks tasks with
  10 history rows a task (a seeded SQLite file, reused from --keep), as the
  `report` command makes it: every task and history row read afresh;
- report_xlsx_app: the same file as the app's report page gives it, right
  after a unit's progress update: built from the server's state store
  (tracker.views.store, read once before, not timed), then written;
- concurrent_writes: 8 threads each recording 25 progress updates through
  tracker's workflow at once, on SQLite and, with --postgres (a server URL;
  a scratch database is made and dropped), on PostgreSQL: p50 and p95 seconds.
Wall-clock and CPU seconds: the machine may be shared. --only runs the named
figures alone (comma-separated), to repeat one beside its competitor.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlmodel import col, select
from streamlit.testing.v1 import AppTest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.import_benchmark import write_annex
from benchmarks.pages_benchmark import account, progress_write, unit_task
from benchmarks.seed import seed_large
from models import Role, Task, TaskStatus, User
from tracker.clock import now
from tracker.db import open_database, read_session, write_session
from tracker.directory.auth import hash_password
from tracker.reports.content import build_report
from tracker.reports.xlsx import write_xlsx
from tracker.tasks.workflow import update_progress
from tracker.views.store import StateStore

ROOT = Path(__file__).resolve().parent.parent
WRITERS, WRITES_EACH = 8, 25
PASSWORD = "mat-khau-do-tai-2026"
PARTS = ("cli_help", "import_vs_pandas", "sign_in", "report_xlsx", "report_xlsx_app", "concurrent_writes")
REPORT_AS_OF = date(2025, 9, 14)


def _process(arguments: list[str]) -> tuple[float, float]:
    """Wall-clock and CPU seconds (user + system, children included) of one whole process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(arguments, cwd=ROOT, check=True, capture_output=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _best(runs: list[tuple[float, float]]) -> dict[str, float]:
    return {"seconds": round(min(w for w, _ in runs), 3), "cpu_seconds": round(min(c for _, c in runs), 3)}


def cli_help() -> dict[str, float]:
    return _best([_process([sys.executable, "-m", "tracker", "--help"]) for _ in range(5)])


def import_vs_pandas(folder: Path) -> dict[str, Any]:
    annex = folder / "annex-5000.xlsx"
    write_annex(annex, 5000)
    read = [sys.executable, "-c", f"import pandas; pandas.read_excel({str(annex)!r}, engine='openpyxl')"]
    pandas_runs, import_runs = [], []
    # Taken in turns, so that a busy spell of a shared machine falls on both sides.
    for run in range(3):
        pandas_runs.append(_process(read))
        url = f"sqlite:///{folder / f'import-{run}.db'}"
        open_database(url)  # migrated first: the import command meets a database in use
        import_runs.append(_process([sys.executable, "-m", "tracker", "--db", url, "import", str(annex)]))
    whole, bare = _best(import_runs), _best(pandas_runs)
    return {
        "import": whole,
        "pandas_read_excel": bare,
        "ratio": round(whole["seconds"] / bare["seconds"], 3),
        "cpu_ratio": round(whole["cpu_seconds"] / bare["cpu_seconds"], 3),
    }


def sign_in(folder: Path) -> dict[str, float]:
    url = f"sqlite:///{folder / 'sign-in.db'}"
    with write_session(open_database(url)) as session:
        user = User(
            username="bench", role=Role.committee, password_hash=hash_password(PASSWORD), created_at=now()
        )
        session.add(user)
    os.environ["TRACKER_DATABASE_URL"] = url
    runs = []
    for _ in range(3):
        at = AppTest.from_file(ROOT / "dashboard.py", default_timeout=120).run()
        at.text_input(key="sign_in_username").input("bench")
        at.text_input(key="sign_in_password").input(PASSWORD)
        submit = next(button for button in at.form_submit_button if button.form_id == "sign_in")
        started, cpu = time.perf_counter(), time.process_time()
        submit.click().run()
        runs.append((time.perf_counter() - started, time.process_time() - cpu))
        if at.session_state["user_id"] != user.id:
            raise RuntimeError("the sign-in did not sign in")
    return _best(runs)


def _report_database(folder: Path, tasks: int) -> Engine:
    path = folder / f"pages_{tasks}.db"
    url = f"sqlite:///{path}"
    if not path.exists():
        seed_large(open_database(url), tasks=tasks, units=300, history=tasks * 10)
    return open_database(url)


def _xlsx_seconds(engine: Engine, store: StateStore | None) -> tuple[tuple[float, float], int]:
    """Wall-clock and CPU seconds of building and writing the .xlsx report, and its size."""
    started, cpu = time.perf_counter(), time.process_time()
    with read_session(engine) as session:
        report = build_report(session, as_of=REPORT_AS_OF, due_soon_days=7, period_kind="month", store=store)
        data = write_xlsx(report)
    return (time.perf_counter() - started, time.process_time() - cpu), len(data)


def report_xlsx(folder: Path, tasks: int) -> dict[str, Any]:
    engine = _report_database(folder, tasks)
    runs = [_xlsx_seconds(engine, None) for _ in range(2)]
    return {"tasks": tasks, **_best([seconds for seconds, _ in runs]), "bytes": runs[-1][1]}


def report_xlsx_app(folder: Path, tasks: int) -> dict[str, Any]:
    engine = _report_database(folder, tasks)
    url = engine.url.render_as_string(hide_password=False)
    task = unit_task(url)
    assert task.id is not None
    unit = account(url, "bench_unit", Role.unit, task.lead_unit_id)
    store = StateStore()
    _xlsx_seconds(engine, store)
    runs = []
    for _ in range(2):
        progress_write(url, unit, task.id)
        runs.append(_xlsx_seconds(engine, store))
    return {"tasks": tasks, **_best([seconds for seconds, _ in runs]), "bytes": runs[-1][1]}


def concurrent_writes(url: str) -> dict[str, Any]:
    engine = open_database(url)
    seed_large(engine, tasks=1000, units=20, history=5000)
    with write_session(engine) as session:
        in_progress = select(Task).where(col(Task.status) == TaskStatus.in_progress)
        tasks = list(session.exec(in_progress.order_by(col(Task.id)).limit(WRITERS)))
        users = []
        for index, task in enumerate(tasks):
            user = User(
                username=f"writer{index}-{uuid.uuid4().hex[:6]}",
                role=Role.unit,
                unit_id=task.lead_unit_id,
                created_at=now(),
            )
            session.add(user)
            users.append(user)
        session.flush()
        pairs = [(user, int(task.id or 0)) for user, task in zip(users, tasks, strict=True)]
    latencies: list[float] = []
    lock = threading.Lock()
    start = threading.Barrier(WRITERS)

    def writer(user: User, task_id: int) -> None:
        start.wait()
        for step in range(WRITES_EACH):
            began = time.perf_counter()
            with write_session(engine) as session:
                task = session.get(Task, task_id)
                assert task is not None
                update_progress(
                    session,
                    by=user,
                    task_id=task_id,
                    seen_version=task.version,
                    status=TaskStatus.in_progress,
                    progress=10 + step,
                )
            with lock:
                latencies.append(time.perf_counter() - began)

    threads = [threading.Thread(target=writer, args=pair) for pair in pairs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ordered = sorted(latencies)
    return {
        "writers": WRITERS,
        "writes": len(ordered),
        "p50_s": round(statistics.median(ordered), 4),
        "p95_s": round(ordered[int(0.95 * (len(ordered) - 1))], 4),
    }


def on_postgres(server: str) -> dict[str, Any]:
    name = f"scale_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        return concurrent_writes(make_url(server).set(database=name).render_as_string(hide_password=False))
    finally:
        open_database(make_url(server).set(database=name).render_as_string(hide_password=False)).dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="folder keeping the seeded report database between runs")
    parser.add_argument("--report-tasks", type=int, default=100_000)
    parser.add_argument("--postgres", help="a PostgreSQL server URL, for the concurrent writers there")
    parser.add_argument("--only", help="comma-separated figures to run, of: " + ", ".join(PARTS))
    args = parser.parse_args()
    parts = set(args.only.split(",")) if args.only else set(PARTS)
    unknown = parts - set(PARTS)
    if unknown:
        parser.error(f"unknown figures: {', '.join(sorted(unknown))}; known: {', '.join(PARTS)}")
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        keep = args.keep or folder
        keep.mkdir(parents=True, exist_ok=True)
        figures: dict[str, Any] = {}
        if "cli_help" in parts:
            figures["cli_help"] = cli_help()
        if "import_vs_pandas" in parts:
            figures["import_vs_pandas"] = import_vs_pandas(folder)
        if "sign_in" in parts:
            figures["sign_in"] = sign_in(folder)
        if "report_xlsx" in parts:
            figures["report_xlsx"] = report_xlsx(keep, args.report_tasks)
        if "report_xlsx_app" in parts:
            figures["report_xlsx_app"] = report_xlsx_app(keep, args.report_tasks)
        if "concurrent_writes" in parts:
            figures["concurrent_writes"] = {"sqlite": concurrent_writes(f"sqlite:///{folder / 'writers.db'}")}
            if args.postgres:
                figures["concurrent_writes"]["postgresql"] = on_postgres(args.postgres)
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
