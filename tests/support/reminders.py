"""The reminder tests' World (tests.support.world), dated from today: what each unit and the
secretariat should be reminded of, and settings that point the mail at the test SMTP server."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, time, timedelta

from sqlalchemy import Engine
from sqlmodel import select

from models import Plan, Role, Task, Unit, User
from tests.support.factories import backdate_task, make_plan, make_task, make_unit, make_user
from tests.support.smtp import MailServer
from tests.support.world import World
from tracker.clock import today
from tracker.config import MailSettings, Settings, load_settings
from tracker.db import read_session, write_session
from tracker.tasks.extensions import decide_extension, request_extension
from tracker.tasks.workflow import report_done, return_report

BASE_URL = "https://theodoi.example.vn"
SENDER = "BCĐ 57 <nhacviec@bcd57.example.vn>"
A_SUBJECT = "[BCĐ 57] Sở Khoa học và Công nghệ: 2 nhiệm vụ quá hạn, 1 sắp đến hạn"


def task_due(engine: Engine, plan: Plan, unit: Unit, code: str, days: int, **fields: object) -> Task:
    """A task due DAYS from today, in the plan since long before (so earlier dates see it too)."""
    deadline = today() + timedelta(days=days)
    made = make_task(engine, plan, unit, code=code, deadline=deadline, position=int(code[-1]), **fields)
    return backdate_task(engine, made, datetime.combine(today() - timedelta(days=90), time(8)))


def build_world(engine: Engine) -> World:
    """Unit A: two overdue tasks, one due soon, one far off, one reported done (awaiting the
    secretariat). Unit B: a report the secretariat returned, an extension it approved."""
    plan = make_plan(engine, "45-KH/TU")
    unit_a = make_unit(engine, "Sở Khoa học và Công nghệ", mailbox="VanThu@skhcn.example.vn")
    unit_b = make_unit(engine, "Sở Nội vụ")
    make_user(engine, Role.unit, unit_a, username="a1", email="a1@skhcn.example.vn")
    make_user(engine, Role.unit, unit_a, username="a_no_mail")
    gone = make_user(engine, Role.unit, unit_a, username="a_gone", email="gone@skhcn.example.vn")
    # The mailbox is also an account's address: one copy only.
    make_user(engine, Role.unit, unit_a, username="a_box", email="vanthu@skhcn.example.vn")
    user_b = make_user(engine, Role.unit, unit_b, username="b1", email="b1@snv.example.vn")
    secretariat = make_user(engine, Role.secretariat, username="tgv", email="tgv@bcd57.example.vn")
    with write_session(engine) as session:
        row = session.get(User, gone.id)
        assert row is not None
        row.active = False
    tasks = {
        "I.1": task_due(engine, plan, unit_a, "I.1", -20, title="Ban hành quy chế quản lý đề tài"),
        "I.2": task_due(engine, plan, unit_a, "I.2", -3, deadline_text="Quý III/2026"),
        "I.3": task_due(
            engine, plan, unit_a, "I.3", 4, title="Xây dựng cơ sở dữ liệu <chuyên gia> & nhà khoa học"
        ),
        "I.4": task_due(engine, plan, unit_a, "I.4", 200),
        "I.5": task_due(engine, plan, unit_a, "I.5", -1),
        "II.1": task_due(engine, plan, unit_b, "II.1", 60),
        "II.2": task_due(engine, plan, unit_b, "II.2", 90),
    }
    a_user = account(engine, "a1")
    with write_session(engine) as session:
        report_done(session, by=a_user, task_id=tasks["I.5"].id or 0, seen_version=1, completed_on=today())
        report_done(session, by=user_b, task_id=tasks["II.1"].id or 0, seen_version=1, completed_on=today())
    with write_session(engine) as session:
        return_report(
            session, by=secretariat, task_id=tasks["II.1"].id or 0, seen_version=2, reason="Thiếu minh chứng"
        )
        request = request_extension(
            session,
            by=user_b,
            task_id=tasks["II.2"].id or 0,
            requested_deadline=today() + timedelta(days=120),
            reason="Chờ hướng dẫn của Bộ",
        )
    with write_session(engine) as session:
        decide_extension(session, by=secretariat, request_id=request.id or 0, approve=True)
    # Unit A leads the tasks it is reminded of; unit B is the other unit.
    users = {Role.secretariat: secretariat, Role.unit: a_user}
    return World(engine=engine, users=users, units={"lead": unit_a, "other": unit_b}, tasks=tasks)


def account(engine: Engine, username: str) -> User:
    with read_session(engine) as session:
        return session.exec(select(User).where(User.username == username)).one()


def mail_settings(server: MailServer, port: int | None = None, login: tuple[str, str] = ("", "")) -> Settings:
    user, password = login
    mail = MailSettings(
        host=server.host,
        port=port or server.port,
        user=user,
        password=password,
        sender=SENDER,
        security=server.security,
        base_url=BASE_URL,
    )
    return replace(load_settings(), mail=mail, due_soon_days=7, remind_every_days=7)
