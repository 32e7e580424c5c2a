"""The gate of the app: first-run setup, sign-in, sign-out, idle timeout, language, bad settings."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import select
from streamlit.testing.v1 import AppTest

from models import ImportBatch, Role, SignInThrottle, Task, TaskStatus, User
from tests.support.apptest import ROOT, TIMEOUT, dashboard, page_as, read, shown, texts
from tests.support.factories import PASSWORD, make_plan, make_task, make_unit, make_user
from tracker.clock import now
from tracker.db import open_database, read_session, write_session
from tracker.directory.accounts import reset_password


@pytest.fixture
def app_engine(app_url: str) -> Engine:
    return open_database(app_url)


def fill(at: AppTest, values: dict[str, str]) -> None:
    for key, value in values.items():
        at.text_input(key=key).input(value)


def test_empty_database_shows_setup_that_creates_the_first_secretariat(app_engine: Engine) -> None:
    at = dashboard().run()
    assert "Thiết lập lần đầu" in texts(at)
    fill(
        at,
        {
            "setup_username": "vanphong",
            "setup_display_name": "Văn phòng BCĐ",
            "setup_password": "mot-mat-khau-dai",
            "setup_repeat": "mot-mat-khau-dai",
        },
    )
    at.checkbox(key="setup_sample").uncheck()
    at.form_submit_button[0].click().run()
    assert not at.exception
    with read_session(app_engine) as session:
        user = session.exec(select(User)).one()
        assert session.exec(select(Task)).first() is None
    assert (user.username, user.role) == ("vanphong", Role.secretariat)
    assert at.session_state["user_id"] == user.id
    assert "Thiết lập lần đầu" not in texts(at)


def test_setup_loads_the_sample_plan_by_default(app_engine: Engine) -> None:
    at = dashboard().run()
    fill(
        at,
        {
            "setup_username": "vanphong",
            "setup_password": "mot-mat-khau-dai",
            "setup_repeat": "mot-mat-khau-dai",
        },
    )
    assert at.checkbox(key="setup_sample").value
    at.form_submit_button[0].click().run()
    assert not at.exception
    with read_session(app_engine) as session:
        assert len(session.exec(select(Task)).all()) == 43
        assert session.exec(select(ImportBatch.file_name)).all() == ["sample_plan.xlsx"]
        assert session.exec(select(Task).where(Task.status == TaskStatus.completed)).first(), "demo progress"


def test_setup_refuses_two_different_passwords(app_engine: Engine) -> None:
    at = dashboard().run()
    fill(
        at,
        {
            "setup_username": "vanphong",
            "setup_password": "mot-mat-khau-dai",
            "setup_repeat": "mat-khau-khac-han",
        },
    )
    at.form_submit_button[0].click().run()
    assert shown(at.error) == ["Hai lần nhập mật khẩu không khớp."]
    with read_session(app_engine) as session:
        assert session.exec(select(User)).first() is None


def test_sign_in_with_the_right_password_opens_the_app(app_engine: Engine) -> None:
    user = make_user(app_engine, Role.secretariat, username="thuky")
    at = dashboard().run()
    fill(at, {"sign_in_username": "thuky", "sign_in_password": PASSWORD})
    at.form_submit_button[0].click().run()
    assert not at.exception
    assert at.session_state["user_id"] == user.id
    assert "Đăng nhập: Người dùng secretariat (Tổ giúp việc, Văn phòng)" in texts(at)


def test_wrong_password_is_refused_plainly(app_engine: Engine) -> None:
    make_user(app_engine, Role.secretariat, username="thuky")
    at = dashboard().run()
    fill(at, {"sign_in_username": "thuky", "sign_in_password": "sai-mat-khau"})
    at.form_submit_button[0].click().run()
    assert shown(at.error) == ["Sai tên đăng nhập hoặc mật khẩu."]
    assert "user_id" not in at.session_state
    assert not at.exception


def test_failures_from_the_browser_are_counted_against_its_address(
    app_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRACKER_CLIENT_IP_HEADER", "X-Forwarded-For")
    make_user(app_engine, Role.secretariat, username="thuky")
    at = dashboard().run()
    for _ in range(4):
        fill(at, {"sign_in_username": "thuky", "sign_in_password": "sai-mat-khau"})
        at.form_submit_button[0].click().run()
    assert read(at.error[0].value).endswith("hãy thử lại sau 2 giây.")
    with read_session(app_engine) as session:
        counted = {(row.address, row.username) for row in session.exec(select(SignInThrottle))}
    # AppTest has no connection address and sends no proxy header.
    assert counted == {("local", ""), ("local", "thuky")}


def test_an_account_without_pages_is_told_why_and_can_sign_out(app_engine: Engine) -> None:
    # AppTest drops the entry script's own widgets on reruns once st.navigation
    # runs a page, so sign-out is driven here where no page is shown; the browser
    # test covers it beside the pages.
    user = make_user(app_engine, Role.unit, unit=None)
    at = dashboard()
    at.session_state["user_id"] = user.id
    at.run()
    assert "Tài khoản chưa được gắn với đơn vị nào" in read(at.warning[0].value)
    next(button for button in at.sidebar.button if button.label == "Đăng xuất").click().run()
    assert "user_id" not in at.session_state
    assert at.form_submit_button[0].label == "Đăng nhập"


def test_an_idle_session_is_signed_out_with_a_reason(app_engine: Engine) -> None:
    user = make_user(app_engine, Role.committee)
    at = dashboard()
    at.session_state["user_id"] = user.id
    at.session_state["last_seen"] = now() - timedelta(minutes=31)
    at.run()
    assert "user_id" not in at.session_state
    assert "không thao tác quá 30 phút" in texts(at)


def test_a_deactivated_account_is_signed_out_on_its_next_click(app_engine: Engine) -> None:
    user = make_user(app_engine, Role.committee)
    at = dashboard()
    at.session_state["user_id"] = user.id
    with read_session(app_engine) as session:
        stored = session.get(User, user.id)
        assert stored is not None
        stored.active = False
        session.add(stored)
        session.commit()
    at.run()
    assert "user_id" not in at.session_state


def test_a_password_reset_ends_a_session_already_open(app_engine: Engine) -> None:
    office = make_user(app_engine, Role.secretariat, username="van_phong")
    user = make_user(app_engine, Role.committee, username="lanh_dao")
    at = dashboard().run()
    fill(at, {"sign_in_username": "lanh_dao", "sign_in_password": PASSWORD})
    at.form_submit_button[0].click().run()
    assert at.session_state["user_id"] == user.id
    with write_session(app_engine) as session:
        assert user.id is not None
        reset_password(session, by=office, user_id=user.id, password="mat-khau-moi-2026")
    at.run()
    assert "user_id" not in at.session_state
    assert "được đặt lại mật khẩu" in texts(at)


def test_english_switch_translates_the_sign_in_form(app_engine: Engine) -> None:
    make_user(app_engine, Role.committee)
    at = dashboard().run()
    at.sidebar.radio[0].set_value("en").run()
    assert at.form_submit_button[0].label == "Sign in"
    assert at.text_input(key="sign_in_password").label == "Password"


def test_the_language_is_kept_in_the_address(app_engine: Engine) -> None:
    make_user(app_engine, Role.committee)
    at = dashboard().run()
    assert "lang" not in at.query_params
    at.sidebar.radio[0].set_value("en").run()
    assert at.query_params["lang"] == "en"
    at.sidebar.radio[0].set_value("vi").run()
    assert "lang" not in at.query_params


def test_a_new_session_opened_at_lang_en_reads_english(app_engine: Engine) -> None:
    make_user(app_engine, Role.committee)
    at = AppTest.from_file(ROOT / "dashboard.py", default_timeout=TIMEOUT)
    at.query_params["lang"] = "en"
    at.run()
    assert at.form_submit_button[0].label == "Sign in"


@pytest.mark.parametrize(("lang", "button"), [("vi", "Chọn tệp"), ("en", "Choose a file")])
def test_the_uploader_button_speaks_the_users_language(app_engine: Engine, lang: str, button: str) -> None:
    # Streamlit writes "Upload" and "20MB per file" itself: a style sheet puts our words in their place.
    make_user(app_engine, Role.committee)
    styles = " ".join(element.proto.body for element in dashboard(lang).run().html)
    assert f'content: "{button}"' in styles
    assert '[data-testid="stFileUploaderDropzoneInstructions"] { display: none; }' in styles


def test_identity_provider_is_offered_only_when_configured(app_engine: Engine) -> None:
    make_user(app_engine, Role.committee)
    at = dashboard().run()
    assert not [button for button in at.button if "tổ chức" in button.label]
    at = dashboard()
    at.secrets["auth"] = {"client_id": "x"}
    at.user = {"is_logged_in": False}
    at.run()
    assert "Đăng nhập bằng tài khoản tổ chức" in [button.label for button in at.button]


def test_identity_provider_email_signs_in_the_account_that_has_it(app_engine: Engine) -> None:
    user = make_user(app_engine, Role.committee)
    with read_session(app_engine) as session:
        stored = session.get(User, user.id)
        assert stored is not None
        stored.email = "lanh.dao@example.gov.vn"
        session.add(stored)
        session.commit()
    at = dashboard()
    at.secrets["auth"] = {"client_id": "x"}
    at.user = {"is_logged_in": True, "email": "Lanh.Dao@example.gov.vn"}
    at.run()
    assert at.session_state["user_id"] == user.id


def test_identity_provider_email_without_an_account_is_refused(app_engine: Engine) -> None:
    make_user(app_engine, Role.committee)
    at = dashboard()
    at.secrets["auth"] = {"client_id": "x"}
    at.user = {"is_logged_in": True, "email": "la@example.gov.vn"}
    at.run()
    assert "Không có tài khoản nào gắn với thư điện tử 'la@example.gov.vn'" in read(at.error[0].value)
    assert "user_id" not in at.session_state


def test_a_bad_database_setting_is_a_plain_message(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRACKER_DATABASE_URL", "mysql://somewhere/db")
    at = dashboard().run()
    assert not at.exception
    assert "TRACKER_DATABASE_URL='mysql://somewhere/db' không được hỗ trợ" in read(at.error[0].value)


@pytest.mark.parametrize(
    "url", ["mysql://tracker:bi-mat-123@somewhere/db", "postgresql://tracker:bi-mat-123@h:abc/db"]
)
def test_a_bad_database_setting_never_shows_its_password(monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    # The page is shown to anyone who opens the address, signed in or not.
    monkeypatch.setenv("TRACKER_DATABASE_URL", url)
    at = dashboard().run()
    assert not at.exception
    [error] = shown(at.error)
    assert error.startswith("TRACKER_DATABASE_URL='") and "tracker:***@" in error
    assert "bi-mat-123" not in texts(at)


def test_a_shared_task_link_opens_its_task_once_signed_in(app_engine: Engine) -> None:
    plan = make_plan(app_engine, "45-KH/TU")
    task = make_task(app_engine, plan, make_unit(app_engine, "Sở Y tế"), code="IV.2")
    make_user(app_engine, Role.committee, username="lanh_dao")
    at = page_as(None, "pages/task.py", query={"task": str(task.id)}).run()
    assert at.form_submit_button[0].label == "Đăng nhập", "the page waits behind the sign-in form"
    assert not at.title or "IV" not in at.title[0].value
    fill(at, {"sign_in_username": "lanh_dao", "sign_in_password": PASSWORD})
    at.form_submit_button[0].click().run()
    assert not at.exception
    assert "Nhiệm vụ IV.2" in shown(at.title)
