"""Who gets which items: one digest per unit, one for the secretariat.

A unit's recipients are its active accounts with an e-mail and the unit's own
mailbox; the secretariat's are its active accounts with an e-mail. Addresses
compare without case, so a mailbox also held by an account gets one copy.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlmodel import Session, col, select

from models import Role, Unit, User
from tracker.reminders.items import Item, Scope, secretariat_items, unit_items
from tracker.reminders.summary import WeeklySummary, committee_recipients, summary_item, weekly_summary

SECRETARIAT_TITLE = "Tổ giúp việc Ban Chỉ đạo"
COMMITTEE_TITLE = "Thành viên Ban Chỉ đạo"


class Audience(StrEnum):
    unit = "unit"
    secretariat = "secretariat"
    committee = "committee"


@dataclass(frozen=True)
class Digest:
    """What one audience must act on, and the addresses it goes to."""

    audience: Audience
    title: str
    unit_id: int | None
    recipients: tuple[str, ...]
    items: tuple[Item, ...]
    # The committee's digest carries the weekly summary (its one item names the week).
    summary: WeeklySummary | None = None


def _distinct(addresses: list[str]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for address in addresses:
        cleaned = address.strip()
        if cleaned:
            seen.setdefault(cleaned.lower(), cleaned)
    return tuple(seen.values())


def _active_with_email(session: Session, role: Role) -> list[User]:
    query = select(User).where(
        col(User.active), User.role == role, col(User.email).is_not(None), col(User.email) != ""
    )
    return list(session.exec(query.order_by(col(User.username))))


def unit_recipients(session: Session, unit: Unit) -> tuple[str, ...]:
    """The unit's active accounts with an e-mail, then its own mailbox."""
    accounts = [
        user.email or "" for user in _active_with_email(session, Role.unit) if user.unit_id == unit.id
    ]
    return _distinct([*accounts, unit.mailbox])


def secretariat_recipients(session: Session) -> tuple[str, ...]:
    return _distinct([user.email or "" for user in _active_with_email(session, Role.secretariat)])


def build_digests(session: Session, *, as_of: date, due_soon_days: int) -> list[Digest]:
    """Every digest with something to say at AS_OF: units by name, the secretariat, then the
    committee members who asked for the weekly summary.

    A digest without recipients is kept: the preview shows who would be
    reminded if only they had an address.
    """
    scope = Scope(session, as_of, due_soon_days)
    found = unit_items(scope)
    units = session.exec(select(Unit).where(col(Unit.id).in_(list(found))).order_by(col(Unit.name)))
    digests = [
        Digest(Audience.unit, unit.name, unit.id, unit_recipients(session, unit), tuple(found[unit.id]))
        for unit in units
        if unit.id is not None
    ]
    waiting = secretariat_items(session, as_of)
    if waiting:
        digests.append(
            Digest(
                Audience.secretariat, SECRETARIAT_TITLE, None, secretariat_recipients(session), tuple(waiting)
            )
        )
    members = committee_recipients(session)
    if members:
        summary = weekly_summary(scope.classified(), as_of=as_of)
        if summary.total:
            items = (summary_item(as_of),)
            digests.append(Digest(Audience.committee, COMMITTEE_TITLE, None, members, items, summary))
    return digests
