"""`status`, `keep` and `history`: a task's workflow from the command line.

`status --by USERNAME` goes through the same permission and workflow rules as
the app; the version written against is the one read now, since the person at
the console is looking at the task as it is.
"""

from __future__ import annotations

import argparse
from datetime import date
from typing import TYPE_CHECKING, Any

from tracker.cli.common import engine_for, print_json
from tracker.clock import today
from tracker.errors import InvalidValue

if TYPE_CHECKING:
    from sqlmodel import Session

    from models import Task, User

HISTORY_KEYS = (
    "status",
    "progress",
    "effective_on",
    "note",
    "by",
    "recorded_at",
    "kind",
    "field",
    "old_value",
    "new_value",
    "evidence",
)


def register(sub: Any) -> None:
    sub.add_parser("status", help="cập nhật trạng thái một nhiệm vụ", arguments=_status_arguments)
    sub.add_parser(
        "keep",
        help="giữ trong kế hoạch một nhiệm vụ mà kế hoạch sửa đổi không còn liệt kê",
        arguments=_keep_arguments,
    )
    history = sub.add_parser("history", help="lịch sử thay đổi của một nhiệm vụ, cũ nhất trước")
    history.add_argument("code", metavar="CODE")
    history.add_argument("--plan", metavar="NUMBER")
    history.add_argument("--json", action="store_true", help="in JSON")
    history.set_defaults(handler=run_history)


def _status_arguments(status: argparse.ArgumentParser) -> None:
    from models import TaskStatus

    status.add_argument("code", metavar="CODE", help="mã nhiệm vụ, ví dụ II.3")
    status.add_argument("status", metavar="STATUS", help=", ".join(s.value for s in TaskStatus))
    status.add_argument("--by", required=True, metavar="USERNAME", help="tài khoản thực hiện")
    status.add_argument("--plan", metavar="NUMBER", help="số kế hoạch, khi mã có trong nhiều kế hoạch")
    status.add_argument(
        "--on", metavar="YYYY-MM-DD", help="ngày hiệu lực (ngày hoàn thành khi báo hoàn thành)"
    )
    status.add_argument("--progress", metavar="N", help="tiến độ phần trăm, 0–100")
    status.add_argument("--note", default="", metavar="TEXT", help="ghi chú, lý do")
    status.set_defaults(handler=run_status)


def _keep_arguments(keep: argparse.ArgumentParser) -> None:
    keep.add_argument("code", metavar="CODE", help="mã nhiệm vụ, ví dụ II.3")
    keep.add_argument("--by", required=True, metavar="USERNAME", help="tài khoản Tổ giúp việc thực hiện")
    keep.add_argument("--plan", metavar="NUMBER", help="số kế hoạch, khi mã có trong nhiều kế hoạch")
    keep.add_argument("--note", default="", metavar="TEXT", help="ghi chú, lý do giữ lại")
    keep.set_defaults(handler=run_keep)


def _day(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidValue(
            f"Ngày '{text}' không hợp lệ: viết theo dạng YYYY-MM-DD, ví dụ 2026-11-26."
        ) from None


def _percent(text: str | None, current: int) -> int:
    if text is None:
        return current
    try:
        return int(text.strip().rstrip("%"))
    except ValueError:
        raise InvalidValue(f"Tiến độ '{text}' không hợp lệ: ghi một số nguyên từ 0 đến 100.") from None


def _apply(session: Session, by: User, task: Task, args: argparse.Namespace) -> Task:
    """Run the workflow step that leads to the status asked for."""
    from models import TaskStatus
    from tracker.tasks.lifecycle import OPEN
    from tracker.tasks.workflow import (
        cancel_task,
        confirm_completion,
        report_done,
        set_completed,
        update_progress,
    )

    target, on, note = args.status.strip(), _day(args.on), args.note
    common: dict[str, Any] = {"by": by, "task_id": task.id, "seen_version": task.version}
    if target in OPEN:
        progress = _percent(args.progress, task.progress)
        return update_progress(
            session, **common, status=target, progress=progress, note=note, effective_on=on
        )
    if target == TaskStatus.reported_done:
        return report_done(session, **common, completed_on=on or today(), note=note)
    if target == TaskStatus.completed and task.status == TaskStatus.reported_done:
        return confirm_completion(session, **common, note=note, effective_on=on)
    if target == TaskStatus.completed:
        return set_completed(session, **common, completed_on=on or today(), note=note)
    if target == TaskStatus.cancelled:
        return cancel_task(session, **common, reason=note, effective_on=on)
    choices = ", ".join(s.value for s in TaskStatus)
    raise InvalidValue(f"Trạng thái '{args.status}' không hợp lệ: chọn một trong {choices}.")


def run_status(args: argparse.Namespace) -> int:
    from tracker.db import write_session
    from tracker.directory.accounts import find_user
    from tracker.directory.plans import find_task
    from tracker.i18n import label

    with write_session(engine_for(args)) as session:
        task = _apply(session, find_user(session, args.by), find_task(session, args.code, args.plan), args)
    print(f"Nhiệm vụ {task.code}: {label(task.status)}, {task.progress}%.")
    return 0


def run_keep(args: argparse.Namespace) -> int:
    from tracker.db import write_session
    from tracker.directory.accounts import find_user
    from tracker.directory.plans import find_task
    from tracker.tasks.workflow import keep_in_plan

    with write_session(engine_for(args)) as session:
        by = find_user(session, args.by)
        task = find_task(session, args.code, args.plan)
        assert task.id is not None, "stored tasks have ids"
        keep_in_plan(session, by=by, task_id=task.id, seen_version=task.version, note=args.note)
    print(f"Nhiệm vụ {task.code}: giữ trong kế hoạch.")
    return 0


def _plain(value: Any, *, as_date: bool = False) -> Any:
    """VALUE as JSON can hold it: missing → None, timestamps → ISO text."""
    import pandas as pd

    if pd.isna(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat() if as_date else value.isoformat()
    return value


def history_entries(session: Session, task: Task) -> list[dict[str, Any]]:
    from tracker.views.queries import history_frame

    frame = history_frame(session, task_ids=[task.id] if task.id is not None else [])
    frame = frame.rename(columns={"user_name": "by"})
    return [
        {key: _plain(row[key], as_date=key == "effective_on") for key in HISTORY_KEYS}
        for row in frame.to_dict("records")
    ]


def run_history(args: argparse.Namespace) -> int:
    from tracker.db import read_session
    from tracker.directory.plans import find_task
    from tracker.i18n import label

    with read_session(engine_for(args)) as session:
        task = find_task(session, args.code, args.plan)
        entries = history_entries(session, task)
    if args.json:
        print_json(entries)
        return 0
    for entry in entries:
        state = f"{label(entry['status'])} {entry['progress']}%" if entry["status"] else label(entry["kind"])
        change = f" {entry['field']}: {entry['old_value']} → {entry['new_value']}" if entry["field"] else ""
        note = f" — {entry['note']}" if entry["note"] else ""
        print(f"{entry['recorded_at']}  {entry['effective_on']}  {entry['by']}: {state}{change}{note}")
    return 0
