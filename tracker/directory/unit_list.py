"""Every unit with what hangs on it, so the secretariat can spot twins and merge them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func
from sqlalchemy import select as select_columns
from sqlalchemy.orm import Mapped
from sqlmodel import Session, col

from models import TaskCoordinator, TaskLead, UnitAlias, UnitKind, User
from tracker.directory.units import units_by_name
from tracker.textfold import collation_key


@dataclass(frozen=True)
class UnitEntry:
    id: int
    name: str
    short_name: str
    kind: str  # UnitKind: "unit", or "collective" for a phrase naming many bodies
    aliases: list[str]
    lead_tasks: int
    coordinated_tasks: int
    accounts: int
    mailbox: str


def _counts(session: Session, column: Mapped[Any]) -> dict[int, int]:
    """How many rows name each unit in COLUMN."""
    query = select_columns(column, func.count()).where(column.is_not(None)).group_by(column)
    return {int(unit_id): int(count) for unit_id, count in session.execute(query)}


def unit_directory(session: Session) -> list[UnitEntry]:
    """Every unit in Vietnamese order, with its other spellings and how many tasks it leads
    (joint leads each count the task), coordinates, and how many accounts it has."""
    aliases: dict[int, list[str]] = {}
    spellings = select_columns(col(UnitAlias.unit_id), col(UnitAlias.alias)).order_by(col(UnitAlias.alias))
    for unit_id, alias in session.execute(spellings):
        aliases.setdefault(unit_id, []).append(alias)
    for spellings_of in aliases.values():
        spellings_of.sort(key=collation_key)
    lead = _counts(session, col(TaskLead.unit_id))
    coordinated = _counts(session, col(TaskCoordinator.unit_id))
    accounts = _counts(session, col(User.unit_id))
    return [
        UnitEntry(
            id=unit.id,
            name=unit.name,
            short_name=unit.short_name,
            kind=unit.kind or UnitKind.unit.value,
            aliases=aliases.get(unit.id, []),
            lead_tasks=lead.get(unit.id, 0),
            coordinated_tasks=coordinated.get(unit.id, 0),
            accounts=accounts.get(unit.id, 0),
            mailbox=unit.mailbox,
        )
        for unit in units_by_name(session)
        if unit.id is not None
    ]
