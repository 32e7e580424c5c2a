"""Indicator annexes: a file of their own or a sheet of the task workbook, re-imported safely."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from models import Indicator, IndicatorCoordinator, Task, Unit
from tests.support.annexes import (
    INDICATOR_HEADER,
    INDICATORS,
    SMALL_TASKS,
    annex,
    indicator_annex,
    task_and_indicator_workbook,
    xlsx,
)
from tests.support.factories import run_cli
from tests.support.importing import preview
from tests.support.importing import run_import as import_file
from tracker.db import read_session


def _indicators(engine: Engine) -> dict[str, Indicator]:
    with read_session(engine) as session:
        return {row.code: row for row in session.exec(select(Indicator))}


def test_an_indicator_annex_of_its_own_is_imported_with_sections_groups_and_targets(engine: Engine) -> None:
    result = import_file(engine, xlsx(indicator_annex(), sheet="Chỉ tiêu"), "chi-tieu.xlsx")
    assert (result.plan_number, result.created) == ("12-KH/UBND", 0)
    assert result.indicators == {"created": 12, "updated": 0, "unchanged": 0}
    found = _indicators(engine)
    assert list(found) == [
        "2030.1", "2030.2", "2030.3", "2030.4", "2030.5", "2030.6.1", "2030.6.2",
        "2030.7", "2030.7.1", "2030.7.2", "2045.1", "2045.2",
    ]  # fmt: skip
    # The group row 6 is no indicator; its text heads its sub-rows. Row 7 has a lead and a
    # target of its own: an indicator above its sub-rows.
    assert found["2030.6.1"].group_title == "Hạ tầng số, trong đó:"
    assert (found["2030.7"].target_op, found["2030.7"].target_value) == (">=", 30)
    assert found["2030.7.1"].group_title == ""
    assert (found["2030.3"].target_op, found["2030.3"].target_value, found["2030.3"].target_high) == (
        "between", 20, 50,
    )  # fmt: skip
    assert (found["2030.4"].target_op, found["2030.4"].target_value) == ("rank<=", 20)
    assert (found["2030.1"].target_year, found["2045.2"].target_year) == (2030, 2045)
    assert found["2030.1"].section_title == "Đến năm 2030"
    words = found["2045.1"]
    assert (words.target_text, words.target_op, words.target_value) == (
        "Đạt mức tiên tiến trong khu vực ASEAN", "", None,
    )  # fmt: skip
    with read_session(engine) as session:
        units = {unit.id: unit.name for unit in session.exec(select(Unit))}
        links = list(session.exec(select(IndicatorCoordinator)))
    # One unit, two spellings.
    assert units[found["2030.1"].lead_unit_id] == units[found["2030.2"].lead_unit_id]
    assert [units[link.unit_id] for link in links] == ["Sở Tài chính"]
    assert any("ghi bằng lời" in warning.message for warning in result.warnings)


def test_a_workbook_with_a_task_sheet_and_an_indicator_sheet_imports_both(engine: Engine) -> None:
    result = import_file(engine, task_and_indicator_workbook(), "ke-hoach.xlsx")
    assert result.created == 4
    assert result.indicators["created"] == 12
    with read_session(engine) as session:
        assert len(list(session.exec(select(Task)))) == 4
        plans = {row.plan_id for row in session.exec(select(Indicator))}
    assert len(plans) == 1


def test_sheet_names_the_one_sheet_imported(engine: Engine) -> None:
    data = task_and_indicator_workbook()
    only_tasks = preview(engine, data, sheet="Phụ lục")
    assert (len(only_tasks.rows), only_tasks.indicators.rows) == (4, [])
    only_indicators = preview(engine, data, sheet="Chỉ tiêu")
    assert (only_indicators.rows, len(only_indicators.indicators.rows)) == ([], 12)


def test_a_reimport_updates_definitions_and_counts_them(engine: Engine) -> None:
    import_file(engine, xlsx(indicator_annex()))
    again = import_file(engine, xlsx(indicator_annex()))
    assert again.indicators == {"created": 0, "updated": 0, "unchanged": 12}
    changed = [list(row) for row in INDICATORS]
    changed[1][3] = "≥ 85"
    third = import_file(engine, xlsx(indicator_annex(changed)))
    assert third.indicators == {"created": 0, "updated": 1, "unchanged": 11}
    found = _indicators(engine)["2030.1"]
    assert (found.target_text, found.target_value) == ("≥ 85", 85)


def test_target_and_baseline_years_come_from_the_headers(engine: Engine) -> None:
    header = ["STT", "Tên chỉ tiêu", "Đơn vị", "Hiện trạng năm 2024", "Mục tiêu năm 2027", "Cơ quan chủ trì"]
    rows = [
        ["I", "CHỈ TIÊU CHUNG"],
        [1, "Tỷ lệ thủ tục hành chính trực tuyến toàn trình", "%", "45,5", "≥ 80", "Văn phòng UBND tỉnh"],
    ]
    import_file(engine, xlsx(indicator_annex(rows, header=header)))
    found = _indicators(engine)["I.1"]
    assert (found.baseline_value, found.baseline_year, found.target_year) == (45.5, 2024, 2027)


def test_a_task_table_is_not_taken_for_an_indicator_table(engine: Engine) -> None:
    # "Kết quả" is a task table's product column: with a deadline column it stays a task table.
    header = ["STT", "Nội dung chỉ tiêu, nhiệm vụ", "Cơ quan chủ trì", "Thời hạn", "Kết quả"]
    task = [1, "Lập quy hoạch", "Sở Xây dựng", "2025", "Quyết định"]
    found = preview(engine, xlsx(annex([task], header=header)))
    assert (len(found.rows), found.indicators.rows) == (1, [])


def test_import_json_counts_indicators(
    engine: Engine, database_url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "ke-hoach.xlsx"
    path.write_bytes(task_and_indicator_workbook())
    dry = json.loads(run_cli(database_url, capsys, "import", str(path), "--dry-run", "--json")[1])
    assert dry["indicators"] == {"created": 12, "updated": 0, "unchanged": 0}
    code, out, _ = run_cli(database_url, capsys, "import", str(path), "--json")
    assert (code, json.loads(out)["indicators"]) == (0, {"created": 12, "updated": 0, "unchanged": 0})
    again = json.loads(run_cli(database_url, capsys, "import", str(path), "--json")[1])
    assert again["indicators"] == {"created": 0, "updated": 0, "unchanged": 12}


def test_a_duplicate_indicator_code_is_an_error_naming_the_rows(engine: Engine) -> None:
    rows = [[1, "Chỉ tiêu A", "%", "≥ 50", "Sở Tài chính"], [1, "Chỉ tiêu B", "%", "≥ 60", "Sở Tài chính"]]
    found = preview(engine, xlsx(indicator_annex(rows, header=INDICATOR_HEADER)))
    assert [problem.message for problem in found.errors] == [
        "Trang 'Phụ lục', dòng 11: mã chỉ tiêu '1' trùng với dòng 10 trang 'Phụ lục'."
    ]


def test_task_sheet_only_files_are_read_as_before(engine: Engine) -> None:
    found = preview(engine, xlsx(annex(SMALL_TASKS)))
    assert (len(found.rows), found.indicators.rows) == (4, [])


def test_a_lead_cell_merged_over_a_group_and_its_sub_rows_leaves_the_group_a_group(engine: Engine) -> None:
    rows = [
        [1, "Chỉ số chuyển đổi số, gồm:", "", "", "Sở KH&CN"],  # sheet row 10
        ["1.1", "Chỉ số chính quyền số", "Điểm", "≥ 0,8", ""],
        ["1.2", "Chỉ số kinh tế số", "Điểm", "≥ 0,7", ""],
        [2, "Tỷ lệ xã có điểm truy cập Internet công cộng", "%", "100", "Sở KH&CN"],
    ]
    import_file(engine, xlsx(indicator_annex(rows), merges=["E10:E12"]))
    found = _indicators(engine)
    assert list(found) == ["1.1", "1.2", "2"]
    assert {found["1.1"].group_title, found["1.2"].group_title} == {"Chỉ số chuyển đổi số, gồm:"}
    assert found["1.1"].lead_unit_id == found["2"].lead_unit_id is not None
    assert (found["1.2"].target_value, found["1.2"].target_year) == (0.7, None)


def test_a_second_task_sheet_is_named_in_a_warning_not_dropped_silently(engine: Engine) -> None:
    data = xlsx(
        annex(SMALL_TASKS), before=[("Phụ lục 2", annex(SMALL_TASKS[:2], number="13-KH/UBND"), False)]
    )
    found = preview(engine, data)
    assert found.sheet == "Phụ lục 2"
    assert [warning.message for warning in found.warnings if warning.row == 0] == [
        "Trang 'Phụ lục' cũng có bảng nhiệm vụ nhưng chưa được nhập: hãy chọn trang đó để nhập riêng."
    ]
    assert not [warning for warning in preview(engine, data, sheet="Phụ lục").warnings if warning.row == 0]
