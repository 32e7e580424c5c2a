"""`issued`: the register of issued reports, and one issued report with what has changed since."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from tracker.cli.common import engine_for, print_json

if TYPE_CHECKING:
    from tracker.reports.issued import IssuedSummary


def register(sub: Any) -> None:
    issued = sub.add_parser("issued", help="sổ báo cáo đã ban hành; một báo cáo và những gì đã thay đổi")
    issued.add_argument("id", nargs="?", type=int, metavar="ID", help="số thứ tự trong sổ")
    issued.add_argument("--json", action="store_true", help="in JSON")
    issued.set_defaults(handler=run_issued)


def summary_json(summary: IssuedSummary) -> dict[str, Any]:
    return {
        "id": summary.id,
        "number": summary.number,
        "as_of": summary.as_of.isoformat(),
        "issued_at": summary.issued_at.isoformat(),
        "by": summary.by,
        "total": summary.total,
        "counts": summary.counts,
    }


def run_issued(args: argparse.Namespace) -> int:
    from tracker.db import read_session
    from tracker.i18n import day, moment
    from tracker.reports.issued import changes_since, class_label, get_issued, list_issued

    with read_session(engine_for(args)) as session:
        if args.id is None:
            register_rows = list_issued(session)
            if args.json:
                print_json([summary_json(summary) for summary in register_rows])
            elif not register_rows:
                print("Chưa ban hành báo cáo nào.")
            for summary in register_rows if not args.json else []:
                print(
                    f"{summary.id}. Số {summary.number}, tính đến {day(summary.as_of)}, "
                    f"ban hành {moment(summary.issued_at)} bởi {summary.by}: {summary.total} nhiệm vụ"
                )
            return 0
        issued, summary = get_issued(session, args.id)
        changes = changes_since(session, issued)
    if args.json:
        print_json(summary_json(summary) | {"changes": changes.counts, "changed_tasks": changes.tasks})
        return 0
    print(f"Báo cáo số {summary.number}, tính đến ngày {day(summary.as_of)}: {summary.total} nhiệm vụ.")
    if not changes.tasks:
        print("Số liệu lập lại hôm nay không khác với khi ban hành.")
    for change in changes.tasks:
        print(f"- {change['task']}: {class_label(change['before'])} → {class_label(change['after'])}")
    return 0
