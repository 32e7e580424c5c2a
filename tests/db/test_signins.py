from datetime import timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from models import BrowserSignIn, Role
from tests.support.factories import make_user
from tracker.clock import now
from tracker.db import read_session, write_session
from tracker.directory import accounts, signins
from tracker.directory.signins import (
    end_sign_in,
    open_sign_in,
    resume_sign_in,
    sign_in_open,
    touch_sign_in,
)

IDLE = 30


def opened(engine: Engine, user_id: int | None) -> str:
    assert user_id is not None
    with write_session(engine) as session:
        return open_sign_in(session, user_id=user_id, idle_minutes=IDLE)


def resumed(engine: Engine, token: str) -> int | None:
    with write_session(engine) as session:
        user = resume_sign_in(session, token=token, idle_minutes=IDLE)
        return user.id if user else None


def stored_tokens(engine: Engine) -> list[BrowserSignIn]:
    with read_session(engine) as session:
        return list(session.exec(select(BrowserSignIn)))


def later(monkeypatch: pytest.MonkeyPatch, minutes: int) -> None:
    moment = now() + timedelta(minutes=minutes)
    monkeypatch.setattr(signins, "now", lambda: moment)


def test_a_token_signs_its_user_back_in_and_only_its_hash_is_stored(engine: Engine) -> None:
    user = make_user(engine, Role.unit)
    token = opened(engine, user.id)
    assert resumed(engine, token) == user.id
    [row] = stored_tokens(engine)
    assert token not in row.token_hash
    assert resumed(engine, row.token_hash) is None, "the stored hash is no token"
    assert resumed(engine, token + "x") is None


def test_use_keeps_a_token_alive_and_idleness_ends_it(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = make_user(engine, Role.unit)
    token = opened(engine, user.id)
    later(monkeypatch, IDLE - 1)
    with write_session(engine) as session:
        touch_sign_in(session, token=token)
    later(monkeypatch, 2 * IDLE - 2)
    assert resumed(engine, token) == user.id, "touched at minute 29, so idle for 29 minutes only"
    later(monkeypatch, 3 * IDLE)
    assert resumed(engine, token) is None
    assert stored_tokens(engine) == [], "an expired token is ended, not kept"


def test_tokens_of_browsers_closed_long_ago_are_cleared_at_the_next_sign_in(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = make_user(engine, Role.unit), make_user(engine, Role.committee)
    opened(engine, first.id)
    later(monkeypatch, IDLE + 1)
    kept = opened(engine, second.id)
    assert len(stored_tokens(engine)) == 1
    assert resumed(engine, kept) == second.id


def test_signing_out_ends_only_that_browser(engine: Engine) -> None:
    user = make_user(engine, Role.committee)
    office, home = opened(engine, user.id), opened(engine, user.id)
    with write_session(engine) as session:
        end_sign_in(session, token=office)
    with read_session(engine) as session:
        assert (sign_in_open(session, token=office), sign_in_open(session, token=home)) == (False, True)
    assert (resumed(engine, office), resumed(engine, home)) == (None, user.id)


@pytest.mark.parametrize("change", ["deactivate", "reset_password"])
def test_deactivation_or_a_password_reset_signs_the_account_out_everywhere(
    engine: Engine, change: str
) -> None:
    office = make_user(engine, Role.secretariat, username="van_phong")
    user = make_user(engine, Role.unit)
    other = make_user(engine, Role.unit)
    tokens = [opened(engine, user.id), opened(engine, user.id)]
    kept = opened(engine, other.id)
    with write_session(engine) as session:
        assert user.id is not None
        if change == "deactivate":
            accounts.deactivate_user(session, by=office, user_id=user.id)
        else:
            accounts.reset_password(session, by=office, user_id=user.id, password="mat-khau-moi-2026")
    assert [resumed(engine, token) for token in tokens] == [None, None]
    assert resumed(engine, kept) == other.id
