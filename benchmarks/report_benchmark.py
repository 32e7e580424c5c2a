"""Seconds to classify and report on 20,000 tasks with 100,000 history rows, printed as JSON.

    python -m benchmarks.report_benchmark [--db URL] [--tasks N] [--history N]

Without --db a temporary SQLite file is seeded; a PostgreSQL URL must point at
an empty database. Each figure is the best of --repeat runs.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from benchmarks.seed import seed_large
from tracker.db import open_database, read_session
from tracker.reports.content import Report, build_report
from tracker.reports.docx import write_docx
from tracker.reports.xlsx import write_xlsx
from tracker.views.queries import classified_tasks, read_state

AS_OF = date(2025, 9, 14)
DUE_SOON_DAYS = 7


def best_of(repeat: int, work: Callable[[], Any]) -> tuple[dict[str, float], Any]:
    """The fastest of REPEAT runs of WORK, as wall-clock and CPU seconds, and its last result.

    CPU seconds tell more than wall-clock ones on a machine shared with other work.
    """
    wall, cpu, result = [], [], None
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = work()
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return {"wall": round(min(wall), 3), "cpu": round(min(cpu), 3)}, result


def measure(url: str, *, tasks: int, history: int, repeat: int) -> dict[str, Any]:
    engine = open_database(url)
    seeding, counts = best_of(1, lambda: seed_large(engine, tasks=tasks, history=history))
    figures: dict[str, Any] = {"database": engine.url.get_backend_name(), **counts, "seed_s": seeding["wall"]}
    with read_session(engine) as session:
        state = read_state(session, None, due_soon_days=DUE_SOON_DAYS)
        figures["classify_s"], _ = best_of(repeat, lambda: state.at(AS_OF))
        figures["classified_tasks_s"], _ = best_of(
            repeat, lambda: classified_tasks(session, as_of=AS_OF, due_soon_days=DUE_SOON_DAYS)
        )
        figures["build_report_s"], report = best_of(
            repeat,
            lambda: build_report(session, as_of=AS_OF, due_soon_days=DUE_SOON_DAYS, period_kind="month"),
        )

        def xlsx_report() -> bytes:
            return write_xlsx(
                build_report(session, as_of=AS_OF, due_soon_days=DUE_SOON_DAYS, period_kind="month")
            )

        figures["xlsx_report_s"], data = best_of(repeat, xlsx_report)
    assert isinstance(report, Report)
    figures["write_xlsx_only_s"], _ = best_of(repeat, lambda: write_xlsx(report))
    figures["write_docx_only_s"], docx = best_of(repeat, lambda: write_docx(report))
    figures["xlsx_bytes"], figures["docx_bytes"] = len(data), len(docx)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", help="database URL (default: a temporary SQLite file)")
    parser.add_argument("--tasks", type=int, default=20_000)
    parser.add_argument("--history", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.db or f"sqlite:///{Path(folder) / 'benchmark.db'}"
        figures = measure(url, tasks=args.tasks, history=args.history, repeat=args.repeat)
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
