"""The secretariat manages accounts and merges units on the admin page."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import Engine
from sqlmodel import select
from streamlit.testing.v1 import AppTest

from models import Role, Task, Unit, UnitAlias, User
from tests.support.apptest import page_as, read, shown
from tests.support.factories import PASSWORD, make_plan, make_task, make_unit, make_user, sign_in
from tracker.db import open_database, read_session
from tracker.directory.auth import authenticate
from tracker.errors import AuthError


@pytest.fixture
def app_engine(app_url: str) -> Engine:
    return open_database(app_url)


def account(engine: Engine, username: str) -> User:
    with read_session(engine) as session:
        return session.exec(select(User).where(User.username == username)).one()


def submit(at: AppTest, form: str) -> AppTest:
    return next(button for button in at.form_submit_button if button.form_id == form).click().run()


def test_the_secretariat_creates_a_unit_account(app_engine: Engine) -> None:
    unit = make_unit(app_engine, "Sở Tài chính")
    at = page_as(make_user(app_engine, Role.secretariat), "pages/admin.py").run()
    at.text_input(key="new_account:username").input("so_tai_chinh")
    at.text_input(key="new_account:name").input("Nguyễn Văn A")
    at.selectbox(key="new_account:unit").set_value(unit.id)
    at.text_input(key="new_account:password").input("mat-khau-moi-123")
    at.text_input(key="new_account:repeat").input("mat-khau-moi-123")
    submit(at, "new_account")
    assert not at.exception
    created = account(app_engine, "so_tai_chinh")
    assert (created.role, created.unit_id, created.display_name) == (Role.unit, unit.id, "Nguyễn Văn A")
    assert shown(at.toast) == ["Đã tạo tài khoản 'so_tai_chinh'."]


def test_a_unit_account_without_a_unit_is_refused_plainly(app_engine: Engine) -> None:
    at = page_as(make_user(app_engine, Role.secretariat), "pages/admin.py").run()
    at.text_input(key="new_account:username").input("khong_don_vi")
    at.text_input(key="new_account:password").input("mat-khau-moi-123")
    at.text_input(key="new_account:repeat").input("mat-khau-moi-123")
    submit(at, "new_account")
    assert shown(at.error) == ["Tài khoản đơn vị phải gắn với một đơn vị: hãy chọn đơn vị."]
    assert at.text_input(key="new_account:username").value == "khong_don_vi"


def test_reset_password_then_deactivate(app_engine: Engine) -> None:
    target = make_user(app_engine, Role.committee, username="lanh_dao")
    at = page_as(make_user(app_engine, Role.secretariat), "pages/admin.py").run()
    at.selectbox[-1].set_value(target.id).run()
    at.text_input(key=f"account:{target.id}:password").input("mat-khau-thay-moi")
    at.text_input(key=f"account:{target.id}:repeat").input("mat-khau-thay-moi")
    submit(at, f"account_password:{target.id}")
    assert (
        authenticate(app_engine, username="lanh_dao", password="mat-khau-thay-moi", address="192.0.2.10").id
        == target.id
    )
    next(button for button in at.button if button.label == "Vô hiệu hóa tài khoản").click().run()
    assert not account(app_engine, "lanh_dao").active


def test_the_list_shows_a_sign_in_wait_and_the_button_lifts_it(app_engine: Engine) -> None:
    target = make_user(app_engine, Role.committee, username="lanh_dao")
    for _ in range(5):
        with pytest.raises(AuthError):
            sign_in(app_engine, "lanh_dao", "doan-mo")
    at = page_as(make_user(app_engine, Role.secretariat), "pages/admin.py").run()
    waits = dict(zip(at.dataframe[0].value["username"], at.dataframe[0].value["locked"], strict=True))
    assert re.fullmatch(r"\d\d:\d\d \d\d/\d\d/\d{4}", waits["lanh_dao"])
    assert [wait for name, wait in waits.items() if name != "lanh_dao"] == [""]
    at.selectbox[-1].set_value(target.id).run()
    next(button for button in at.button if button.label == "Bỏ thời gian chờ đăng nhập").click().run()
    assert shown(at.toast) == ["Đã bỏ thời gian chờ đăng nhập của 'lanh_dao'."]
    assert sign_in(app_engine, "lanh_dao", PASSWORD).id == target.id


def test_a_unit_is_merged_into_its_twin(app_engine: Engine) -> None:
    plan = make_plan(app_engine)
    science = make_unit(app_engine, "Sở Khoa học và Công nghệ")
    twin = make_unit(app_engine, "Sở KHCN tỉnh")
    task = make_task(app_engine, plan, twin, code="I.1")
    at = page_as(make_user(app_engine, Role.secretariat), "pages/admin.py").run()
    at.selectbox(key="merge:source").set_value(twin.id)
    at.selectbox(key="merge:target").set_value(science.id)
    submit(at, "merge_units")
    assert shown(at.error) == ["Hãy chọn cả hai đơn vị và đánh dấu xác nhận."]
    at.checkbox(key="merge:sure").check()
    submit(at, "merge_units")
    assert not at.exception
    with read_session(app_engine) as session:
        assert session.get(Unit, twin.id) is None
        assert session.get(Task, task.id).lead_unit_id == science.id  # type: ignore[union-attr]
        assert session.exec(select(UnitAlias.alias)).all() == ["Sở KHCN tỉnh"]


def test_a_unit_is_added_then_renamed(app_engine: Engine) -> None:
    at = page_as(make_user(app_engine, Role.secretariat), "pages/admin.py").run()
    assert "Chưa có đơn vị nào" in read(at.info[0].value)
    at.text_input(key="add_unit:name").input("Sở Thông tin và Truyền thông")
    submit(at, "add_unit")
    assert not at.exception
    at.text_input(key="add_unit:name~1").input("Sở TT&TT")
    submit(at, "add_unit")
    assert shown(at.error) == [
        "Đơn vị 'Sở TT&TT' đã có trong danh mục, tên là 'Sở Thông tin và Truyền thông'."
    ]
    with read_session(app_engine) as session:
        unit = session.exec(select(Unit)).one()
    submit(at, "rename_unit")
    assert shown(at.error) == ["Hãy chọn đơn vị và nhập tên mới."]
    at.selectbox(key="rename_unit:unit").set_value(unit.id)
    at.text_input(key="rename_unit:name").input("Sở Khoa học và Công nghệ")
    submit(at, "rename_unit")
    assert not at.exception
    with read_session(app_engine) as session:
        assert session.exec(select(Unit.name)).all() == ["Sở Khoa học và Công nghệ"]
        assert session.exec(select(UnitAlias.alias)).all() == ["Sở Thông tin và Truyền thông"]


def test_the_admin_page_refuses_anyone_but_the_secretariat(app_engine: Engine) -> None:
    at = page_as(make_user(app_engine, Role.committee), "pages/admin.py").run()
    assert shown(at.info) == ["Trang này dành cho Tổ giúp việc."]
    assert at.form_submit_button.len == 0
