"""Server time of the committee's pages at 200 and 20,000 tasks, as JSON.

    python benchmarks/pages_benchmark.py [--scales 200,20000] [--runs 3]

For each scale a fresh SQLite database is seeded (benchmarks.seed: 300 units
and 100,000 history rows at 20,000 tasks; 20 units and 1,000 rows at 200), and
each page is run by AppTest through dashboard.py, signed in as a committee
member:
- cold: the cached reads emptied first, as right after any write (modules
  already imported: a process imports them once);
- warm: the median of RUNS new sessions opening the page with warm caches.

The targets of the dashboard issue are checked on the overview: warm at
20,000 tasks at most 1 s, and at most 3 times its warm time at 200 tasks.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import streamlit as st
from streamlit.testing.v1 import AppTest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.seed import seed_large
from models import Role, User
from tracker.clock import now
from tracker.db import open_database, write_session

ROOT = Path(__file__).resolve().parent.parent
PAGES = ("pages/overview.py", "pages/units.py", "pages/tasks.py", "pages/reports.py")
TIMEOUT = 300


def _committee_member(url: str) -> int:
    with write_session(open_database(url)) as session:
        user = User(username="bench", display_name="Thành viên BCĐ", role=Role.committee, created_at=now())
        session.add(user)
        session.flush()
        assert user.id is not None
        return user.id


def _seconds(page: str, user_id: int) -> float:
    at = AppTest.from_file(ROOT / "dashboard.py", default_timeout=TIMEOUT)
    at.session_state["user_id"] = user_id
    at.switch_page(page)
    start = time.perf_counter()
    at.run()
    elapsed = time.perf_counter() - start
    if at.exception:
        raise RuntimeError(f"{page}: {at.exception[0].value}")
    return elapsed


def measure(scale: int, runs: int, folder: Path) -> dict[str, dict[str, float]]:
    url = f"sqlite:///{folder / f'pages_{scale}.db'}"
    units = min(300, max(20, scale // 66))
    seed_large(open_database(url), tasks=scale, units=units, history=scale * 5)
    user_id = _committee_member(url)
    os.environ["TRACKER_DATABASE_URL"] = url
    figures = {}
    for page in PAGES:
        st.cache_data.clear()
        cold = _seconds(page, user_id)
        warm = statistics.median(_seconds(page, user_id) for _ in range(runs))
        figures[page] = {"cold_s": round(cold, 3), "warm_s": round(warm, 3)}
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="200,20000", help="task counts, comma-separated")
    parser.add_argument("--runs", type=int, default=3, help="warm runs per page (median)")
    args = parser.parse_args()
    scales = [int(scale) for scale in args.scales.split(",")]
    with tempfile.TemporaryDirectory() as folder:
        # One throw-away run imports every module, so the first cold figure is not an import time.
        measure(50, 1, Path(folder))
        results = {str(scale): measure(scale, args.runs, Path(folder)) for scale in scales}
    report: dict[str, object] = {"pages": results}
    if {"200", "20000"} <= results.keys():
        small = results["200"]["pages/overview.py"]["warm_s"]
        large = results["20000"]["pages/overview.py"]["warm_s"]
        report["overview_warm_20000_at_most_1s"] = large <= 1.0
        report["overview_warm_ratio_20000_to_200"] = round(large / small, 2)
        report["overview_ratio_at_most_3"] = large <= 3 * small
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
