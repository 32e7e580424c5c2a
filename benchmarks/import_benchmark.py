"""How fast a 5,000-task annex imports, beside pandas + openpyxl merely reading it.

    python benchmarks/import_benchmark.py [--tasks 5000] [--repeat 3]

Writes a realistic annex (title block, sections, group rows, vertically merged
units and deadlines) to a temporary folder, then times, best of --repeat runs:
- `pandas.read_excel(path, engine="openpyxl")`;
- the whole import into a fresh migrated SQLite database: read the bytes,
  preview (read, lay out, check, compare) and apply (write) in one transaction.
Each measurement runs in a fresh interpreter that first reads or imports a
small, different annex (as a running app has loaded its modules and compiled
its statements; this annex's own texts are not cached), then is timed. Prints one JSON object; the target is a
ratio of at most 0.5.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
from openpyxl import Workbook

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tracker.db import open_database, write_session
from tracker.importer.apply import apply_import
from tracker.importer.preview import preview_import
from tracker.tasks.permissions import SYSTEM

UNITS = [
    "Sở Khoa học và Công nghệ",
    "Sở KH&CN",
    "Sở Tài chính",
    "Sở Nội vụ",
    "Công an tỉnh",
    "Văn phòng UBND tỉnh",
    "Sở GD&ĐT",
    "Sở Y tế",
    "Sở Công Thương",
    "Sở Xây dựng",
    "Sở Nông nghiệp và Môi trường",
    "Sở VH,TT&DL",
    "Sở Tư pháp",
    "Tỉnh đoàn",
    "UBND các huyện, thị xã, thành phố",
]
DEADLINES = [
    "Quý I/2025",
    "Tháng 6/2025",
    "Trước 30/9/2025",
    "Năm 2026",
    "2026-2030",
    "Thường xuyên",
    "Hằng năm",
]
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]


def write_annex(path: Path, tasks: int, topic: str = "chuyển đổi số") -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["ỦY BAN NHÂN DÂN TỈNH BÌNH AN"])
    sheet.append(["PHỤ LỤC"])
    sheet.append(["DANH MỤC NHIỆM VỤ"])
    sheet.append(["(Kèm theo Kế hoạch số 99-KH/UBND ngày 1/2/2025 của Ủy ban nhân dân tỉnh Bình An)"])
    sheet.append(
        [
            "STT",
            "Nội dung nhiệm vụ",
            "Cơ quan chủ trì",
            "Cơ quan phối hợp",
            "Thời gian hoàn thành",
            "Sản phẩm",
        ]
    )
    sheet.append([f"({i})" for i in range(1, 7)])
    per_section = tasks // len(ROMAN)
    written = 0
    for section, numeral in enumerate(ROMAN):
        sheet.append([numeral, f"NHÓM NHIỆM VỤ {numeral}"])
        number = 0
        while written < tasks and (written < per_section * (section + 1) or section == len(ROMAN) - 1):
            number += 1
            if number % 10 == 0:
                sheet.append([number, f"Nhóm việc {numeral}.{number}"])
                for letter in "abc":
                    written += 1
                    sheet.append(_task(letter, written, topic))
                continue
            written += 1
            row = sheet.max_row + 1
            sheet.append(_task(number, written, topic))
            if number % 7 == 0:
                sheet.append(_task(number + 1, written + 1, topic, lead="", deadline=""))
                sheet.merge_cells(start_row=row, start_column=3, end_row=row + 1, end_column=3)
                sheet.merge_cells(start_row=row, start_column=5, end_row=row + 1, end_column=5)
                number += 1
                written += 1
    sheet.append([])
    sheet.append(["Nơi nhận:", "", "", "", "KT. CHỦ TỊCH"])
    book.save(path)


def _task(
    number: object, serial: int, topic: str, lead: str | None = None, deadline: str | None = None
) -> list[object]:
    return [
        number,
        f"Triển khai nhiệm vụ {topic} số {serial}: xây dựng, vận hành và khai thác hệ thống",
        UNITS[serial % len(UNITS)] if lead is None else lead,
        f"{UNITS[(serial + 3) % len(UNITS)]}; {UNITS[(serial + 5) % len(UNITS)]}",
        DEADLINES[serial % len(DEADLINES)] if deadline is None else deadline,
        "Báo cáo kết quả",
    ]


def time_pandas(path: Path) -> tuple[float, float]:
    """Wall-clock and CPU seconds of pandas reading PATH."""
    started, cpu = time.perf_counter(), time.process_time()
    pd.read_excel(path, engine="openpyxl")
    return time.perf_counter() - started, time.process_time() - cpu


def time_import(path: Path, database: Path) -> tuple[float, float, int]:
    """Wall-clock and CPU seconds of importing PATH into a fresh database, and the tasks created."""
    engine = open_database(f"sqlite:///{database}")
    started, cpu = time.perf_counter(), time.process_time()
    data = path.read_bytes()
    with write_session(engine) as session:
        preview = preview_import(session, data=data, file_name=path.name)
        result = apply_import(session, preview=preview, by=SYSTEM, skip_errors=False)
    elapsed = (time.perf_counter() - started, time.process_time() - cpu)
    engine.dispose()
    return *elapsed, result.created


def _in_child(*arguments: str) -> list[float]:
    """Run one measurement in a fresh interpreter: no cache warmed by an earlier run helps."""
    done = subprocess.run([sys.executable, __file__, *arguments], check=True, capture_output=True, text=True)
    return [float(value) for value in done.stdout.split()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", nargs=2, metavar=("WHAT", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        what, path = args.child[0], Path(args.child[1])
        # Warm up on another annex first, as a running app is: modules loaded, statements compiled.
        warm_up = path.with_name("warm-up.xlsx")
        if what == "pandas":
            time_pandas(warm_up)
            print(*time_pandas(path))
        else:
            time_import(warm_up, path.with_suffix(f".{what}.warm-up.db"))
            print(*time_import(path, path.with_suffix(f".{what}.db")))
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "annex.xlsx"
        write_annex(path, args.tasks)
        write_annex(path.with_name("warm-up.xlsx"), 200, topic="khởi động")
        pandas_runs, import_runs = [], []
        for run in range(args.repeat):
            pandas_runs.append(_in_child("--child", "pandas", str(path)))
            import_runs.append(_in_child("--child", f"run{run}", str(path)))
    # The machine may be shared: CPU seconds are printed beside wall-clock ones.
    wall, cpu = min(r[0] for r in import_runs), min(r[1] for r in import_runs)
    pandas_wall, pandas_cpu = min(r[0] for r in pandas_runs), min(r[1] for r in pandas_runs)
    print(
        json.dumps(
            {
                "tasks": int(import_runs[0][2]),
                "import_seconds": round(wall, 3),
                "pandas_openpyxl_read_seconds": round(pandas_wall, 3),
                "ratio": round(wall / pandas_wall, 3),
                "import_cpu_seconds": round(cpu, 3),
                "pandas_openpyxl_read_cpu_seconds": round(pandas_cpu, 3),
                "cpu_ratio": round(cpu / pandas_cpu, 3),
            }
        )
    )


if __name__ == "__main__":
    main()
