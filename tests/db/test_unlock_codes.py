"""A stranger at the owner's address can keep them waiting; a one-time code from the account's
e-mail lets the owner back in (issue 17: "if a lock stays, its owner can lift it")."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from models import Role, SignInThrottle, UnlockCode, User
from tests.support.factories import ADDRESS, PASSWORD, make_user, sign_in
from tests.support.reminders import mail_settings
from tests.support.smtp import MailServer, free_port
from tracker.clock import now
from tracker.config import MailSettings
from tracker.db import read_session, write_session
from tracker.directory import auth, unlock_codes
from tracker.directory.auth import authenticate
from tracker.directory.unlock_codes import CODE_LIFETIME, send_unlock_code
from tracker.errors import AuthError

pytestmark = pytest.mark.usefixtures("cheap_hashing")

OWNER = "vanphong"
MAILBOX = "vanphong@tinh.gov.vn"


class Clock:
    """One moment for signing in and for issuing codes, moved by hand."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.moment = now()
        for module in (auth, unlock_codes):
            monkeypatch.setattr(module, "now", lambda: self.moment)

    def advance(self, delta: timedelta) -> None:
        self.moment += delta


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    return Clock(monkeypatch)


def with_code(engine: Engine, password: str, code: str) -> User:
    return authenticate(engine, username=OWNER, password=password, address=ADDRESS, unlock_code=code)


def keep_waiting(engine: Engine) -> None:
    """A stranger at the owner's address (one office router) guesses until the owner must wait."""
    for _ in range(4):
        with pytest.raises(AuthError):
            sign_in(engine, OWNER, "doan-mo")
    with pytest.raises(AuthError, match="thử lại sau"):
        sign_in(engine, OWNER, PASSWORD)


def mailed_codes(server: MailServer, mailbox: str = MAILBOX) -> list[str]:
    bodies = [message.get_content() for message in server.collector.to(mailbox)]
    return [found for body in bodies for found in re.findall(r": ([2-9A-Z]{10})\n", body)]


def ask(engine: Engine, server: MailServer, username: str = OWNER) -> None:
    send_unlock_code(engine, mail_settings(server).mail, username)


def test_a_code_from_the_owners_mailbox_takes_them_past_the_wait_and_lifts_it(
    engine: Engine, smtp_server: MailServer, clock: Clock
) -> None:
    owner = make_user(engine, Role.secretariat, username=OWNER, email=MAILBOX)
    keep_waiting(engine)
    ask(engine, smtp_server)
    [code] = mailed_codes(smtp_server)
    [message] = smtp_server.collector.to(MAILBOX)
    assert message["Subject"] == "[BCĐ 57] Mã mở khóa đăng nhập"

    # Typed as people type it off a mail: lower case, in two halves.
    assert with_code(engine, PASSWORD, f"{code[:5].lower()} {code[5:]}").username == OWNER

    with read_session(engine) as session:
        left = session.exec(select(SignInThrottle.username)).all()
    # The account's waits are gone from every address; the address's own count stays.
    assert left == [""]
    with read_session(engine) as session:
        assert session.get(UnlockCode, owner.id) is None


def test_a_code_is_used_up_by_the_attempt_and_signs_no_one_in_alone(
    engine: Engine, smtp_server: MailServer, clock: Clock
) -> None:
    make_user(engine, Role.secretariat, username=OWNER, email=MAILBOX)
    keep_waiting(engine)
    ask(engine, smtp_server)
    [code] = mailed_codes(smtp_server)
    # Past the wait, but the password is still checked: the mailbox is not the password.
    with pytest.raises(AuthError, match="Sai tên đăng nhập hoặc mật khẩu"):
        with_code(engine, "doan-mo", code)
    with pytest.raises(AuthError, match="thử lại sau"):
        with_code(engine, PASSWORD, code)


def test_a_wrong_or_expired_code_leaves_the_wait_in_place(
    engine: Engine, smtp_server: MailServer, clock: Clock
) -> None:
    make_user(engine, Role.secretariat, username=OWNER, email=MAILBOX)
    make_user(engine, Role.unit, username="nguoila", email="nguoila@example.com")
    ask(engine, smtp_server)
    ask(engine, smtp_server, "nguoila")
    [code] = mailed_codes(smtp_server)
    [strangers] = mailed_codes(smtp_server, "nguoila@example.com")
    keep_waiting(engine)
    for wrong in ("", "AAAAAAAAAA", strangers):
        with pytest.raises(AuthError, match="thử lại sau"):
            with_code(engine, PASSWORD, wrong)
    clock.advance(CODE_LIFETIME)
    keep_waiting(engine)
    with pytest.raises(AuthError, match="thử lại sau"):
        with_code(engine, PASSWORD, code)


def test_asking_tells_nothing_and_sends_one_code_per_lifetime_to_active_accounts_with_mail(
    engine: Engine, smtp_server: MailServer, clock: Clock
) -> None:
    make_user(engine, Role.secretariat, username=OWNER, email=MAILBOX)
    make_user(engine, Role.unit, username="khongthu")
    retired = make_user(engine, Role.unit, username="nghihuu", email="nghihuu@example.com")
    with write_session(engine) as session:
        retired.active = False
        session.add(retired)
    for username in ("khongco", "khongthu", "nghihuu", OWNER, OWNER):
        # Never raises, whatever the name: the page shows one answer for all.
        ask(engine, smtp_server, username)
    assert [got.rcpt_tos for got in smtp_server.collector.received] == [[MAILBOX]]
    clock.advance(CODE_LIFETIME)
    ask(engine, smtp_server)
    first, second = mailed_codes(smtp_server)
    assert first != second
    keep_waiting(engine)
    # Only the newest code is good.
    with pytest.raises(AuthError, match="thử lại sau"):
        with_code(engine, PASSWORD, first)
    assert with_code(engine, PASSWORD, second).username == OWNER


def test_a_mail_server_that_is_down_is_logged_not_raised(
    engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    make_user(engine, Role.secretariat, username=OWNER, email=MAILBOX)
    down = MailSettings(host="127.0.0.1", port=free_port(), sender="nhacviec@tinh.gov.vn", security="none")
    send_unlock_code(engine, down, OWNER)
    assert "Không gửi được mã mở khóa đến vanphong@tinh.gov.vn" in caplog.text
