"""The secretariat issues the report it sees; the register lists it, with its files and changes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import select
from streamlit.testing.v1 import AppTest

from models import IssuedReport, Role, TaskStatus, User
from tests.support.apptest import page_as
from tests.support.factories import add_state, make_plan, make_task, make_unit, make_user
from tracker.clock import today
from tracker.db import open_database, read_session


@pytest.fixture
def app_engine(app_url: str, monkeypatch: pytest.MonkeyPatch) -> Engine:
    monkeypatch.setenv("TRACKER_PROVINCE", "Bình An")
    engine = open_database(app_url)
    plan = make_plan(engine, "45-KH/UBND")
    unit = make_unit(engine, "Sở Tài chính")
    task = make_task(engine, plan, unit, code="1", deadline=today() - timedelta(days=3))
    make_task(engine, plan, unit, code="2", deadline=today() + timedelta(days=30))
    add_state(engine, task, TaskStatus.in_progress, today() - timedelta(days=10))
    return engine


def by_label(widgets: object, label: str) -> object:
    return next(widget for widget in widgets if widget.label == label)  # type: ignore[attr-defined]


def issue(at: AppTest, number: str) -> AppTest:
    by_label(at.text_input, "Số báo cáo").input(number)  # type: ignore[attr-defined]
    by_label(at.text_input, "Chức vụ người ký").input("Tổ trưởng")  # type: ignore[attr-defined]
    by_label(at.text_input, "Họ tên người ký").input("Nguyễn Văn An")  # type: ignore[attr-defined]
    return by_label(at.button, "Ban hành").click().run()  # type: ignore[attr-defined, no-any-return]


def secretariat(engine: Engine) -> User:
    return make_user(engine, Role.secretariat, username="vanphong")


def test_the_secretariat_issues_the_report_it_sees_with_sections_pre_filled(app_engine: Engine) -> None:
    at = page_as(secretariat(app_engine), "pages/reports.py", query={"period": "custom"}).run()
    assert not at.exception
    assert by_label(at.text_input, "Địa danh").value == "Bình An"  # type: ignore[attr-defined]
    assessment = by_label(at.text_area, "Đánh giá chung").value  # type: ignore[attr-defined]
    assert assessment.startswith("Có 0/2 nhiệm vụ hoàn thành đúng hạn")
    assert "1 nhiệm vụ quá hạn" in by_label(at.text_area, "Tồn tại, hạn chế").value  # type: ignore[attr-defined]

    issue(at, "15/BC-BCĐ")

    assert not at.exception
    with read_session(app_engine) as session:
        stored = session.exec(select(IssuedReport)).one()
    assert (stored.number, stored.as_of, stored.place, stored.signer_name) == (
        "15/BC-BCĐ",
        today(),
        "Bình An",
        "Nguyễn Văn An",
    )


def test_an_issue_missing_its_signer_is_refused_and_keeps_what_was_typed(app_engine: Engine) -> None:
    at = page_as(secretariat(app_engine), "pages/reports.py", query={"period": "custom"}).run()
    by_label(at.text_input, "Số báo cáo").input("16/BC-BCĐ")  # type: ignore[attr-defined]
    by_label(at.button, "Ban hành").click().run()  # type: ignore[attr-defined]
    assert [error.value for error in at.error] == ["Cần ghi chức vụ người ký của báo cáo ban hành\\."]
    assert by_label(at.text_input, "Số báo cáo").value == "16/BC-BCĐ"  # type: ignore[attr-defined]
    with read_session(app_engine) as session:
        assert session.exec(select(IssuedReport)).all() == []


def test_committee_members_read_the_register_but_do_not_issue(app_engine: Engine) -> None:
    issue(page_as(secretariat(app_engine), "pages/reports.py", query={"period": "custom"}).run(), "15/BC-BCĐ")
    member = make_user(app_engine, Role.committee, username="lanhdao")
    reports = page_as(member, "pages/reports.py", query={"period": "custom"}).run()
    assert not [button for button in reports.button if button.label == "Ban hành"]

    at = page_as(member, "pages/issued.py").run()

    assert not at.exception
    assert at.dataframe[0].value["Số"].tolist() == ["15/BC-BCĐ"]
    assert [success.value for success in at.success] == [
        "Số liệu lập lại hôm nay cho cùng ngày vẫn như khi ban hành."
    ]
    assert {button.label for button in at.get("download_button")} == {
        "Tải tệp Word đã ban hành",
        "Tải tệp Excel đã ban hành",
    }


def test_the_register_says_when_nothing_was_issued(app_engine: Engine) -> None:
    at = page_as(secretariat(app_engine), "pages/issued.py").run()
    assert [info.value for info in at.info] == ["Chưa ban hành báo cáo nào."]
