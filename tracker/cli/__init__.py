"""`python -m tracker`: the command line over the same services the pages use.

Each feature keeps its commands in a module of this package with a
`register(subparsers)` function; errors a user can cause end in one line on
stderr and a non-zero exit, never a traceback; so does a database that is
down, read-only or full.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from tracker.cli import accounts, admin, evidence, imports, issued, reminders, reports, tasks, workflow
from tracker.cli import indicators as indicator_commands
from tracker.cli import units as unit_commands
from tracker.cli.common import CommandParser, settings_for
from tracker.errors import TrackerError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m tracker",
        description="Theo dõi nhiệm vụ kế hoạch hành động (Nghị quyết 57-NQ/TW).",
    )
    parser.add_argument(
        "--db",
        metavar="URL",
        help="cơ sở dữ liệu (mặc định: TRACKER_DATABASE_URL hoặc sqlite:///data/tracker.db)",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=CommandParser)
    commands = (admin, imports, accounts, tasks, workflow, reports, issued, evidence, unit_commands)
    for module in (*commands, indicator_commands, reminders):
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    # Here, not at the top: `--help` must not wait for SQLAlchemy to load.
    from tracker.db import reporting_outages

    try:
        with reporting_outages(settings_for(args).database_url):
            result: int = args.handler(args)
            sys.stdout.flush()
    except TrackerError as error:
        print(f"Lỗi: {error}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # The reader stopped early (`tasks | head`): nothing is left to say, and Python would
        # print a traceback when it flushes the rest at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    return result
