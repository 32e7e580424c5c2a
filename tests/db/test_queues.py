from datetime import date, timedelta

from sqlalchemy import Engine

from models import HistoryKind, Role, TaskStatus
from tests.support.factories import make_plan, make_task, make_unit, make_user
from tracker.clock import today
from tracker.db import read_session, write_session
from tracker.tasks.workflow import add_comment, report_done, request_extension, return_report, update_progress
from tracker.views.queues import awaiting_confirmation, pending_extensions, unit_inbox

DONE_ON = today() - timedelta(days=2)


def test_the_secretariat_queue_lists_reports_and_requests_oldest_first(engine: Engine) -> None:
    unit = make_unit(engine, "Sở Tư pháp")
    staff = make_user(engine, Role.unit, unit)
    staff_name = staff.display_name
    plan = make_plan(engine, "45-KH/UBND")
    first, second, untouched = (
        make_task(engine, plan, unit, code=c, deadline=date(2026, 12, 31)) for c in "ABC"
    )
    for task in (second, first):
        with write_session(engine) as session:
            report_done(
                session,
                by=staff,
                task_id=task.id,
                seen_version=1,
                completed_on=DONE_ON,
                evidence_reference="QĐ 12/QĐ-STP",
            )
    with write_session(engine) as session:
        request_extension(
            session,
            by=staff,
            task_id=untouched.id,
            requested_deadline=date(2027, 6, 30),
            reason="Chờ ý kiến Bộ",
        )
    with read_session(engine) as session:
        waiting = awaiting_confirmation(session)
        extensions = pending_extensions(session)
    assert [(w.code, w.version, w.unit, w.completed_on, w.evidence, w.reported_by) for w in waiting] == [
        ("B", 2, "Sở Tư pháp", DONE_ON, "QĐ 12/QĐ-STP", staff_name),
        ("A", 2, "Sở Tư pháp", DONE_ON, "QĐ 12/QĐ-STP", staff_name),
    ]
    assert waiting[0].reported_at <= waiting[1].reported_at
    assert [
        (e.code, e.plan_number, e.current_deadline, e.requested_deadline, e.reason) for e in extensions
    ] == [("C", "45-KH/UBND", date(2026, 12, 31), date(2027, 6, 30), "Chờ ý kiến Bộ")]


def test_a_unit_inbox_holds_what_others_wrote_since_its_last_update(engine: Engine) -> None:
    unit, other = make_unit(engine), make_unit(engine)
    staff = make_user(engine, Role.unit, unit)
    office, committee = make_user(engine, Role.secretariat), make_user(engine, Role.committee)
    plan = make_plan(engine)
    answered = make_task(engine, plan, unit, code="I.1")
    returned = make_task(engine, plan, unit, code="I.2", status=TaskStatus.reported_done)
    elsewhere = make_task(engine, plan, other, code="I.3")
    with write_session(engine) as session:
        add_comment(session, by=committee, task_id=answered.id, text="Cũ", kind=HistoryKind.comment)
    with write_session(engine) as session:
        update_progress(
            session, by=staff, task_id=answered.id, seen_version=1, status="in_progress", progress=50
        )
    with write_session(engine) as session:
        add_comment(
            session,
            by=committee,
            task_id=answered.id,
            text="Giải trình",
            kind=HistoryKind.explanation_request,
        )
        return_report(session, by=office, task_id=returned.id, seen_version=1, reason="Thiếu minh chứng")
        add_comment(session, by=committee, task_id=elsewhere.id, text="Không phải của đơn vị", kind="comment")
    with read_session(engine) as session:
        inbox = unit_inbox(session, unit.id)  # type: ignore[arg-type]
    assert sorted((item.code, item.kind, item.note) for item in inbox) == [
        ("I.1", HistoryKind.explanation_request, "Giải trình"),
        ("I.2", HistoryKind.returned, "Thiếu minh chứng"),
    ]
