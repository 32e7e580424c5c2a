import pytest
from sqlalchemy import Engine

from models import Role, User
from tests.support.factories import make_unit, make_user, sign_in
from tracker.db import read_session, write_session
from tracker.directory.accounts import (
    change_role,
    create_user,
    deactivate_user,
    list_users,
    reactivate_user,
    reset_password,
)
from tracker.errors import AuthError, InvalidValue, PermissionDenied

pytestmark = pytest.mark.usefixtures("cheap_hashing")


def test_the_secretariat_creates_a_unit_account_that_can_sign_in(engine: Engine) -> None:
    admin = make_user(engine, Role.secretariat)
    unit = make_unit(engine, "Sở Khoa học và Công nghệ")
    with write_session(engine) as session:
        created = create_user(
            session,
            by=admin,
            username="sokhcn",
            role="unit",
            password="mat-khau-moi",
            unit_id=unit.id,
            email="sokhcn@tinh.gov.vn",
        )
    assert (created.role, created.unit_id, created.display_name) == (Role.unit, unit.id, "sokhcn")
    assert sign_in(engine, "sokhcn", "mat-khau-moi").id == created.id
    with read_session(engine) as session:
        assert [u.username for u in list_users(session)] == [admin.username, "sokhcn"]


def test_only_the_secretariat_manages_accounts(engine: Engine) -> None:
    target = make_user(engine, Role.committee)
    for actor in (make_user(engine, Role.committee), make_user(engine, Role.unit, make_unit(engine))):
        with write_session(engine) as session, pytest.raises(PermissionDenied, match="quản lý tài khoản"):
            create_user(session, by=actor, username="moi", role="committee", password="mat-khau-moi")
        for change in (deactivate_user, reactivate_user):
            with write_session(engine) as session, pytest.raises(PermissionDenied):
                change(session, by=actor, user_id=target.id)
        with write_session(engine) as session, pytest.raises(PermissionDenied):
            reset_password(session, by=actor, user_id=target.id, password="mat-khau-moi")
        with write_session(engine) as session, pytest.raises(PermissionDenied):
            change_role(session, by=actor, user_id=target.id, role="secretariat", unit_id=None)


def test_a_unit_account_needs_a_unit(engine: Engine) -> None:
    admin = make_user(engine, Role.secretariat)
    with write_session(engine) as session, pytest.raises(InvalidValue, match="phải gắn với một đơn vị"):
        create_user(session, by=admin, username="moi", role="unit", password="mat-khau-moi")


def test_usernames_and_emails_are_unique_and_roles_known(engine: Engine) -> None:
    admin = make_user(engine, Role.secretariat, username="vanphong")
    with write_session(engine) as session:
        create_user(
            session, by=admin, username="ld1", role="committee", password="mat-khau-moi", email="a@b.vn"
        )
    with write_session(engine) as session, pytest.raises(InvalidValue, match="'vanphong' đã có"):
        create_user(session, by=admin, username="vanphong", role="committee", password="mat-khau-moi")
    with write_session(engine) as session, pytest.raises(InvalidValue, match="tài khoản 'ld1'"):
        create_user(
            session, by=admin, username="ld2", role="committee", password="mat-khau-moi", email="A@B.vn"
        )
    with write_session(engine) as session, pytest.raises(InvalidValue, match="Vai trò 'boss'"):
        create_user(session, by=admin, username="ld3", role="boss", password="mat-khau-moi")
    with write_session(engine) as session, pytest.raises(InvalidValue, match="ít nhất 8 ký tự"):
        create_user(session, by=admin, username="ld4", role="committee", password="ngan")
    with write_session(engine) as session, pytest.raises(InvalidValue, match="không có khoảng trắng"):
        create_user(session, by=admin, username="ld 5", role="committee", password="mat-khau-moi")


def test_a_deactivated_account_cannot_sign_in_until_reactivated(engine: Engine) -> None:
    admin = make_user(engine, Role.secretariat)
    member = make_user(engine, Role.committee, username="lanhdao", password="mat-khau-cu")
    with write_session(engine) as session:
        deactivate_user(session, by=admin, user_id=member.id)
    with pytest.raises(AuthError, match="vô hiệu hóa"):
        sign_in(engine, "lanhdao", "mat-khau-cu")
    with write_session(engine) as session:
        reactivate_user(session, by=admin, user_id=member.id)
    assert sign_in(engine, "lanhdao", "mat-khau-cu").active


def test_a_password_reset_replaces_the_password_and_lifts_the_wait(engine: Engine) -> None:
    admin = make_user(engine, Role.secretariat)
    member = make_user(engine, Role.committee, username="lanhdao")
    for _ in range(5):
        with pytest.raises(AuthError):
            sign_in(engine, "lanhdao", "sai-mat-khau")
    with write_session(engine) as session:
        reset_password(session, by=admin, user_id=member.id, password="mat-khau-moi")
    assert sign_in(engine, "lanhdao", "mat-khau-moi").id == member.id


def test_changing_role_moves_the_unit_with_it(engine: Engine) -> None:
    admin = make_user(engine, Role.secretariat)
    unit = make_unit(engine)
    member = make_user(engine, Role.committee)
    with write_session(engine) as session:
        changed = change_role(session, by=admin, user_id=member.id, role="unit", unit_id=unit.id)
    assert (changed.role, changed.unit_id) == (Role.unit, unit.id)
    with write_session(engine) as session:
        changed = change_role(session, by=admin, user_id=member.id, role="committee", unit_id=unit.id)
    assert (changed.role, changed.unit_id) == (Role.committee, None)


def test_the_last_active_secretariat_account_cannot_be_removed(engine: Engine) -> None:
    admin = make_user(engine, Role.secretariat, username="vanphong")
    with write_session(engine) as session, pytest.raises(InvalidValue, match="duy nhất còn hoạt động"):
        change_role(session, by=admin, user_id=admin.id, role="committee", unit_id=None)
    with write_session(engine) as session, pytest.raises(InvalidValue, match="tự vô hiệu hóa"):
        deactivate_user(session, by=admin, user_id=admin.id)
    second = make_user(engine, Role.secretariat)
    with write_session(engine) as session:
        deactivate_user(session, by=second, user_id=admin.id)
    with write_session(engine) as session:
        assert session.get(User, admin.id).active is False  # type: ignore[union-attr]
