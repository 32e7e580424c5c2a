"""Flows through the pages that change data, driven by AppTest as each role.

Each test acts like a user (fills a form, clicks) and then checks the database,
never only the screen.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import select
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from models import (
    Evidence,
    ExtensionRequest,
    HistoryKind,
    PartStatus,
    Role,
    StatusUpdate,
    Task,
    TaskStatus,
    Unit,
)
from tests.support.apptest import open_card, page_as, read, shown, texts
from tests.support.factories import make_plan, make_task, make_user
from tests.support.world import World, build_world
from tracker.clock import today
from tracker.db import open_database, read_session, write_session
from tracker.tasks import workflow
from tracker.tasks.evidence import store_evidence
from tracker.tasks.extensions import request_extension


@pytest.fixture
def world(app_url: str) -> World:
    """Unit A (the lead) leads an overdue task (own) and one due in 3 days (soon), coordinates one led by
    unit B (coordinated); unit C leads another (foreign). Unit A has one account, so_khcn."""
    engine = open_database(app_url)
    world = build_world(
        engine,
        unit_names=("Sở Khoa học và Công nghệ", "Sở Tài chính", "Sở Y tế"),
        staff=("lead",),
        usernames={Role.unit: "so_khcn", Role.secretariat: "van_phong", Role.committee: "lanh_dao"},
    )
    a, b, c = (world.units[part] for part in ("lead", "coordinator", "other"))
    plan = make_plan(engine, "45-KH/TU")
    world.tasks = {
        "own": make_task(engine, plan, a, code="I.1", deadline=today() - timedelta(days=5)),
        "soon": make_task(engine, plan, a, code="I.2", deadline=today() + timedelta(days=3)),
        "coordinated": make_task(
            engine, plan, b, code="II.1", deadline=today() + timedelta(days=90), coordinators=(a,)
        ),
        "foreign": make_task(engine, plan, c, code="III.1", deadline=today() + timedelta(days=90)),
    }
    return world


def stored(engine: Engine, task: Task) -> Task:
    with read_session(engine) as session:
        found = session.get(Task, task.id)
        assert found is not None
        return found


def history_of(engine: Engine, task: Task) -> list[StatusUpdate]:
    with read_session(engine) as session:
        return list(session.exec(select(StatusUpdate).where(StatusUpdate.task_id == task.id)))


def submit(at: AppTest, form: str, label: str) -> AppTest:
    button = next(b for b in at.form_submit_button if b.form_id == form and b.label == label)
    return button.click().run()


def data_changing_buttons(at: AppTest) -> list[str]:
    """Labels of every form button on the page except the remark form's."""
    return [b.label for b in at.form_submit_button if not b.form_id.startswith("comment:")]


def test_unit_staff_update_their_own_task_from_my_unit(world: World) -> None:
    task = world.tasks["own"].id
    at = page_as(world.lead_staff, "pages/my_unit.py").run()
    assert not at.exception
    assert not at.text_area, "a closed card draws no form"
    at = open_card(at, task).run()
    at.selectbox(key=f"progress:{task}:status").set_value(TaskStatus.in_progress)
    at.number_input(key=f"progress:{task}:progress").set_value(40)
    at.text_area(key=f"progress:{task}:note").input("Đã trình dự thảo kế hoạch")
    submit(at, f"progress:{task}", "Lưu cập nhật")
    assert not at.exception
    saved = stored(world.engine, world.tasks["own"])
    assert (saved.status, saved.progress) == (TaskStatus.in_progress, 40)
    assert [row.note for row in history_of(world.engine, world.tasks["own"])] == ["Đã trình dự thảo kế hoạch"]
    assert shown(at.toast) == ["Đã cập nhật tiến độ nhiệm vụ I.1."]
    assert at.text_area(key=f"progress:{task}:note~1").value == "", "a saved form gets new, empty widgets"


def test_my_unit_lists_overdue_first_and_only_the_units_own_tasks(world: World) -> None:
    at = page_as(world.lead_staff, "pages/my_unit.py").run()
    headlines = [expander.label for expander in at.expander]
    assert headlines[0].startswith("**I\\.1**") and headlines[1].startswith("**I\\.2**")
    assert not any("III" in headline for headline in headlines)
    assert "quá hạn 5 ngày" in texts(at)


def test_a_stale_save_is_refused_and_keeps_what_the_user_typed(world: World) -> None:
    task = world.tasks["own"].id
    at = open_card(page_as(world.lead_staff, "pages/my_unit.py"), task).run()
    with write_session(world.engine) as session:
        workflow.update_progress(
            session,
            by=world.secretariat,
            task_id=task,
            seen_version=1,
            status=TaskStatus.in_progress,
            progress=10,
        )
    at.number_input(key=f"progress:{task}:progress").set_value(60)
    at.text_area(key=f"progress:{task}:note").input("Cập nhật của đơn vị")
    submit(at, f"progress:{task}", "Lưu cập nhật")
    assert not at.exception
    assert any("vừa được Người dùng secretariat cập nhật lúc" in error.value for error in at.error)
    assert stored(world.engine, world.tasks["own"]).progress == 10, "the other person's save stands"
    assert at.text_area(key=f"progress:{task}:note").value == "Cập nhật của đơn vị"
    assert at.number_input(key=f"progress:{task}:progress").value == 60
    submit(at, f"progress:{task}", "Lưu cập nhật")
    assert stored(world.engine, world.tasks["own"]).progress == 60, (
        "a second save, having seen the change, goes through"
    )


def test_bulk_table_saves_many_progress_values_at_once(world: World) -> None:
    at = page_as(world.lead_staff, "pages/my_unit.py")
    # The table lists I.1 then I.2 (urgency order); AppTest cannot type into it.
    at.session_state["bulk_progress:edits"] = {
        "edited_rows": {0: {"progress": 30}, 1: {"progress": 80, "status": TaskStatus.in_progress.value}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    next(button for button in at.button if button.label == "Lưu 2 thay đổi").click().run()
    assert not at.exception
    assert stored(world.engine, world.tasks["own"]).progress == 30
    soon = stored(world.engine, world.tasks["soon"])
    assert (soon.status, soon.progress) == (TaskStatus.in_progress, 80)


def test_report_done_with_an_uploaded_file_stores_the_evidence(world: World) -> None:
    task = world.tasks["soon"].id
    at = open_card(page_as(world.lead_staff, "pages/my_unit.py"), task).run()
    at.text_input(key=f"done:{task}:reference").input("Kế hoạch số 123/KH-UBND ngày 12/5/2025")
    at.file_uploader(key=f"done:{task}:file").set_value(
        ("ke-hoach.pdf", b"%PDF-1.4 minh chung", "application/pdf")
    )
    submit(at, f"done:{task}", "Báo cáo hoàn thành")
    assert not at.exception
    assert stored(world.engine, world.tasks["soon"]).status == TaskStatus.reported_done
    with read_session(world.engine) as session:
        evidence = list(session.exec(select(Evidence).where(Evidence.task_id == task)))
    # What the report gave is one piece of evidence, and one history row names all of it.
    assert [(e.reference, e.file_name) for e in evidence] == [
        ("Kế hoạch số 123/KH-UBND ngày 12/5/2025", "ke-hoach.pdf")
    ]
    with read_session(world.engine) as session:
        rows = session.exec(select(StatusUpdate).where(StatusUpdate.task_id == task)).all()
    assert [(row.kind, row.evidence) for row in rows if row.evidence] == [
        (HistoryKind.status, "Kế hoạch số 123/KH-UBND ngày 12/5/2025 · ke-hoach.pdf")
    ]
    detail = page_as(world.secretariat, "pages/task.py", query={"task": str(task)}).run()
    assert [read(button.label) for button in detail.download_button] == ["Tải về ke-hoach.pdf (0,1 KB)"]


def test_an_evidence_download_is_read_on_click_and_never_served_as_a_page(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = b"<html><script>alert(1)</script></html>"
    with write_session(world.engine) as session:
        task_id = world.tasks["soon"].id or 0
        store_evidence(session, by=world.lead_staff, task_id=task_id, file_name="trang.html", data=page)
    served: list[tuple[Callable[[], Any], str | None]] = []
    register = MediaFileManager.add_deferred

    def remember(
        self: MediaFileManager, data: Callable[[], Any], mimetype: str | None, *args: Any, **kw: Any
    ) -> str:
        served.append((data, mimetype))
        return register(self, data, mimetype, *args, **kw)

    monkeypatch.setattr(MediaFileManager, "add_deferred", remember)
    detail = page_as(world.secretariat, "pages/task.py", query={"task": str(world.tasks["soon"].id)}).run()
    assert not detail.exception
    assert [read(button.label) for button in detail.download_button] == ["Tải về trang.html (0,1 KB)"]
    ((fetch, mimetype),) = served
    assert (fetch(), mimetype) == (page, "application/octet-stream")


def test_a_unit_account_sees_no_control_on_another_units_task(world: World) -> None:
    at = page_as(world.lead_staff, "pages/task.py", query={"task": str(world.tasks["foreign"].id)}).run()
    assert not at.exception
    assert "Nhiệm vụ III\\.1" in at.title[0].value
    assert at.form_submit_button.len == 0
    assert at.data_editor.len == 0


def test_a_coordinating_unit_records_its_part_and_a_note_but_not_the_leads_status(world: World) -> None:
    task = world.tasks["coordinated"].id
    at = page_as(world.lead_staff, "pages/task.py", query={"task": str(task)}).run()
    assert data_changing_buttons(at) == ["Ghi phần phối hợp"], (
        "its own part only: no progress, report, evidence"
    )
    assert at.radio(key=f"comment:{task}:kind").options == ["Ý kiến phối hợp"]
    at.text_area(key=f"comment:{task}:text").input("Sở KH&CN sẽ gửi số liệu trước 15/12")
    submit(at, f"comment:{task}", "Gửi ý kiến")
    at.radio(key=f"part:{task}:status").set_value(PartStatus.working)
    at.text_area(key=f"part:{task}:note").input("Đã gửi số liệu quý III")
    submit(at, f"part:{task}", "Ghi phần phối hợp")
    notes = [(row.kind, row.note) for row in history_of(world.engine, world.tasks["coordinated"])]
    assert notes == [
        (HistoryKind.coordination_note, "Sở KH&CN sẽ gửi số liệu trước 15/12"),
        (HistoryKind.coordination_part, "Đang phối hợp: Đã gửi số liệu quý III"),
    ]
    assert "Đang phối hợp" in texts(at)


def test_a_lead_asks_its_coordinator_for_input_and_the_request_reaches_its_attention(world: World) -> None:
    task = world.tasks["coordinated"].id
    with read_session(world.engine) as session:
        finance = session.exec(select(Unit).where(Unit.name == "Sở Tài chính")).one()
    lead = make_user(world.engine, Role.unit, finance, username="so_tai_chinh")
    at = page_as(lead, "pages/task.py", query={"task": str(task)}).run()
    assert at.selectbox(key=f"ask:{task}:unit").options == ["Sở Khoa học và Công nghệ"]
    at.text_area(key=f"ask:{task}:message").input("Cho ý kiến về số liệu hạ tầng")
    submit(at, f"ask:{task}", "Gửi yêu cầu phối hợp")
    assert not at.exception
    page = page_as(world.lead_staff, "pages/my_unit.py").run()
    asked = [box.value for box in page.warning if "Yêu cầu phối hợp" in box.value]
    assert len(asked) == 1 and "Cho ý kiến về số liệu hạ tầng" in asked[0]


def test_the_committee_sees_only_the_remark_form(world: World) -> None:
    at = page_as(world.committee, "pages/task.py", query={"task": str(world.tasks["own"].id)}).run()
    assert data_changing_buttons(at) == []
    assert at.radio(key=f"comment:{world.tasks['own'].id}:kind").options == ["Ý kiến", "Yêu cầu giải trình"]


def test_an_explanation_request_reaches_the_units_inbox(world: World) -> None:
    at = page_as(world.committee, "pages/task.py", query={"task": str(world.tasks["own"].id)}).run()
    at.radio(key=f"comment:{world.tasks['own'].id}:kind").set_value(HistoryKind.explanation_request)
    at.text_area(key=f"comment:{world.tasks['own'].id}:text").input("Đề nghị giải trình lý do chậm")
    submit(at, f"comment:{world.tasks['own'].id}", "Gửi ý kiến")
    unit_page = page_as(world.lead_staff, "pages/my_unit.py").run()
    assert any("Đề nghị giải trình lý do chậm" in warning.value for warning in unit_page.warning)


def report(world: World, task: Task) -> None:
    with write_session(world.engine) as session:
        workflow.report_done(
            session, by=world.lead_staff, task_id=task.id, seen_version=task.version, completed_on=today()
        )


def test_the_secretariat_confirms_a_reported_completion_from_the_queue(world: World) -> None:
    report(world, world.tasks["own"])
    at = page_as(world.secretariat, "pages/queue.py").run()
    assert not at.exception
    assert "Báo cáo hoàn thành chờ xác nhận (1)" in [tab.label for tab in at.tabs]
    submit(at, f"review:{world.tasks['own'].id}", "Xác nhận hoàn thành")
    saved = stored(world.engine, world.tasks["own"])
    assert (saved.status, saved.completed_on) == (TaskStatus.completed, today())
    assert "Không có báo cáo nào chờ xác nhận." in texts(at)


def test_a_returned_report_needs_a_reason_and_reaches_the_unit(world: World) -> None:
    report(world, world.tasks["own"])
    at = page_as(world.secretariat, "pages/queue.py").run()
    submit(at, f"review:{world.tasks['own'].id}", "Trả lại báo cáo")
    assert shown(at.error) == ["Cần ghi lý do trả lại báo cáo."]
    at.text_area(key=f"review:{world.tasks['own'].id}:note").input("Thiếu văn bản ban hành")
    submit(at, f"review:{world.tasks['own'].id}", "Trả lại báo cáo")
    assert stored(world.engine, world.tasks["own"]).status == TaskStatus.in_progress
    unit_page = page_as(world.lead_staff, "pages/my_unit.py").run()
    assert any("Thiếu văn bản ban hành" in warning.value for warning in unit_page.warning)


def test_the_secretariat_approves_an_extension_from_the_queue(world: World) -> None:
    new_deadline = today() + timedelta(days=40)
    with write_session(world.engine) as session:
        request_extension(
            session,
            by=world.lead_staff,
            task_id=world.tasks["own"].id,
            requested_deadline=new_deadline,
            reason="Chờ vốn",
        )
    at = page_as(world.secretariat, "pages/queue.py").run()
    with read_session(world.engine) as session:
        request = session.exec(select(ExtensionRequest)).one()
    submit(at, f"decide:{request.id}", "Đồng ý gia hạn")
    assert not at.exception
    saved = stored(world.engine, world.tasks["own"])
    assert (saved.deadline, saved.original_deadline) == (new_deadline, world.tasks["own"].deadline)
    # The unit reads the date now in force first, and the deadline the annex gave beside it.
    assert world.tasks["own"].deadline is not None
    shown = f"{new_deadline:%d/%m/%Y} (đã gia hạn; ban đầu: {world.tasks['own'].deadline:%d/%m/%Y})"
    for page in (
        open_card(page_as(world.lead_staff, "pages/my_unit.py"), saved.id),
        page_as(world.lead_staff, "pages/task.py", query={"task": str(saved.id)}),
    ):
        # Markdown escapes its punctuation with backslashes.
        assert shown in texts(page.run())


def test_the_task_page_explains_a_bad_or_unknown_address(world: World) -> None:
    at = page_as(world.committee, "pages/task.py", query={"task": "abc"}).run()
    assert "Địa chỉ không hợp lệ: 'abc' không phải mã số nhiệm vụ." in shown(at.error)
    at = page_as(world.committee, "pages/task.py", query={"task": "99999"}).run()
    assert not at.exception
    assert "99999" in read(at.error[0].value)


def test_the_task_page_without_an_address_offers_a_picker(world: World) -> None:
    at = page_as(world.committee, "pages/task.py").run()
    at.selectbox[0].set_value(world.tasks["foreign"].id).run()
    assert not at.exception
    assert at.query_params["task"] == str(world.tasks["foreign"].id)
    assert "Nhiệm vụ III\\.1" in at.title[-1].value
