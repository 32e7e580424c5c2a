"""What every command shares: opening the database, printing JSON."""

from __future__ import annotations

import argparse
import json
from dataclasses import replace
from datetime import date
from typing import Any

from sqlalchemy import Engine

from tracker.config import Settings, load_settings
from tracker.db import open_database
from tracker.errors import InvalidValue


def settings_for(args: argparse.Namespace) -> Settings:
    settings = load_settings()
    return replace(settings, database_url=args.db) if args.db else settings


def engine_for(args: argparse.Namespace) -> Engine:
    return open_database(settings_for(args).database_url)


def print_json(value: Any) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=2, default=str))


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
