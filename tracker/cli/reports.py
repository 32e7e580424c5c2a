"""`report`: the secretariat's report as of a date, written to .xlsx or .docx, or summarised as JSON.

With --issue the report is issued (ban hành): its files and figures go into the
register of issued reports (tracker.reports.issued), where they never change.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tracker.cli.common import engine_for, print_json, settings_for
from tracker.errors import InvalidValue
from tracker.views.periods import PeriodKind, parse_kind, parse_known_on

if TYPE_CHECKING:
    from tracker.reports.content import Report
    from tracker.reports.issued import IssueDetails

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
    issue = report.add_argument_group("ban hành (ghi vào sổ báo cáo đã ban hành, không sửa được nữa)")
    issue.add_argument("--issue", metavar="NUMBER", help='số báo cáo, ví dụ "15/BC-BCĐ"')
    issue.add_argument("--by", metavar="USERNAME", help="tài khoản Tổ giúp việc ban hành")
    issue.add_argument("--issued-on", metavar="YYYY-MM-DD", help="ngày ban hành (mặc định: hôm nay)")
    issue.add_argument("--place", metavar="NAME", help="địa danh (mặc định: TRACKER_PROVINCE)")
    issue.add_argument("--signer-position", metavar="TEXT", help='chức vụ người ký, ví dụ "Tổ trưởng"')
    issue.add_argument("--signer-name", metavar="TEXT", help="họ tên người ký")
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


def _issue_details(args: argparse.Namespace, report: Report, place: str) -> IssueDetails:
    """The issue's details from the options; the narrative sections are those generated from the figures."""
    from tracker.clock import today
    from tracker.reports.issued import IssueDetails, checked_details, draft_sections

    if not args.by:
        raise InvalidValue("Ban hành báo cáo cần --by TÀI_KHOẢN của Tổ giúp việc.")
    details = IssueDetails(
        number=args.issue,
        issued_on=parse_day(args.issued_on) if args.issued_on else today(),
        place=args.place or place,
        signer_position=args.signer_position or "",
        signer_name=args.signer_name or "",
        sections=draft_sections(report),
    )
    return checked_details(details, as_of=report.as_of)


def run_report(args: argparse.Namespace) -> int:
    from tracker.db import read_session, write_session
    from tracker.directory.accounts import find_user
    from tracker.directory.plans import get_plan
    from tracker.directory.units import get_unit
    from tracker.i18n import day
    from tracker.reports.docx import write_docx
    from tracker.reports.figures import report_json
    from tracker.reports.issued import ReportRequest, issue_report
    from tracker.reports.xlsx import write_xlsx

    as_of, known_on = parse_day(args.as_of), parse_known_on(args.known_on)
    out: Path | None = args.out
    if out is None and not args.json and not args.issue:
        raise InvalidValue("Cần --out TỆP.xlsx hoặc TỆP.docx, hoặc --json.")
    if out is not None and out.suffix.lower() not in SUFFIXES:
        raise InvalidValue(f"Tệp '{out}' phải có đuôi .xlsx hoặc .docx.")
    kind = parse_kind(args.period) if args.period else None
    settings = settings_for(args)
    place = settings.province
    engine = engine_for(args)
    with read_session(engine) as session:
        unit_id = get_unit(session, args.unit).id if args.unit else None
        plan_ids = [get_plan(session, args.plan).id or 0] if args.plan else None
        request = ReportRequest(
            as_of=as_of,
            due_soon_days=settings.due_soon_days,
            known_on=known_on,
            plan_ids=plan_ids,
            unit_id=unit_id,
            section_code=args.section,
            period_kind=kind,
        )
        report = request.build(session)
    details = _issue_details(args, report, place) if args.issue else None
    figures = report_json(report)
    suffixes = SUFFIXES if details is not None else ((out.suffix.lower(),) if out is not None else ())
    # Made once: the file written out is the very file the register keeps.
    files = {
        suffix: write_xlsx(report) if suffix == ".xlsx" else write_docx(report, details, place=place)
        for suffix in suffixes
    }
    if details is not None:
        with write_session(engine) as session:
            issued = issue_report(
                session,
                request=request,
                report=report,
                details=details,
                docx=files[".docx"],
                xlsx=files[".xlsx"],
                by=find_user(session, args.by),
            )
            figures["issued_id"] = issued.id
        print(f"Đã ban hành báo cáo số {details.number} (sổ số {issued.id}).", file=sys.stderr)
    if out is not None:
        out.write_bytes(files[out.suffix.lower()])
        # Keep standard output for the JSON when both are asked for.
        print(
            f"Đã ghi báo cáo tính đến ngày {day(as_of)} vào {out}",
            file=sys.stderr if args.json else sys.stdout,
        )
    if args.json:
        print_json(figures)
    return 0
