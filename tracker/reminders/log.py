"""The log of reminder e-mails and the repeat rule it carries.

Each (recipient, item, reason) goes out once per repeat interval: an item
sent to a recipient on a run dated D is held back from that recipient on runs
dated before D + every_days (D + 7 for the weekly summary). Only messages the
server accepted count, so a failed one is tried again at the next run.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date, timedelta

from sqlmodel import Session, col, select

from models import ReminderLog
from tracker.clock import now
from tracker.reminders.digests import Digest
from tracker.reminders.items import Item, Reason

Sent = set[tuple[str, str, str]]
# Reasons with an interval of their own, whatever TRACKER_REMIND_EVERY_DAYS says: the weekly
# summary names its week, so within a week it is the same summary and goes out once.
_OWN_INTERVAL = {Reason.weekly_summary.value: 7}


@dataclass(frozen=True)
class Outgoing:
    """One message to write: DIGEST holds only the items new to every address in TO."""

    digest: Digest
    to: tuple[str, ...]


def _key(recipient: str, item: Item) -> tuple[str, str, str]:
    return (recipient.lower(), item.reason.value, item.ref)


def recently_sent(session: Session, *, as_of: date, every_days: int) -> Sent:
    """(recipient, reason, ref) of every item accepted by the server within its interval before AS_OF."""
    longest = max(every_days, *_OWN_INTERVAL.values())
    query = select(ReminderLog).where(
        col(ReminderLog.sent),
        col(ReminderLog.as_of) > as_of - timedelta(days=longest),
        col(ReminderLog.as_of) <= as_of,
    )
    found: Sent = set()
    for row in session.exec(query):
        age = (as_of - row.as_of).days
        for item in json.loads(row.items):
            if age < _OWN_INTERVAL.get(item["reason"], every_days):
                found.add((row.recipient.lower(), item["reason"], item["ref"]))
    return found


def plan_outgoing(digests: list[Digest], sent: Sent) -> tuple[list[Outgoing], int]:
    """The messages the repeat rule lets through, and how many (recipient, item) it held back.

    Recipients of a digest who are owed the same items share one message.
    """
    outgoing: list[Outgoing] = []
    held_back = 0
    for digest in digests:
        groups: dict[tuple[Item, ...], list[str]] = {}
        for recipient in digest.recipients:
            new = tuple(item for item in digest.items if _key(recipient, item) not in sent)
            held_back += len(digest.items) - len(new)
            if new:
                groups.setdefault(new, []).append(recipient)
        outgoing.extend(Outgoing(replace(digest, items=items), tuple(to)) for items, to in groups.items())
    return outgoing, held_back


def items_json(items: tuple[Item, ...]) -> str:
    return json.dumps(
        [{"task_id": i.task_id, "code": i.code, "reason": i.reason.value, "ref": i.ref} for i in items],
        ensure_ascii=False,
    )


def record(session: Session, *, message: Outgoing, subject: str, as_of: date, errors: dict[str, str]) -> None:
    """One log row per recipient of MESSAGE; ERRORS holds the refusal of each recipient that failed."""
    stamp = now()
    for recipient in message.to:
        session.add(
            ReminderLog(
                as_of=as_of,
                attempted_at=stamp,
                recipient=recipient,
                audience=message.digest.audience.value,
                unit_id=message.digest.unit_id,
                subject=subject,
                items=items_json(message.digest.items),
                sent=recipient not in errors,
                error=errors.get(recipient, ""),
            )
        )


def latest_log(session: Session, *, limit: int = 200) -> list[ReminderLog]:
    """The most recent log rows, newest first."""
    query = select(ReminderLog).order_by(col(ReminderLog.attempted_at).desc(), col(ReminderLog.id).desc())
    return list(session.exec(query.limit(limit)))
