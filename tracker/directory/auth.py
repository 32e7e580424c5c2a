"""Sign-in: argon2 passwords, lockout after repeated failures, the first account.

There are no built-in accounts: the first secretariat account is created on an
empty database only. The failed-attempt counter lives in the user's row so a
restart does not clear a lockout.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine
from sqlmodel import Session, func, select

from models import Role, User
from tracker.clock import now
from tracker.db import read_session, write_session
from tracker.errors import AuthError, InvalidValue

MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=15)
MIN_PASSWORD_LENGTH = 8
_hasher = PasswordHasher()
_REFUSED = "Sai tên đăng nhập hoặc mật khẩu."


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidValue(
            f"Mật khẩu phải có ít nhất {MIN_PASSWORD_LENGTH} ký tự (mật khẩu đã nhập có {len(password)})."
        )


def hash_password(password: str) -> str:
    check_password(password)
    return _hasher.hash(password)


@cache
def _dummy_hash() -> str:
    """Verified against when the username is unknown, so the answer takes as long. Made at the
    first sign-in, not at import: a command that signs no one in does not pay for a hash."""
    return _hasher.hash("không phải mật khẩu của ai")


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def authenticate(engine: Engine, *, username: str, password: str) -> User:
    """The active user with these credentials, or AuthError.

    argon2 takes tens of milliseconds on purpose, and a write transaction on
    SQLite holds the whole database: the password is checked first, outside any
    transaction, then the outcome is written in a short one. That one locks the
    account's row and looks again at what may have changed meanwhile (a lockout,
    a new password), so parallel guesses cannot lose a count on either engine.
    A failed attempt is committed even though the caller gets the error.
    """
    # Made before the lookup, so the first sign-in of an unknown name takes no longer than a known one's.
    dummy = _dummy_hash()
    with read_session(engine) as session:
        found = session.exec(select(User).where(User.username == username.strip())).first()
    if found is None:
        _verify(dummy, password)
        raise AuthError(_REFUSED)
    _refuse_if_locked(found, now())
    checked_hash = found.password_hash
    matches = _verify(checked_hash, password)
    with write_session(engine) as session:
        user = session.exec(select(User).where(User.id == found.id).with_for_update()).one()
        moment = now()
        _refuse_if_locked(user, moment)
        if user.locked_until is not None:
            user.failed_logins, user.locked_until = 0, None
        if user.password_hash != checked_hash:
            matches = _verify(user.password_hash, password)
        if not matches:
            message = _count_failure(user, moment)
            session.add(user)
            session.commit()
            raise AuthError(message)
        if not user.active:
            raise AuthError(f"Tài khoản '{user.username}' đã bị vô hiệu hóa; liên hệ Tổ giúp việc.")
        if _hasher.check_needs_rehash(user.password_hash):
            user.password_hash = _hasher.hash(password)
        user.failed_logins, user.locked_until, user.last_login_at = 0, None, moment
        session.add(user)
    return user


def _refuse_if_locked(user: User, moment: datetime) -> None:
    if user.locked_until is not None and user.locked_until > moment:
        raise AuthError(
            f"Tài khoản '{user.username}' đang tạm khóa đến {user.locked_until:%H:%M %d/%m/%Y} "
            f"do nhập sai mật khẩu {MAX_FAILURES} lần."
        )


def _count_failure(user: User, moment: datetime) -> str:
    """Count a wrong password on USER, locking it at the limit; the message to show."""
    user.failed_logins += 1
    if user.failed_logins < MAX_FAILURES:
        return _REFUSED
    user.locked_until = moment + LOCKOUT
    return (
        f"Sai mật khẩu {MAX_FAILURES} lần: tài khoản '{user.username}' "
        f"bị tạm khóa đến {user.locked_until:%H:%M %d/%m/%Y}."
    )


def needs_setup(session: Session) -> bool:
    """True while no account exists: the app then shows its setup screen."""
    return session.exec(select(func.count()).select_from(User)).one() == 0


def create_first_secretariat(session: Session, *, username: str, display_name: str, password: str) -> User:
    """The first account, a secretariat one; refused once any account exists."""
    if not needs_setup(session):
        raise AuthError("Đã có tài khoản: tài khoản đầu tiên chỉ được tạo trên cơ sở dữ liệu trống.")
    user = User(
        username=check_username(username),
        display_name=display_name.strip(),
        role=Role.secretariat,
        password_hash=hash_password(password),
        created_at=now(),
    )
    session.add(user)
    session.flush()
    return user


def check_username(username: str) -> str:
    """USERNAME stripped, or InvalidValue when it cannot be one."""
    name = username.strip()
    if not name or len(name) > 100 or any(ch.isspace() for ch in name):
        raise InvalidValue(
            f"Tên đăng nhập '{username}' không hợp lệ: cần 1–100 ký tự, không có khoảng trắng."
        )
    return name


def is_idle(last_seen: datetime, now: datetime, idle_minutes: int) -> bool:
    """Whether a session last active at LAST_SEEN has been idle too long at NOW."""
    return now - last_seen > timedelta(minutes=idle_minutes)


def user_for_email(session: Session, email: str) -> User:
    """The active account an identity provider's e-mail maps to (st.login)."""
    address = email.strip().lower()
    user = session.exec(select(User).where(func.lower(User.email) == address)).first() if address else None
    if user is None:
        raise AuthError(f"Không có tài khoản nào gắn với thư điện tử '{email}'; liên hệ Tổ giúp việc.")
    if not user.active:
        raise AuthError(f"Tài khoản '{user.username}' đã bị vô hiệu hóa; liên hệ Tổ giúp việc.")
    return user
