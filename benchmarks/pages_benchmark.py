"""Server time of the pages at 1,000 and 100,000 tasks (10 history rows a task), cold and warm, as JSON.

    python benchmarks/pages_benchmark.py [--scales 1000,100000] [--runs 3] [--keep FOLDER]
        [--pages my_unit,reports]

For each scale a SQLite database is seeded (benchmarks.seed; 300 units at
100,000 tasks and 1,000,000 history rows), or reused from --keep. Each page is
run by AppTest through dashboard.py: the committee's pages (overview, units,
tasks, reports) as a committee member, "Đơn vị của tôi" and a task page as
the account of a unit.
- first_open: the overview opened first in the process, which reads every task
  and history row into the server's state store (tracker.views.store), once per
  process and database, as a server does at its first visitor;
- first: the page's first opening in the process (what it computes once and then keeps, such as
  every task's last note, is computed then);
- cold: the median of RUNS openings, each right after a write, on the server that has shown the
  page before, as a user would meet it: a unit's progress update (through tracker's workflow,
  as the pages and the CLI write) renews the stamps every page's cached reads key on
  (ui.cached), and the store reads what the write added;
- warm: the median of RUNS new sessions opening the page with warm caches.
Modules are imported first by a throw-away run: a process imports them once. Streamlit's
registry of installed components is scanned once too, as a server does at its start.
CPU seconds are printed beside wall-clock ones: the machine may be shared.
--pages measures only the pages named (by file name, without .py), to iterate on one page;
first_open is measured always.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlmodel import col, select
from streamlit.components.v2.component_manager import BidiComponentManager
from streamlit.testing.v1 import AppTest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.seed import seed_large
from models import Role, Task, TaskStatus, User
from tracker.clock import now
from tracker.db import open_database, read_session, write_session
from tracker.tasks.workflow import update_progress

ROOT = Path(__file__).resolve().parent.parent
COMMITTEE_PAGES = ("pages/overview.py", "pages/units.py", "pages/tasks.py", "pages/reports.py")
TIMEOUT = 600


def account(url: str, username: str, role: Role, unit_id: int | None = None) -> User:
    with write_session(open_database(url)) as session:
        found = session.exec(select(User).where(User.username == username)).first()
        if found is not None:
            return found
        user = User(username=username, display_name=username, role=role, unit_id=unit_id, created_at=now())
        session.add(user)
        session.flush()
        return user


def unit_task(url: str) -> Task:
    """A task in progress, of the unit leading the most tasks."""
    with read_session(open_database(url)) as session:
        task = session.exec(
            select(Task).where(col(Task.status) == TaskStatus.in_progress).order_by(col(Task.id))
        ).first()
        assert task is not None
        return task


def progress_write(url: str, user: User, task_id: int) -> None:
    """A unit's progress update on its task: what makes the next viewer's pages cold."""
    with write_session(open_database(url)) as session:
        task = session.get(Task, task_id)
        assert task is not None
        progress = 50 if task.progress != 50 else 60
        update_progress(
            session,
            by=user,
            task_id=task_id,
            seen_version=task.version,
            status=TaskStatus.in_progress,
            progress=progress,
        )


@functools.cache
def _components() -> BidiComponentManager:
    """Streamlit's registry of installed components, scanned once: a server scans at its start,
    where each new AppTest scans again at its first run (0.12 s of reading package metadata)."""
    components = BidiComponentManager()
    components.discover_and_register_components(start_file_watching=False)
    return components


def _seconds(page: str, user: User, query: dict[str, str] | None = None) -> tuple[float, float]:
    at = AppTest.from_file(ROOT / "dashboard.py", default_timeout=TIMEOUT)
    # AppTest's own attribute (Streamlit 1.67), set as its first run would set it.
    at._bidi_component_manager = _components()
    at.session_state["user_id"] = user.id
    at.query_params.update(query or {})
    at.switch_page(page)
    started, cpu = time.perf_counter(), time.process_time()
    at.run()
    elapsed = (time.perf_counter() - started, time.process_time() - cpu)
    if at.exception:
        raise RuntimeError(f"{page}: {at.exception[0].value}")
    return elapsed


def _after_a_write(
    url: str, writer: User, task_id: int, page: str, user: User, query: dict[str, str] | None
) -> tuple[float, float]:
    """The seconds of PAGE opened right after WRITER's progress update."""
    progress_write(url, writer, task_id)
    return _seconds(page, user, query)


def _database(scale: int, folder: Path) -> str:
    path = folder / f"pages_{scale}.db"
    url = f"sqlite:///{path}"
    if not path.exists():
        units = min(300, max(20, scale // 66))
        seed_large(open_database(url), tasks=scale, units=units, history=scale * 10)
    return url


def measure(
    scale: int, runs: int, folder: Path, pages: set[str] | None = None
) -> dict[str, dict[str, float]]:
    url = _database(scale, folder)
    os.environ["TRACKER_DATABASE_URL"] = url
    task = unit_task(url)
    committee = account(url, "bench_committee", Role.committee)
    unit = account(url, "bench_unit", Role.unit, task.lead_unit_id)
    assert task.id is not None
    views = [(page, committee, None) for page in COMMITTEE_PAGES]
    views += [("pages/my_unit.py", unit, None), ("pages/task.py", unit, {"task": str(task.id)})]
    views = [view for view in views if pages is None or Path(view[0]).stem in pages]
    first = _seconds(COMMITTEE_PAGES[0], committee)
    figures = {"first_open": {"cold_s": round(first[0], 3), "cold_cpu_s": round(first[1], 3)}}
    for page, user, query in views:
        first = _seconds(page, user, query)
        cold = [_after_a_write(url, unit, task.id, page, user, query) for _ in range(runs)]
        warm = [_seconds(page, user, query) for _ in range(runs)]
        figures[page] = {
            "first_s": round(first[0], 3),
            "first_cpu_s": round(first[1], 3),
            "cold_s": round(statistics.median(wall for wall, _ in cold), 3),
            "cold_cpu_s": round(statistics.median(cpu for _, cpu in cold), 3),
            "warm_s": round(statistics.median(wall for wall, _ in warm), 3),
            "warm_cpu_s": round(statistics.median(cpu for _, cpu in warm), 3),
        }
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="1000,100000", help="task counts, comma-separated")
    parser.add_argument("--runs", type=int, default=3, help="cold and warm runs per page (median)")
    parser.add_argument("--keep", type=Path, help="folder keeping the seeded databases between runs")
    parser.add_argument("--pages", help="only these pages, comma-separated file names (my_unit,reports)")
    args = parser.parse_args()
    pages = set(args.pages.split(",")) if args.pages else None
    scales = [int(scale) for scale in args.scales.split(",")]
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        measure(50, 1, Path(scratch), pages)
        results = {str(scale): measure(scale, args.runs, folder, pages) for scale in scales}
    report: dict[str, object] = {"pages": results}
    if len(scales) >= 2:
        small, large = str(min(scales)), str(max(scales))
        for name, key in (("cold_ratio", "cold_s"), ("cold_cpu_ratio", "cold_cpu_s")):
            report[f"{name}_largest_to_smallest"] = {
                page: round(results[large][page][key] / results[small][page][key], 2)
                for page in results[large]
                if page != "first_open"
            }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
