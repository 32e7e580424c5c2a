"""Commands that look after the database itself: init-db, backup, restore."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from tracker.cli.common import engine_for


def register(sub: Any) -> None:
    init = sub.add_parser("init-db", help="tạo hoặc nâng cấp lược đồ cơ sở dữ liệu")
    init.set_defaults(handler=run_init_db)
    backups = sub.add_parser(
        "backup", help="sao lưu nhất quán toàn bộ dữ liệu và tệp minh chứng khi ứng dụng đang chạy"
    )
    backups.add_argument("out_file", metavar="OUT_FILE", type=Path)
    backups.set_defaults(handler=run_backup)
    restores = sub.add_parser("restore", help="khôi phục một bản sao lưu vào CSDL chọn bằng --db")
    restores.add_argument("in_file", metavar="IN_FILE", type=Path)
    restores.add_argument(
        "--force", action="store_true", help="xóa hết dữ liệu đang có trong CSDL đích trước khi khôi phục"
    )
    restores.set_defaults(handler=run_restore)


def run_init_db(args: argparse.Namespace) -> int:
    engine = engine_for(args)
    print(f"Đã tạo/nâng cấp lược đồ: {engine.url.render_as_string(hide_password=True)}")
    return 0


def _summary(counts: dict[str, int]) -> str:
    return (
        f"{counts['task']} nhiệm vụ, {counts['statusupdate']} dòng lịch sử, "
        f"{counts['evidencefile']} tệp minh chứng, {counts['user']} tài khoản"
    )


def run_backup(args: argparse.Namespace) -> int:
    from tracker.backup import backup

    counts = backup(engine_for(args), args.out_file)
    print(f"Đã sao lưu {_summary(counts)} vào {args.out_file}")
    return 0


def run_restore(args: argparse.Namespace) -> int:
    from tracker.backup import restore

    engine = engine_for(args)
    counts = restore(engine, args.in_file, force=args.force)
    print(f"Đã khôi phục {_summary(counts)} vào {engine.url.render_as_string(hide_password=True)}")
    return 0
