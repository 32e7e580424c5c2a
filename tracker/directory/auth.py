"""Sign-in: argon2 passwords, waits after repeated failures, the first account.

There are no built-in accounts: the first secretariat account is created on an
empty database only. Failed attempts are counted in the database
(tracker.directory.throttle), so a restart clears no wait.
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
from tracker.directory import throttle, unlock_codes
from tracker.errors import AuthError, InvalidValue

MIN_PASSWORD_LENGTH = 8
# OWASP's recommended argon2id settings (Password Storage Cheat Sheet): 19 MiB, 2 passes, 1 lane.
# argon2-cffi's own default (64 MiB, 3 passes, 4 lanes) wants four cores to itself: on a small
# server it made each sign-in wait half a second. Hashes made with other settings are renewed
# at their owner's next sign-in (check_needs_rehash below).
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)


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


def authenticate(
    engine: Engine, *, username: str, password: str, address: str, unlock_code: str = ""
) -> User:
    """The active user with these credentials, tried from client ADDRESS, or AuthError.

    Too many failures from ADDRESS make the next attempts wait
    (tracker.directory.throttle); the account itself is never locked, so a
    stranger's guesses cannot keep its owner out. An unknown username gets
    the same answers, counts and wait as a wrong password. The account's
    UNLOCK_CODE (tracker.directory.unlock_codes) takes this one attempt past
    every wait and is used up by it; with the right password it also lifts
    the account's waits from every address.

    argon2 takes tens of milliseconds on purpose, and a write transaction on
    SQLite holds the whole database: the password is checked first, outside any
    transaction, then the outcome is written in a short one. That one locks the
    counters and the account's row and looks again at what may have changed
    meanwhile (a wait set by a parallel guess, a new password), so parallel
    guesses cannot lose a count or slip past a wait on either engine. A failed
    attempt is committed even though the caller gets the error.
    """
    name = username.strip()
    # Made before the lookup, so the first sign-in of an unknown name takes no longer than a known one's.
    dummy = _dummy_hash()
    with read_session(engine) as session:
        found = session.exec(select(User).where(User.username == name)).first()
        moment = now()
        if found is None or not unlock_codes.valid_code(
            session, user_id=int(found.id or 0), code=unlock_code, moment=moment
        ):
            throttle.refuse_if_waiting(throttle.counters(session, address=address, username=name), moment)
    checked_hash = found.password_hash if found is not None else dummy
    matches = _verify(checked_hash, password) and found is not None
    with write_session(engine) as session:
        moment = now()
        counters = throttle.lock_counters(session, address=address, username=name, moment=moment)
        user, code = None, None
        if found is not None:
            user = session.exec(select(User).where(User.id == found.id).with_for_update()).one()
            code = unlock_codes.valid_code(
                session, user_id=int(user.id or 0), code=unlock_code, moment=moment, lock=True
            )
        if code is None:
            throttle.refuse_if_waiting(counters, moment)
        else:
            session.delete(code)
        if user is not None and user.password_hash != checked_hash:
            matches = _verify(user.password_hash, password)
        if user is None or not matches:
            message = throttle.count_failure(session, counters, moment)
            session.commit()
            raise AuthError(message)
        if not user.active:
            raise AuthError(f"Tài khoản '{user.username}' đã bị vô hiệu hóa; liên hệ Tổ giúp việc.")
        if _hasher.check_needs_rehash(user.password_hash):
            user.password_hash = _hasher.hash(password)
        user.last_login_at = moment
        session.add(user)
        if code is None:
            throttle.count_success(session, counters)
        else:
            throttle.clear_username(session, user.username)
    return user


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
