import hashlib
import unicodedata
from datetime import date

import pytest
from sqlalchemy import Engine, func
from sqlmodel import select

from models import (
    HistoryKind,
    ImportBatch,
    Plan,
    Role,
    StatusUpdate,
    Task,
    TaskCoordinator,
    TaskStatus,
    Unit,
    UnitAlias,
)
from tests.support.annexes import HEADER, SMALL_TASKS, Row, annex, closing, csv_text, xls, xlsx
from tests.support.factories import make_unit, make_user
from tests.support.importing import preview, row_counts, run_import
from tracker.clock import now
from tracker.config import SAMPLE_PLAN
from tracker.db import read_session, write_session
from tracker.directory.units import unit_key
from tracker.errors import InvalidValue, PermissionDenied
from tracker.importer.apply import apply_import
from tracker.importer.preview import preview_import


def tasks_by_code(engine: Engine, plan_number: str = "12-KH/UBND") -> dict[str, Task]:
    with read_session(engine) as session:
        query = select(Task).join(Plan).where(Plan.number == plan_number)
        return {task.code: task for task in session.exec(query)}


def unit_names(engine: Engine, ids: list[int | None]) -> list[str]:
    with read_session(engine) as session:
        names = {unit.id: unit.name for unit in session.exec(select(Unit))}
    return [names[i] for i in ids if i is not None]


def coordinators(engine: Engine, task: Task) -> list[str]:
    with read_session(engine) as session:
        query = (
            select(TaskCoordinator.unit_id)
            .where(TaskCoordinator.task_id == task.id)
            .order_by(TaskCoordinator.position)  # type: ignore[arg-type]
        )
        return unit_names(engine, list(session.exec(query)))


def history(engine: Engine, task: Task) -> list[StatusUpdate]:
    with read_session(engine) as session:
        query = select(StatusUpdate).where(StatusUpdate.task_id == task.id).order_by(StatusUpdate.id)  # type: ignore[arg-type]
        return list(session.exec(query))


def test_the_sample_annex_imports_with_only_the_unreadable_deadline_to_warn_about(engine: Engine) -> None:
    data = SAMPLE_PLAN.read_bytes()
    result = run_import(engine, data, SAMPLE_PLAN.name)
    assert (result.created, result.updated, result.unchanged, result.missing) == (43, 0, 0, [])
    assert result.errors == []
    others = [w for w in result.warnings if "sẽ được tạo mới" not in w.message]
    assert [(w.row, w.column) for w in others] == [(36, "Thời gian hoàn thành")]
    assert "'Theo tiến độ dự án'" in others[0].message and "IV.6" in others[0].message
    tasks = tasks_by_code(engine, "45-KH/UBND")
    assert tasks["I.1"].deadline == date(2025, 3, 31)
    assert tasks["II.3"].deadline == date(2025, 6, 30)
    assert tasks["III.2"].deadline == date(2030, 12, 31)
    assert (tasks["I.2"].deadline, tasks["I.2"].recurring, tasks["I.2"].deadline_text) == (
        None,
        True,
        "Thường xuyên",
    )
    assert (tasks["IV.6"].deadline, tasks["IV.6"].deadline_text) == (None, "Theo tiến độ dự án")
    assert tasks["III.4.a"].group_title == "Phát triển hạ tầng số các ngành, lĩnh vực"
    assert tasks["III.4.a"].section_title == "PHÁT TRIỂN HẠ TẦNG SỐ"
    # "Sở KH&CN", "Sở Khoa học và Công nghệ", "Sở Khoa học & Công nghệ": one unit, named in full.
    science = {tasks[code].lead_unit_id for code in ("II.1.1", "II.1.3", "III.1", "V.2")}
    assert unit_names(engine, list(science)) == ["Sở Khoa học và Công nghệ"]
    assert (
        unit_names(engine, [tasks[c].lead_unit_id for c in ("IV.1", "IV.3", "IX.1")])
        == ["Văn phòng Ủy ban nhân dân tỉnh"] * 3
    )
    assert coordinators(engine, tasks["III.2"]) == ["Sở Tài chính", "Sở Xây dựng"]
    assert coordinators(engine, tasks["II.2"]) == ["Các sở, ban, ngành"]
    assert coordinators(engine, tasks["IV.2"]) == ["UBND các huyện, thị xã, thành phố", "Các sở, ban, ngành"]
    with read_session(engine) as session:
        plan = session.exec(select(Plan)).one()
        batch = session.exec(select(ImportBatch)).one()
        created = session.exec(select(StatusUpdate).where(StatusUpdate.kind == HistoryKind.created)).all()
    assert (plan.number, plan.issuer, plan.issued_on) == (
        "45-KH/UBND",
        "Ủy ban nhân dân tỉnh Bình An",
        date(2025, 3, 10),
    )
    assert (batch.created, batch.errors, batch.sha256) == (43, 0, hashlib.sha256(data).hexdigest())
    assert len(created) == 43
    assert {(row.status, row.progress) for row in created} == {(TaskStatus.not_started, 0)}


def test_importing_the_same_file_again_creates_nothing(engine: Engine) -> None:
    data = SAMPLE_PLAN.read_bytes()
    run_import(engine, data, SAMPLE_PLAN.name)
    before = row_counts(engine)
    again = run_import(engine, data, SAMPLE_PLAN.name)
    assert (again.created, again.updated, again.unchanged, again.missing) == (0, 0, 43, [])
    after = row_counts(engine)
    assert after["importbatch"] == before["importbatch"] + 1
    assert {k: v for k, v in after.items() if k != "importbatch"} == {
        k: v for k, v in before.items() if k != "importbatch"
    }


def _report_progress(engine: Engine, task: Task, status: TaskStatus, progress: int) -> None:
    """What a unit does through the workflow, written directly: the import must not care how."""
    with write_session(engine) as session:
        stored = session.get(Task, task.id)
        assert stored is not None
        stored.status, stored.progress = status, progress
        stored.completed_on = date(2025, 5, 20) if status == TaskStatus.completed else None
        session.add(stored)
        session.add(
            StatusUpdate(
                task_id=stored.id,
                kind=HistoryKind.status,
                status=status,
                progress=progress,
                completed_on=stored.completed_on,
                effective_on=date(2025, 5, 20),
                note="Đã triển khai",
                recorded_at=now(),
            )
        )


def test_a_revised_annex_updates_adds_and_reports_missing_tasks_but_keeps_unit_reports(
    engine: Engine,
) -> None:
    run_import(engine, xlsx(annex(SMALL_TASKS)))
    first = tasks_by_code(engine)
    _report_progress(engine, first["I.1"], TaskStatus.in_progress, 40)
    _report_progress(engine, first["II.1"], TaskStatus.completed, 100)
    kept_history = {code: [row.id for row in history(engine, first[code])] for code in ("I.1", "II.1")}
    revised: list[Row] = [
        ["I", "HOÀN THIỆN THỂ CHẾ"],
        [1, "Ban hành quy chế quản lý dữ liệu", "Sở Nội vụ", "Công an tỉnh; Sở Tư pháp", "Quý III/2025",
         "Quyết định"],
        [2, "Rà soát, đơn giản hóa thủ tục hành chính", "Văn phòng UBND tỉnh", "Các sở, ban, ngành",
         "Tháng 9/2025", "Báo cáo"],
        ["II", "HẠ TẦNG SỐ"],
        [1, "Phủ sóng 5G", "Sở Khoa học và Công nghệ", "", "2025-2027", "Trạm 5G"],
        [3, "Nền tảng dữ liệu dùng chung", "Sở KH&CN", "", "Quý IV/2026", "Nền tảng"],
    ]  # fmt: skip
    result = run_import(engine, xlsx(annex(revised)))
    assert (result.created, result.updated, result.unchanged, result.missing) == (1, 2, 1, ["II.2"])
    tasks = tasks_by_code(engine)
    assert set(tasks) == {"I.1", "I.2", "II.1", "II.2", "II.3"}
    one = tasks["I.1"]
    assert (one.status, one.progress, one.deadline, one.deadline_text) == (
        TaskStatus.in_progress,
        40,
        date(2025, 9, 30),
        "Quý III/2025",
    )
    assert unit_names(engine, [one.lead_unit_id]) == ["Sở Nội vụ"]
    assert one.version == first["I.1"].version + 1
    done = tasks["II.1"]
    assert (done.status, done.progress, done.completed_on, done.version) == (
        TaskStatus.completed,
        100,
        date(2025, 5, 20),
        first["II.1"].version,
    )
    for code, ids in kept_history.items():
        assert [row.id for row in history(engine, tasks[code])][: len(ids)] == ids
    changes = [
        (r.field, r.old_value, r.new_value)
        for r in history(engine, one)
        if r.kind == HistoryKind.import_update
    ]
    assert changes == [
        ("lead_unit_id", "Sở Khoa học và Công nghệ", "Sở Nội vụ"),
        ("deadline", "2025-06-30", "2025-09-30"),
        ("deadline_text", "Quý II/2025", "Quý III/2025"),
    ]
    assert [r.field for r in history(engine, tasks["I.2"]) if r.kind == HistoryKind.import_update] == [
        "title"
    ]
    assert history(engine, tasks["II.1"])[-1].kind == HistoryKind.status
    assert tasks["II.2"].title == "Trung tâm dữ liệu tỉnh"


def test_two_plans_with_the_same_codes_stay_apart(engine: Engine) -> None:
    other: list[Row] = [
        ["I", "BÌNH DÂN HỌC VỤ SỐ"],
        [1, "Phổ cập kỹ năng số cho người dân", "Sở GD&ĐT", "Tỉnh đoàn", "Năm 2025", "Lớp học"],
    ]
    run_import(engine, xlsx(annex(SMALL_TASKS, number="12-KH/UBND")))
    run_import(engine, xlsx(annex(other, number="7-KH/TU")))
    before = tasks_by_code(engine, "7-KH/TU")["I.1"]
    revised = [list(row) for row in SMALL_TASKS]
    revised[1][1] = "Ban hành quy chế quản lý, chia sẻ dữ liệu"
    result = run_import(engine, xlsx(annex(revised, number="12-KH/UBND")))
    assert (result.created, result.updated, result.unchanged, result.missing) == (0, 1, 3, [])
    assert tasks_by_code(engine, "12-KH/UBND")["I.1"].title == "Ban hành quy chế quản lý, chia sẻ dữ liệu"
    after = tasks_by_code(engine, "7-KH/TU")["I.1"]
    assert (after.title, after.version, after.updated_at) == (before.title, before.version, before.updated_at)
    assert len(tasks_by_code(engine, "7-KH/TU")) == 1


def test_rows_with_errors_refuse_the_import_unless_the_user_skips_them(engine: Engine) -> None:
    rows: list[Row] = [
        *SMALL_TASKS,
        [2, "Mã trùng với dòng trên", "Sở Y tế", "", "Năm 2025", ""],
        [3, "", "Sở Y tế", "", "Năm 2025", "Báo cáo"],
    ]
    data = xlsx(annex(rows))
    found = preview(engine, data)
    assert [(p.row, p.column, p.message) for p in found.errors] == [
        (16, "STT", "Dòng 16: mã 'II.2' trùng với dòng 15."),
        (17, "Nội dung nhiệm vụ", "Dòng 17: mã 'II.3' không có nội dung."),
    ]
    before = row_counts(engine)
    with pytest.raises(InvalidValue, match=r"2 lỗi \(dòng 16, 17\)"):
        run_import(engine, data)
    assert row_counts(engine) == before
    result = run_import(engine, data, skip_errors=True)
    assert (result.created, len(result.errors)) == (4, 2)
    assert tasks_by_code(engine)["II.2"].title == "Trung tâm dữ liệu tỉnh"


def test_an_unknown_unit_mapped_to_an_existing_one_is_remembered(engine: Engine) -> None:
    science = make_unit(engine, "Sở Khoa học và Công nghệ")
    rows: list[Row] = [[1, "Xây dựng nền tảng", "Sở KHCN tỉnh Bình An", "", "Năm 2025", ""]]
    data = xlsx(annex(rows))
    assert preview(engine, data).unknown_units == ["Sở KHCN tỉnh Bình An"]
    run_import(engine, data, unit_mapping={"Sở KHCN tỉnh Bình An": science.id})
    with read_session(engine) as session:
        assert session.exec(select(func.count()).select_from(Unit)).one() == 1
        alias = session.exec(select(UnitAlias)).one()
    assert (alias.unit_id, alias.key) == (science.id, unit_key("Sở KHCN tỉnh Bình An"))
    assert tasks_by_code(engine)["1"].lead_unit_id == science.id
    again = preview(engine, data)
    assert again.unknown_units == []
    assert again.rows[0].lead_unit_match == "Sở Khoa học và Công nghệ"


def test_an_extended_deadline_survives_reimports_of_the_annex(engine: Engine) -> None:
    run_import(engine, xlsx(annex(SMALL_TASKS)))
    task = tasks_by_code(engine)["I.1"]
    with write_session(engine) as session:
        stored = session.get(Task, task.id)
        assert stored is not None
        stored.original_deadline, stored.deadline = stored.deadline, date(2025, 12, 31)
        session.add(stored)
    assert run_import(engine, xlsx(annex(SMALL_TASKS))).unchanged == 4
    revised = [list(row) for row in SMALL_TASKS]
    revised[1][4] = "Quý III/2025"
    assert run_import(engine, xlsx(annex(revised))).updated == 1
    after = tasks_by_code(engine)["I.1"]
    assert (after.deadline, after.original_deadline) == (date(2025, 12, 31), date(2025, 9, 30))
    fields = [(r.field, r.new_value) for r in history(engine, after) if r.kind == HistoryKind.import_update]
    assert fields == [("original_deadline", "2025-09-30"), ("deadline_text", "Quý III/2025")]


def test_a_preview_writes_nothing(engine: Engine) -> None:
    before = row_counts(engine)
    found = preview(engine, SAMPLE_PLAN.read_bytes(), SAMPLE_PLAN.name)
    assert found.count("created") == 43
    assert row_counts(engine) == before
    frame = found.to_frame()
    assert len(frame) == 43
    assert frame.loc[frame["code"] == "IV.6", "deadline_text"].item() == "Theo tiến độ dự án"


def _cp1258(text: str) -> bytes:
    """TEXT as Vietnamese Windows saves it: base letters precomposed, tone marks combining."""
    out = b""
    for char in text:
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            base, *marks = unicodedata.normalize("NFD", char)
            tones = [m for m in marks if m in "\u0300\u0301\u0303\u0309\u0323"]
            rest = "".join(m for m in marks if m not in tones)
            out += (unicodedata.normalize("NFC", base + rest) + "".join(tones)).encode("cp1258")
    return out


@pytest.mark.parametrize(
    "encode",
    [
        lambda text: text.encode("utf-8-sig"),
        lambda text: text.encode("utf-8"),
        _cp1258,
    ],
    ids=["utf8-bom", "utf8", "cp1258"],
)
def test_a_csv_export_imports_like_the_workbook(engine: Engine, encode: object) -> None:
    data = encode(csv_text(annex(SMALL_TASKS)))  # type: ignore[operator]
    result = run_import(engine, data, "phu-luc.csv")
    assert (result.created, result.errors) == (4, [])
    tasks = tasks_by_code(engine)
    assert tasks["I.2"].title == "Rà soát thủ tục hành chính"
    assert unicodedata.is_normalized("NFC", tasks["I.2"].title)
    assert tasks["II.1"].deadline == date(2027, 12, 31)
    assert coordinators(engine, tasks["II.2"]) == ["Sở Khoa học và Công nghệ", "Sở Xây dựng"]


def test_an_excel_97_workbook_imports_like_the_workbook(engine: Engine) -> None:
    tasks = [
        *SMALL_TASKS,
        ["III", "NHÂN LỰC SỐ"],
        [1, "Bồi dưỡng kỹ năng số cho cán bộ", "Sở Nội vụ", "", date(2025, 10, 15), "Lớp bồi dưỡng"],
        [2, "Tập huấn an toàn thông tin", "", "", "", "Lớp tập huấn"],
    ]
    rows = annex(tasks)
    last = len(rows) - len(closing()) - 1
    # The last task shares the lead unit of the one above it, in one merged cell.
    data = xls(rows, merges=[(last - 1, last, 2, 2)])
    assert data.startswith(b"\xd0\xcf\x11\xe0")
    result = run_import(engine, data, "phu-luc.xls")
    assert (result.created, result.errors) == (6, [])
    stored = tasks_by_code(engine)
    assert list(stored) == ["I.1", "I.2", "II.1", "II.2", "III.1", "III.2"]
    assert (stored["I.1"].deadline, stored["II.2"].recurring) == (date(2025, 6, 30), True)
    assert (stored["III.1"].deadline, stored["III.1"].deadline_text) == (date(2025, 10, 15), "15/10/2025")
    assert unit_names(engine, [stored["III.2"].lead_unit_id]) == ["Sở Nội vụ"]
    assert coordinators(engine, stored["II.2"]) == ["Sở Khoa học và Công nghệ", "Sở Xây dựng"]


def test_old_tone_marks_and_decomposed_names_match_existing_units(engine: Engine) -> None:
    committee = make_unit(engine, "Ủy ban nhân dân tỉnh")
    name = unicodedata.normalize("NFD", "Uỷ ban nhân dân tỉnh")
    found = preview(engine, xlsx([HEADER, [1, "Chỉ đạo chung", name, "", "Năm 2025", ""]]))
    assert found.unknown_units == []
    assert found.rows[0].lead_unit_match == committee.name


def test_a_file_without_a_title_block_goes_into_a_plan_named_after_the_file(engine: Engine) -> None:
    data = xlsx([HEADER, [1, "Việc một", "Sở Y tế", "", "Năm 2025", ""]])
    assert preview(engine, data, "ke-hoach-y-te.xlsx").plan.number == "ke-hoach-y-te"
    assert run_import(engine, data, "ke-hoach-y-te.xlsx").plan_number == "ke-hoach-y-te"
    assert run_import(engine, data, "bat-ky.xlsx", plan_number="9-KH/SYT").plan_number == "9-KH/SYT"
    with read_session(engine) as session:
        assert sorted(session.exec(select(Plan.number))) == ["9-KH/SYT", "ke-hoach-y-te"]


def test_rows_without_numbers_are_matched_by_their_content(engine: Engine) -> None:
    header = ["Nội dung nhiệm vụ", "Cơ quan chủ trì", "Thời hạn", "Sản phẩm"]
    rows: list[Row] = [["Việc một", "Sở Y tế", "Năm 2025", ""], ["Việc hai", "Sở Nội vụ", "Năm 2026", ""]]
    run_import(engine, xlsx([header, *rows]))
    inserted: list[Row] = [["Việc mới chen vào", "Sở Tài chính", "Năm 2025", ""], *rows]
    inserted[2] = ["Việc hai", "Sở Nội vụ", "Năm 2027", ""]
    result = run_import(engine, xlsx([header, *inserted]), "phu-luc.xlsx")
    assert (result.created, result.updated, result.unchanged) == (1, 1, 1)
    titles = {code: task.title for code, task in tasks_by_code(engine, "phu-luc").items()}
    assert titles == {"1": "Việc một", "2": "Việc hai", "3": "Việc mới chen vào"}


def test_only_the_secretariat_may_import(engine: Engine) -> None:
    unit = make_unit(engine, "Sở Y tế")
    staff = make_user(engine, Role.unit, unit)
    secretariat = make_user(engine, Role.secretariat)
    data = xlsx(annex(SMALL_TASKS))
    with write_session(engine) as session, pytest.raises(PermissionDenied, match="nhập kế hoạch"):
        apply_import(
            session,
            preview=preview_import(session, data=data, file_name="a.xlsx"),
            by=staff,
            skip_errors=False,
        )
    with write_session(engine) as session:
        found = preview_import(session, data=data, file_name="a.xlsx")
        batch = apply_import(session, preview=found, by=secretariat, skip_errors=False).batch_id
    with read_session(engine) as session:
        stored = session.get(ImportBatch, batch)
        assert stored is not None and stored.user_id == secretariat.id
