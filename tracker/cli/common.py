"""What every command shares: its parser, opening the database, printing JSON.

Listing the commands (`python -m tracker --help`) must start at once, so a
command's module imports at its top only what building its parser needs;
pandas, sqlmodel and the rest are imported by the command that runs. The
arguments whose help lists stored values (statuses, roles) are added only once
their command is chosen (CommandParser), since those values live in models.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from tracker.config import Settings, load_settings

if TYPE_CHECKING:
    from sqlalchemy import Engine


class CommandParser(argparse.ArgumentParser):
    """A command's parser that can add its ARGUMENTS only when the command is chosen."""

    def __init__(
        self, *args: Any, arguments: Callable[[argparse.ArgumentParser], None] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self._arguments = arguments

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        if self._arguments is not None:
            add, self._arguments = self._arguments, None
            add(self)
        return super().parse_known_args(args, namespace)


def settings_for(args: argparse.Namespace) -> Settings:
    settings = load_settings()
    return replace(settings, database_url=args.db) if args.db else settings


def engine_for(args: argparse.Namespace) -> Engine:
    from tracker.db import open_database

    return open_database(settings_for(args).database_url)


def print_json(value: Any) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=2, default=str))
