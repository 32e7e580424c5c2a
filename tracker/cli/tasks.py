"""`tasks`: the task list from the command line, as a table or as JSON for scripts.

The JSON keys are a contract outside scripts rely on (foundation and
several-plans issues): exactly TASK_KEYS, in that order.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from tracker.cli.common import engine_for, print_json
from tracker.errors import InvalidValue

if TYPE_CHECKING:
    import pandas as pd
    from sqlmodel import Session

TASK_KEYS = (
    "code",
    "section",
    "title",
    "lead_unit",
    "lead_units",
    "coordinating_units",
    "deadline",
    "deadline_text",
    "recurring",
    "output",
    "status",
    "progress",
    "completed_on",
    "plan",
    "missing_since",
)


def register(sub: Any) -> None:
    listing = "liệt kê nhiệm vụ (mặc định: các kế hoạch đang hiệu lực)"
    sub.add_parser("tasks", help=listing, arguments=_arguments)


def _arguments(tasks: argparse.ArgumentParser) -> None:
    from models import TaskStatus

    tasks.add_argument("--json", action="store_true", help="in JSON")
    tasks.add_argument(
        "--unit", metavar="NAME", help="chỉ nhiệm vụ do đơn vị này chủ trì (kể cả đồng chủ trì)"
    )
    tasks.add_argument("--status", metavar="STATUS", help=", ".join(status.value for status in TaskStatus))
    tasks.add_argument("--plan", metavar="NUMBER", help="số kế hoạch, ví dụ 45-KH/TU")
    tasks.set_defaults(handler=run_tasks)


def _status(value: str | None) -> str | None:
    from models import TaskStatus

    if value is None:
        return None
    if value not in set(TaskStatus):
        choices = ", ".join(status.value for status in TaskStatus)
        raise InvalidValue(f"Trạng thái '{value}' không hợp lệ: chọn một trong {choices}.")
    return value


def selected_tasks(
    session: Session, *, plan: str | None, unit: str | None, status: str | None
) -> pd.DataFrame:
    """The tasks the options select, in plan then annex order."""
    from tracker.directory.plans import get_plan
    from tracker.directory.units import get_unit
    from tracker.views.filters import filter_tasks
    from tracker.views.queries import tasks_frame

    wanted = _status(status)
    plan_ids = [get_plan(session, plan).id or 0] if plan else None
    frame = tasks_frame(session, plan_ids=plan_ids)
    if unit:
        frame = filter_tasks(frame, lead_unit_ids=[get_unit(session, unit).id or 0])
    if wanted:
        frame = frame[frame["status"] == wanted]
    return frame


def _iso(value: pd.Timestamp | None) -> str | None:
    """ISO date, or None for a missing date (None or NaT)."""
    import pandas as pd

    if value is None or pd.isna(value):
        return None
    return value.date().isoformat()


def task_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """One object per task with exactly TASK_KEYS."""
    return [
        {
            "code": row["code"],
            "section": row["section_code"],
            "title": row["title"],
            "lead_unit": row["lead_unit"],
            "lead_units": list(row["lead_units"]),
            "coordinating_units": list(row["coordinating_units"]),
            "deadline": _iso(row["deadline"]),
            "deadline_text": row["deadline_text"],
            "recurring": bool(row["recurring"]),
            "output": row["output"],
            "status": row["status"],
            "progress": int(row["progress"]),
            "completed_on": _iso(row["completed_on"]),
            "plan": row["plan_number"],
            "missing_since": _iso(row["missing_since"]),
        }
        for row in frame.to_dict("records")
    ]


def _print_table(frame: pd.DataFrame) -> None:
    from tracker.i18n import day, label

    if frame.empty:
        print("Không có nhiệm vụ nào.")
        return
    rows = [
        (
            str(row["plan_number"]),
            str(row["code"]),
            _short(str(row["title"]), 60),
            _short(str(row["lead_unit"]), 30),
            row["deadline_text"] or day(row["deadline"]),
            label(row["status"]),
            f"{int(row['progress'])}%",
        )
        for row in frame.to_dict("records")
    ]
    headings = ("Kế hoạch", "Mã", "Nội dung", "Chủ trì", "Thời hạn", "Trạng thái", "Tiến độ")
    widths = [max(len(heading), *(len(row[i]) for row in rows)) for i, heading in enumerate(headings)]
    for line in (headings, *rows):
        print("  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip())
    print(f"({len(rows)} nhiệm vụ)")


def _short(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def run_tasks(args: argparse.Namespace) -> int:
    from tracker.db import read_session

    with read_session(engine_for(args)) as session:
        frame = selected_tasks(session, plan=args.plan, unit=args.unit, status=args.status)
    if args.json:
        print_json(task_records(frame))
    else:
        _print_table(frame)
    return 0
