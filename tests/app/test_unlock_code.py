"""The sign-in page's way past a wait a stranger keeps up: ask for a code, sign in with it."""

from __future__ import annotations

import re
import time

import pytest
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from models import Role
from tests.support.apptest import dashboard, read, shown
from tests.support.factories import PASSWORD, make_user
from tests.support.smtp import MailServer
from tracker.db import open_database

MAILBOX = "vanphong@tinh.gov.vn"
SENT = "Nếu tài khoản này có thư điện tử, mã mở khóa đã được gửi đến đó (tối đa một mã mỗi 15 phút)."


@pytest.fixture
def app_engine(app_url: str, smtp_server: MailServer, monkeypatch: pytest.MonkeyPatch) -> Engine:
    monkeypatch.setenv("TRACKER_SMTP_HOST", smtp_server.host)
    monkeypatch.setenv("TRACKER_SMTP_PORT", str(smtp_server.port))
    monkeypatch.setenv("TRACKER_SMTP_SECURITY", "none")
    monkeypatch.setenv("TRACKER_SMTP_FROM", "nhacviec@tinh.gov.vn")
    return open_database(app_url)


def sign_in(at: AppTest, password: str, code: str = "") -> None:
    at.text_input(key="sign_in_username").input("vanphong")
    at.text_input(key="sign_in_password").input(password)
    at.text_input(key="sign_in_code").input(code)
    next(button for button in at.form_submit_button if button.form_id == "sign_in").click().run()


def ask(at: AppTest, username: str) -> list[str]:
    at.text_input(key="unlock_username").input(username)
    next(button for button in at.form_submit_button if button.form_id == "unlock_request").click().run()
    assert not at.exception, at.exception
    return shown(at.info)


def test_the_owner_kept_waiting_asks_for_a_code_and_signs_in_with_it(
    app_engine: Engine, smtp_server: MailServer
) -> None:
    make_user(app_engine, Role.secretariat, username="vanphong", email=MAILBOX)
    at = dashboard().run()
    for _ in range(4):
        sign_in(at, "doan-mo")
    sign_in(at, PASSWORD)
    assert read(at.error[0].value).endswith("hãy thử lại sau 2 giây.")

    # One answer for a name that exists and one that does not.
    assert ask(at, "khong-co-ai") == ask(at, "vanphong") == [SENT]
    deadline = time.monotonic() + 30
    while not smtp_server.collector.to(MAILBOX):
        assert time.monotonic() < deadline, "the code was never mailed"
        time.sleep(0.05)
    assert len(smtp_server.collector.received) == 1
    [code] = re.findall(r": ([2-9A-Z]{10})\n", smtp_server.collector.to(MAILBOX)[0].get_content())

    sign_in(at, PASSWORD, code)
    assert not at.exception, at.exception
    assert at.session_state["user_id"] is not None


def test_without_a_mail_server_there_is_no_code_to_ask_for(
    app_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TRACKER_SMTP_HOST", raising=False)
    make_user(open_database(app_url), Role.secretariat, username="vanphong", email=MAILBOX)
    at = dashboard().run()
    assert not at.exception
    assert [box.key for box in at.text_input] == ["sign_in_username", "sign_in_password"]
