from datetime import date

import pytest
from sqlalchemy import Engine
from sqlmodel import col, select

from models import ExtensionRequest, ExtensionStatus, HistoryKind, Role, StatusUpdate, Task, Unit, User
from tests.support.factories import make_plan, make_task, make_unit, make_user
from tracker.db import read_session, write_session
from tracker.errors import InvalidValue, PermissionDenied
from tracker.tasks.extensions import decide_extension, request_extension

MARCH, JUNE, SEPTEMBER = date(2026, 3, 31), date(2026, 6, 30), date(2026, 9, 30)


@pytest.fixture
def unit(engine: Engine) -> Unit:
    return make_unit(engine)


@pytest.fixture
def staff(engine: Engine, unit: Unit) -> User:
    return make_user(engine, Role.unit, unit)


@pytest.fixture
def office(engine: Engine) -> User:
    return make_user(engine, Role.secretariat)


@pytest.fixture
def task(engine: Engine, unit: Unit) -> Task:
    return make_task(engine, make_plan(engine), unit, code="III.2", deadline=MARCH)


def ask(engine: Engine, by: User, task: Task, until: date) -> int:
    with write_session(engine) as session:
        request = request_extension(
            session, by=by, task_id=task.id, requested_deadline=until, reason="Chờ vốn"
        )
        assert request.id is not None
        return request.id


def decide(engine: Engine, by: User, request_id: int, approve: bool, note: str = "") -> None:
    with write_session(engine) as session:
        decide_extension(session, by=by, request_id=request_id, approve=approve, note=note)


def reload(engine: Engine, task: Task) -> Task:
    with read_session(engine) as session:
        found = session.get(Task, task.id)
        assert found is not None
        return found


def rows(engine: Engine, task: Task) -> list[tuple[str, str, str, str]]:
    with read_session(engine) as session:
        query = select(StatusUpdate).where(StatusUpdate.task_id == task.id).order_by(col(StatusUpdate.id))
        return [(r.kind, r.old_value, r.new_value, r.note) for r in session.exec(query)]


def test_approvals_move_the_deadline_and_keep_the_first_original(
    engine: Engine, staff: User, office: User, task: Task
) -> None:
    decide(engine, office, ask(engine, staff, task, JUNE), approve=True, note="Đồng ý")
    after = reload(engine, task)
    assert (after.deadline, after.original_deadline, after.version) == (JUNE, MARCH, 2)
    decide(engine, office, ask(engine, staff, task, SEPTEMBER), approve=True)
    after = reload(engine, task)
    assert (after.deadline, after.original_deadline) == (SEPTEMBER, MARCH)
    assert rows(engine, task) == [
        (HistoryKind.extension_requested, "2026-03-31", "2026-06-30", "Chờ vốn"),
        (HistoryKind.extension_approved, "2026-03-31", "2026-06-30", "Đồng ý"),
        (HistoryKind.extension_requested, "2026-06-30", "2026-09-30", "Chờ vốn"),
        (HistoryKind.extension_approved, "2026-06-30", "2026-09-30", ""),
    ]


def test_a_refusal_keeps_the_deadline_and_needs_a_reason(
    engine: Engine, staff: User, office: User, task: Task
) -> None:
    request_id = ask(engine, staff, task, JUNE)
    with pytest.raises(InvalidValue, match="lý do không đồng ý"):
        decide(engine, office, request_id, approve=False)
    decide(engine, office, request_id, approve=False, note="Không có căn cứ")
    after = reload(engine, task)
    assert (after.deadline, after.original_deadline, after.version) == (MARCH, None, 1)
    assert rows(engine, task)[-1] == (
        HistoryKind.extension_refused,
        "2026-03-31",
        "2026-06-30",
        "Không có căn cứ",
    )
    with read_session(engine) as session:
        request = session.get(ExtensionRequest, request_id)
        assert request is not None
        assert (request.status, request.decided_by_id) == (ExtensionStatus.refused, office.id)


def test_a_request_is_decided_once(engine: Engine, staff: User, office: User, task: Task) -> None:
    request_id = ask(engine, staff, task, JUNE)
    decide(engine, office, request_id, approve=True)
    with pytest.raises(InvalidValue, match="đã được xử lý"):
        decide(engine, office, request_id, approve=False, note="Đổi ý")
    assert reload(engine, task).deadline == JUNE


def test_only_one_request_waits_at_a_time(engine: Engine, staff: User, task: Task) -> None:
    ask(engine, staff, task, JUNE)
    with pytest.raises(InvalidValue, match="đang chờ xử lý"):
        ask(engine, staff, task, SEPTEMBER)


def test_a_new_deadline_must_come_after_the_current_one(engine: Engine, staff: User, task: Task) -> None:
    with pytest.raises(InvalidValue, match="phải sau thời hạn hiện tại 31/03/2026"):
        ask(engine, staff, task, date(2026, 1, 15))


def test_only_the_lead_unit_asks_and_only_the_secretariat_decides(
    engine: Engine, staff: User, office: User, task: Task
) -> None:
    stranger = make_user(engine, Role.unit, make_unit(engine))
    committee = make_user(engine, Role.committee)
    for outsider in (stranger, committee):
        with pytest.raises(PermissionDenied, match=r"đề nghị gia hạn nhiệm vụ III\.2"):
            ask(engine, outsider, task, JUNE)
    request_id = ask(engine, staff, task, JUNE)
    for outsider in (staff, committee):
        with pytest.raises(PermissionDenied, match="quyết định gia hạn"):
            decide(engine, outsider, request_id, approve=True)
    assert reload(engine, task).deadline == MARCH
