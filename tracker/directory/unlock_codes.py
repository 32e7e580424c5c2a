"""One-time codes by e-mail that let an account's owner past sign-in waits a stranger keeps up.

Waits are counted per client address (tracker.directory.throttle), so guesses
from elsewhere never slow the owner. But everyone behind one address (an
office's router, a proxy not set to name its clients) shares that address's
waits, and a stranger there can keep the owner waiting for good. The owner
then asks for a code: it goes to the account's e-mail, is good for
CODE_LIFETIME, and takes one sign-in past every wait; that sign-in, with the
right password, lifts the account's waits from every address. A code alone
signs no one in (a mailbox someone else reads is not a password), is used up
by the attempt that carries it, and only its sha256 is stored.

A request gets the same answer whether the username exists, has an e-mail or
was just sent a code, and the mail leaves in the background, so requests tell
nothing about accounts; one code at most per account per CODE_LIFETIME, so a
stranger cannot fill the owner's mailbox.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, select

from models import UnlockCode, User
from tracker.clock import now
from tracker.config import MailSettings
from tracker.db import write_session
from tracker.errors import TrackerError

CODE_LIFETIME = timedelta(minutes=15)
# Read off an e-mail and typed: no 0/O or 1/I to confuse; ten of them are 50 random bits.
_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
_LENGTH = 10
_log = logging.getLogger("tracker")


def _hash(code: str) -> str:
    """The stored form of CODE, as typed in any case, with or without spaces and dashes."""
    typed = "".join(code.split()).replace("-", "").upper()
    return hashlib.sha256(typed.encode()).hexdigest()


def issue_code(session: Session, *, username: str, moment: datetime) -> tuple[User, str] | None:
    """A new code for the active account USERNAME and that account, to mail it; None when the
    account is unknown, inactive or without e-mail, or was sent a code less than CODE_LIFETIME ago."""
    user = session.exec(select(User).where(User.username == username.strip())).first()
    if user is None or user.id is None or not user.active or not user.email:
        return None
    last = session.get(UnlockCode, user.id)
    if last is not None and moment - last.created_at < CODE_LIFETIME:
        return None
    code = "".join(secrets.choice(_ALPHABET) for _ in range(_LENGTH))
    stored = last or UnlockCode(user_id=user.id, code_hash="", created_at=moment)
    stored.code_hash, stored.created_at = _hash(code), moment
    session.add(stored)
    return user, code


def valid_code(
    session: Session, *, user_id: int, code: str, moment: datetime, lock: bool = False
) -> UnlockCode | None:
    """USER_ID's code when CODE is it and still good at MOMENT; with LOCK, held until the
    transaction ends, so two attempts cannot both use it."""
    if not code.strip():
        return None
    query = select(UnlockCode).where(UnlockCode.user_id == user_id)
    found = session.exec(query.with_for_update() if lock else query).first()
    if found is None or moment - found.created_at >= CODE_LIFETIME:
        return None
    return found if hmac.compare_digest(found.code_hash, _hash(code)) else None


def code_message(user: User, code: str, sender: str) -> EmailMessage:
    from tracker.reminders.mail import SUBJECT_PREFIX  # as in send_unlock_code

    minutes = int(CODE_LIFETIME.total_seconds() // 60)
    message = EmailMessage()
    message["Subject"] = f"{SUBJECT_PREFIX} Mã mở khóa đăng nhập"
    message["From"] = sender
    message["To"] = str(user.email)
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2].strip("> ") or None)
    message.set_content(
        f"Mã mở khóa đăng nhập tài khoản '{user.username}': {code}\n\n"
        f'Nhập mã này cùng mật khẩu ở ô "Mã mở khóa" của trang đăng nhập, trong {minutes} phút. '
        "Mã chỉ dùng được một lần và bỏ mọi thời gian chờ của tài khoản.\n\n"
        "Nếu bạn không đề nghị mã này, có thể ai đó đang đoán mật khẩu của bạn: "
        "hãy báo Tổ giúp việc. Đây là thư tự động của hệ thống theo dõi nhiệm vụ.\n",
        cte="base64",
    )
    return message


def send_unlock_code(engine: Engine, mail: MailSettings, username: str) -> None:
    """Issue a code for USERNAME and mail it, when there is one to send (issue_code). Never
    raises: the person asking sees the same answer whatever happens, and failures go to the log."""
    # Here, not at the top: signing in (tracker.directory.auth) must not load the reminders and pandas.
    from tracker.reminders.mail import deliver

    try:
        with write_session(engine) as session:
            issued = issue_code(session, username=username, moment=now())
        if issued is None:
            return
        user, code = issued
        failed = deliver(mail, code_message(user, code, mail.sender), (str(user.email),))
        for address, error in failed.items():
            _log.warning("Không gửi được mã mở khóa đến %s: %s", address, error)
    except (SQLAlchemyError, TrackerError):
        # A database down, read-only or full: the mail server's failures come back from deliver.
        _log.exception("Không gửi được mã mở khóa của '%s'", username)
