"""`report`: the secretariat's report as of a date, written to .xlsx or .docx, or summarised as JSON."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tracker.cli.common import engine_for, print_json, settings_for
from tracker.errors import InvalidValue, NotFound
from tracker.views.periods import PeriodKind, parse_kind, parse_known_on

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
    add_known_on(report)
    report.set_defaults(handler=run_report)


def parse_day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidValue(f"Ngày '{text}' không hợp lệ: dùng dạng YYYY-MM-DD, ví dụ 2025-06-30.") from None


def add_known_on(parser: Any) -> None:
    parser.add_argument(
        "--known-on",
        metavar="T",
        help="chỉ tính các cập nhật đã ghi nhận đến thời điểm T (YYYY-MM-DD hoặc YYYY-MM-DDTHH:MM:SS): "
        "lặp lại đúng số liệu một báo cáo đã lập lúc T",
    )


def _rate(value: float | None) -> float | None:
    import pandas as pd

    return None if value is None or pd.isna(value) else round(float(value), 4)


def report_json(report: Report) -> dict[str, Any]:
    """The summary of REPORT as the CLI contract prints it."""
    import pandas as pd

    from tracker.views.classify import CLASSES

    summary = report.summary
    units = [
        {
            "unit": row["lead_unit"],
            "rank": None if pd.isna(row["rank"]) else int(row["rank"]),
            "total": int(row["total"]),
            "counts": {name.value: int(row[name.value]) for name in CLASSES},
            "completion_rate": _rate(row["completion_rate"]),
            "on_time_rate": _rate(row["on_time_rate"]),
            "late_entries": int(row["late_entries"]),
        }
        for row in report.units.rows.to_dict("records")
    ]
    late = [
        {
            "unit": row["lead_unit"],
            "plan": row["plan_number"],
            "code": row["code"],
            "status": row["status"],
            "effective_on": row["effective_on"].date().isoformat(),
            "recorded_on": row["recorded_on"].date().isoformat(),
            "period_end": row["period_end"].date().isoformat(),
            "days_late": int(row["days_late"]),
        }
        for row in report.late.rows.to_dict("records")
    ]
    return {
        "as_of": report.as_of.isoformat(),
        "known_on": report.known_on.isoformat() if report.known_on else None,
        "total": summary.total,
        "counts": {name.value: summary.counts[name] for name in CLASSES},
        "due_soon": summary.due_soon,
        "awaiting_confirmation": summary.awaiting_confirmation,
        "completion_rate": _rate(summary.completion_rate),
        "on_time_rate": _rate(summary.on_time_rate),
        "cancelled": summary.cancelled,
        "plans": [plan.number for plan in report.plans],
        "units": units,
        "late_entries": late,
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

    as_of, known_on = parse_day(args.as_of), parse_known_on(args.known_on)
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
            due_soon_days=settings_for(args).due_soon_days,
            known_on=known_on,
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
