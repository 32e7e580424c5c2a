"""Builders of test records, so each test states only what matters to it."""

from __future__ import annotations

from datetime import date, datetime, time
from itertools import count

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine

from models import (
    HistoryKind,
    Plan,
    Role,
    StatusUpdate,
    Task,
    TaskCoordinator,
    TaskLead,
    TaskStatus,
    Unit,
    User,
)
from tracker.cli import main
from tracker.clock import now
from tracker.db import write_session
from tracker.directory.auth import authenticate
from tracker.directory.units import unit_key

_serial = count(1)
# Cheap parameters: tests hash many passwords and need no real protection.
_hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
PASSWORD = "mat-khau-thu-nghiem"


def make_plan(engine: Engine, number: str | None = None, **fields: object) -> Plan:
    plan = Plan(number=number or f"{next(_serial)}-KH/UBND", created_at=now(), **fields)
    with write_session(engine) as session:
        session.add(plan)
        session.flush()
        session.refresh(plan)
    return plan


def make_unit(engine: Engine, name: str | None = None, **fields: object) -> Unit:
    name = name or f"Sở thử nghiệm {next(_serial)}"
    unit = Unit(name=name, key=unit_key(name), created_at=now(), **fields)
    with write_session(engine) as session:
        session.add(unit)
        session.flush()
        session.refresh(unit)
    return unit


def make_task(
    engine: Engine,
    plan: Plan,
    lead: Unit | None,
    code: str | None = None,
    deadline: date | None = None,
    coordinators: tuple[Unit, ...] = (),
    **fields: object,
) -> Task:
    stamp = now()
    task = Task(
        plan_id=plan.id,
        code=code or str(next(_serial)),
        title=str(fields.pop("title", f"Nhiệm vụ thử nghiệm {code}")),
        lead_unit_id=lead.id if lead else None,
        deadline=deadline,
        deadline_text=str(fields.pop("deadline_text", deadline.strftime("%d/%m/%Y") if deadline else "")),
        status=str(fields.pop("status", TaskStatus.not_started)),
        created_at=stamp,
        updated_at=stamp,
        **fields,
    )
    with write_session(engine) as session:
        session.add(task)
        session.flush()
        if lead is not None:
            session.add(TaskLead(task_id=task.id, unit_id=lead.id, position=0))
        for position, unit in enumerate(coordinators):
            session.add(TaskCoordinator(task_id=task.id, unit_id=unit.id, position=position))
        session.refresh(task)
    return task


def make_user(
    engine: Engine,
    role: Role,
    unit: Unit | None = None,
    username: str | None = None,
    password: str = PASSWORD,
    email: str | None = None,
) -> User:
    user = User(
        username=username or f"user{next(_serial)}",
        email=email,
        display_name=f"Người dùng {role}",
        role=role,
        unit_id=unit.id if unit else None,
        password_hash=_hasher.hash(password),
        created_at=now(),
    )
    with write_session(engine) as session:
        session.add(user)
        session.flush()
        session.refresh(user)
    return user


def backdate_task(engine: Engine, task: Task, created_at: datetime) -> Task:
    """Move a task's creation into the past, so it exists at earlier dates."""
    with write_session(engine) as session:
        row = session.get(Task, task.id)
        assert row is not None
        row.created_at = row.updated_at = created_at
        session.add(row)
    task.created_at = task.updated_at = created_at
    return task


def add_state(
    engine: Engine,
    task: Task,
    status: TaskStatus,
    on: date,
    *,
    recorded_at: datetime | None = None,
    user: User | None = None,
    note: str = "",
    progress: int | None = None,
) -> StatusUpdate:
    """A history row that changes TASK's state, effective ON (recorded that morning unless told)."""
    done = status in (TaskStatus.completed, TaskStatus.reported_done)
    row = StatusUpdate(
        task_id=task.id,
        kind=HistoryKind.status,
        status=status,
        progress=progress if progress is not None else (100 if done else 40),
        completed_on=on if done else None,
        effective_on=on,
        note=note,
        user_id=user.id if user else None,
        recorded_at=recorded_at or datetime.combine(on, time(9)),
    )
    with write_session(engine) as session:
        session.add(row)
        session.flush()
        session.refresh(row)
    return row


# A documentation address (RFC 5737): the client every test sign-in comes from unless it says.
ADDRESS = "192.0.2.10"


def sign_in(engine: Engine, username: str, password: str, address: str = ADDRESS) -> User:
    return authenticate(engine, username=username, password=password, address=address)


def run_cli(url: str, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """`python -m tracker --db URL ARGS`: exit code, stdout, stderr."""
    code = main(["--db", url, *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err
