"""The secretariat's "Nhắc việc" page: preview, "Gửi ngay" over a real SMTP server, the log;
and the unit mailbox on the admin page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import select
from streamlit.testing.v1 import AppTest

from models import Role, Unit, User
from tests.support.apptest import TIMEOUT, page_as, shown, texts
from tests.support.factories import make_plan, make_task, make_unit, make_user
from tests.support.reminders import A_SUBJECT, BASE_URL, SENDER, build_world
from tests.support.smtp import MailServer
from tracker.clock import today
from tracker.db import open_database, read_session
from ui.attention import SHOWN_PER_REASON
from ui.navigation import attention_badges


@pytest.fixture
def app_engine(app_url: str) -> Engine:
    return open_database(app_url)


@pytest.fixture
def mail_env(monkeypatch: pytest.MonkeyPatch, smtp_server: MailServer) -> MailServer:
    monkeypatch.setenv("TRACKER_SMTP_HOST", smtp_server.host)
    monkeypatch.setenv("TRACKER_SMTP_PORT", str(smtp_server.port))
    monkeypatch.setenv("TRACKER_SMTP_SECURITY", "none")
    monkeypatch.setenv("TRACKER_SMTP_FROM", SENDER)
    monkeypatch.setenv("TRACKER_BASE_URL", BASE_URL)
    return smtp_server


def test_without_smtp_the_page_says_so_and_still_previews(
    app_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TRACKER_SMTP_HOST", raising=False)
    world = build_world(app_engine)
    at = page_as(world.secretariat, "pages/reminders.py").run()
    assert not at.exception
    assert "E-mail chưa được cấu hình" in texts(at)
    assert any(A_SUBJECT in expander.label.replace("\\", "") for expander in at.expander)
    assert next(button for button in at.button if button.label == "Gửi ngay").disabled


def test_send_now_sends_logs_and_then_has_nothing_left(app_engine: Engine, mail_env: MailServer) -> None:
    world = build_world(app_engine)
    at = page_as(world.secretariat, "pages/reminders.py").run()
    assert "E-mail chưa được cấu hình" not in texts(at)
    next(button for button in at.button if button.label == "Gửi ngay").click().run()
    assert not at.exception
    assert len(mail_env.collector.received) == 3
    assert shown(at.toast) == ["Đã gửi 3 thư, 0 lỗi."]
    assert "Không có gì cần nhắc lúc này" in texts(at)
    log = at.dataframe[-1].value
    delivered = [address for got in mail_env.collector.received for address in got.rcpt_tos]
    assert sorted(log["to"]) == sorted(delivered)
    assert set(log["result"]) == {"Đã gửi"}


def test_a_unit_account_cannot_open_the_page(app_engine: Engine) -> None:
    world = build_world(app_engine)
    at = page_as(make_user(app_engine, Role.unit, world.units["lead"]), "pages/reminders.py").run()
    assert not at.exception
    assert "Gửi ngay" not in [button.label for button in at.button]
    assert not any(A_SUBJECT in expander.label.replace("\\", "") for expander in at.expander)


def test_the_secretariat_sets_a_unit_mailbox_on_the_admin_page(app_engine: Engine) -> None:
    world = build_world(app_engine)
    at = page_as(world.secretariat, "pages/admin.py").run()
    at.selectbox(key="unit_mailbox:unit").set_value(world.units["other"].id).run()
    at.text_input(key=f"unit_mailbox:mailbox:{world.units['other'].id}").input("not an address")
    next(button for button in at.form_submit_button if button.form_id == "unit_mailbox").click().run()
    assert "không phải một địa chỉ e-mail hợp lệ" in texts(at)
    at.text_input(key=f"unit_mailbox:mailbox:{world.units['other'].id}").input("vanthu@snv.example.vn")
    next(button for button in at.form_submit_button if button.form_id == "unit_mailbox").click().run()
    assert not at.exception
    with read_session(app_engine) as session:
        unit = session.exec(select(Unit).where(Unit.id == world.units["other"].id)).one()
    assert unit.mailbox == "vanthu@snv.example.vn"


def test_the_secretariat_downloads_a_unit_letter_from_the_unit_view(app_engine: Engine) -> None:
    world = build_world(app_engine)
    query = {"unit": str(world.units["lead"].id)}
    at = page_as(world.secretariat, "pages/units.py", query=query).run()
    assert not at.exception
    assert (
        len(
            [
                button
                for button in at.get("download_button")
                if button.key == f"letter:{world.units['lead'].id}"
            ]
        )
        == 1
    )
    nothing_due = page_as(
        world.secretariat, "pages/units.py", query={"unit": str(world.units["other"].id)}
    ).run()
    assert "không cần công văn đôn đốc" in texts(nothing_due)
    committee = page_as(make_user(app_engine, Role.committee), "pages/units.py", query=query).run()
    assert not committee.exception
    assert not [button for button in committee.get("download_button") if "công văn" in button.proto.label]


def test_the_secretariat_downloads_the_letters_to_every_unit_behind_from_the_units_page(
    app_engine: Engine,
) -> None:
    world = build_world(app_engine)
    at = page_as(world.secretariat, "pages/units.py").run()
    assert not at.exception
    labels = [button.proto.label for button in at.get("download_button")]
    # Only Sở Khoa học và Công nghệ has overdue tasks.
    assert "Tải công văn đôn đốc 1 đơn vị có nhiệm vụ quá hạn (.docx)" in labels
    before = page_as(world.secretariat, "pages/units.py").run()
    before.date_input[0].set_value(today() - timedelta(days=60)).run()
    assert not before.exception
    assert "Không đơn vị nào có nhiệm vụ quá hạn" in texts(before)
    committee = page_as(make_user(app_engine, Role.committee), "pages/units.py").run()
    assert not committee.exception
    assert not [button for button in committee.get("download_button") if "công văn" in button.proto.label]


def test_a_unit_sees_its_items_under_needs_attention_extension_approvals_included(app_engine: Engine) -> None:
    world = build_world(app_engine)
    with read_session(app_engine) as session:
        staff_b = session.exec(select(User).where(User.username == "b1")).one()
    at = page_as(staff_b, "pages/my_unit.py").run()
    assert not at.exception
    assert "Cần chú ý (2)" in [header.value for header in at.subheader]
    infos, warnings = [box.value.replace("\\", "") for box in at.info], [box.value for box in at.warning]
    assert any("Gia hạn được đồng ý" in text and "II.2" in text and "đã gia hạn" in text for text in infos)
    assert any("Báo cáo bị trả lại" in text and "Thiếu minh chứng" in text for text in warnings)
    staff_a = page_as(make_user(app_engine, Role.unit, world.units["lead"]), "pages/my_unit.py").run()
    assert "Cần chú ý (3)" in [header.value for header in staff_a.subheader]
    warnings_a = [box.value.replace("\\", "") for box in staff_a.warning]
    assert any("quá hạn 20 ngày" in text and "I.1" in text for text in warnings_a)
    english = page_as(staff_b, "pages/my_unit.py", lang="en").run()
    assert "Needs your attention (2)" in [header.value for header in english.subheader]
    infos_en = [box.value.replace("\\", "") for box in english.info]
    assert any("Extension approved" in text and "extended; annex:" in text for text in infos_en)


def _toggle_script() -> None:
    """The sidebar toggle alone: dashboard.py's later runs under AppTest run only the page."""
    from ui.reminders import weekly_summary_toggle
    from ui.session import require_user

    weekly_summary_toggle(require_user())


def test_a_committee_member_opts_in_to_the_weekly_summary_from_the_sidebar(app_engine: Engine) -> None:
    member = make_user(app_engine, Role.committee, email="tv@example.vn")
    at = AppTest.from_function(_toggle_script, default_timeout=TIMEOUT)
    at.session_state["user_id"] = member.id
    at.run()
    at.toggle(key="weekly_summary").set_value(True).run()
    assert not at.exception
    with read_session(app_engine) as session:
        stored = session.get(User, member.id)
    assert stored is not None and stored.weekly_summary
    assert at.toggle(key="weekly_summary").value


def test_the_sidebar_count_goes_on_the_page_that_lists_the_items(app_engine: Engine) -> None:
    world = build_world(app_engine)
    staff = make_user(app_engine, Role.unit, world.units["lead"])
    member = make_user(app_engine, Role.committee)
    assert attention_badges(staff, 3) == {"pages/my_unit.py": 3}
    assert attention_badges(world.secretariat, 1) == {"pages/queue.py": 1}
    assert attention_badges(staff, 0) == {} and attention_badges(member, 4) == {}


def test_needs_attention_shows_the_first_items_of_each_reason_and_counts_the_rest(app_engine: Engine) -> None:
    plan, unit = make_plan(app_engine, "12-KH/UBND"), make_unit(app_engine, "Sở Y tế")
    for number in range(1, SHOWN_PER_REASON + 3):
        make_task(app_engine, plan, unit, code=f"I.{number}", deadline=today() - timedelta(days=number))
    make_task(app_engine, plan, unit, code="II.1", deadline=today() + timedelta(days=2))
    at = page_as(make_user(app_engine, Role.unit, unit), "pages/my_unit.py").run()
    assert not at.exception
    total = SHOWN_PER_REASON + 3
    assert f"Cần chú ý ({total})" in [header.value for header in at.subheader]
    # The overdue tasks fill only their share; the one due soon is still shown.
    assert len(at.warning) == SHOWN_PER_REASON
    assert any("II.1" in box.value.replace("\\", "") for box in at.info)
    assert "Còn 2 mục khác: Quá hạn." in shown(at.caption)
