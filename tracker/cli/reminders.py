"""`remind`: send the reminder digests due at a date; `letter`: the official reminder letter in Word."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tracker.cli.common import engine_for, print_json, settings_for
from tracker.cli.reports import parse_day
from tracker.clock import today
from tracker.errors import InvalidValue

# The commands' own modules load when a command runs: listing the commands stays light.
if TYPE_CHECKING:
    from tracker.reminders.run import RunResult


def register(sub: Any) -> None:
    remind = sub.add_parser("remind", help="gửi e-mail nhắc việc đến các đơn vị và Tổ giúp việc")
    remind.add_argument("--as-of", metavar="YYYY-MM-DD", help="ngày tính hạn (mặc định: hôm nay)")
    remind.add_argument("--dry-run", action="store_true", help="chỉ liệt kê, không gửi và không ghi nhật ký")
    remind.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    remind.set_defaults(handler=run_remind)

    letter = sub.add_parser(
        "letter", help="công văn đôn đốc (.docx) gửi một đơn vị hoặc mọi đơn vị có nhiệm vụ quá hạn"
    )
    whom = letter.add_mutually_exclusive_group(required=True)
    whom.add_argument("--unit", metavar="NAME", help="đơn vị nhận công văn")
    whom.add_argument(
        "--all-units",
        action="store_true",
        help="một công văn cho mỗi đơn vị có nhiệm vụ quá hạn, chung một tệp",
    )
    letter.add_argument("--out", type=Path, required=True, metavar="FILE.docx", help="tệp Word cần ghi")
    letter.add_argument("--as-of", metavar="YYYY-MM-DD", help="ngày tính hạn (mặc định: hôm nay)")
    letter.set_defaults(handler=run_letter)


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
    from tracker.reminders.run import run_reminders

    as_of = parse_day(args.as_of) if args.as_of else today()
    result = run_reminders(engine_for(args), settings=settings_for(args), as_of=as_of, dry_run=args.dry_run)
    if args.json:
        print_json(result.as_json())
    else:
        print("\n".join(_summary_lines(result, args.dry_run)))
    return 1 if result.failed else 0


def run_letter(args: argparse.Namespace) -> int:
    from tracker.db import read_session
    from tracker.directory.units import get_unit
    from tracker.i18n import day
    from tracker.reminders.letters import overdue_letters, unit_letter, write_letters

    out: Path = args.out
    if out.suffix.lower() != ".docx":
        raise InvalidValue(f"Tệp '{out}' phải có đuôi .docx.")
    as_of = parse_day(args.as_of) if args.as_of else today()
    settings = settings_for(args)
    days = settings.due_soon_days
    with read_session(engine_for(args)) as session:
        if args.all_units:
            letters = overdue_letters(session, as_of=as_of, due_soon_days=days)
        else:
            unit = get_unit(session, args.unit)
            letters = [unit_letter(session, unit=unit, as_of=as_of, due_soon_days=days)]
    out.write_bytes(write_letters(letters, place=settings.province))
    print(f"Đã ghi {len(letters)} công văn đôn đốc tính đến ngày {day(as_of)} vào {out}")
    return 0
