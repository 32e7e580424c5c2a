import unicodedata
from datetime import date

import pytest

from tests.support.annexes import HEADER, SMALL_TASKS, Row, annex, xlsx
from tracker.config import SAMPLE_PLAN
from tracker.errors import ImportFileError
from tracker.importer.codes import Entry
from tracker.importer.layout import Layout, read_layout
from tracker.importer.read import read_workbook

STANDARD = {"code": 0, "title": 1, "lead_unit": 2, "coordinators": 3, "deadline": 4, "output": 5}


def layout_of(data: bytes, name: str = "phu-luc.xlsx", sheet: str | None = None) -> Layout:
    return read_layout(read_workbook(data, name), sheet=sheet, mapping=None)


def by_code(layout: Layout) -> dict[str, Entry]:
    return {entry.code: entry for entry in layout.entries}


def test_the_sample_annex_reads_as_its_sections_groups_and_tasks() -> None:
    layout = layout_of(SAMPLE_PLAN.read_bytes(), SAMPLE_PLAN.name)
    tasks = by_code(layout)
    assert layout.header_row == 8
    assert layout.mapping == STANDARD
    assert len(layout.entries) == 43
    assert [entry.code for entry in layout.entries][:6] == ["I.1", "I.2", "I.3", "II.1.1", "II.1.2", "II.1.3"]
    assert {entry.section_code for entry in layout.entries} == {
        "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX",
    }  # fmt: skip
    assert "II.1" not in tasks and "III.4" not in tasks and "V.1" not in tasks
    assert tasks["III.4.b"].group_title == "Phát triển hạ tầng số các ngành, lĩnh vực"
    assert tasks["III.4.b"].section_title == "PHÁT TRIỂN HẠ TẦNG SỐ"
    assert tasks["II.2"].group_title == ""
    # Vertically merged lead unit (IV.1–IV.3) and deadline (V.1.1–V.1.2).
    assert {tasks[code].cells.lead_unit for code in ("IV.1", "IV.2", "IV.3")} == {
        "Văn phòng Uỷ ban nhân dân tỉnh"
    }
    assert tasks["IV.4"].cells.lead_unit == "Công an tỉnh"
    assert tasks["V.1.2"].cells.deadline == "Hằng năm"
    assert tasks["II.3"].cells.deadline_value == date(2025, 6, 30)
    assert layout.entries[-1].code == "IX.3"
    assert any("Kèm theo Kế hoạch số 45-KH/UBND" in line for line in layout.title_lines)


@pytest.mark.parametrize(
    "header",
    [
        ["TT", "Nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời hạn", "Kết quả/sản phẩm"],
        ["Số TT", "Nội dung", "Chủ trì", "Phối hợp", "Tiến độ", "Sản phẩm"],
        [
            "STT",
            "NỘI DUNG NHIỆM VỤ",
            "CƠ QUAN CHỦ TRÌ",
            "CƠ QUAN PHỐI HỢP",
            "THỜI GIAN\nHOÀN THÀNH",
            "KẾT QUẢ",
        ],
    ],
)
def test_header_names_vary_between_annexes(header: Row) -> None:
    layout = layout_of(xlsx(annex(SMALL_TASKS, header=header)))
    assert layout.mapping == STANDARD
    assert [entry.code for entry in layout.entries] == ["I.1", "I.2", "II.1", "II.2"]


def test_columns_may_come_in_any_order() -> None:
    header = ["STT", "Thời hạn", "Nội dung nhiệm vụ", "Sản phẩm", "Cơ quan phối hợp", "Cơ quan chủ trì"]
    rows = [[1, "Quý I/2025", "Lập kế hoạch", "Kế hoạch", "Sở Tài chính", "Sở Nội vụ"]]
    entry = layout_of(xlsx(annex(rows, header=header))).entries[0]
    assert (entry.title, entry.cells.lead_unit, entry.cells.deadline) == (
        "Lập kế hoạch",
        "Sở Nội vụ",
        "Quý I/2025",
    )


def test_a_header_on_two_rows_splits_the_units_column() -> None:
    rows = [
        ["TT", "Nội dung", "Cơ quan thực hiện", "", "Thời gian hoàn thành", "Sản phẩm"],
        ["", "", "Chủ trì", "Phối hợp", "", ""],
        [1, "Lập kế hoạch", "Sở Nội vụ", "Sở Tài chính", "Quý I/2025", "Kế hoạch"],
    ]
    layout = layout_of(xlsx(rows, merges=["C1:D1", "A1:A2", "B1:B2", "E1:E2", "F1:F2"]))
    assert layout.header_row == 2
    assert layout.headers == ["TT", "Nội dung", "Chủ trì", "Phối hợp", "Thời gian hoàn thành", "Sản phẩm"]
    assert layout.entries[0].cells.coordinators == "Sở Tài chính"


def test_a_sheet_without_sections_numbers_tasks_by_stt_alone() -> None:
    rows = [
        [1, "Lập kế hoạch", "Sở Nội vụ", "", "Quý I/2025", ""],
        [2, "Triển khai các nền tảng", "", "", "", ""],
        ["2.1", "Nền tảng dữ liệu", "Sở KH&CN", "", "Năm 2025", ""],
        ["2.2", "Nền tảng định danh", "Công an tỉnh", "", "Năm 2026", ""],
        [3, "Tổng kết", "Sở KH&CN", "", "Tháng 12/2026", ""],
    ]
    layout = layout_of(xlsx([HEADER, *rows]))
    assert [(e.code, e.section_code, e.group_title) for e in layout.entries] == [
        ("1", "", ""),
        ("2.1", "", "Triển khai các nền tảng"),
        ("2.2", "", "Triển khai các nền tảng"),
        ("3", "", ""),
    ]


def test_lettered_and_bulleted_rows_take_codes_under_their_number() -> None:
    rows = [
        ["III", "CHUYỂN ĐỔI SỐ"],
        [4, "Hạ tầng số các ngành"],
        ["a)", "Trường học", "Sở GD&ĐT", "", "Năm 2026", ""],
        ["b)", "Bệnh viện", "Sở Y tế", "", "Năm 2026", ""],
        [5, "Dịch vụ công trực tuyến", "Văn phòng UBND tỉnh", "", "Quý IV/2025", ""],
        ["-", "Cấp tỉnh", "Văn phòng UBND tỉnh", "", "Quý IV/2025", ""],
        ["-", "Cấp xã", "UBND cấp xã", "", "Năm 2026", ""],
        ["", "Thêm một dòng không đánh số", "Sở Nội vụ", "", "Năm 2026", ""],
    ]
    tasks = by_code(layout_of(xlsx(annex(rows))))
    assert list(tasks) == ["III.4.a", "III.4.b", "III.5", "III.5.1", "III.5.2", "III.5.3"]
    # Row 5 has its own lead unit and deadline: a task, not a group, so its bullets have no group title.
    assert tasks["III.4.a"].group_title == "Hạ tầng số các ngành"
    assert tasks["III.5.1"].group_title == ""


def test_vertically_merged_cells_apply_to_every_row_they_span() -> None:
    rows = [
        HEADER,
        [1, "Việc một", "Sở Tài chính", "Sở Nội vụ", "Quý I/2025", ""],
        [2, "Việc hai", "", "", "", ""],
        [3, "Việc ba", "", "", "Quý II/2025", ""],
        [4, "Việc bốn", "Sở Y tế", "", "Quý III/2025", ""],
    ]
    layout = layout_of(xlsx(rows, merges=["C2:C4", "E2:E3", "D2:D3"]))
    values = [(e.cells.lead_unit, e.cells.coordinators, e.cells.deadline) for e in layout.entries]
    assert values == [
        ("Sở Tài chính", "Sở Nội vụ", "Quý I/2025"),
        ("Sở Tài chính", "Sở Nội vụ", "Quý I/2025"),
        ("Sở Tài chính", "", "Quý II/2025"),
        ("Sở Y tế", "", "Quý III/2025"),
    ]


def test_the_table_ends_at_the_notes_and_signature_block() -> None:
    rows = [*annex(SMALL_TASKS), [1, "Như trên"], [2, "Lưu: VT"]]
    layout = layout_of(xlsx(rows))
    assert [entry.code for entry in layout.entries] == ["I.1", "I.2", "II.1", "II.2"]


def test_the_column_numbers_row_is_not_a_task() -> None:
    layout = layout_of(xlsx([HEADER, [1, 2, 3, 4, 5, 6], [1, "Việc một", "Sở Y tế", "", "Năm 2025", ""]]))
    assert [(entry.code, entry.title) for entry in layout.entries] == [("1", "Việc một")]


def test_the_first_sheet_holding_a_table_is_picked_unless_one_is_named() -> None:
    guide = [["Hướng dẫn điền phụ lục"], ["Điền mỗi nhiệm vụ một dòng"]]
    other = [HEADER, [1, "Bảng khác", "Sở Y tế", "", "Năm 2025", ""]]
    data = xlsx(annex(SMALL_TASKS), before=[("Hướng dẫn", guide, False), ("Bảng cũ", other, True)])
    workbook = read_workbook(data, "phu-luc.xlsx")
    assert (workbook.sheets, workbook.hidden) == (["Hướng dẫn", "Phụ lục"], ["Bảng cũ"])
    assert read_layout(workbook, sheet=None, mapping=None).sheet == "Phụ lục"
    assert read_layout(workbook, sheet="Bảng cũ", mapping=None).entries[0].title == "Bảng khác"
    with pytest.raises(ImportFileError, match="không có trang 'Trang 9'"):
        read_layout(workbook, sheet="Trang 9", mapping=None)
    with pytest.raises(ImportFileError, match="không có dòng tiêu đề"):
        read_layout(workbook, sheet="Hướng dẫn", mapping=None)


def test_a_chosen_mapping_replaces_the_detected_one() -> None:
    header = ["STT", "Nội dung nhiệm vụ", "Đầu mối", "Ghi chú", "Thời gian hoàn thành", "Sản phẩm"]
    data = xlsx(annex([[1, "Việc một", "Sở Y tế", "Sở Nội vụ", "Năm 2025", "Báo cáo"]], header=header))
    workbook = read_workbook(data, "phu-luc.xlsx")
    detected = read_layout(workbook, sheet=None, mapping=None)
    assert "lead_unit" not in detected.mapping
    chosen = read_layout(workbook, sheet=None, mapping=detected.mapping | {"lead_unit": 2})
    assert chosen.entries[0].cells.lead_unit == "Sở Y tế"
    with pytest.raises(ImportFileError, match="Cột số 40"):
        read_layout(workbook, sheet=None, mapping={"title": 1, "deadline": 39})


def test_decomposed_text_and_old_tone_marks_are_composed() -> None:
    nfd = unicodedata.normalize("NFD", "Hoà nhập, thuỷ lợi")
    rows = [HEADER, [1, f"  {nfd}  ", unicodedata.normalize("NFD", "Sở Tài chính"), "", "Quý I/2025", ""]]
    entry = layout_of(xlsx(rows)).entries[0]
    assert entry.title == "Hoà nhập, thuỷ lợi"
    assert unicodedata.is_normalized("NFC", entry.title)
