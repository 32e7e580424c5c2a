"""One reminder run: what is due at a date, less what the repeat rule holds back, sent and logged.

Each message is logged in its own transaction right after the server answered,
so a run cut short keeps an exact log; a failure is logged and the run goes on.
A dry run reads only: it sends and logs nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session

from tracker.config import Settings
from tracker.db import read_session, write_session
from tracker.errors import ConfigError
from tracker.reminders.digests import Audience, Digest, build_digests
from tracker.reminders.log import Outgoing, plan_outgoing, recently_sent, record
from tracker.reminders.mail import build_message, deliver, subject


@dataclass(frozen=True)
class Preview:
    """The messages of the next run, the items it holds back, and the digests nobody could receive."""

    outgoing: list[Outgoing]
    held_back: int
    unreachable: list[Digest]


@dataclass(frozen=True)
class RunResult:
    """What a run sent (or, dry, would send), how many items it held back, and what failed."""

    sent: list[dict[str, Any]]
    skipped: int
    failed: list[dict[str, Any]]

    def as_json(self) -> dict[str, Any]:
        return {"sent": self.sent, "skipped": self.skipped, "failed": self.failed}


def not_configured_error() -> ConfigError:
    return ConfigError(
        "Chưa cấu hình gửi e-mail: cần đặt TRACKER_SMTP_HOST và TRACKER_SMTP_FROM "
        "(xem README, mục Nhắc việc)."
    )


def preview(session: Session, *, settings: Settings, as_of: date) -> Preview:
    """The messages the next run dated AS_OF would send."""
    digests = build_digests(session, as_of=as_of, due_soon_days=settings.due_soon_days)
    sent = recently_sent(session, as_of=as_of, every_days=settings.remind_every_days)
    outgoing, held_back = plan_outgoing(digests, sent)
    return Preview(outgoing, held_back, [digest for digest in digests if not digest.recipients])


def _sent_entry(message: Outgoing, to: list[str]) -> dict[str, Any]:
    digest = message.digest
    return {
        "to": to,
        "subject": subject(digest),
        "unit": digest.title if digest.audience == Audience.unit else None,
        "items": [{"code": item.code, "reason": item.reason.value} for item in digest.items],
    }


def _failed_entries(errors: dict[str, str]) -> list[dict[str, Any]]:
    by_error: dict[str, list[str]] = {}
    for address, error in errors.items():
        by_error.setdefault(error, []).append(address)
    return [{"to": to, "error": error} for error, to in by_error.items()]


def run_reminders(engine: Engine, *, settings: Settings, as_of: date, dry_run: bool = False) -> RunResult:
    """Send every reminder due at AS_OF (ConfigError without SMTP settings, unless DRY_RUN)."""
    if not dry_run and not settings.mail.configured:
        raise not_configured_error()
    with read_session(engine) as session:
        planned = preview(session, settings=settings, as_of=as_of)
    if dry_run:
        return RunResult(
            [_sent_entry(message, list(message.to)) for message in planned.outgoing], planned.held_back, []
        )
    sent: list[dict[str, Any]] = []
    failed: list[dict[str, Any]] = []
    mail = settings.mail
    for message in planned.outgoing:
        email = build_message(
            message.digest, to=message.to, sender=mail.sender, as_of=as_of, base_url=mail.base_url
        )
        errors = deliver(mail, email, message.to)
        with write_session(engine) as session:
            record(session, message=message, subject=subject(message.digest), as_of=as_of, errors=errors)
        accepted = [address for address in message.to if address not in errors]
        if accepted:
            sent.append(_sent_entry(message, accepted))
        failed.extend(_failed_entries(errors))
    return RunResult(sent, planned.held_back, failed)
