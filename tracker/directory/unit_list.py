"""Every unit with what hangs on it, so the secretariat can spot twins and merge them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func
from sqlalchemy import select as select_columns
from sqlalchemy.orm import Mapped
from sqlmodel import Session, col, select

from models import Task, TaskCoordinator, Unit, UnitAlias, User


@dataclass(frozen=True)
class UnitEntry:
    id: int
    name: str
    short_name: str
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
    """Every unit by name, with its other spellings and how many tasks and accounts it has."""
    aliases: dict[int, list[str]] = {}
    spellings = select_columns(col(UnitAlias.unit_id), col(UnitAlias.alias)).order_by(col(UnitAlias.alias))
    for unit_id, alias in session.execute(spellings):
        aliases.setdefault(unit_id, []).append(alias)
    lead = _counts(session, col(Task.lead_unit_id))
    coordinated = _counts(session, col(TaskCoordinator.unit_id))
    accounts = _counts(session, col(User.unit_id))
    return [
        UnitEntry(
            id=unit.id,
            name=unit.name,
            short_name=unit.short_name,
            aliases=aliases.get(unit.id, []),
            lead_tasks=lead.get(unit.id, 0),
            coordinated_tasks=coordinated.get(unit.id, 0),
            accounts=accounts.get(unit.id, 0),
            mailbox=unit.mailbox,
        )
        for unit in session.exec(select(Unit).order_by(col(Unit.name)))
        if unit.id is not None
    ]
