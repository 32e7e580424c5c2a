"""Reminder e-mails over a real SMTP conversation (tests.support.smtp): content, repeat rule, failures."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta
from email.message import EmailMessage

import pytest
from sqlalchemy import Engine
from sqlmodel import col, select

from models import HistoryKind, ReminderLog, Role
from tests.support.factories import make_plan, make_unit, make_user, run_cli
from tests.support.reminders import A_SUBJECT, BASE_URL, SENDER, build_world, mail_settings, task_due
from tests.support.smtp import CERTIFICATE, LOGIN, NO_SERVICE, MailServer, free_port
from tracker.clock import today
from tracker.config import MailSettings, load_settings
from tracker.db import read_session, write_session
from tracker.errors import ConfigError
from tracker.reminders.run import run_reminders
from tracker.tasks.edits import add_comment
from tracker.tasks.extensions import decide_extension, request_extension


def _text(message: EmailMessage, subtype: str) -> str:
    part = message.get_body(preferencelist=(subtype,))
    assert part is not None and part.get_content_type() == f"text/{subtype}"
    return str(part.get_content())


def test_each_unit_gets_one_digest_with_its_items_links_and_both_parts(
    engine: Engine, smtp_server: MailServer
) -> None:
    world = build_world(engine)
    result = run_reminders(engine, settings=mail_settings(smtp_server), as_of=today())

    received = smtp_server.collector.received
    by_subject = {got.message["Subject"]: got for got in received}
    assert len(received) == 3, [got.message["Subject"] for got in received]
    mail_a = by_subject[A_SUBJECT]
    # The mailbox is also an account's address: one copy, spelled as the account has it.
    assert mail_a.rcpt_tos == ["a1@skhcn.example.vn", "vanthu@skhcn.example.vn"]
    assert mail_a.message["From"] == SENDER
    assert mail_a.message.is_multipart()
    assert [part.get_content_type() for part in mail_a.message.iter_parts()] == ["text/plain", "text/html"]
    text, html = _text(mail_a.message, "plain"), _text(mail_a.message, "html")
    for code in ("I.1", "I.2", "I.3"):
        url = f"{BASE_URL}/task?task={world.tasks[code].id}"
        assert url in text and f'href="{url}"' in html
    for code in ("I.4", "I.5"):  # far off; awaiting the secretariat
        assert f"task={world.tasks[code].id}\n" not in text
    assert "I.4 —" not in text and "I.5 —" not in text
    assert "quá hạn 20 ngày" in text and "còn 4 ngày" in text
    deadline_i2 = today() - timedelta(days=3)
    assert f"Quý III/2026 ({deadline_i2:%d/%m/%Y})" in text
    # Text from the database is escaped in the HTML part.
    assert "&lt;chuyên gia&gt; &amp; nhà khoa học" in html and "<chuyên gia>" in text
    assert text.index("I.1 —") < text.index("I.2 —") < text.index("I.3 —")

    mail_b = by_subject["[BCĐ 57] Sở Nội vụ: 1 báo cáo bị trả lại, 1 đề nghị gia hạn được đồng ý"]
    assert mail_b.rcpt_tos == ["b1@snv.example.vn"]
    assert "Thiếu minh chứng" in _text(mail_b.message, "plain")
    assert f"thông báo ngày {today():%d/%m/%Y}" in _text(mail_b.message, "plain")
    # II.2's deadline was extended: the date in force, and the annex's words marked as such.
    assert "đã gia hạn; phụ lục:" in _text(mail_b.message, "plain")
    secretariat = by_subject["[BCĐ 57] Tổ giúp việc Ban Chỉ đạo: 1 báo cáo hoàn thành chờ xác nhận"]
    assert secretariat.rcpt_tos == ["tgv@bcd57.example.vn"]
    assert "I.5 —" in _text(secretariat.message, "plain")
    assert "gửi hôm nay" in _text(secretariat.message, "plain")

    assert result.failed == []
    sent_a = next(entry for entry in result.sent if entry["unit"] == "Sở Khoa học và Công nghệ")
    assert sent_a["subject"] == A_SUBJECT
    assert sent_a["items"] == [
        {"code": "I.1", "reason": "overdue"},
        {"code": "I.2", "reason": "overdue"},
        {"code": "I.3", "reason": "due_soon"},
    ]
    with read_session(engine) as session:
        log = session.exec(select(ReminderLog)).all()
    assert sorted(row.recipient for row in log) == [
        "a1@skhcn.example.vn",
        "b1@snv.example.vn",
        "tgv@bcd57.example.vn",
        "vanthu@skhcn.example.vn",
    ]
    assert all(row.sent and row.error == "" for row in log)


def test_the_vietnamese_subject_is_encoded_on_the_wire(engine: Engine, smtp_server: MailServer) -> None:
    build_world(engine)
    run_reminders(engine, settings=mail_settings(smtp_server), as_of=today())
    raw = smtp_server.collector.received[0].message.as_bytes()
    assert raw.isascii()
    assert b"=?utf-8?" in raw.lower()


def test_a_second_run_sends_nothing_and_overdue_tasks_come_back_after_the_interval(
    engine: Engine, smtp_server: MailServer
) -> None:
    build_world(engine)
    settings = mail_settings(smtp_server)
    run_reminders(engine, settings=settings, as_of=today())
    first = len(smtp_server.collector.received)

    again = run_reminders(engine, settings=settings, as_of=today())
    assert again.sent == [] and again.failed == []
    assert again.skipped == 2 * 3 + 2 + 1  # A's two addresses × 3 items, B's 2 items, the secretariat's 1
    assert len(smtp_server.collector.received) == first

    # Six days on, only what changed reason goes out: I.3, due soon then, is now overdue.
    later = run_reminders(engine, settings=settings, as_of=today() + timedelta(days=6))
    assert [entry["items"] for entry in later.sent] == [[{"code": "I.3", "reason": "overdue"}]]
    week = today() + timedelta(days=7)
    repeated = run_reminders(engine, settings=settings, as_of=week)
    reminded = {entry["unit"]: entry["items"] for entry in repeated.sent}
    assert {"code": "I.1", "reason": "overdue"} in reminded["Sở Khoa học và Công nghệ"]


def test_dry_run_sends_and_logs_nothing(engine: Engine, smtp_server: MailServer) -> None:
    build_world(engine)
    settings = mail_settings(smtp_server)
    preview = run_reminders(engine, settings=settings, as_of=today(), dry_run=True)
    assert {entry["subject"] for entry in preview.sent} >= {A_SUBJECT}
    assert smtp_server.collector.received == []
    with read_session(engine) as session:
        assert session.exec(select(ReminderLog)).all() == []
    # The real run afterwards still sends everything.
    assert len(run_reminders(engine, settings=settings, as_of=today()).sent) == 3


def test_a_refused_recipient_is_logged_and_retried_while_the_others_go_out(
    engine: Engine, smtp_server: MailServer
) -> None:
    build_world(engine)
    settings = mail_settings(smtp_server)
    smtp_server.collector.refuse = {"a1@skhcn.example.vn"}
    result = run_reminders(engine, settings=settings, as_of=today())

    assert result.failed == [{"to": ["a1@skhcn.example.vn"], "error": "550 5.1.1 Mailbox unavailable"}]
    assert len(smtp_server.collector.received) == 3
    assert smtp_server.collector.to("vanthu@skhcn.example.vn")
    with read_session(engine) as session:
        failed = session.exec(select(ReminderLog).where(ReminderLog.recipient == "a1@skhcn.example.vn")).one()
    assert not failed.sent and failed.error.startswith("550")

    smtp_server.collector.refuse = set()
    retry = run_reminders(engine, settings=settings, as_of=today())
    assert [entry["to"] for entry in retry.sent] == [["a1@skhcn.example.vn"]]
    assert smtp_server.collector.to("a1@skhcn.example.vn")[0]["Subject"] == A_SUBJECT


def test_a_refused_connection_is_logged_for_every_message_and_retried(
    engine: Engine, smtp_server: MailServer
) -> None:
    build_world(engine)
    down = mail_settings(smtp_server, port=free_port())
    result = run_reminders(engine, settings=down, as_of=today())
    assert result.sent == []
    assert sorted(address for entry in result.failed for address in entry["to"]) == [
        "a1@skhcn.example.vn",
        "b1@snv.example.vn",
        "tgv@bcd57.example.vn",
        "vanthu@skhcn.example.vn",
    ]
    with read_session(engine) as session:
        log = session.exec(select(ReminderLog)).all()
    assert len(log) == 4 and not any(row.sent for row in log)
    assert all("refused" in row.error.lower() for row in log)

    retry = run_reminders(engine, settings=mail_settings(smtp_server), as_of=today())
    assert len(retry.sent) == 3 and retry.failed == []


def test_a_connection_refused_for_one_message_is_retried_while_the_others_go_out(
    engine: Engine, smtp_server: MailServer
) -> None:
    build_world(engine)
    settings = mail_settings(smtp_server)
    # Digests go out units by name, then the secretariat's: Sở Khoa học và Công nghệ's is first.
    smtp_server.collector.refuse_connections = 1
    result = run_reminders(engine, settings=settings, as_of=today())

    assert result.failed == [{"to": ["a1@skhcn.example.vn", "vanthu@skhcn.example.vn"], "error": NO_SERVICE}]
    assert sorted(address for got in smtp_server.collector.received for address in got.rcpt_tos) == [
        "b1@snv.example.vn",
        "tgv@bcd57.example.vn",
    ]
    with read_session(engine) as session:
        failed = session.exec(select(ReminderLog).where(col(ReminderLog.sent).is_(False))).all()
    assert sorted((row.recipient, row.subject, row.error) for row in failed) == [
        ("a1@skhcn.example.vn", A_SUBJECT, NO_SERVICE),
        ("vanthu@skhcn.example.vn", A_SUBJECT, NO_SERVICE),
    ]

    retry = run_reminders(engine, settings=settings, as_of=today())
    assert [(entry["unit"], entry["to"]) for entry in retry.sent] == [
        ("Sở Khoa học và Công nghệ", ["a1@skhcn.example.vn", "vanthu@skhcn.example.vn"])
    ]
    assert retry.failed == []
    assert smtp_server.collector.to("vanthu@skhcn.example.vn")[0]["Subject"] == A_SUBJECT


def test_a_message_accepted_stays_sent_whatever_the_server_answers_to_quit(
    engine: Engine, smtp_server: MailServer
) -> None:
    build_world(engine)
    settings = mail_settings(smtp_server)
    smtp_server.collector.quit_reply = "421 4.3.2 Shutting down"
    result = run_reminders(engine, settings=settings, as_of=today())
    assert result.failed == [] and len(result.sent) == 3
    with read_session(engine) as session:
        assert all(row.sent for row in session.exec(select(ReminderLog)))
    # Sent is sent: nothing goes out twice.
    assert run_reminders(engine, settings=settings, as_of=today()).sent == []
    assert len(smtp_server.collector.received) == 3


def test_tls_checks_the_certificate_and_then_logs_in(
    engine: Engine, tls_smtp_server: MailServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_world(engine)
    server = tls_smtp_server
    monkeypatch.setenv("SSL_CERT_FILE", str(CERTIFICATE))
    result = run_reminders(engine, settings=mail_settings(server, login=LOGIN), as_of=today())
    assert result.failed == [] and len(result.sent) == 3
    assert server.collector.over_tls == [True, True, True]
    assert server.collector.logins == [(LOGIN[0], True)] * 3
    assert server.collector.to("a1@skhcn.example.vn")[0]["Subject"] == A_SUBJECT


def test_a_certificate_no_authority_vouches_for_gets_no_password_and_no_mail(
    engine: Engine, tls_smtp_server: MailServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_world(engine)
    server = tls_smtp_server
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    result = run_reminders(engine, settings=mail_settings(server, login=LOGIN), as_of=today())
    assert result.sent == [] and len(result.failed) == 3
    assert all("CERTIFICATE_VERIFY_FAILED" in entry["error"] for entry in result.failed)
    assert server.collector.logins == [] and server.collector.received == []
    with read_session(engine) as session:
        assert not any(row.sent for row in session.exec(select(ReminderLog)))


def test_nothing_to_say_sends_nothing(engine: Engine, smtp_server: MailServer) -> None:
    plan = make_plan(engine)
    unit = make_unit(engine, "Sở Tài chính")
    make_user(engine, Role.unit, unit, email="stc@example.vn")
    task_due(engine, plan, unit, "I.1", 100)
    result = run_reminders(engine, settings=mail_settings(smtp_server), as_of=today())
    assert result.as_json() == {"sent": [], "skipped": 0, "failed": []}
    assert smtp_server.collector.received == []


def test_sending_without_smtp_settings_is_a_config_error(engine: Engine) -> None:
    build_world(engine)
    with pytest.raises(ConfigError, match="TRACKER_SMTP_HOST"):
        run_reminders(engine, settings=replace(load_settings(), mail=MailSettings()), as_of=today())


def test_remind_cli_prints_the_json_contract(
    engine: Engine,
    database_url: str,
    smtp_server: MailServer,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    build_world(engine)
    monkeypatch.setenv("TRACKER_SMTP_HOST", smtp_server.host)
    monkeypatch.setenv("TRACKER_SMTP_PORT", str(smtp_server.port))
    monkeypatch.setenv("TRACKER_SMTP_SECURITY", "none")
    monkeypatch.setenv("TRACKER_SMTP_FROM", SENDER)
    monkeypatch.setenv("TRACKER_BASE_URL", BASE_URL + "/")
    code, out, _ = run_cli(
        database_url, capsys, "remind", "--dry-run", "--json", "--as-of", today().isoformat()
    )
    assert code == 0
    dry = json.loads(out)
    assert set(dry) == {"sent", "skipped", "failed"}
    assert smtp_server.collector.received == []

    code, out, _ = run_cli(database_url, capsys, "remind", "--json")
    assert code == 0
    sent = json.loads(out)
    assert sent == dry
    entry = next(entry for entry in sent["sent"] if entry["unit"] == "Sở Khoa học và Công nghệ")
    assert set(entry) == {"to", "subject", "unit", "items"}
    assert smtp_server.collector.to("a1@skhcn.example.vn")

    code, out, _ = run_cli(database_url, capsys, "remind", "--json")
    assert json.loads(out)["sent"] == []


def test_remind_cli_without_smtp_says_so_in_one_line(
    database_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TRACKER_SMTP_HOST", raising=False)
    code, out, err = run_cli(database_url, capsys, "remind")
    assert code == 1 and out == ""
    assert err.startswith("Lỗi: Chưa cấu hình gửi e-mail") and err.count("\n") == 1


def test_as_of_in_the_past_uses_the_classification_then(engine: Engine, smtp_server: MailServer) -> None:
    """Dates come from tracker.views.classify: a task not yet due at an earlier date is not overdue then."""
    world = build_world(engine)
    earlier = today() - timedelta(days=5)
    result = run_reminders(engine, settings=mail_settings(smtp_server), as_of=earlier, dry_run=True)
    items = {
        item["code"]: item["reason"]
        for entry in result.sent
        if entry["unit"] == world.units["lead"].name
        for item in entry["items"]
    }
    assert items["I.2"] == "due_soon" and "I.3" not in items


def test_remind_cli_without_json_lists_each_message_and_a_total(
    engine: Engine,
    database_url: str,
    smtp_server: MailServer,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    build_world(engine)
    monkeypatch.setenv("TRACKER_SMTP_HOST", smtp_server.host)
    monkeypatch.setenv("TRACKER_SMTP_PORT", str(smtp_server.port))
    monkeypatch.setenv("TRACKER_SMTP_SECURITY", "none")
    monkeypatch.setenv("TRACKER_SMTP_FROM", SENDER)
    smtp_server.collector.refuse = {"b1@snv.example.vn"}
    code, out, _ = run_cli(database_url, capsys, "remind")
    assert code == 1  # a message failed
    assert f"Đã gửi: {A_SUBJECT} → a1@skhcn.example.vn, vanthu@skhcn.example.vn" in out
    assert "Lỗi gửi đến b1@snv.example.vn: 550 5.1.1 Mailbox unavailable" in out
    assert out.strip().endswith("Đã gửi 2 thư, 1 lỗi, 0 mục đã nhắc trong kỳ nên không nhắc lại.")


def test_explanations_asked_refusals_and_waiting_requests_reach_who_must_act(
    engine: Engine, smtp_server: MailServer
) -> None:
    plan = make_plan(engine)
    unit = make_unit(engine, "Sở Tài chính")
    staff = make_user(engine, Role.unit, unit, email="stc@example.vn")
    office = make_user(engine, Role.secretariat, email="tgv@example.vn")
    asked = task_due(engine, plan, unit, "I.1", 100, title="Rà soát cơ chế tài chính")
    refused = task_due(engine, plan, unit, "I.2", 60)
    waiting = task_due(engine, plan, unit, "I.3", 90, title="Bố trí kinh phí")
    wanted = today() + timedelta(days=150)
    with write_session(engine) as session:
        add_comment(
            session,
            by=office,
            task_id=asked.id or 0,
            text="Đề nghị giải trình việc chậm",
            kind=HistoryKind.explanation_request,
        )
        first = request_extension(
            session, by=staff, task_id=refused.id or 0, requested_deadline=wanted, reason="Chờ vốn"
        )
        request_extension(
            session, by=staff, task_id=waiting.id or 0, requested_deadline=wanted, reason="Chờ hướng dẫn"
        )
    with write_session(engine) as session:
        decide_extension(session, by=office, request_id=first.id or 0, approve=False, note="Không đủ căn cứ")

    # Three days on: the unit still has to answer, and the request has waited three days.
    later = today() + timedelta(days=3)
    result = run_reminders(engine, settings=mail_settings(smtp_server), as_of=later)
    assert result.failed == []
    [to_unit] = smtp_server.collector.to("stc@example.vn")
    assert to_unit["Subject"] == (
        "[BCĐ 57] Sở Tài chính: 1 yêu cầu giải trình, 1 đề nghị gia hạn không được đồng ý"
    )
    text = _text(to_unit, "plain")
    assert "Yêu cầu giải trình (1):" in text and "I.1 — Rà soát cơ chế tài chính" in text
    assert "Đề nghị giải trình việc chậm" in text and "Không đủ căn cứ" in text
    # Each with the days left to its task's deadline, then when it was sent.
    assert f"còn 97 ngày; thông báo ngày {today():%d/%m/%Y}" in text
    assert f"còn 57 ngày; thông báo ngày {today():%d/%m/%Y}" in text
    assert f"{BASE_URL}/task?task={asked.id}" in text
    [to_office] = smtp_server.collector.to("tgv@example.vn")
    assert to_office["Subject"] == "[BCĐ 57] Tổ giúp việc Ban Chỉ đạo: 1 đề nghị gia hạn chờ xử lý"
    office_text = _text(to_office, "plain")
    assert "I.3 — Bố trí kinh phí" in office_text
    assert f"đơn vị: Sở Tài chính; đề nghị gia hạn đến {wanted:%d/%m/%Y}; đã chờ 3 ngày" in office_text
    assert "đã chờ 3 ngày" in _text(to_office, "html")
