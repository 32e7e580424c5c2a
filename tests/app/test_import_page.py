"""The secretariat imports an annex through the page: preview, choices, commit, history."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine, func
from sqlmodel import select
from streamlit.testing.v1 import AppTest

from models import ImportBatch, Plan, Role, Task, Unit, UnitAlias
from tests.support.annexes import SMALL_TASKS, annex, national_annex, xlsx
from tests.support.apptest import page_as, read, shown, texts
from tests.support.factories import make_unit, make_user
from tests.support.importing import run_import
from tracker.config import SAMPLE_PLAN
from tracker.db import open_database, read_session

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A plain CSV as a Vietnamese-locale Excel exports it: semicolons, no title block.
SMALL_CSV = "\n".join(
    [
        "STT;Nội dung nhiệm vụ;Cơ quan chủ trì;Cơ quan phối hợp;Thời gian hoàn thành;Sản phẩm",
        "1;Xây dựng kho dữ liệu dùng chung;Sở KHCN tỉnh Bình An;;Quý II/2025;Kho dữ liệu",
        "2;;Sở Tài chính;;2025;",
        "3;Đào tạo kỹ năng số;Sở Tài chính;;Thường xuyên;Lớp tập huấn",
    ]
).encode("utf-8-sig")


@pytest.fixture
def app_engine(app_url: str) -> Engine:
    return open_database(app_url)


def upload(engine: Engine, name: str, data: bytes, mime: str = "text/csv") -> AppTest:
    at = page_as(make_user(engine, Role.secretariat), "pages/import_plan.py").run()
    return at.file_uploader(key="import:file").set_value((name, data, mime)).run()


def type_plan(at: AppTest, number: str) -> AppTest:
    """The plan number a file without a title block needs: the importer never takes the file's name."""
    return (
        at.text_input(key=next(k for k in at.session_state if str(k).endswith(":plan"))).input(number).run()
    )


def commit(at: AppTest) -> AppTest:
    return next(button for button in at.button if button.label == "Nhập").click().run()


def count(engine: Engine, model: type) -> int:
    with read_session(engine) as session:
        return session.exec(select(func.count()).select_from(model)).one()


def test_the_sample_annex_is_previewed_then_imported(app_engine: Engine) -> None:
    at = upload(app_engine, "sample_plan.xlsx", SAMPLE_PLAN.read_bytes(), XLSX)
    assert not at.exception
    assert "Kế hoạch 45-KH/UBND: chưa có, sẽ được tạo mới." in shown(at.info)
    metrics = {metric.label: metric.value for metric in at.metric}
    assert (metrics["Thêm mới"], metrics["Lỗi"]) == ("43", "0")
    assert at.selectbox(key=next(k for k in at.session_state if str(k).endswith(":title"))).value == 1
    assert count(app_engine, Task) == 0, "a preview writes nothing"
    commit(at)
    assert not at.exception
    assert count(app_engine, Task) == 43
    assert "Đã nhập kế hoạch 45-KH/UBND: 43 nhiệm vụ mới, 0 cập nhật, 0 không đổi." in texts(at)
    assert at.dataframe[-1].value["file"].tolist() == ["sample_plan.xlsx"], "the history lists the import"


def test_importing_the_same_file_again_changes_nothing(app_engine: Engine) -> None:
    commit(upload(app_engine, "sample_plan.xlsx", SAMPLE_PLAN.read_bytes(), XLSX))
    at = upload(app_engine, "sample_plan.xlsx", SAMPLE_PLAN.read_bytes(), XLSX)
    metrics = {metric.label: metric.value for metric in at.metric}
    assert (metrics["Thêm mới"], metrics["Không đổi"]) == ("0", "43")


def test_error_rows_are_imported_only_when_the_user_skips_them(app_engine: Engine) -> None:
    at = type_plan(upload(app_engine, "phu-luc.csv", SMALL_CSV), "07-KH/BCĐ")
    assert "Dòng 3: mã '2' không có nội dung." in at.dataframe[0].value.iloc[:, 2].tolist()
    commit(at)
    assert count(app_engine, Task) == 0
    assert at.error, "the refusal is shown"
    at.checkbox(key=next(k for k in at.session_state if str(k).endswith(":skip"))).check().run()
    commit(at)
    assert count(app_engine, Task) == 2


def test_an_unknown_unit_can_be_mapped_to_an_existing_one(app_engine: Engine) -> None:
    science = make_unit(app_engine, "Sở Khoa học và Công nghệ")
    at = type_plan(upload(app_engine, "phu-luc.csv", SMALL_CSV), "07-KH/BCĐ")
    unknown = next(box for box in at.selectbox if box.label == "Sở KHCN tỉnh Bình An")
    unknown.set_value(science.id).run()
    at.checkbox(key=next(k for k in at.session_state if str(k).endswith(":skip"))).check().run()
    commit(at)
    with read_session(app_engine) as session:
        task = session.exec(select(Task).where(Task.code == "1")).one()
        assert task.lead_unit_id == science.id
        assert "Sở KHCN tỉnh Bình An" in session.exec(select(UnitAlias.alias)).all()
        assert session.exec(select(Unit.name).where(Unit.name == "Sở KHCN tỉnh Bình An")).first() is None


def test_a_plan_number_typed_by_the_user_names_the_plan(app_engine: Engine) -> None:
    at = upload(app_engine, "phu-luc.csv", SMALL_CSV)
    at.checkbox(key=next(k for k in at.session_state if str(k).endswith(":skip"))).check().run()
    commit(at)
    assert count(app_engine, Task) == 0
    assert any("không ghi số hiệu kế hoạch" in error.value for error in at.error)
    commit(type_plan(at, "07-KH/BCĐ"))
    with read_session(app_engine) as session:
        batch = session.exec(select(ImportBatch)).one()
        assert batch.file_name == "phu-luc.csv"
    assert "Đã nhập kế hoạch 07-KH/BCĐ" in texts(at)


def test_a_file_that_is_not_a_spreadsheet_is_refused_plainly(app_engine: Engine) -> None:
    at = upload(app_engine, "bao-cao.xlsx", b"%PDF-1.4 renamed", XLSX)
    assert not at.exception
    assert read(at.error[0].value) == (
        "Tệp 'bao-cao.xlsx' không phải bảng tính Excel hợp lệ (hỏng hoặc bị đổi đuôi)."
    )
    assert count(app_engine, Task) == 0


def test_the_title_block_fills_the_plan_and_a_re_import_lists_its_changes_first(app_engine: Engine) -> None:
    rows = national_annex()
    at = upload(app_engine, "phu-luc-final (2).xlsx", xlsx(rows), XLSX)
    assert at.text_input(key=next(k for k in at.session_state if str(k).endswith(":plan"))).value == "/NQ-CP"
    title = at.text_input(key=next(k for k in at.session_state if str(k).endswith(":plan_title")))
    assert title.value == "DANH MỤC CÁC NHIỆM VỤ THỰC HIỆN NGHỊ QUYẾT SỐ 57-NQ/TW"
    at.date_input(key=next(k for k in at.session_state if str(k).endswith(":issued_on"))).set_value(
        date(2025, 1, 9)
    ).run()
    commit(at)
    with read_session(app_engine) as session:
        plan = session.exec(select(Plan)).one()
    assert (plan.number, plan.issued_on) == ("/NQ-CP", date(2025, 1, 9))
    revised = [list(row) for row in rows]
    row = next(index for index, row in enumerate(revised) if row[:1] == [2] and "đào tạo" in str(row[1]))
    revised[row][4] = "Quý IV/2026"
    at = upload(app_engine, "phu-luc-sua.xlsx", xlsx(revised), XLSX)
    assert not at.exception
    changes = next(frame.value for frame in at.dataframe if "action" in frame.value.columns)
    assert changes[["code", "old", "new"]].values.tolist() == [
        ["I.2", "2025-12-31", "2026-12-31"],
        ["I.2", "2025 và những năm tiếp theo", "Quý IV/2026"],
        ["I.2", "có", "không"],
    ]
    assert changes["action"].tolist() == ["Cập nhật"] * 3


def test_the_preview_of_a_revision_names_the_tasks_it_drops(app_engine: Engine) -> None:
    run_import(app_engine, xlsx(annex(SMALL_TASKS)))
    revised = [row for row in SMALL_TASKS if row[1] != "Trung tâm dữ liệu tỉnh"]
    at = upload(app_engine, "phu-luc-sua-doi.xlsx", xlsx(annex(revised)), XLSX)
    assert not at.exception
    assert "Kế hoạch sửa đổi không còn 1 nhiệm vụ" in texts(at)
    assert "II.2 — Trung tâm dữ liệu tỉnh" in texts(at)
    changes = next(frame.value for frame in at.dataframe if "action" in frame.value.columns)
    assert changes[["action", "code"]].values.tolist() == [["Không còn trong kế hoạch", "II.2"]]
    commit(at)
    assert not at.exception
    assert "Kế hoạch sửa đổi không còn 1 nhiệm vụ (không bị xóa" in texts(at)
    with read_session(app_engine) as session:
        assert session.exec(select(Task.missing_since).where(Task.code == "II.2")).one() is not None
