"""`units [--json]`: every unit with its kind, other spellings and task counts."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from tracker.cli.common import engine_for, print_json

if TYPE_CHECKING:
    from tracker.directory.unit_list import UnitEntry

# The contract outside scripts rely on, in this order.
UNIT_KEYS = ("name", "short_name", "kind", "aliases", "leads", "coordinates")


def register(sub: Any) -> None:
    sub.add_parser("units", help="liệt kê đơn vị (và các cụm chỉ nhiều cơ quan)", arguments=_arguments)


def _arguments(units: argparse.ArgumentParser) -> None:
    units.add_argument("--json", action="store_true", help="in JSON")
    units.set_defaults(handler=run_units)


def run_units(args: argparse.Namespace) -> int:
    from models import UnitKind
    from tracker.db import read_session
    from tracker.directory.unit_list import unit_directory

    with read_session(engine_for(args)) as session:
        entries = unit_directory(session)
    if args.json:
        print_json([unit_record(entry) for entry in entries])
        return 0
    for entry in entries:
        kind = " [nhiều cơ quan]" if entry.kind == UnitKind.collective else ""
        aliases = f" (còn gọi: {'; '.join(entry.aliases)})" if entry.aliases else ""
        counts = f"chủ trì {entry.lead_tasks}\tphối hợp {entry.coordinated_tasks}"
        print(f"{entry.name}{kind}{aliases}\t{counts}")
    return 0


def unit_record(entry: UnitEntry) -> dict[str, object]:
    """One unit with exactly UNIT_KEYS."""
    return {
        "name": entry.name,
        "short_name": entry.short_name,
        "kind": entry.kind,
        "aliases": entry.aliases,
        "leads": entry.lead_tasks,
        "coordinates": entry.coordinated_tasks,
    }
