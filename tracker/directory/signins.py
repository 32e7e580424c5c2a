"""Staying signed in across reloads: a random token in the browser's cookie, its hash here.

A Streamlit session lives in one websocket, so a reload or a new tab would
start signed out. After a sign-in the browser keeps a token of 256 random
bits in a cookie; the database keeps only the token's sha256, so a copy of the
database signs no one in. A token ends on sign-out, once idle longer than the
idle setting, and when its account is deactivated or its password reset.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import delete, update
from sqlmodel import Session, col, select

from models import BrowserSignIn, User
from tracker.clock import now
from tracker.directory.auth import is_idle


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_sign_in(session: Session, *, user_id: int, idle_minutes: int) -> str:
    """A new token keeping USER_ID signed in, for the browser's cookie. Tokens of browsers
    that were closed without signing out are cleared away once idle too long."""
    token = secrets.token_urlsafe(32)
    moment = now()
    stale = col(BrowserSignIn.last_seen_at) < moment - timedelta(minutes=idle_minutes)
    session.execute(delete(BrowserSignIn).where(stale))
    session.add(
        BrowserSignIn(token_hash=_hash(token), user_id=user_id, created_at=moment, last_seen_at=moment)
    )
    session.flush()
    return token


def resume_sign_in(session: Session, *, token: str, idle_minutes: int) -> User | None:
    """The active user TOKEN keeps signed in, its idle time restarted; None when there is none,
    and a token found idle too long or of a deactivated account is ended."""
    found = session.exec(select(BrowserSignIn).where(BrowserSignIn.token_hash == _hash(token))).first()
    if found is None:
        return None
    user = session.get(User, found.user_id)
    moment = now()
    if user is None or not user.active or is_idle(found.last_seen_at, moment, idle_minutes):
        session.delete(found)
        return None
    found.last_seen_at = moment
    session.add(found)
    return user


def sign_in_open(session: Session, *, token: str) -> bool:
    """Whether TOKEN still keeps its browser signed in (not ended elsewhere)."""
    return (
        session.exec(select(BrowserSignIn.id).where(BrowserSignIn.token_hash == _hash(token))).first()
        is not None
    )


def touch_sign_in(session: Session, *, token: str) -> None:
    """Restart TOKEN's idle time: its user is active in the browser."""
    statement = update(BrowserSignIn).where(col(BrowserSignIn.token_hash) == _hash(token))
    session.execute(statement.values(last_seen_at=now()))


def end_sign_in(session: Session, *, token: str) -> None:
    session.execute(delete(BrowserSignIn).where(col(BrowserSignIn.token_hash) == _hash(token)))


def end_sign_ins_of(session: Session, *, user_id: int) -> None:
    """Sign the account out of every browser (deactivated, or its password reset)."""
    session.execute(delete(BrowserSignIn).where(col(BrowserSignIn.user_id) == user_id))
