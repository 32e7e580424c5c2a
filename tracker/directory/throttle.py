"""Slowing down password guessing without letting a stranger lock the real user out.

Failed sign-ins are counted per (client address, typed username) and per client
address. A few failures are free; after that each failure makes the next
attempt from that address wait longer, doubling up to a ceiling. A wait never
becomes a lock on the account: the owner signing in from another address is
not slowed by a stranger's guesses, and at the same address the wait ends by
itself. Nothing sleeps: an attempt made too early is refused with the time to
wait, before any password is checked, so no write lock is held meanwhile.

The counters live in the database so that several app servers share them; a
quiet day clears them. Unknown usernames are counted exactly like known ones,
so the answers never tell which usernames exist.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib import import_module

from sqlalchemy import delete
from sqlmodel import Session, col, select

from models import SignInThrottle
from tracker.errors import AuthError

# Per address, not per username (stored as username "").
ANY_USERNAME = ""
# Stands for a client whose address Streamlit does not give (a browser on the server itself).
LOCAL = "local"
REFUSED = "Sai tên đăng nhập hoặc mật khẩu."
# Counters of an address quiet this long start again from zero.
QUIET = timedelta(hours=24)


@dataclass(frozen=True)
class Limit:
    free: int
    first_wait: timedelta
    longest_wait: timedelta

    def wait_after(self, failures: int) -> timedelta:
        """How long the next attempt waits after FAILURES failures in a row."""
        if failures <= self.free:
            return timedelta(0)
        grown: timedelta = self.first_wait * 2 ** min(failures - self.free - 1, 30)
        return min(grown, self.longest_wait)


# One person mistyping: three free tries, then 2 s, 4 s, 8 s … up to 15 minutes.
PER_USERNAME = Limit(free=3, first_wait=timedelta(seconds=2), longest_wait=timedelta(minutes=15))
# An office behind one address has many people mistyping; a guesser tries many usernames.
PER_ADDRESS = Limit(free=20, first_wait=timedelta(seconds=2), longest_wait=timedelta(minutes=15))


def client_address(peer: str | None, headers: Mapping[str, str], header: str | None) -> str:
    """The address to count a sign-in attempt against.

    PEER is the connection's address (None from the server itself). Behind a
    reverse proxy every connection comes from the proxy, so the HEADER it sets
    (X-Forwarded-For, X-Real-IP) names the client, but only when configured:
    otherwise anyone could send that header and pick a fresh address per guess.
    The proxy appends the address it saw, so the last entry is the trusted one.
    """
    if header:
        forwarded = next((value for name, value in headers.items() if name.lower() == header.lower()), "")
        last = forwarded.split(",")[-1].strip()
        if last:
            return last[:100]
    return (peer or LOCAL)[:100]


def _wait_message(wait: timedelta) -> str:
    return f"Đã nhập sai nhiều lần từ máy này: hãy thử lại sau {math.ceil(wait.total_seconds())} giây."


def _keys(username: str) -> list[str]:
    return [ANY_USERNAME, username]


def refuse_if_waiting(counters: Sequence[SignInThrottle], moment: datetime) -> None:
    """AuthError when any of COUNTERS says the next attempt must still wait at MOMENT."""
    ends = [
        row.blocked_until for row in counters if row.blocked_until is not None and row.blocked_until > moment
    ]
    if ends:
        raise AuthError(_wait_message(max(ends) - moment))


def counters(session: Session, *, address: str, username: str) -> list[SignInThrottle]:
    """The counters an attempt from ADDRESS for USERNAME is held to (those that exist)."""
    query = select(SignInThrottle).where(
        SignInThrottle.address == address, col(SignInThrottle.username).in_(_keys(username))
    )
    return list(session.exec(query))


def lock_counters(session: Session, *, address: str, username: str, moment: datetime) -> list[SignInThrottle]:
    """Both counters of the attempt, created when missing and locked until the transaction ends,
    so parallel attempts count one after another. Always in the same order (the address's first),
    so two transactions never wait on each other in a circle."""
    _forget_quiet(session, moment)
    rows = [
        {"address": address, "username": name, "failures": 0, "last_failure_at": moment}
        for name in _keys(username)
    ]
    # Only the dialect in use is loaded (tracker.db.renew_stamps does the same).
    dialect = import_module(f"sqlalchemy.dialects.{session.get_bind().dialect.name}")
    session.execute(dialect.insert(SignInThrottle).values(rows).on_conflict_do_nothing())
    query = (
        select(SignInThrottle)
        .where(SignInThrottle.address == address, col(SignInThrottle.username).in_(_keys(username)))
        .order_by(col(SignInThrottle.username))
        .with_for_update()
    )
    return list(session.exec(query.execution_options(populate_existing=True)))


def count_failure(session: Session, counters: Sequence[SignInThrottle], moment: datetime) -> str:
    """Count a failed attempt on COUNTERS (from lock_counters); the message to show."""
    wait = timedelta(0)
    for row in counters:
        if moment - row.last_failure_at > QUIET:
            row.failures = 0
        row.failures += 1
        row.last_failure_at = moment
        limit = PER_ADDRESS if row.username == ANY_USERNAME else PER_USERNAME
        row_wait = limit.wait_after(row.failures)
        row.blocked_until = moment + row_wait if row_wait else None
        wait = max(wait, row_wait)
        session.add(row)
    return f"{REFUSED} {_wait_message(wait)}" if wait else REFUSED


def count_success(session: Session, counters: Sequence[SignInThrottle]) -> None:
    """The username's counter starts again; the address's does not, or a guesser holding one
    account of their own could clear it between guesses at others."""
    for row in counters:
        if row.username != ANY_USERNAME:
            session.delete(row)


def _forget_quiet(session: Session, moment: datetime) -> None:
    """Counters quiet for a day are dropped, so guesses at made-up names do not pile up."""
    session.execute(delete(SignInThrottle).where(col(SignInThrottle.last_failure_at) < moment - QUIET))


def clear_username(session: Session, username: str) -> int:
    """Lift every wait on USERNAME, from any address (an administrator's `users unlock`);
    how many counters there were."""
    result = session.execute(delete(SignInThrottle).where(col(SignInThrottle.username) == username))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def waits_by_username(session: Session, moment: datetime) -> dict[str, datetime]:
    """Until when sign-ins to each username are made to wait, from some address, at MOMENT."""
    query = select(SignInThrottle).where(
        SignInThrottle.username != ANY_USERNAME,
        col(SignInThrottle.blocked_until) > moment,
    )
    waits: dict[str, datetime] = {}
    for row in session.exec(query):
        assert row.blocked_until is not None
        waits[row.username] = max(waits.get(row.username, row.blocked_until), row.blocked_until)
    return waits
