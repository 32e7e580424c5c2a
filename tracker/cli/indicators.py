"""`indicators`, `indicator-value`, `indicator-confirm`: a plan's targets and the values against them.

As every command module, this one imports at its top only what its parsers need
(tracker.cli.common); each command imports the rest when it runs.

Recording and confirming go through the same permission rules as the app
(tracker.tasks.permissions): the lead unit's staff and the secretariat record,
the secretariat confirms.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from tracker.cli.common import engine_for, print_json
from tracker.clock import today
from tracker.errors import InvalidValue

if TYPE_CHECKING:
    from tracker.indicators.queries import IndicatorAt


def register(sub: Any) -> None:
    listing = sub.add_parser("indicators", help="liệt kê các chỉ tiêu, kết quả mới nhất và tình trạng")
    listing.add_argument("--json", action="store_true", help="in JSON")
    listing.add_argument("--plan", metavar="NUMBER", help="số kế hoạch (mặc định: kế hoạch đang hiệu lực)")
    listing.add_argument("--unit", metavar="NAME", help="chỉ các chỉ tiêu do đơn vị này chủ trì")
    listing.add_argument("--as-of", metavar="YYYY-MM-DD", help="tính đến ngày (mặc định: hôm nay)")
    listing.set_defaults(handler=run_indicators)
    value = sub.add_parser("indicator-value", help="ghi kết quả một chỉ tiêu cho một kỳ")
    value.add_argument("code", metavar="CODE", help="mã chỉ tiêu, ví dụ 2030.6.1")
    value.add_argument(
        "value", metavar="VALUE", help="giá trị, ví dụ 72,5; với mục tiêu ghi bằng lời: Đạt hoặc Chưa đạt"
    )
    value.add_argument("--period", required=True, metavar="PERIOD", help="kỳ: 2025, Quý I/2025, 30/6/2025")
    value.add_argument("--by", required=True, metavar="USERNAME", help="tài khoản thực hiện")
    value.add_argument("--plan", metavar="NUMBER", help="số kế hoạch, khi mã có trong nhiều kế hoạch")
    value.add_argument("--note", default="", metavar="TEXT", help="ghi chú")
    value.add_argument("--source", default="", metavar="TEXT", help="nguồn số liệu")
    value.add_argument("--evidence", default="", metavar="TEXT", help="minh chứng (số văn bản, đường dẫn)")
    value.set_defaults(handler=run_indicator_value)
    confirm = sub.add_parser("indicator-confirm", help="xác nhận kết quả mới nhất đang chờ của một chỉ tiêu")
    confirm.add_argument("code", metavar="CODE", help="mã chỉ tiêu")
    confirm.add_argument("--by", required=True, metavar="USERNAME", help="tài khoản Văn phòng xác nhận")
    confirm.add_argument("--plan", metavar="NUMBER", help="số kế hoạch, khi mã có trong nhiều kế hoạch")
    confirm.add_argument("--note", default="", metavar="TEXT", help="ghi chú")
    confirm.set_defaults(handler=run_indicator_confirm)


def _line(indicator: IndicatorAt) -> str:
    from tracker.i18n import label
    from tracker.indicators.values import result_text

    actual = indicator.actual
    shown = "chưa có" if actual is None else f"{result_text(actual.result)} ({actual.period})"
    if actual is not None and not actual.confirmed:
        shown += ", chờ xác nhận"
    behind = ", chậm so với lộ trình" if indicator.behind else ""
    return (
        f"{indicator.code} — {indicator.title}: mục tiêu {indicator.target_text or 'chưa ghi'}, "
        f"kết quả {shown} — {label(indicator.status)}{behind}"
    )


def run_indicators(args: argparse.Namespace) -> int:
    from tracker.cli.reports import parse_day
    from tracker.db import read_session
    from tracker.directory.plans import get_plan
    from tracker.directory.units import get_unit
    from tracker.indicators.queries import indicators_at

    as_of = parse_day(args.as_of) if args.as_of else today()
    with read_session(engine_for(args)) as session:
        plan_ids = None
        if args.plan:
            plan = get_plan(session, args.plan)
            plan_ids = [plan.id] if plan.id is not None else []
        unit_id = get_unit(session, args.unit).id if args.unit else None
        found = indicators_at(session, as_of=as_of, plan_ids=plan_ids, unit_id=unit_id)
    if args.json:
        print_json([indicator.as_json() for indicator in found])
        return 0
    if not found:
        print("Chưa có chỉ tiêu nào.")
    for indicator in found:
        print(_line(indicator))
    return 0


def run_indicator_value(args: argparse.Namespace) -> int:
    from tracker.db import write_session
    from tracker.directory.accounts import find_user
    from tracker.indicators.values import find_indicator, is_confirmed, read_result, record_value, result_text

    with write_session(engine_for(args)) as session:
        by = find_user(session, args.by)
        indicator = find_indicator(session, args.code, args.plan)
        assert indicator.id is not None, "stored rows have ids"
        result = read_result(indicator, args.value)
        row = record_value(
            session,
            by=by,
            indicator_id=indicator.id,
            value=result,
            period=args.period,
            source=args.source,
            evidence=args.evidence,
            note=args.note,
        )
        assert row.id is not None, "recorded rows are flushed"
        confirmed = is_confirmed(session, row.id)
    waiting = "" if confirmed else " (chờ Văn phòng xác nhận)"
    shown = result_text(result) if isinstance(result, bool) else args.value.strip()
    print(f"Đã ghi kết quả chỉ tiêu {indicator.code} kỳ {row.period_text}: {shown}{waiting}.")
    return 0


def run_indicator_confirm(args: argparse.Namespace) -> int:
    from tracker.db import write_session
    from tracker.directory.accounts import find_user
    from tracker.indicators.values import confirm_value, find_indicator, latest_awaiting

    with write_session(engine_for(args)) as session:
        by = find_user(session, args.by)
        indicator = find_indicator(session, args.code, args.plan)
        assert indicator.id is not None, "stored rows have ids"
        waiting = latest_awaiting(session, indicator.id)
        if waiting is None or waiting.id is None:
            raise InvalidValue(f"Chỉ tiêu {indicator.code} không có kết quả nào chờ xác nhận.")
        confirm_value(session, by=by, value_id=waiting.id, note=args.note)
    print(f"Đã xác nhận kết quả chỉ tiêu {indicator.code} kỳ {waiting.period_text}.")
    return 0
