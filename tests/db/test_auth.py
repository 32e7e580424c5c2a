from datetime import datetime, timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine
from sqlmodel import select

from models import Role, User
from tests.support.factories import PASSWORD, make_unit, make_user, sign_in
from tracker import db
from tracker.clock import now
from tracker.db import read_session, write_session
from tracker.directory import auth
from tracker.directory.auth import (
    create_first_secretariat,
    hash_password,
    is_idle,
    needs_setup,
    user_for_email,
)
from tracker.errors import AuthError, InvalidValue

pytestmark = pytest.mark.usefixtures("cheap_hashing")


def fail(engine: Engine, username: str, times: int) -> str:
    message = ""
    for _ in range(times):
        with pytest.raises(AuthError) as refused:
            sign_in(engine, username, "sai-mat-khau")
        message = str(refused.value)
    return message


def stored(engine: Engine, username: str) -> User:
    with read_session(engine) as session:
        return session.exec(select(User).where(User.username == username)).one()


def test_the_right_password_signs_in_and_records_the_time(engine: Engine) -> None:
    make_user(engine, Role.secretariat, username="thuky")
    user = sign_in(engine, " thuky ", PASSWORD)
    assert user.username == "thuky"
    assert stored(engine, "thuky").last_login_at is not None


def test_unknown_user_and_wrong_password_get_the_same_answer(engine: Engine) -> None:
    make_user(engine, Role.unit, username="sokhcn")
    with pytest.raises(AuthError) as unknown:
        sign_in(engine, "khongco", PASSWORD)
    with pytest.raises(AuthError) as wrong:
        sign_in(engine, "sokhcn", "sai-mat-khau")
    assert str(unknown.value) == str(wrong.value) == "Sai tên đăng nhập hoặc mật khẩu."


def test_five_failures_lock_the_account_for_fifteen_minutes(engine: Engine) -> None:
    make_user(engine, Role.unit, username="sokhcn")
    assert fail(engine, "sokhcn", 4) == "Sai tên đăng nhập hoặc mật khẩu."
    assert "bị tạm khóa đến" in fail(engine, "sokhcn", 1)
    locked_until = stored(engine, "sokhcn").locked_until
    assert locked_until is not None
    assert timedelta(minutes=14) < locked_until - now() <= timedelta(minutes=15)
    with pytest.raises(AuthError, match="đang tạm khóa đến"):
        sign_in(engine, "sokhcn", PASSWORD)


def test_the_lockout_survives_a_restart(database_url: str) -> None:
    engine = db.open_database(database_url)
    make_user(engine, Role.unit, username="sokhcn")
    fail(engine, "sokhcn", 5)
    engine.dispose()
    db.get_engine.cache_clear()
    restarted = db.open_database(database_url)
    assert restarted is not engine
    with pytest.raises(AuthError, match="đang tạm khóa"):
        sign_in(restarted, "sokhcn", PASSWORD)


def test_the_lock_lifts_after_fifteen_minutes_and_the_count_restarts(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_user(engine, Role.unit, username="sokhcn")
    fail(engine, "sokhcn", 5)
    later = now() + timedelta(minutes=16)
    monkeypatch.setattr(auth, "now", lambda: later)
    assert sign_in(engine, "sokhcn", PASSWORD).username == "sokhcn"
    after = stored(engine, "sokhcn")
    assert (after.failed_logins, after.locked_until) == (0, None)


def test_a_success_resets_the_failure_count(engine: Engine) -> None:
    make_user(engine, Role.unit, username="sokhcn")
    fail(engine, "sokhcn", 4)
    sign_in(engine, "sokhcn", PASSWORD)
    assert fail(engine, "sokhcn", 4) == "Sai tên đăng nhập hoặc mật khẩu."
    assert stored(engine, "sokhcn").failed_logins == 4


def test_the_password_is_checked_while_others_may_write(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    # argon2 is slow on purpose; on SQLite a write transaction open meanwhile would hold up
    # every other writer (and this write would wait for the busy timeout, then fail).
    make_user(engine, Role.unit, username="sokhcn")
    real_verify = auth._verify
    writes: list[str] = []

    def verify_while_another_writes(password_hash: str, password: str) -> bool:
        writes.append(make_unit(engine, f"Phòng {len(writes) + 1}").name)
        return real_verify(password_hash, password)

    monkeypatch.setattr(auth, "_verify", verify_while_another_writes)
    assert sign_in(engine, "sokhcn", PASSWORD).username == "sokhcn"
    assert "bị tạm khóa đến" in fail(engine, "sokhcn", 5)
    assert len(writes) == 6


def test_a_password_changed_while_it_is_checked_is_the_one_that_counts(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_user(engine, Role.unit, username="sokhcn")
    real_verify = auth._verify

    def verify_then_reset(password_hash: str, password: str) -> bool:
        with write_session(engine) as session:
            user = session.exec(select(User).where(User.username == "sokhcn")).one()
            user.password_hash = hash_password("mat-khau-moi-2026")
            session.add(user)
        monkeypatch.setattr(auth, "_verify", real_verify)
        return real_verify(password_hash, password)

    monkeypatch.setattr(auth, "_verify", verify_then_reset)
    with pytest.raises(AuthError, match="Sai tên đăng nhập"):
        sign_in(engine, "sokhcn", PASSWORD)
    assert stored(engine, "sokhcn").failed_logins == 1


def test_an_inactive_account_is_refused_even_with_the_right_password(engine: Engine) -> None:
    user = make_user(engine, Role.unit, username="sokhcn")
    with write_session(engine) as session:
        user.active = False
        session.add(user)
    with pytest.raises(AuthError, match="'sokhcn' đã bị vô hiệu hóa"):
        sign_in(engine, "sokhcn", PASSWORD)


def test_weak_hashes_are_upgraded_on_sign_in(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    make_user(engine, Role.unit, username="sokhcn")
    monkeypatch.setattr(auth, "_hasher", PasswordHasher(time_cost=2, memory_cost=16, parallelism=1))
    before = stored(engine, "sokhcn").password_hash
    sign_in(engine, "sokhcn", PASSWORD)
    after = stored(engine, "sokhcn").password_hash
    assert after != before
    assert sign_in(engine, "sokhcn", PASSWORD).username == "sokhcn"


def test_passwords_shorter_than_eight_characters_are_refused() -> None:
    with pytest.raises(InvalidValue, match="ít nhất 8 ký tự"):
        hash_password("ngan")
    assert hash_password("du-tam-ky").startswith("$argon2")


def test_the_first_secretariat_account_is_created_once_on_an_empty_database(engine: Engine) -> None:
    with read_session(engine) as session:
        assert needs_setup(session)
    with write_session(engine) as session:
        first = create_first_secretariat(
            session, username="vanphong", display_name="Văn phòng", password="mat-khau-dai"
        )
    assert first.role == Role.secretariat
    with read_session(engine) as session:
        assert not needs_setup(session)
    with write_session(engine) as session, pytest.raises(AuthError, match="Đã có tài khoản"):
        create_first_secretariat(session, username="khac", display_name="", password="mat-khau-dai")
    assert sign_in(engine, "vanphong", "mat-khau-dai").id == first.id


def test_a_session_is_idle_only_after_the_configured_minutes() -> None:
    seen = datetime(2026, 11, 26, 14, 0)
    assert not is_idle(seen, seen + timedelta(minutes=30), 30)
    assert is_idle(seen, seen + timedelta(minutes=30, seconds=1), 30)


def test_an_email_maps_to_its_active_account_whatever_the_case(engine: Engine) -> None:
    user = make_user(engine, Role.committee, username="lanhdao")
    with write_session(engine) as session:
        user.email = "LanhDao@tinh.gov.vn"
        session.add(user)
    with read_session(engine) as session:
        assert user_for_email(session, " lanhdao@TINH.gov.vn").id == user.id
        with pytest.raises(AuthError, match=r"'khac@tinh\.gov\.vn'"):
            user_for_email(session, "khac@tinh.gov.vn")
