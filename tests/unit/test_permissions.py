import pytest
from sqlalchemy import Engine

from models import Role, TaskStatus, User
from tests.support.factories import make_plan, make_task, make_unit
from tracker.db import read_session
from tracker.errors import InvalidValue, PermissionDenied
from tracker.tasks.permissions import Action, TaskScope, can, require, task_scope

LEAD, COORDINATOR, OTHER = 1, 2, 3
TASK = TaskScope(
    code="II.3",
    lead_unit_ids=frozenset({LEAD}),
    coordinator_unit_ids=frozenset({COORDINATOR}),
    status="in_progress",
)
ADMIN_ACTIONS = [Action.import_plan, Action.manage_accounts, Action.manage_units]
TASK_ACTIONS = [a for a in Action if a not in ADMIN_ACTIONS]


def user(role: Role, unit_id: int | None = None, active: bool = True) -> User:
    return User(username=f"{role}{unit_id or ''}", role=role, unit_id=unit_id, active=active)


SECRETARIAT = user(Role.secretariat)
COMMITTEE = user(Role.committee)
LEAD_STAFF = user(Role.unit, LEAD)
COORDINATOR_STAFF = user(Role.unit, COORDINATOR)
OTHER_STAFF = user(Role.unit, OTHER)

ALLOWED: dict[str, set[Action]] = {
    "secretariat": set(TASK_ACTIONS) - {Action.confirm, Action.return_report},
    "committee": {Action.comment, Action.request_explanation, Action.view_all, Action.export_reports},
    "lead": {
        Action.update_progress,
        Action.report_done,
        Action.add_evidence,
        Action.request_extension,
        Action.request_coordination,
        Action.record_indicator_value,
        Action.view_all,
    },
    # Its own part only: never the lead's status, progress or evidence.
    "coordinator": {Action.coordination_note, Action.record_part, Action.view_all},
    "other unit": {Action.view_all},
}
USERS = {
    "secretariat": SECRETARIAT,
    "committee": COMMITTEE,
    "lead": LEAD_STAFF,
    "coordinator": COORDINATOR_STAFF,
    "other unit": OTHER_STAFF,
}


@pytest.mark.parametrize("who", list(USERS))
@pytest.mark.parametrize("action", TASK_ACTIONS)
def test_each_role_may_take_exactly_its_actions_on_a_task_in_progress(who: str, action: Action) -> None:
    assert can(USERS[who], action, TASK) is (action in ALLOWED[who])


@pytest.mark.parametrize("action", ADMIN_ACTIONS)
def test_only_the_secretariat_administers(action: Action) -> None:
    assert can(SECRETARIAT, action)
    assert not any(can(u, action) for u in (COMMITTEE, LEAD_STAFF, OTHER_STAFF))


@pytest.mark.parametrize("action", list(Action))
def test_an_inactive_account_may_do_nothing(action: Action) -> None:
    assert not can(user(Role.secretariat, active=False), action, TASK)


def test_a_unit_account_without_a_unit_may_do_nothing() -> None:
    assert not any(can(user(Role.unit), action, TASK) for action in Action)


def test_only_a_reported_completion_can_be_confirmed_or_returned() -> None:
    reported = TaskScope(code="II.3", lead_unit_ids=frozenset({LEAD}), status=TaskStatus.reported_done)
    assert can(SECRETARIAT, Action.confirm, reported)
    assert can(SECRETARIAT, Action.return_report, reported)
    assert not can(SECRETARIAT, Action.set_completed, reported)
    assert not can(LEAD_STAFF, Action.update_progress, reported)
    assert not can(LEAD_STAFF, Action.report_done, reported)


@pytest.mark.parametrize("status", [TaskStatus.completed, TaskStatus.cancelled])
def test_a_closed_task_can_be_reopened_by_the_secretariat_only(status: TaskStatus) -> None:
    closed = TaskScope(code="II.3", lead_unit_ids=frozenset({LEAD}), status=status)
    assert can(SECRETARIAT, Action.update_progress, closed)
    assert not can(LEAD_STAFF, Action.update_progress, closed)
    assert not can(LEAD_STAFF, Action.request_extension, closed)


def test_a_cancelled_task_cannot_be_cancelled_again() -> None:
    cancelled = TaskScope(code="II.3", lead_unit_ids=frozenset({LEAD}), status=TaskStatus.cancelled)
    assert not can(SECRETARIAT, Action.cancel, cancelled)


def test_refusal_names_the_user_the_action_and_the_task() -> None:
    with pytest.raises(PermissionDenied) as refused:
        require(OTHER_STAFF, Action.update_progress, TASK)
    assert str(refused.value) == (
        "Tài khoản 'unit3' (Cán bộ đơn vị) không được phép cập nhật tiến độ nhiệm vụ II.3."
    )


def test_refusal_of_an_inactive_account_says_it_is_deactivated() -> None:
    with pytest.raises(PermissionDenied, match="đã bị vô hiệu hóa"):
        require(user(Role.secretariat, active=False), Action.import_plan)


def test_a_wrong_state_is_an_invalid_value_naming_the_status() -> None:
    with pytest.raises(InvalidValue) as refused:
        require(SECRETARIAT, Action.confirm, TASK)
    assert str(refused.value) == (
        "Nhiệm vụ II.3 đang ở trạng thái 'Đang thực hiện': "
        "không thể xác nhận hoàn thành nhiệm vụ II.3 lúc này."
    )


def test_require_passes_silently_when_allowed() -> None:
    require(LEAD_STAFF, Action.report_done, TASK)


def test_task_scope_reads_the_coordinators_from_the_database(engine: Engine) -> None:
    lead, first, second = make_unit(engine), make_unit(engine), make_unit(engine)
    task = make_task(engine, make_plan(engine), lead, code="I.1", coordinators=(first, second))
    with read_session(engine) as session:
        scope = task_scope(session, task)
    assert scope == TaskScope(
        code="I.1",
        lead_unit_ids=frozenset({lead.id}),
        coordinator_unit_ids=frozenset({first.id, second.id}),
        status=TaskStatus.not_started,
    )


def test_each_joint_lead_leads_and_a_coordinator_does_not() -> None:
    joint = TaskScope(
        code="II.3", lead_unit_ids=frozenset({LEAD, OTHER}), coordinator_unit_ids=frozenset({COORDINATOR})
    )
    for action in (Action.update_progress, Action.add_evidence, Action.request_coordination):
        assert can(LEAD_STAFF, action, joint) and can(OTHER_STAFF, action, joint)
        assert not can(COORDINATOR_STAFF, action, joint)
    assert can(COORDINATOR_STAFF, Action.record_part, joint)
    assert not can(LEAD_STAFF, Action.record_part, joint)
