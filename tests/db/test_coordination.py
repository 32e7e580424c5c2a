"""Coordination: a coordinating unit's own part, the lead's requests for input, and who answered."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from models import CoordinationPart, CoordinationRequest, HistoryKind, PartStatus, Role, Task, Unit, User
from tests.support.factories import make_plan, make_task, make_unit, make_user
from tracker.clock import today
from tracker.coordination.reads import coordination_table, task_coordination
from tracker.coordination.writes import record_part, request_input
from tracker.db import read_session, write_session
from tracker.errors import InvalidValue, PermissionDenied
from tracker.tasks.evidence import store_evidence
from tracker.tasks.workflow import report_done, update_progress
from tracker.views.classify import end_of_day
from tracker.views.queues import unit_inbox


@dataclass
class Team:
    engine: Engine
    task: Task
    lead: Unit
    justice: Unit
    police: Unit
    lead_staff: User
    justice_staff: User
    police_staff: User


@pytest.fixture
def team(engine: Engine) -> Team:
    lead, justice, police = (
        make_unit(engine, "Sở Tài chính"),
        make_unit(engine, "Sở Tư pháp"),
        make_unit(engine, "Công an tỉnh"),
    )
    task = make_task(engine, make_plan(engine), lead, code="I.1", coordinators=(justice, police))
    return Team(
        engine=engine,
        task=task,
        lead=lead,
        justice=justice,
        police=police,
        lead_staff=make_user(engine, Role.unit, lead),
        justice_staff=make_user(engine, Role.unit, justice),
        police_staff=make_user(engine, Role.unit, police),
    )


def _ask(team: Team, unit: Unit, due: date | None = None) -> CoordinationRequest:
    with write_session(team.engine) as session:
        return request_input(
            session,
            by=team.lead_staff,
            task_id=team.task.id or 0,
            unit_id=unit.id or 0,
            due_on=due or today() + timedelta(days=5),
            message="Góp ý dự thảo quy chế",
        )


def _answer(team: Team, staff: User, status: str = PartStatus.done) -> None:
    with write_session(team.engine) as session:
        record_part(
            session, by=staff, task_id=team.task.id or 0, status=status, note="Đã góp ý", evidence="12/STP"
        )


def test_a_coordinator_records_its_part_without_touching_the_leads_state(team: Team) -> None:
    _answer(team, team.justice_staff, PartStatus.working)
    with read_session(team.engine) as session:
        task = session.get(Task, team.task.id)
        assert task is not None
        assert (task.status, task.progress, task.version) == ("not_started", 0, 1)
        parts = session.exec(select(CoordinationPart)).all()
        assert [(p.unit_id, p.status, p.note, p.evidence) for p in parts] == [
            (team.justice.id, PartStatus.working, "Đã góp ý", "12/STP")
        ]
        states = {state.unit: state for state in task_coordination(session, team.task.id or 0)}
    assert states["Sở Tư pháp"].status == PartStatus.working and states["Sở Tư pháp"].answered
    assert states["Công an tỉnh"].status is None and not states["Công an tỉnh"].answered


def test_a_coordinator_may_not_change_the_leads_status_progress_or_evidence(
    team: Team, tmp_path: Path
) -> None:
    task_id = team.task.id or 0
    by = team.justice_staff
    with write_session(team.engine) as session, pytest.raises(PermissionDenied):
        update_progress(session, by=by, task_id=task_id, seen_version=1, status="in_progress", progress=50)
    with write_session(team.engine) as session, pytest.raises(PermissionDenied):
        report_done(session, by=by, task_id=task_id, seen_version=1, completed_on=today(), note="Xong")
    with write_session(team.engine) as session, pytest.raises(PermissionDenied):
        store_evidence(session, by=by, task_id=task_id, reference="Công văn 1")
    with write_session(team.engine) as session, pytest.raises(PermissionDenied):
        record_part(session, by=team.lead_staff, task_id=task_id, status=PartStatus.done)


def test_a_request_reaches_the_coordinators_attention_until_it_answers(team: Team) -> None:
    _ask(team, team.justice)
    with read_session(team.engine) as session:
        asked = unit_inbox(session, team.justice.id or 0)
        assert [(item.code, item.kind) for item in asked] == [("I.1", HistoryKind.coordination_request)]
        assert "Đề nghị Sở Tư pháp phối hợp trước ngày" in asked[0].note
        assert unit_inbox(session, team.police.id or 0) == []
        assert not {state.unit: state for state in task_coordination(session, team.task.id or 0)}[
            "Sở Tư pháp"
        ].answered
    _answer(team, team.justice_staff)
    with read_session(team.engine) as session:
        assert unit_inbox(session, team.justice.id or 0) == []
        request = session.exec(select(CoordinationRequest)).one()
        assert request.answered_at is not None
        told = unit_inbox(session, team.lead.id or 0)
        assert [(item.kind, item.note) for item in told] == [
            (HistoryKind.coordination_part, "Đã xong phần phối hợp: Đã góp ý")
        ]


def test_only_a_lead_asks_and_only_its_coordinators_by_a_date_to_come(team: Team) -> None:
    task_id = team.task.id or 0
    with write_session(team.engine) as session, pytest.raises(PermissionDenied):
        request_input(
            session,
            by=team.justice_staff,
            task_id=task_id,
            unit_id=team.police.id or 0,
            due_on=today(),
            message="x",
        )
    with write_session(team.engine) as session, pytest.raises(InvalidValue, match="không phối hợp"):
        request_input(
            session,
            by=team.lead_staff,
            task_id=task_id,
            unit_id=team.lead.id or 0,
            due_on=today(),
            message="x",
        )
    with write_session(team.engine) as session, pytest.raises(InvalidValue, match="đã qua"):
        request_input(
            session,
            by=team.lead_staff,
            task_id=task_id,
            unit_id=team.police.id or 0,
            due_on=today() - timedelta(days=1),
            message="x",
        )


def test_the_coordination_table_counts_requests_answered_and_overdue(team: Team) -> None:
    _ask(team, team.justice, today())
    _ask(team, team.police, today())
    _ask(team, team.police, today() + timedelta(days=10))
    _answer(team, team.justice_staff)
    later = today() + timedelta(days=3)
    with read_session(team.engine) as session:
        table = coordination_table(
            session, plan_ids=[team.task.plan_id], as_of=later, before=end_of_day(later).to_pydatetime()
        )
    assert table[["unit", "received", "answered", "overdue"]].values.tolist() == [
        ["Công an tỉnh", 2, 0, 1],
        ["Sở Tư pháp", 1, 1, 0],
    ]
