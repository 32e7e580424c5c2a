"""Seconds to read the tasks and state history of every plan in force, printed as JSON.

    python -m benchmarks.read_benchmark --db URL [--seed-tasks N] [--repeat N]

URL names a database seeded already (benchmarks.seed: benchmarks.pages_benchmark --keep, or
--seed-tasks N to seed an empty one with N tasks and ten history rows each). Each figure is the
best of --repeat runs, wall-clock and CPU seconds.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from benchmarks.report_benchmark import DUE_SOON_DAYS, best_of
from benchmarks.seed import seed_large
from tracker.db import open_database, read_session
from tracker.views.queries import read_state, state_history, tasks_frame
from tracker.views.store import StateStore


def measure(url: str, *, seed_tasks: int, repeat: int) -> dict[str, Any]:
    engine = open_database(url)
    if seed_tasks:
        seed_large(engine, tasks=seed_tasks, history=seed_tasks * 10)
    figures: dict[str, Any] = {"database": engine.url.get_backend_name()}
    with read_session(engine) as session:
        figures["tasks_frame_s"], tasks = best_of(repeat, lambda: tasks_frame(session))
        figures["state_history_s"], history = best_of(repeat, lambda: state_history(session))
        figures["read_state_s"], _ = best_of(
            repeat, lambda: read_state(session, None, due_soon_days=DUE_SOON_DAYS)
        )
        # A server's first read: the store's full load, the history prepared for classifying.
        figures["store_first_read_s"], _ = best_of(
            repeat,
            lambda: StateStore().state(session, None, due_soon_days=DUE_SOON_DAYS).prepared,
        )
    figures |= {"tasks": len(tasks), "history": len(history)}
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="database URL")
    parser.add_argument("--seed-tasks", type=int, default=0, help="seed an empty database first")
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    print(json.dumps(measure(args.db, seed_tasks=args.seed_tasks, repeat=args.repeat), indent=2))


if __name__ == "__main__":
    main()
