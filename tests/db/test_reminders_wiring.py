"""Reminders meet coordination: a request for input waiting on a coordinating unit, and joint leads,
over a real SMTP conversation (tests.support.smtp)."""

from __future__ import annotations

from datetime import timedelta
from email.message import EmailMessage

from sqlalchemy import Engine
from sqlmodel import select

from models import PartStatus, Role, TaskLead, Unit
from tests.support.factories import make_plan, make_task, make_unit, make_user
from tests.support.reminders import account, mail_settings, task_due
from tests.support.smtp import MailServer
from tracker.clock import today
from tracker.coordination.writes import record_part, request_input
from tracker.db import read_session, write_session
from tracker.reminders.attention import attention_items
from tracker.reminders.items import EVENT_KINDS, Reason
from tracker.reminders.letters import unit_letter
from tracker.reminders.run import run_reminders
from tracker.views.queues import unit_inbox


def _plain(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


def _by_subject(server: MailServer) -> dict[str, EmailMessage]:
    return {got.message["Subject"]: got.message for got in server.collector.received}


def _items(engine: Engine, unit: Unit) -> list[tuple[Reason, str]]:
    with read_session(engine) as session:
        found = attention_items(session, role=Role.unit, unit_id=unit.id, as_of=today(), due_soon_days=7)
    return [(item.reason, item.code) for item in found]


def test_a_request_for_input_reminds_the_coordinating_unit_until_it_answers(
    engine: Engine, smtp_server: MailServer
) -> None:
    lead, justice = make_unit(engine, "Sở Tài chính"), make_unit(engine, "Sở Tư pháp")
    make_user(engine, Role.unit, lead, username="tc1")
    make_user(engine, Role.unit, justice, username="tp1", email="tp1@stp.example.vn")
    task = make_task(
        engine,
        make_plan(engine),
        lead,
        code="III.4",
        deadline=today() + timedelta(days=200),
        coordinators=(justice,),
        title="Xây dựng quy chế phối hợp",
    )
    due = today() + timedelta(days=3)
    with write_session(engine) as session:
        request_input(
            session,
            by=account(engine, "tc1"),
            task_id=task.id or 0,
            unit_id=justice.id or 0,
            due_on=due,
            message="Góp ý dự thảo",
        )

    assert _items(engine, justice) == [(Reason.coordination_requested, "III.4")]
    assert _items(engine, lead) == []
    with read_session(engine) as session:
        inbox = unit_inbox(session, justice.id or 0)
    # The request is in "Cần chú ý": the inbox of notes leaves it out.
    assert [entry.kind for entry in inbox] == ["coordination_request"]
    assert all(entry.kind in EVENT_KINDS for entry in inbox)

    run_reminders(engine, settings=mail_settings(smtp_server), as_of=today())
    mails = _by_subject(smtp_server)
    assert list(mails) == ["[BCĐ 57] Sở Tư pháp: 1 yêu cầu phối hợp chờ trả lời"]
    text = _plain(mails["[BCĐ 57] Sở Tư pháp: 1 yêu cầu phối hợp chờ trả lời"])
    assert "III.4 — Xây dựng quy chế phối hợp" in text
    assert f"hạn phối hợp: {due:%d/%m/%Y}" in text and "còn 3 ngày" in text
    assert "Góp ý dự thảo" in text

    # Past its date it is overdue by as many days.
    with read_session(engine) as session:
        later = attention_items(
            session, role=Role.unit, unit_id=justice.id, as_of=due + timedelta(days=2), due_soon_days=7
        )
    assert [(item.reason, item.days_overdue) for item in later] == [(Reason.coordination_requested, 2)]

    with write_session(engine) as session:
        record_part(
            session, by=account(engine, "tp1"), task_id=task.id or 0, status=PartStatus.done, note="Đã góp ý"
        )
    assert _items(engine, justice) == []
    smtp_server.collector.received.clear()
    result = run_reminders(engine, settings=mail_settings(smtp_server), as_of=today())
    assert result.sent == [] and smtp_server.collector.received == []


def test_every_joint_lead_is_reminded_of_the_tasks_it_leads(engine: Engine, smtp_server: MailServer) -> None:
    plan = make_plan(engine)
    finance, trade = make_unit(engine, "Bộ Tài chính"), make_unit(engine, "Sở Công Thương")
    make_user(engine, Role.unit, finance, username="f1", email="f1@btc.example.vn")
    make_user(engine, Role.unit, trade, username="t1", email="t1@sct.example.vn")
    late = task_due(engine, plan, finance, "I.1", -5, title="Nhiệm vụ chủ trì chung")
    with write_session(engine) as session:
        session.add(TaskLead(task_id=late.id, unit_id=trade.id, position=1))

    result = run_reminders(engine, settings=mail_settings(smtp_server), as_of=today())
    assert sorted(entry["unit"] for entry in result.sent) == ["Bộ Tài chính", "Sở Công Thương"]
    for address in ("f1@btc.example.vn", "t1@sct.example.vn"):
        [message] = smtp_server.collector.to(address)
        assert "I.1 — Nhiệm vụ chủ trì chung" in _plain(message) and "quá hạn 5 ngày" in _plain(message)
    assert _items(engine, trade) == [(Reason.overdue, "I.1")]
    with read_session(engine) as session:
        second = session.exec(select(Unit).where(Unit.id == trade.id)).one()
        letter = unit_letter(session, unit=second, as_of=today(), due_soon_days=7)
    assert [(item.code, item.unit) for item in letter.items] == [("I.1", "Sở Công Thương")]
