"""What every command shares: opening the database, printing JSON."""

from __future__ import annotations

import argparse
import json
from dataclasses import replace
from typing import Any

from sqlalchemy import Engine

from tracker.config import Settings, check_database_url, load_settings
from tracker.db import open_database


def settings_for(args: argparse.Namespace) -> Settings:
    settings = load_settings()
    if not args.db:
        return settings
    return replace(settings, database_url=check_database_url(args.db, source="--db"))


def engine_for(args: argparse.Namespace) -> Engine:
    return open_database(settings_for(args).database_url)


def print_json(value: Any) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=2, default=str))
