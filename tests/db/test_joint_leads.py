"""A national-style annex: joint leads, coordinator lists with collectives, a blank plan number."""

from __future__ import annotations

import json
from datetime import date, timedelta
from io import BytesIO
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlalchemy import Engine
from sqlmodel import select

from models import Role, Task, TaskLead, Unit, UnitKind
from tests.support.annexes import HEADER, PROGRAMME_TASKS, national_annex, xlsx
from tests.support.factories import make_user, run_cli
from tests.support.importing import preview, run_import
from tracker.clock import today
from tracker.coordination.writes import request_input
from tracker.db import read_session, write_session
from tracker.directory.accounts import create_user
from tracker.directory.units import find_unit, merge_units, rename_unit
from tracker.errors import InvalidValue, PermissionDenied
from tracker.reports.content import build_report
from tracker.reports.docx import write_docx
from tracker.reports.xlsx import write_xlsx
from tracker.tasks.workflow import update_progress
from tracker.views.breakdowns import NO_LEAD_UNIT, unit_table
from tracker.views.queries import classified_tasks

PLAN = "/NQ-CP"  # the number is left blank in the title block: "Nghị quyết số    /NQ-CP"
# Every body the annex names, once each, none two bodies joined.
UNITS = {
    "Bộ Công an": UnitKind.unit,
    "Bộ Công Thương": UnitKind.unit,
    "Bộ Giáo dục và Đào tạo": UnitKind.unit,
    "Bộ Kế hoạch và Đầu tư": UnitKind.unit,
    "Bộ Khoa học và Công nghệ": UnitKind.unit,
    "Bộ Lao động - Thương binh và Xã hội": UnitKind.unit,
    "Bộ Nội vụ": UnitKind.unit,
    "Bộ Quốc phòng": UnitKind.unit,
    "Bộ Tài chính": UnitKind.unit,
    "Bộ Tư pháp": UnitKind.unit,
    "Bộ Văn hóa, Thể thao và Du lịch": UnitKind.unit,
    "các bộ, ngành": UnitKind.collective,
    "Các bộ, ngành, địa phương": UnitKind.collective,
    "các bộ, ngành và địa phương": UnitKind.collective,
    "các cơ quan liên quan": UnitKind.collective,
    "Các doanh nghiệp viễn thông": UnitKind.collective,
    "các địa phương": UnitKind.collective,
    "Ngân hàng Nhà nước Việt Nam": UnitKind.unit,
    "UBND các tỉnh, thành phố": UnitKind.collective,
}


@pytest.fixture
def imported(engine: Engine) -> Engine:
    run_import(engine, xlsx(national_annex()), "phu-luc-final (2).xlsx")
    return engine


def _task(engine: Engine, code: str) -> Task:
    with read_session(engine) as session:
        return session.exec(select(Task).where(Task.code == code)).one()


def _leads(engine: Engine, code: str) -> list[str]:
    with read_session(engine) as session:
        query = (
            select(Unit.name)
            .join(TaskLead, TaskLead.unit_id == Unit.id)  # type: ignore[arg-type]
            .join(Task, Task.id == TaskLead.task_id)  # type: ignore[arg-type]
            .where(Task.code == code)
            .order_by(TaskLead.position)  # type: ignore[arg-type]
        )
        return list(session.exec(query))


def _unit(engine: Engine, name: str) -> Unit:
    with read_session(engine) as session:
        unit = find_unit(session, name)
    assert unit is not None
    return unit


def test_the_plan_comes_from_the_title_block_even_with_a_blank_number(engine: Engine) -> None:
    found = preview(engine, xlsx(national_annex()), "phu-luc-final (2).xlsx")
    assert found.plan_from_file
    assert found.plan.number == PLAN
    assert found.plan.title == "DANH MỤC CÁC NHIỆM VỤ THỰC HIỆN NGHỊ QUYẾT SỐ 57-NQ/TW"
    assert (found.plan.issuer, found.plan.issued_on) == ("Chính phủ", None)


def test_a_numbered_title_block_gives_number_and_date(engine: Engine) -> None:
    rows = national_annex(number="03/NQ-CP")
    rows[5] = ["(Kèm theo Nghị quyết số 03/NQ-CP ngày 09 tháng 01 năm 2025 của Chính phủ)"]
    found = preview(engine, xlsx(rows), "ban-cuoi.xlsx")
    assert (found.plan.number, found.plan.issued_on) == ("03/NQ-CP", date(2025, 1, 9))


def test_no_stored_unit_is_two_bodies_joined(imported: Engine) -> None:
    with read_session(imported) as session:
        stored = {unit.name: unit.kind for unit in session.exec(select(Unit))}
    assert stored == UNITS


# Every body the programme's annex names, none two bodies joined; collectives of every level.
PROGRAMME_UNITS = {
    "Ban Cơ yếu Chính phủ": "unit",
    "Bảo hiểm xã hội Việt Nam": "unit",
    "Bộ Công an": "unit",
    "Bộ Giáo dục và Đào tạo": "unit",
    "Bộ Kế hoạch và Đầu tư": "unit",
    "Bộ Khoa học và Công nghệ": "unit",
    "Bộ Lao động - Thương binh và Xã hội": "unit",
    "Bộ Nội vụ": "unit",
    "Bộ Quốc phòng": "unit",
    "Bộ Tài chính": "unit",
    "Bộ Thông tin và Truyền thông": "unit",
    "Bộ Văn hóa, Thể thao và Du lịch": "unit",
    "các bộ, ngành, địa phương": "collective",
    "các cơ quan liên quan": "collective",
    "Các cơ sở giáo dục đại học": "collective",
    "các địa phương": "collective",
    "Đại học Quốc gia Hà Nội": "unit",
    "Đài Tiếng nói Việt Nam": "unit",
    "Đài Truyền hình Việt Nam": "unit",
    "Kiểm toán nhà nước": "unit",
    "Liên hiệp các Hội Khoa học và Kỹ thuật Việt Nam": "unit",
    "Tập đoàn Bưu chính Viễn thông Việt Nam": "unit",
    "Tập đoàn Công nghiệp - Viễn thông Quân đội": "unit",
    "Thông tấn xã Việt Nam": "unit",
    "Tổng Liên đoàn Lao động Việt Nam": "unit",
    "Trung ương Đoàn Thanh niên Cộng sản Hồ Chí Minh": "unit",
    "UBND cấp tỉnh, cấp huyện": "collective",
    "Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam": "unit",
    "Văn phòng Chính phủ": "unit",
    "Viện Hàn lâm Khoa học và Công nghệ Việt Nam": "unit",
    "Viện Hàn lâm Khoa học xã hội Việt Nam": "unit",
}


def test_a_programme_annex_imported_from_the_shell_stores_no_two_bodies_as_one(
    engine: Engine, database_url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    annex = tmp_path / "phu-luc-chuong-trinh.xlsx"
    annex.write_bytes(xlsx(national_annex(PROGRAMME_TASKS)))
    code, out, err = run_cli(database_url, capsys, "import", str(annex), "--json")
    assert (code, json.loads(out)["created"]) == (0, 7), err
    code, out, _ = run_cli(database_url, capsys, "units", "--json")
    assert code == 0
    assert {unit["name"]: unit["kind"] for unit in json.loads(out)} == PROGRAMME_UNITS
    code, out, _ = run_cli(database_url, capsys, "tasks", "--json")
    leads = {task["code"]: task["lead_units"] for task in json.loads(out)}
    assert leads["I.2"] == ["Bộ Thông tin và Truyền thông", "Trung ương Đoàn Thanh niên Cộng sản Hồ Chí Minh"]


@pytest.mark.parametrize(
    ("code", "leads"),
    [
        ("I.1", ["Bộ Khoa học và Công nghệ", "các địa phương"]),
        ("II.1", ["Bộ Tài chính", "Bộ Công Thương"]),
        ("II.2", ["Bộ Khoa học và Công nghệ", "Bộ Tài chính"]),
        ("II.3", ["Bộ Tài chính", "Bộ Kế hoạch và Đầu tư"]),
        ("III.1", ["Bộ Khoa học và Công nghệ", "UBND các tỉnh, thành phố"]),
    ],
    ids=["va-collective", "comma", "semicolon", "va", "comma-collective"],
)
def test_every_joint_lead_is_kept_in_order(imported: Engine, code: str, leads: list[str]) -> None:
    assert _leads(imported, code) == leads
    assert _task(imported, code).lead_unit_id == _unit(imported, leads[0]).id


def test_a_lead_also_named_as_coordinator_is_kept_in_both_with_a_warning(engine: Engine) -> None:
    found = preview(engine, xlsx(national_annex()))
    row = next(row for row in found.rows if row.code == "II.3")
    assert row.lead_units == ["Bộ Tài chính", "Bộ Kế hoạch và Đầu tư"]
    assert row.coordinators == ["Bộ Tài chính", "Bộ Khoa học và Công nghệ", "các cơ quan liên quan"]
    assert any("'Bộ Tài chính' vừa chủ trì vừa phối hợp nhiệm vụ II.3" in w.message for w in found.warnings)


def test_from_a_year_onwards_is_recurring_and_never_overdue(imported: Engine) -> None:
    task = _task(imported, "I.2")
    assert (task.recurring, task.deadline, task.deadline_text) == (
        True,
        date(2025, 12, 31),
        "2025 và những năm tiếp theo",
    )
    with read_session(imported) as session:
        classified = classified_tasks(session, as_of=date(2027, 1, 1), due_soon_days=7).set_index("code")
    assert classified.loc["I.2", "task_class"] == "recurring"


def test_each_joint_lead_may_update_the_task_and_counts_it(imported: Engine) -> None:
    second = make_user(imported, Role.unit, _unit(imported, "Bộ Công Thương"))
    task = _task(imported, "II.1")
    with write_session(imported) as session:
        update_progress(
            session, by=second, task_id=task.id, seen_version=task.version, status="in_progress", progress=30
        )
    assert _task(imported, "II.1").progress == 30
    with read_session(imported) as session:
        table = unit_table(classified_tasks(session, as_of=today(), due_soon_days=7)).set_index("lead_unit")
    assert (table.loc["Bộ Tài chính", "total"], table.loc["Bộ Công Thương", "total"]) == (3, 1)
    # Joint leads count the task each: the per-unit totals exceed the plan's 6 tasks.
    assert table["total"].sum() > 6
    assert not set(table.index) & {name for name, kind in UNITS.items() if kind == UnitKind.collective}


def test_a_coordinator_is_not_a_lead(imported: Engine) -> None:
    coordinator = make_user(imported, Role.unit, _unit(imported, "Bộ Tư pháp"))
    task = _task(imported, "I.2")
    with write_session(imported) as session, pytest.raises(PermissionDenied):
        update_progress(
            session,
            by=coordinator,
            task_id=task.id,
            seen_version=1,
            status="in_progress",
            progress=5,
        )


def test_tasks_json_lists_every_lead(
    imported: Engine, database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run_cli(database_url, capsys, "tasks", "--json", "--unit", "Bộ Công Thương")
    tasks = json.loads(out)
    assert code == 0
    assert [(task["code"], task["lead_unit"], task["lead_units"]) for task in tasks] == [
        ("II.1", "Bộ Tài chính", ["Bộ Tài chính", "Bộ Công Thương"])
    ]


def test_units_json_gives_kind_aliases_and_counts_in_vietnamese_order(
    imported: Engine, database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run_cli(database_url, capsys, "units", "--json")
    units = json.loads(out)
    assert code == 0
    assert all(
        list(unit) == ["name", "short_name", "kind", "aliases", "leads", "coordinates"] for unit in units
    )
    by_name = {unit["name"]: unit for unit in units}
    assert by_name["Bộ Tài chính"] == {
        "name": "Bộ Tài chính",
        "short_name": "",
        "kind": "unit",
        "aliases": [],
        "leads": 3,
        "coordinates": 1,
    }
    assert by_name["các bộ, ngành"]["kind"] == "collective"
    names = [unit["name"] for unit in units]
    # Vietnamese order: "Bộ Công an" before "Bộ Công Thương" (case apart), "các" before "Ngân hàng".
    assert names.index("Bộ Công an") < names.index("Bộ Công Thương") < names.index("Bộ Giáo dục và Đào tạo")
    assert (
        names.index("Các doanh nghiệp viễn thông")
        < names.index("các địa phương")
        < names.index("Ngân hàng Nhà nước Việt Nam")
    )


def test_no_account_belongs_to_a_collective(imported: Engine) -> None:
    secretariat = make_user(imported, Role.secretariat)
    collective = _unit(imported, "các địa phương")
    with write_session(imported) as session, pytest.raises(InvalidValue, match="nhiều cơ quan"):
        create_user(
            session,
            by=secretariat,
            username="dia-phuong",
            role="unit",
            password="mat-khau-dai-du-12",
            unit_id=collective.id,
        )


def test_merging_one_joint_lead_into_the_other_leaves_one_lead(imported: Engine) -> None:
    secretariat = make_user(imported, Role.secretariat)
    source, target = _unit(imported, "Bộ Công Thương"), _unit(imported, "Bộ Tài chính")
    with write_session(imported) as session:
        merge_units(session, by=secretariat, source_id=source.id or 0, target_id=target.id or 0)
    assert _leads(imported, "II.1") == ["Bộ Tài chính"]


def test_a_lead_cell_of_one_body_with_commas_inside_stays_one_lead(engine: Engine) -> None:
    rows = [HEADER, [1, "Lễ hội", "Sở Văn hóa, Thể thao và Du lịch", "", "Năm 2025", ""]]
    run_import(engine, xlsx(rows), plan_number="1-KH/UBND")
    assert _leads(engine, "1") == ["Sở Văn hóa, Thể thao và Du lịch"]


SCIENCE = "Bộ Khoa học và Công nghệ"


def test_a_revised_annex_previews_its_changes_first(imported: Engine) -> None:
    revised = [list(row) for row in national_annex()]
    titles = [row[1] if len(row) > 1 else "" for row in revised]
    first, last = (
        titles.index("Tổ chức quán triệt, tuyên truyền Nghị quyết"),
        titles.index("Phủ sóng 5G toàn quốc"),
    )
    revised[first][4] = "Quý IV/2026"
    revised[first][2] = "Bộ Khoa học và Công nghệ; Bộ Nội vụ"
    del revised[last]
    revised.insert(last, [2, "Nền tảng số quốc gia", "Bộ Công an", "", "2026", "Nền tảng"])
    revised.insert(
        last, [1, "Phủ sóng 5G toàn quốc", "Bộ Khoa học và Công nghệ", "", "2025 - 2026", "Trạm 5G"]
    )
    found = preview(imported, xlsx(revised))
    changes = found.changes_frame()
    assert changes[["action", "code", "field", "old", "new"]].values.tolist() == [
        ["created", "III.2", "", "", ""],
        ["updated", "I.1", "lead_unit_ids", f"{SCIENCE}; các địa phương", f"{SCIENCE}; Bộ Nội vụ"],
        ["updated", "I.1", "deadline", "2025-03-31", "2026-12-31"],
        ["updated", "I.1", "deadline_text", "Quý I/2025", "Quý IV/2026"],
        ["updated", "III.1", "lead_unit_ids", f"{SCIENCE}; UBND các tỉnh, thành phố", SCIENCE],
        ["updated", "III.1", "coordinator_unit_ids", "Các doanh nghiệp viễn thông; Bộ Quốc phòng", ""],
    ]  # fmt: skip
    assert found.count("unchanged") == 4, "unchanged rows are not listed"


def test_the_report_says_why_per_unit_totals_exceed_the_plans_and_lists_coordination(
    imported: Engine,
) -> None:
    lead = make_user(imported, Role.unit, _unit(imported, "Bộ Giáo dục và Đào tạo"))
    justice = _unit(imported, "Bộ Tư pháp")
    task = _task(imported, "I.2")
    with write_session(imported) as session:
        request_input(
            session, by=lead, task_id=task.id or 0, unit_id=justice.id or 0, due_on=today(), message="Góp ý"
        )
    with read_session(imported) as session:
        report = build_report(session, as_of=today() + timedelta(days=1), due_soon_days=7)
    assert report.units.note == (
        # II.1, II.2 and II.3; I.1's and III.1's second leads are collectives, counting no task.
        "3 nhiệm vụ có nhiều đơn vị đồng chủ trì được tính cho từng đơn vị, nên tổng số theo đơn vị "
        "lớn hơn tổng số nhiệm vụ của kế hoạch."
    )
    assert report.units.rows["total"].sum() > report.summary.total
    assert report.coordination.rows[["unit", "received", "answered", "overdue"]].values.tolist() == [
        ["Bộ Tư pháp", 1, 0, 1]
    ]
    assert "Phối hợp" in [table.sheet for table in report.tables()]
    # The files say so too, above the per-unit table.
    paragraphs = [paragraph.text for paragraph in Document(BytesIO(write_docx(report))).paragraphs]
    assert report.units.note in paragraphs
    book = load_workbook(BytesIO(write_xlsx(report)))
    assert report.units.note in [cell.value for sheet in book for row in sheet.iter_rows() for cell in row]


def test_a_task_led_by_a_collective_only_counts_in_no_ranked_row(engine: Engine) -> None:
    rows = [
        HEADER,
        [1, "Số hóa hồ sơ", "Các sở, ban, ngành", "", "Quý I/2025", ""],
        [2, "Cổng dữ liệu", "Sở Tài chính", "", "Quý I/2025", ""],
    ]
    run_import(engine, xlsx(rows), plan_number="1-KH/UBND")
    with read_session(engine) as session:
        report = build_report(session, as_of=today() + timedelta(days=1), due_soon_days=7)
    ranks = dict(zip(report.units.rows["lead_unit"], report.units.rows["rank_text"], strict=True))
    assert ranks == {"Sở Tài chính": 1, NO_LEAD_UNIT: "Không xếp hạng"}


def test_a_renamed_unit_takes_the_kind_its_new_name_reads_as(imported: Engine) -> None:
    secretariat = make_user(imported, Role.secretariat)
    collective = _unit(imported, "UBND các tỉnh, thành phố")
    with write_session(imported) as session:
        renamed = rename_unit(session, by=secretariat, unit_id=collective.id or 0, name="UBND tỉnh Quảng Trị")
        assert renamed.kind == UnitKind.unit
