"""Whether importing grows linearly with the rows, up to the largest sheet the guards admit.

    python benchmarks/import_scaling_benchmark.py [--rows 25000 50000 100000 199999]

For each size, a CSV of that many task rows (short cells, as a hostile or a
generated file would have: 200,000 rows fit in a few MB) is imported whole into
a fresh SQLite database: preview (read, lay out, number, check, compare) and
apply in one transaction. Two shapes, each a worst case for a different pass:
- "unnumbered": every row a bullet under no number, one long chain of rows
  (the group pass once walked it for every row);
- "renumbered": the same plan imported again from a file of other unnumbered
  tasks, so every counted code is taken (numbering once counted past them for
  every row).
A file one row over the guard's limit is refused. Prints one JSON object: per
shape and size, wall-clock and CPU seconds, and the ratio of the largest size's
seconds per row to the smallest's (1.0 is linear).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tracker.db import open_database, write_session
from tracker.errors import ImportFileError
from tracker.importer.apply import apply_import
from tracker.importer.preview import preview_import

GUARD_ROWS = 200_000


def annex_csv(rows: int, word: str) -> bytes:
    lines = ["STT,Nội dung nhiệm vụ,Cơ quan chủ trì,Thời gian hoàn thành"]
    lines += [f"-,{word} {number},Sở {number % 40},2026" for number in range(1, rows + 1)]
    return ("\n".join(lines) + "\n").encode()


def timed_import(url: str, data: bytes) -> tuple[float, float]:
    """Wall-clock and CPU seconds of importing DATA whole into the database at URL."""
    engine = open_database(url)
    started, cpu = time.perf_counter(), time.process_time()
    with write_session(engine) as session:
        preview = preview_import(session, data=data, file_name="phu-luc.csv", plan_number="1-KH/UBND")
        apply_import(session, preview=preview, by=None, skip_errors=True)
    return time.perf_counter() - started, time.process_time() - cpu


def refused_seconds(url: str) -> float:
    """Seconds to refuse a file one row over the guard's limit."""
    data = annex_csv(GUARD_ROWS + 1, "Việc")
    started = time.perf_counter()
    try:
        timed_import(url, data)
    except ImportFileError:
        return time.perf_counter() - started
    raise SystemExit("a sheet over the guard's limit was not refused")


def linearity(runs: dict[int, dict[str, float]], key: str) -> float:
    small, large = min(runs), max(runs)
    return round((runs[large][key] / large) / (runs[small][key] / small), 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[25_000, 50_000, 100_000, GUARD_ROWS - 1])
    args = parser.parse_args()
    shapes: dict[str, dict[int, dict[str, float]]] = {"unnumbered": {}, "renumbered": {}}
    with tempfile.TemporaryDirectory() as tmp:
        for rows in args.rows:
            url = f"sqlite:///{Path(tmp) / f'import-{rows}.db'}"
            for shape, word in (("unnumbered", "Việc"), ("renumbered", "Việc khác")):
                wall, cpu = timed_import(url, annex_csv(rows, word))
                shapes[shape][rows] = {"seconds": round(wall, 2), "cpu_seconds": round(cpu, 2)}
        result: dict[str, object] = {
            shape: {
                "by_rows": {str(rows): run for rows, run in runs.items()},
                "per_row_ratio_largest_to_smallest": linearity(runs, "seconds"),
                "cpu_per_row_ratio_largest_to_smallest": linearity(runs, "cpu_seconds"),
            }
            for shape, runs in shapes.items()
        }
        refused = refused_seconds(f"sqlite:///{Path(tmp) / 'refused.db'}")
        result["refused_over_guard_seconds"] = round(refused, 2)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
