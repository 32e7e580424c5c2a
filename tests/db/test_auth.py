from datetime import datetime, timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine
from sqlmodel import select

from models import Role, SignInThrottle, User
from tests.support.factories import ADDRESS, PASSWORD, make_unit, make_user, sign_in
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


class Clock:
    """auth's clock, moved by hand: waits are seconds to minutes."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.moment = now()
        monkeypatch.setattr(auth, "now", lambda: self.moment)

    def advance(self, delta: timedelta) -> None:
        self.moment += delta


def counters(engine: Engine) -> dict[tuple[str, str], int]:
    with read_session(engine) as session:
        return {(row.address, row.username): row.failures for row in session.exec(select(SignInThrottle))}


def test_three_failures_are_free_then_each_one_doubles_the_wait(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = Clock(monkeypatch)
    make_user(engine, Role.unit, username="sokhcn")
    assert fail(engine, "sokhcn", 3) == "Sai tên đăng nhập hoặc mật khẩu."
    assert fail(engine, "sokhcn", 1).endswith("hãy thử lại sau 2 giây.")
    with pytest.raises(AuthError, match="thử lại sau 2 giây"):
        sign_in(engine, "sokhcn", PASSWORD)
    clock.advance(timedelta(seconds=2))
    assert fail(engine, "sokhcn", 1).endswith("hãy thử lại sau 4 giây.")
    clock.advance(timedelta(seconds=4))
    assert sign_in(engine, "sokhcn", PASSWORD).username == "sokhcn"


def test_a_strangers_guesses_never_keep_the_owner_out(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Before: 5 wrong passwords from anywhere locked the account for everyone.
    clock = Clock(monkeypatch)
    make_user(engine, Role.secretariat, username="vanphong")
    for _ in range(30):
        with pytest.raises(AuthError):
            sign_in(engine, "vanphong", "doan-mo", address="203.0.113.66")
        clock.advance(timedelta(minutes=16))
    assert sign_in(engine, "vanphong", PASSWORD, address="198.51.100.7").username == "vanphong"
    with pytest.raises(AuthError, match="thử lại sau 900 giây"):
        sign_in(engine, "vanphong", "doan-mo", address="203.0.113.66")


def test_the_wait_grows_to_fifteen_minutes_and_no_further(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = Clock(monkeypatch)
    make_user(engine, Role.unit, username="sokhcn")
    for _ in range(40):
        message = fail(engine, "sokhcn", 1)
        clock.advance(timedelta(minutes=15))
    assert message.endswith("hãy thử lại sau 900 giây.")
    assert sign_in(engine, "sokhcn", PASSWORD).username == "sokhcn"


def test_an_unknown_username_is_answered_and_slowed_exactly_like_a_known_one(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    Clock(monkeypatch)
    make_user(engine, Role.unit, username="sokhcn")

    def answers(username: str, address: str) -> list[str]:
        refusals = []
        for _ in range(6):
            with pytest.raises(AuthError) as refused:
                sign_in(engine, username, "sai-mat-khau", address=address)
            refusals.append(str(refused.value))
        return refusals

    assert answers("sokhcn", "198.51.100.1") == answers("khongco", "198.51.100.2")


def test_guessing_many_usernames_from_one_address_slows_that_address_only(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = Clock(monkeypatch)
    make_user(engine, Role.unit, username="sokhcn")
    for number in range(20):
        with pytest.raises(AuthError, match=r"^Sai tên đăng nhập hoặc mật khẩu\.$"):
            sign_in(engine, f"ten{number}", "doan-mo", address="203.0.113.66")
        clock.advance(timedelta(seconds=1))
    with pytest.raises(AuthError, match="thử lại sau 2 giây"):
        sign_in(engine, "ten20", "doan-mo", address="203.0.113.66")
    with pytest.raises(AuthError, match="thử lại sau 2 giây"):
        sign_in(engine, "sokhcn", PASSWORD, address="203.0.113.66")
    assert sign_in(engine, "sokhcn", PASSWORD, address="198.51.100.7").username == "sokhcn"


def test_the_wait_survives_a_restart(database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    Clock(monkeypatch)
    engine = db.open_database(database_url)
    make_user(engine, Role.unit, username="sokhcn")
    fail(engine, "sokhcn", 4)
    engine.dispose()
    db.get_engine.cache_clear()
    restarted = db.open_database(database_url)
    assert restarted is not engine
    with pytest.raises(AuthError, match="thử lại sau"):
        sign_in(restarted, "sokhcn", PASSWORD)


def test_a_success_resets_the_username_count_but_not_the_addresss(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    Clock(monkeypatch)
    make_user(engine, Role.unit, username="sokhcn")
    fail(engine, "sokhcn", 3)
    sign_in(engine, "sokhcn", PASSWORD)
    assert counters(engine) == {(ADDRESS, ""): 3}
    assert fail(engine, "sokhcn", 3) == "Sai tên đăng nhập hoặc mật khẩu."
    assert counters(engine) == {(ADDRESS, ""): 6, (ADDRESS, "sokhcn"): 3}


def test_a_day_without_failures_starts_the_counts_again(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = Clock(monkeypatch)
    make_user(engine, Role.unit, username="sokhcn")
    fail(engine, "sokhcn", 3)
    clock.advance(timedelta(hours=25))
    assert fail(engine, "sokhcn", 1) == "Sai tên đăng nhập hoặc mật khẩu."
    assert counters(engine) == {(ADDRESS, ""): 1, (ADDRESS, "sokhcn"): 1}


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
    assert "thử lại sau" in fail(engine, "sokhcn", 4)
    assert len(writes) == 5


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
    assert counters(engine)[(ADDRESS, "sokhcn")] == 1


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
