"""`remind`: send the reminder digests due at a date; `letter`: the official reminder letter in Word."""

from __future__ import annotations

import argparse
from typing import Any

from tracker.cli.common import engine_for, print_json, settings_for
from tracker.cli.reports import parse_day
from tracker.clock import today
from tracker.reminders.run import RunResult, run_reminders


def register(sub: Any) -> None:
    remind = sub.add_parser("remind", help="gửi e-mail nhắc việc đến các đơn vị và Tổ giúp việc")
    remind.add_argument("--as-of", metavar="YYYY-MM-DD", help="ngày tính hạn (mặc định: hôm nay)")
    remind.add_argument("--dry-run", action="store_true", help="chỉ liệt kê, không gửi và không ghi nhật ký")
    remind.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    remind.set_defaults(handler=run_remind)


def _summary_lines(result: RunResult, dry_run: bool) -> list[str]:
    verb = "Sẽ gửi" if dry_run else "Đã gửi"
    lines = [f"{verb}: {entry['subject']} → {', '.join(entry['to'])}" for entry in result.sent]
    lines += [f"Lỗi gửi đến {', '.join(entry['to'])}: {entry['error']}" for entry in result.failed]
    lines.append(
        f"{verb} {len(result.sent)} thư, {len(result.failed)} lỗi, "
        f"{result.skipped} mục đã nhắc trong kỳ nên không nhắc lại."
    )
    return lines


def run_remind(args: argparse.Namespace) -> int:
    as_of = parse_day(args.as_of) if args.as_of else today()
    result = run_reminders(engine_for(args), settings=settings_for(args), as_of=as_of, dry_run=args.dry_run)
    if args.json:
        print_json(result.as_json())
    else:
        print("\n".join(_summary_lines(result, args.dry_run)))
    return 1 if result.failed else 0
