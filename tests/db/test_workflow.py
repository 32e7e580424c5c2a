from collections.abc import Callable
from datetime import date, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from models import HistoryKind, Role, StatusUpdate, Task, TaskStatus, User
from tests.support.factories import make_unit
from tests.support.world import World, build_world
from tracker.clock import today
from tracker.db import read_session, write_session
from tracker.directory.accounts import deactivate_user
from tracker.errors import InvalidValue, PermissionDenied, StaleVersion, TrackerError
from tracker.tasks.workflow import (
    add_comment,
    cancel_task,
    confirm_completion,
    edit_task,
    report_done,
    request_extension,
    return_report,
    set_completed,
    update_progress,
)

YESTERDAY = today() - timedelta(days=1)


@pytest.fixture
def world(engine: Engine) -> World:
    return build_world(engine)


def account(world: World, role: str) -> User:
    """The account ROLES names: secretariat, committee, or the staff of a part ("lead_staff")."""
    part = role.removesuffix("_staff")
    return world.staff[part] if part in world.staff else world.users[Role(role)]


def history(engine: Engine, task_id: int | None) -> list[StatusUpdate]:
    with read_session(engine) as session:
        query = select(StatusUpdate).where(StatusUpdate.task_id == task_id).order_by(col(StatusUpdate.id))
        return list(session.exec(query))


def current(engine: Engine, task_id: int | None) -> Task:
    with read_session(engine) as session:
        task = session.get(Task, task_id)
        assert task is not None
        return task


Operation = Callable[[Session, User, Task], object]
OPERATIONS: dict[str, tuple[str, Operation, set[str]]] = {
    "update_progress": (
        TaskStatus.in_progress,
        lambda s, u, t: update_progress(
            session=s, by=u, task_id=t.id, seen_version=t.version, status="in_progress", progress=30
        ),
        {"secretariat", "lead_staff"},
    ),
    "report_done": (
        TaskStatus.in_progress,
        lambda s, u, t: report_done(
            session=s, by=u, task_id=t.id, seen_version=t.version, completed_on=YESTERDAY
        ),
        {"secretariat", "lead_staff"},
    ),
    "confirm": (
        TaskStatus.reported_done,
        lambda s, u, t: confirm_completion(session=s, by=u, task_id=t.id, seen_version=t.version),
        {"secretariat"},
    ),
    "return_report": (
        TaskStatus.reported_done,
        lambda s, u, t: return_report(
            session=s, by=u, task_id=t.id, seen_version=t.version, reason="Thiếu văn bản"
        ),
        {"secretariat"},
    ),
    "set_completed": (
        TaskStatus.in_progress,
        lambda s, u, t: set_completed(
            session=s, by=u, task_id=t.id, seen_version=t.version, completed_on=YESTERDAY
        ),
        {"secretariat"},
    ),
    "cancel": (
        TaskStatus.in_progress,
        lambda s, u, t: cancel_task(session=s, by=u, task_id=t.id, seen_version=t.version, reason="Trùng"),
        {"secretariat"},
    ),
    "edit_task": (
        TaskStatus.in_progress,
        lambda s, u, t: edit_task(
            session=s, by=u, task_id=t.id, seen_version=t.version, changes={"output": "Quyết định"}
        ),
        {"secretariat"},
    ),
    "request_extension": (
        TaskStatus.in_progress,
        lambda s, u, t: request_extension(
            session=s, by=u, task_id=t.id, requested_deadline=date(2030, 12, 31), reason="Chờ vốn"
        ),
        {"secretariat", "lead_staff"},
    ),
    "comment": (
        TaskStatus.in_progress,
        lambda s, u, t: add_comment(session=s, by=u, task_id=t.id, text="Đề nghị đẩy nhanh", kind="comment"),
        {"secretariat", "committee"},
    ),
    "explanation_request": (
        TaskStatus.in_progress,
        lambda s, u, t: add_comment(
            session=s, by=u, task_id=t.id, text="Giải trình chậm", kind=HistoryKind.explanation_request
        ),
        {"secretariat", "committee"},
    ),
    "coordination_note": (
        TaskStatus.in_progress,
        lambda s, u, t: add_comment(
            session=s, by=u, task_id=t.id, text="Đã gửi số liệu", kind=HistoryKind.coordination_note
        ),
        {"secretariat", "coordinator_staff"},
    ),
}
ROLES = ["secretariat", "committee", "lead_staff", "coordinator_staff", "other_staff"]


def test_each_role_is_allowed_or_refused_each_change(world: World) -> None:
    for operation, (status, run, allowed) in OPERATIONS.items():
        for role in ROLES:
            task = world.task(status=status, deadline=date(2026, 12, 31))
            actor = account(world, role)
            if role in allowed:
                with write_session(world.engine) as session:
                    run(session, actor, task)
                assert len(history(world.engine, task.id)) == 1, (operation, role)
                continue
            with write_session(world.engine) as session, pytest.raises(PermissionDenied) as refused:
                run(session, actor, task)
            assert f"'{actor.username}'" in str(refused.value), (operation, role)
            assert "II.3" in str(refused.value)
            assert history(world.engine, task.id) == [], (operation, role)
            assert current(world.engine, task.id).version == task.version


def test_an_inactive_unit_account_changes_nothing(world: World) -> None:
    task = world.task()
    with write_session(world.engine) as session:
        world.lead_staff.active = False
        session.add(world.lead_staff)
    with write_session(world.engine) as session, pytest.raises(PermissionDenied, match="vô hiệu hóa"):
        update_progress(
            session, by=world.lead_staff, task_id=task.id, seen_version=1, status="in_progress", progress=5
        )


def test_a_deactivation_applies_to_a_page_still_holding_the_signed_in_account(world: World) -> None:
    task = world.task()
    signed_in = world.lead_staff
    with write_session(world.engine) as session:
        deactivate_user(session, by=world.secretariat, user_id=signed_in.id)
    assert signed_in.active
    with write_session(world.engine) as session, pytest.raises(PermissionDenied, match="vô hiệu hóa"):
        update_progress(
            session, by=signed_in, task_id=task.id, seen_version=1, status="in_progress", progress=5
        )
    assert history(world.engine, task.id) == []


def test_the_whole_workflow_from_start_to_confirmed_completion(world: World) -> None:
    engine, unit, office = world.engine, world.lead_staff, world.secretariat
    task = world.task()
    reported_on = today() - timedelta(days=3)
    with write_session(engine) as session:
        update_progress(
            session,
            by=unit,
            task_id=task.id,
            seen_version=1,
            status="in_progress",
            progress=40,
            note="Dự thảo",
        )
    with write_session(engine) as session:
        report_done(
            session,
            by=unit,
            task_id=task.id,
            seen_version=2,
            completed_on=reported_on,
            evidence_reference="Kế hoạch số 123/KH-UBND ngày 12/5/2025",
        )
    with write_session(engine) as session:
        return_report(session, by=office, task_id=task.id, seen_version=3, reason="Chưa kèm văn bản")
    assert (current(engine, task.id).status, current(engine, task.id).completed_on) == ("in_progress", None)
    with write_session(engine) as session:
        report_done(session, by=unit, task_id=task.id, seen_version=4, completed_on=reported_on)
    with write_session(engine) as session:
        confirm_completion(session, by=office, task_id=task.id, seen_version=5)
    final = current(engine, task.id)
    assert (final.status, final.progress, final.completed_on, final.version) == (
        TaskStatus.completed,
        100,
        reported_on,
        6,
    )
    rows = history(engine, task.id)
    assert [(r.kind, r.status, r.progress, r.completed_on, r.user_id) for r in rows] == [
        (HistoryKind.status, "in_progress", 40, None, unit.id),
        (HistoryKind.status, "reported_done", 100, reported_on, unit.id),
        (HistoryKind.returned, "in_progress", 100, None, office.id),
        (HistoryKind.status, "reported_done", 100, reported_on, unit.id),
        (HistoryKind.confirmed, "completed", 100, reported_on, office.id),
    ]
    assert rows[1].effective_on == reported_on
    assert rows[1].evidence == "Kế hoạch số 123/KH-UBND ngày 12/5/2025"
    assert rows[2].note == "Chưa kèm văn bản"
    assert rows[0].note == "Dự thảo" and rows[0].effective_on == today()


def test_the_secretariat_may_complete_or_cancel_directly(world: World) -> None:
    done, dropped = world.task(), world.task()
    with write_session(world.engine) as session:
        set_completed(session, by=world.secretariat, task_id=done.id, seen_version=1, completed_on=YESTERDAY)
        cancel_task(session, by=world.secretariat, task_id=dropped.id, seen_version=1, reason="Trùng lặp")
    assert (current(world.engine, done.id).status, current(world.engine, done.id).completed_on) == (
        "completed",
        YESTERDAY,
    )
    row = history(world.engine, dropped.id)[0]
    assert (row.status, row.note) == ("cancelled", "Trùng lặp")


def test_a_unit_cannot_change_a_task_awaiting_confirmation_or_closed(world: World) -> None:
    for status in (TaskStatus.reported_done, TaskStatus.completed, TaskStatus.cancelled):
        task = world.task(status=status)
        with write_session(world.engine) as session, pytest.raises(InvalidValue, match="đang ở trạng thái"):
            update_progress(
                session,
                by=world.lead_staff,
                task_id=task.id,
                seen_version=1,
                status="in_progress",
                progress=9,
            )


def test_the_secretariat_may_reopen_a_completed_task(world: World) -> None:
    task = world.task(status=TaskStatus.completed, progress=100, completed_on=YESTERDAY)
    with write_session(world.engine) as session:
        update_progress(
            session, by=world.secretariat, task_id=task.id, seen_version=1, status="in_progress", progress=80
        )
    assert current(world.engine, task.id).completed_on is None


IMPOSSIBLE_UPDATES: list[tuple[str, int, str, date | None, str]] = [
    ("in_progress", 101, "", None, "Tiến độ 101%"),
    ("in_progress", -1, "", None, "Tiến độ -1%"),
    ("paused", 20, " ", None, "lý do tạm dừng"),
    ("completed", 100, "", None, "'Đã hoàn thành' không cập nhật được"),
    ("reported_done", 100, "", None, "không cập nhật được ở đây"),
    ("in_progress", 10, "", today() + timedelta(days=1), "Ngày hiệu lực"),
    ("in_progress", 10, "", date(1999, 12, 31), "31/12/1999"),
]


def test_progress_updates_refuse_impossible_values(world: World) -> None:
    task = world.task()
    for status, progress, note, effective_on, message in IMPOSSIBLE_UPDATES:
        with write_session(world.engine) as session, pytest.raises(InvalidValue, match=message):
            update_progress(
                session,
                by=world.lead_staff,
                task_id=task.id,
                seen_version=1,
                status=status,
                progress=progress,
                note=note,
                effective_on=effective_on,
            )
    assert history(world.engine, task.id) == []


def test_a_completion_cannot_be_reported_in_the_future(world: World) -> None:
    task = world.task()
    tomorrow = today() + timedelta(days=1)
    with write_session(world.engine) as session, pytest.raises(InvalidValue, match="Ngày hoàn thành"):
        report_done(session, by=world.lead_staff, task_id=task.id, seen_version=1, completed_on=tomorrow)


def test_the_second_of_two_conflicting_saves_is_refused_and_nothing_is_overwritten(world: World) -> None:
    task = world.task()
    seen = task.version
    with write_session(world.engine) as session:
        world.secretariat.display_name = "Nguyễn Văn A"
        session.add(world.secretariat)
    with write_session(world.engine) as session:
        update_progress(
            session,
            by=world.secretariat,
            task_id=task.id,
            seen_version=seen,
            status="in_progress",
            progress=60,
        )
    with write_session(world.engine) as session, pytest.raises(StaleVersion) as refused:
        update_progress(
            session,
            by=world.lead_staff,
            task_id=task.id,
            seen_version=seen,
            status="paused",
            progress=10,
            note="x",
        )
    stamp = history(world.engine, task.id)[0].recorded_at
    assert str(refused.value) == (
        f"Nhiệm vụ II.3 vừa được Nguyễn Văn A cập nhật lúc {stamp:%H:%M %d/%m/%Y}; "
        "thay đổi của bạn chưa được lưu: hãy xem nội dung mới nhất rồi lưu lại."
    )
    after = current(world.engine, task.id)
    assert (after.status, after.progress, after.version) == ("in_progress", 60, seen + 1)
    assert len(history(world.engine, task.id)) == 1


def test_editing_fields_writes_one_row_per_changed_field(world: World) -> None:
    task = world.task(deadline=date(2026, 3, 31), output="Kế hoạch")
    new_lead = make_unit(world.engine, "Sở Nội vụ")
    with write_session(world.engine) as session:
        edit_task(
            session,
            by=world.secretariat,
            task_id=task.id,
            seen_version=1,
            changes={
                "output": "Kế hoạch",
                "deadline": date(2026, 6, 30),
                "deadline_text": "Quý II/2026",
                "lead_unit_id": new_lead.id,
                "coordinator_unit_ids": [],
            },
        )
    edits = [(r.kind, r.field, r.old_value, r.new_value) for r in history(world.engine, task.id)]
    assert edits == [
        (HistoryKind.field_edit, "deadline", "2026-03-31", "2026-06-30"),
        (HistoryKind.field_edit, "deadline_text", "31/03/2026", "Quý II/2026"),
        (HistoryKind.field_edit, "lead_unit_id", world.units["lead"].name, "Sở Nội vụ"),
        (HistoryKind.field_edit, "coordinator_unit_ids", world.units["coordinator"].name, ""),
    ]
    after = current(world.engine, task.id)
    assert (after.deadline, after.lead_unit_id, after.version) == (date(2026, 6, 30), new_lead.id, 2)
    assert after.original_deadline is None


def test_editing_refuses_unknown_fields_and_bad_values(world: World) -> None:
    task = world.task()
    for changes, message in (
        ({"status": "completed"}, "trường status"),
        ({"title": "  "}, "không được để trống"),
        ({"deadline": date(2999, 1, 1)}, "01/01/2999"),
        ({"lead_unit_id": 999999}, "999999"),
    ):
        with write_session(world.engine) as session, pytest.raises(TrackerError) as refused:
            edit_task(session, by=world.secretariat, task_id=task.id, seen_version=1, changes=changes)
        assert message in str(refused.value)
    assert current(world.engine, task.id).version == 1


def test_comments_change_nothing_on_the_task(world: World) -> None:
    task = world.task()
    with write_session(world.engine) as session:
        add_comment(
            session,
            by=world.committee,
            task_id=task.id,
            text="Vì sao chậm?",
            kind=HistoryKind.explanation_request,
        )
    assert current(world.engine, task.id).version == 1
    row = history(world.engine, task.id)[0]
    assert (row.kind, row.status, row.note, row.user_id) == (
        HistoryKind.explanation_request,
        None,
        "Vì sao chậm?",
        world.committee.id,
    )
    with write_session(world.engine) as session, pytest.raises(InvalidValue, match="không phải là một loại"):
        add_comment(session, by=world.secretariat, task_id=task.id, text="x", kind=HistoryKind.confirmed)
