"""`import` and `plans`: load an annex into its plan, list the plans.

The command line imports the rows it can and reports the others (the page
asks instead); a file that cannot be read exits non-zero and writes nothing.
"""

from __future__ import annotations

import argparse
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tracker.cli.common import engine_for, print_json
from tracker.cli.reports import parse_day
from tracker.clock import today
from tracker.errors import ImportFileError

if TYPE_CHECKING:
    from tracker.importer.preview import ImportPreview, Problem
    from tracker.importer.progress import ProgressPreview


def register(sub: Any) -> None:
    command = sub.add_parser("import", help="nhập phụ lục nhiệm vụ (.xlsx, .xls, .csv) vào kế hoạch")
    command.add_argument("file", metavar="FILE", type=Path)
    command.add_argument(
        "--sheet",
        metavar="NAME",
        help="tên trang tính (mặc định: trang đầu có bảng nhiệm vụ và mọi trang có bảng chỉ tiêu)",
    )
    command.add_argument(
        "--plan",
        metavar="NUMBER",
        help="số hiệu kế hoạch (mặc định: đọc từ phần đầu phụ lục, dòng 'Kèm theo … số …')",
    )
    command.add_argument(
        "--issued-on",
        metavar="YYYY-MM-DD",
        help="ngày ban hành kế hoạch (mặc định: đọc từ tiêu đề phụ lục); nhiệm vụ được tính từ ngày này",
    )
    command.add_argument("--dry-run", action="store_true", help="chỉ xem trước, không ghi")
    command.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    command.add_argument("--by", metavar="USERNAME", help="tài khoản thực hiện (ghi vào lịch sử)")
    command.set_defaults(handler=run_import)
    progress = sub.add_parser(
        "progress-import", help="nhập tiến độ đã có (bảng theo dõi, phụ lục báo cáo kỳ trước) thành lịch sử"
    )
    progress.add_argument("file", metavar="FILE", type=Path)
    progress.add_argument("--by", metavar="USERNAME", required=True, help="tài khoản Tổ giúp việc thực hiện")
    progress.add_argument("--on", metavar="YYYY-MM-DD", help="ngày số liệu của bảng (mặc định: hôm nay)")
    progress.add_argument("--plan", metavar="NUMBER", help="số hiệu kế hoạch (mặc định: kế hoạch duy nhất)")
    progress.add_argument("--sheet", metavar="NAME", help="tên trang tính (mặc định: trang đầu có bảng)")
    progress.add_argument("--dry-run", action="store_true", help="chỉ xem trước, không ghi")
    progress.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    progress.set_defaults(handler=run_progress_import)
    plans = sub.add_parser("plans", help="liệt kê các kế hoạch")
    plans.add_argument("--json", action="store_true", help="in JSON")
    plans.set_defaults(handler=run_plans)


def _read_file(path: Path) -> bytes:
    from tracker.importer.guards import check_size

    try:
        check_size(path.stat().st_size)
        return path.read_bytes()
    except FileNotFoundError:
        raise ImportFileError(f"Không có tệp '{path}'.") from None
    except IsADirectoryError:
        raise ImportFileError(f"'{path}' là một thư mục, không phải tệp.") from None
    except PermissionError:
        raise ImportFileError(f"Không có quyền đọc tệp '{path}'.") from None
    except OSError as error:
        raise ImportFileError(f"Không đọc được tệp '{path}' (lỗi hệ thống {error.errno}).") from None


def _problems(problems: list[Problem]) -> list[dict[str, object]]:
    return [{"row": p.row, "column": p.column, "message": p.message} for p in problems]


def _summary(
    preview: ImportPreview,
    counts: dict[str, int],
    missing: list[str],
    dropped: list[str],
    batch: int | None,
    indicators: dict[str, int],
) -> dict[str, Any]:
    plan = preview.plan
    return {
        **counts,
        # The plan as the title block names it (or --plan gives it), and what the file changes in it.
        "plan": {
            "number": plan.number,
            "title": plan.title,
            "issued_on": preview.plan_issued_on.isoformat() if preview.plan_issued_on else None,
        },
        "changes": preview.changes(),
        "missing": missing,
        "dropped": dropped,
        "errors": _problems(preview.errors),
        "warnings": _problems(preview.warnings),
        "batch_id": batch,
        "indicators": indicators,
    }


def run_import(args: argparse.Namespace) -> int:
    from tracker.db import read_session, write_session
    from tracker.directory.accounts import find_user
    from tracker.importer.apply import apply_import
    from tracker.importer.preview import preview_import
    from tracker.tasks.permissions import SYSTEM

    data = _read_file(args.file)
    issued_on = parse_day(args.issued_on) if args.issued_on else None
    engine = engine_for(args)
    # The same reading of the file for the dry run and the import.
    read = partial(
        preview_import,
        data=data,
        file_name=args.file.name,
        sheet=args.sheet,
        plan_number=args.plan,
        issued_on=issued_on,
    )
    if args.dry_run:
        with read_session(engine) as session:
            preview = read(session)
        counts = {action: preview.count(action) for action in ("created", "updated", "unchanged")}
        summary = _summary(
            preview, counts, preview.missing, preview.dropped, None, preview.indicators.counts()
        )
    else:
        with write_session(engine) as session:
            by = find_user(session, args.by) if args.by else SYSTEM
            preview = read(session)
            result = apply_import(session, preview=preview, by=by, skip_errors=True)
        counts = {"created": result.created, "updated": result.updated, "unchanged": result.unchanged}
        summary = _summary(
            preview, counts, result.missing, result.dropped, result.batch_id, result.indicators
        )
    if args.json:
        print_json(summary)
    else:
        _print_summary(preview, summary, dry_run=args.dry_run)
    return 0


def _print_summary(preview: ImportPreview, summary: dict[str, Any], *, dry_run: bool) -> None:
    verb = "Xem trước (chưa ghi)" if dry_run else "Đã nhập"
    print(
        f"{verb} '{preview.file_name}', trang '{preview.sheet}' vào kế hoạch {preview.plan.number}: "
        f"thêm mới {summary['created']}, cập nhật {summary['updated']}, không đổi {summary['unchanged']}."
    )
    if preview.indicators.rows:
        found = summary["indicators"]
        print(
            f"Chỉ tiêu: thêm mới {found['created']}, cập nhật {found['updated']}, "
            f"không đổi {found['unchanged']}."
        )
    if summary["dropped"]:
        print(
            f"Không còn trong kế hoạch sửa đổi ({len(summary['dropped'])} nhiệm vụ, tính riêng, "
            f"chờ Tổ giúp việc hủy hoặc giữ lại): {', '.join(summary['dropped'])}."
        )
    others = [code for code in summary["missing"] if code not in summary["dropped"]]
    if others:
        print(f"Không còn trong tệp (chưa xóa): {', '.join(others)}.")
    for kind, problems in (("Lỗi, bỏ qua dòng", preview.errors), ("Cảnh báo", preview.warnings)):
        for problem in problems:
            print(f"{kind}: {problem.message}")


def _progress_summary(preview: ProgressPreview, *, written: bool) -> dict[str, Any]:
    return {
        "plan": preview.plan.number,
        "sheet": preview.sheet,
        "written": len(preview.rows) if written else 0,
        "rows": [
            {
                "row": row.row,
                "code": row.code,
                "status": row.status.value,
                "progress": row.progress,
                "completed_on": row.completed_on.isoformat() if row.completed_on else None,
                "effective_on": row.effective_on.isoformat(),
            }
            for row in preview.rows
        ],
        "errors": _problems(preview.errors),
    }


def run_progress_import(args: argparse.Namespace) -> int:
    """Backdated history from a progress sheet: all rows or, when one is wrong, none."""
    from tracker.db import read_session, write_session
    from tracker.directory.accounts import find_user
    from tracker.i18n import day
    from tracker.importer.progress import apply_progress, preview_progress

    data = _read_file(args.file)
    on = parse_day(args.on) if args.on else today()
    engine = engine_for(args)
    opened = read_session(engine) if args.dry_run else write_session(engine)
    with opened as session:
        by = find_user(session, args.by)
        preview = preview_progress(
            session, data=data, file_name=args.file.name, on=on, sheet=args.sheet, plan_number=args.plan
        )
        if not args.dry_run:
            apply_progress(session, preview=preview, by=by)
    summary = _progress_summary(preview, written=not args.dry_run)
    if args.json:
        print_json(summary)
        return 0
    verb = "Xem trước (chưa ghi)" if args.dry_run else "Đã ghi"
    print(
        f"{verb} tiến độ của {len(preview.rows)} nhiệm vụ từ '{preview.file_name}', trang '{preview.sheet}', "
        f"kế hoạch {preview.plan.number}, số liệu ngày {day(on)}."
    )
    for problem in preview.errors:
        print(f"Lỗi: {problem.message}")
    return 0


def run_plans(args: argparse.Namespace) -> int:
    from tracker.db import read_session
    from tracker.directory.plans import list_plans
    from tracker.i18n import day, label

    with read_session(engine_for(args)) as session:
        plans = list_plans(session)
    rows = [
        {
            "number": plan.number,
            "title": plan.title,
            "issuer": plan.issuer,
            "issued_on": plan.issued_on.isoformat() if plan.issued_on else None,
            "status": plan.status,
            "tasks": plan.tasks,
        }
        for plan in plans
    ]
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        print("Chưa có kế hoạch nào.")
    for plan in plans:
        issued = f" ngày {day(plan.issued_on)}" if plan.issued_on else ""
        print(f"{plan.number}{issued} — {plan.title} ({plan.tasks} nhiệm vụ, {label(plan.status)})")
    return 0
