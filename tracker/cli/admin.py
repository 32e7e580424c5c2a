"""Commands that look after the database itself: init-db, backup."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from tracker.cli.common import engine_for


def register(sub: Any) -> None:
    init = sub.add_parser("init-db", help="tạo hoặc nâng cấp lược đồ cơ sở dữ liệu")
    init.set_defaults(handler=run_init_db)
    backup = sub.add_parser("backup", help="sao lưu nhất quán CSDL SQLite khi ứng dụng đang chạy")
    backup.add_argument("out_file", metavar="OUT_FILE", type=Path)
    backup.set_defaults(handler=run_backup)


def run_init_db(args: argparse.Namespace) -> int:
    engine = engine_for(args)
    print(f"Đã tạo/nâng cấp lược đồ: {engine.url.render_as_string(hide_password=True)}")
    return 0


def run_backup(args: argparse.Namespace) -> int:
    from tracker.backup import backup_sqlite

    pages = backup_sqlite(engine_for(args), args.out_file)
    print(f"Đã sao lưu {pages} trang vào {args.out_file}")
    return 0
