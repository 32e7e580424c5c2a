"""`report`: the secretariat's report as of a date, written to .xlsx or .docx, or summarised as JSON."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tracker.cli.common import engine_for, print_json
from tracker.errors import InvalidValue, NotFound
from tracker.views.periods import PeriodKind, parse_kind

if TYPE_CHECKING:
    from tracker.reports.content import Report

SUFFIXES = (".xlsx", ".docx")


def register(sub: Any) -> None:
    report = sub.add_parser("report", help="báo cáo tình hình thực hiện tính đến một ngày (.xlsx, .docx)")
    report.add_argument("--as-of", required=True, metavar="YYYY-MM-DD", help="ngày chốt số liệu")
    report.add_argument("--out", type=Path, metavar="FILE", help="tệp .xlsx hoặc .docx cần ghi")
    report.add_argument("--unit", metavar="NAME", help="chỉ nhiệm vụ do đơn vị này chủ trì")
    report.add_argument("--section", metavar="CODE", help="chỉ một mục của phụ lục, ví dụ II")
    report.add_argument(
        "--plan", metavar="NUMBER", help="chỉ một kế hoạch (mặc định: các kế hoạch đang hiệu lực)"
    )
    periods = ", ".join(kind.value for kind in PeriodKind)
    report.add_argument("--period", metavar="KIND", help=f"kỳ báo cáo theo Nghị định 09/2019: {periods}")
    report.add_argument("--json", action="store_true", help="in số liệu tổng hợp dạng JSON")
    report.set_defaults(handler=run_report)


def parse_day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidValue(f"Ngày '{text}' không hợp lệ: dùng dạng YYYY-MM-DD, ví dụ 2025-06-30.") from None


def _rate(value: float | None) -> float | None:
    import pandas as pd

    return None if value is None or pd.isna(value) else round(float(value), 4)


def report_json(report: Report) -> dict[str, Any]:
    """The summary of REPORT as the CLI contract prints it."""
    from tracker.views.classify import CLASSES

    summary = report.summary
    units = [
        {
            "unit": row["lead_unit"],
            "total": int(row["total"]),
            "counts": {name.value: int(row[name.value]) for name in CLASSES},
            "completion_rate": _rate(row["completion_rate"]),
            "on_time_rate": _rate(row["on_time_rate"]),
        }
        for row in report.units.rows.to_dict("records")
    ]
    return {
        "as_of": report.as_of.isoformat(),
        "total": summary.total,
        "counts": {name.value: summary.counts[name] for name in CLASSES},
        "due_soon": summary.due_soon,
        "awaiting_confirmation": summary.awaiting_confirmation,
        "completion_rate": _rate(summary.completion_rate),
        "on_time_rate": _rate(summary.on_time_rate),
        "cancelled": summary.cancelled,
        "plans": [plan.number for plan in report.plans],
        "units": units,
    }


def _write(report: Report, suffix: str) -> bytes:
    from tracker.reports.docx import write_docx
    from tracker.reports.xlsx import write_xlsx

    return write_xlsx(report) if suffix == ".xlsx" else write_docx(report)


def run_report(args: argparse.Namespace) -> int:
    from tracker.db import read_session
    from tracker.directory.plans import get_plan
    from tracker.directory.units import find_unit
    from tracker.reports.content import build_report

    as_of = parse_day(args.as_of)
    out: Path | None = args.out
    if out is None and not args.json:
        raise InvalidValue("Cần --out TỆP.xlsx hoặc TỆP.docx, hoặc --json.")
    if out is not None and out.suffix.lower() not in SUFFIXES:
        raise InvalidValue(f"Tệp '{out}' phải có đuôi .xlsx hoặc .docx.")
    kind = parse_kind(args.period) if args.period else None
    with read_session(engine_for(args)) as session:
        unit_id = None
        if args.unit:
            unit = find_unit(session, args.unit)
            if unit is None:
                raise NotFound(f"Không có đơn vị '{args.unit}'.")
            unit_id = unit.id
        plan_ids = [get_plan(session, args.plan).id or 0] if args.plan else None
        report = build_report(
            session,
            as_of=as_of,
            plan_ids=plan_ids,
            unit_id=unit_id,
            section_code=args.section,
            period_kind=kind,
        )
    if out is not None:
        out.write_bytes(_write(report, out.suffix.lower()))
        # Keep standard output for the JSON when both are asked for.
        print(
            f"Đã ghi báo cáo tính đến ngày {as_of:%d/%m/%Y} vào {out}",
            file=sys.stderr if args.json else sys.stdout,
        )
    if args.json:
        print_json(report_json(report))
    return 0
