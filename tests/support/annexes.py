"""Annex files built at test time: workbooks as officials lay them out, and hostile files.

`xlsx` writes through openpyxl (merges, hidden sheets, dates); `xls` writes the
older Excel 97–2003 format through xlwt, as offices still circulate it;
`raw_xlsx` assembles the zip by hand so a test controls every byte of the sheet XML.
"""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Sequence
from datetime import date

import xlwt
from openpyxl import Workbook

HEADER = [
    "STT",
    "Nội dung nhiệm vụ",
    "Cơ quan chủ trì",
    "Cơ quan phối hợp",
    "Thời gian hoàn thành",
    "Sản phẩm",
]
Row = Sequence[object]


def title_block(number: str = "12-KH/UBND", issued: str = "ngày 5/4/2025 ") -> list[Row]:
    return [
        ["ỦY BAN NHÂN DÂN", "", "", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
        ["TỈNH BÌNH AN", "", "", "Độc lập - Tự do - Hạnh phúc"],
        [],
        ["PHỤ LỤC"],
        ["DANH MỤC NHIỆM VỤ CHUYỂN ĐỔI SỐ NĂM 2025"],
        [f"(Kèm theo Kế hoạch số {number} {issued}của Ủy ban nhân dân tỉnh Bình An)"],
        [],
    ]


def closing() -> list[Row]:
    return [
        [],
        ["Ghi chú: các đơn vị báo cáo trước ngày 10 hằng tháng."],
        ["Nơi nhận:", "", "", "", "KT. CHỦ TỊCH"],
    ]


def annex(tasks: Sequence[Row], *, number: str = "12-KH/UBND", header: Row = HEADER) -> list[Row]:
    """A whole annex sheet: title block, header, column numbers, TASKS, notes and signature."""
    numbers = [f"({i})" for i in range(1, len(header) + 1)]
    return [*title_block(number), list(header), numbers, *tasks, *closing()]


SMALL_TASKS: list[Row] = [
    ["I", "HOÀN THIỆN THỂ CHẾ"],
    [
        1,
        "Ban hành quy chế quản lý dữ liệu",
        "Sở KH&CN",
        "Công an tỉnh; Sở Tư pháp",
        "Quý II/2025",
        "Quyết định",
    ],
    [2, "Rà soát thủ tục hành chính", "Văn phòng UBND tỉnh", "Các sở, ban, ngành", "Tháng 9/2025", "Báo cáo"],
    ["II", "HẠ TẦNG SỐ"],
    [1, "Phủ sóng 5G", "Sở Khoa học và Công nghệ", "", "2025-2027", "Trạm 5G"],
    [2, "Trung tâm dữ liệu tỉnh", "Sở Tài chính", "Sở KH&CN, Sở Xây dựng", "Thường xuyên", "Trung tâm"],
]


def xlsx(
    rows: Sequence[Row],
    *,
    sheet: str = "Phụ lục",
    merges: Sequence[str] = (),
    before: Sequence[tuple[str, Sequence[Row], bool]] = (),
) -> bytes:
    """An .xlsx of ROWS; BEFORE adds earlier sheets as (name, rows, hidden)."""
    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    for name, other, hidden in before:
        extra = book.create_sheet(name)
        for row in other:
            extra.append(list(row))
        if hidden:
            extra.sheet_state = "hidden"
    main = book.create_sheet(sheet)
    for row in rows:
        main.append([value if value != "" else None for value in row])
    for cells in merges:
        main.merge_cells(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xls(rows: Sequence[Row], *, merges: Sequence[tuple[int, int, int, int]] = ()) -> bytes:
    """An .xls of ROWS; MERGES are (first row, last row, first column, last column), 0-based,
    with the value of each merge taken from its first row. Dates are written as date cells."""
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Phụ lục")
    as_date = xlwt.easyxf(num_format_str="DD/MM/YYYY")
    merged = {(first, column) for first, _, column, _ in merges}
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value == "" or (r, c) in merged:
                continue
            if isinstance(value, date):
                sheet.write(r, c, value, as_date)
            else:
                sheet.write(r, c, value)
    for first, last, left, right in merges:
        sheet.write_merge(first, last, left, right, rows[first][left])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_text(rows: Sequence[Row], delimiter: str = ";") -> str:
    def quoted(value: object) -> str:
        text = str(value)
        return f'"{text}"' if any(ch in text for ch in (delimiter, '"', "\n")) else text

    return "\r\n".join(delimiter.join(quoted(value) for value in row) for row in rows) + "\r\n"


_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="xl/workbook.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
    "</Relationships>"
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Phụ lục" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="worksheets/sheet1.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/>'
    "</Relationships>"
)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def cell_xml(ref: str, value: object) -> str:
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{_escape(str(value))}</t></is></c>'


def column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def rows_xml(rows: Sequence[Row], first_row: int = 1) -> str:
    parts = []
    for offset, row in enumerate(rows):
        number = first_row + offset
        cells = "".join(
            cell_xml(f"{column_letters(column)}{number}", value)
            for column, value in enumerate(row, start=1)
            if value != ""
        )
        parts.append(f'<row r="{number}">{cells}</row>')
    return "".join(parts)


def raw_xlsx(sheet_data: str, *, prolog: str = "", compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A minimal .xlsx whose one sheet holds SHEET_DATA (the inside of <sheetData>)."""
    sheet = (
        f'<?xml version="1.0" encoding="UTF-8"?>{prolog}'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{sheet_data}</sheetData></worksheet>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return buffer.getvalue()


def encrypted_workbook() -> bytes:
    """An OLE compound file as Excel writes a password-protected workbook: the real package
    is the stream 'EncryptedPackage', beside 'EncryptionInfo'."""
    sector = 512
    end_of_chain, free, fat_sector, no_stream = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16)
    header += struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + bytes(6)
    header += struct.pack("<IIIIIIIII", 0, 1, 1, 0, 0x1000, end_of_chain, 0, end_of_chain, 0)
    header += struct.pack("<I", 0) + struct.pack("<108I", *([free] * 108))
    fat = struct.pack("<128I", fat_sector, end_of_chain, *([free] * 126))

    def entry(name: str, kind: int, child: int = no_stream, right: int = no_stream) -> bytes:
        encoded = (name + "\0").encode("utf-16-le")
        return (
            encoded.ljust(64, b"\0")
            + struct.pack("<HBB", len(encoded), kind, 1)
            + struct.pack("<III", no_stream, right, child)
            + bytes(16 + 4 + 16)
            + struct.pack("<IQ", end_of_chain if kind == 5 else 0, 0)
        )

    directory = entry("Root Entry", 5, child=1) + entry("EncryptionInfo", 2, right=2)
    directory += entry("EncryptedPackage", 2) + bytes(128)
    return header.ljust(sector, b"\0") + fat + directory


def national_title_block(number: str = "   /NQ-CP") -> list[Row]:
    """The title block of a Government action programme's annex, its number left blank
    as drafts circulate it."""
    return [
        ["CHÍNH PHỦ", "", "", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
        ["", "", "", "Độc lập - Tự do - Hạnh phúc"],
        [],
        ["PHỤ LỤC II"],
        ["DANH MỤC CÁC NHIỆM VỤ THỰC HIỆN NGHỊ QUYẾT SỐ 57-NQ/TW"],
        [
            f"(Kèm theo Nghị quyết số {number} ngày    tháng    năm 2025 của Chính phủ ban hành "
            "Chương trình hành động thực hiện Nghị quyết số 57-NQ/TW)"
        ],
        [],
    ]


# Units as a national annex writes them: joint leads, coordinator lists ending in or
# holding a collective, names with commas inside, a lead also named as coordinator.
NATIONAL_TASKS: list[Row] = [
    ["I", "NÂNG CAO NHẬN THỨC, ĐỔI MỚI TƯ DUY"],
    [
        1,
        "Tổ chức quán triệt, tuyên truyền Nghị quyết",
        "Bộ Khoa học và Công nghệ và các địa phương",
        "Bộ Văn hóa, Thể thao và Du lịch, các bộ, ngành",
        "Quý I/2025",
        "Kế hoạch tuyên truyền",
    ],
    [
        2,
        "Đưa nội dung chuyển đổi số vào chương trình đào tạo",
        "Bộ Giáo dục và Đào tạo",
        "Bộ Tư pháp, các bộ, ngành",
        "2025 và những năm tiếp theo",
        "Chương trình đào tạo",
    ],
    ["II", "HOÀN THIỆN THỂ CHẾ"],
    [
        1,
        "Sửa đổi Luật Ngân sách nhà nước, Luật Đầu tư công",
        "Bộ Tài chính, Bộ Công Thương",
        "Bộ Công an, Bộ Nội vụ, Bộ Lao động - Thương binh và Xã hội, các bộ, ngành và địa phương",
        "Tháng 6/2025",
        "Dự án Luật",
    ],
    [
        2,
        "Cơ chế thử nghiệm có kiểm soát",
        "Bộ Khoa học và Công nghệ; Bộ Tài chính",
        "Ngân hàng Nhà nước Việt Nam\nBộ Tư pháp\n- Các bộ, ngành, địa phương",
        "06/2025",
        "Nghị định",
    ],
    [
        3,
        "Chính sách thuế cho doanh nghiệp khởi nghiệp sáng tạo",
        "Bộ Tài chính và Bộ Kế hoạch và Đầu tư",
        "Bộ Tài chính; Bộ Khoa học và Công nghệ, và các cơ quan liên quan",
        "từ năm 2025 trở đi",
        "Nghị định",
    ],
    ["III", "HẠ TẦNG SỐ"],
    [
        1,
        "Phủ sóng 5G toàn quốc",
        "Bộ Khoa học và Công nghệ, UBND các tỉnh, thành phố",
        "Các doanh nghiệp viễn thông; Bộ Quốc phòng",
        "2025 - 2026",
        "Trạm 5G",
    ],
]


# A Government action programme's annex as circulated: central bodies in every list form,
# a colon's list sharing its noun ("Các Bộ: …"), bullets, collectives of every level.
PROGRAMME_TASKS: list[Row] = [
    ["I", "NÂNG CAO NHẬN THỨC, ĐỘT PHÁ VỀ ĐỔI MỚI TƯ DUY"],
    [
        1,
        "Tổ chức quán triệt, tuyên truyền sâu rộng Nghị quyết số 57-NQ/TW",
        "Bộ Khoa học và Công nghệ, Bộ Thông tin và Truyền thông",
        "Bộ Văn hóa, Thể thao và Du lịch, Thông tấn xã Việt Nam, Đài Truyền hình Việt Nam, "
        "Đài Tiếng nói Việt Nam, các bộ, ngành, địa phương",
        "Quý I/2025",
        "Kế hoạch tuyên truyền",
    ],
    [
        2,
        "Phát động phong trào “Bình dân học vụ số”",
        "Bộ Thông tin và Truyền thông và Trung ương Đoàn Thanh niên Cộng sản Hồ Chí Minh",
        "Bộ Giáo dục và Đào tạo, Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam, "
        "Tổng Liên đoàn Lao động Việt Nam, và các địa phương",
        "Năm 2025 và các năm tiếp theo",
        "Phong trào",
    ],
    ["II", "HOÀN THIỆN THỂ CHẾ"],
    [
        1,
        "Sửa đổi quy định về đầu tư công cho khoa học, công nghệ",
        "Bộ Kế hoạch và Đầu tư và Bộ Tài chính",
        "Bộ Khoa học và Công nghệ, Kiểm toán nhà nước, Văn phòng Chính phủ",
        "Tháng 5/2025",
        "Nghị định",
    ],
    [
        2,
        "Cơ chế đặt hàng nhiệm vụ khoa học, công nghệ cho doanh nghiệp",
        "Bộ Khoa học và Công nghệ",
        "Các Bộ: Tài chính, Kế hoạch và Đầu tư, Văn hóa, Thể thao và Du lịch; Bảo hiểm xã hội Việt Nam, "
        "Liên hiệp các Hội Khoa học và Kỹ thuật Việt Nam",
        "Tháng 12/2025",
        "Quyết định",
    ],
    ["III", "PHÁT TRIỂN HẠ TẦNG VÀ NHÂN LỰC"],
    [
        1,
        "Xây dựng Trung tâm dữ liệu quốc gia",
        "Bộ Công an",
        "Bộ Quốc phòng, Ban Cơ yếu Chính phủ, Tập đoàn Công nghiệp - Viễn thông Quân đội, "
        "Tập đoàn Bưu chính Viễn thông Việt Nam và các cơ quan liên quan",
        "Năm 2025",
        "Trung tâm dữ liệu",
    ],
    [
        2,
        "Đầu tư phòng thí nghiệm trọng điểm",
        "Bộ Khoa học và Công nghệ, Viện Hàn lâm Khoa học và Công nghệ Việt Nam",
        "Đại học Quốc gia Hà Nội, Viện Hàn lâm Khoa học xã hội Việt Nam, các bộ, ngành, địa phương, "
        "Bộ Tài chính",
        "2025-2030",
        "Phòng thí nghiệm",
    ],
    [
        3,
        "Chương trình đào tạo nhân lực công nghệ cao",
        "Bộ Giáo dục và Đào tạo, Bộ Lao động - Thương binh và Xã hội",
        "Bộ Nội vụ\n• Các cơ sở giáo dục đại học\n• UBND cấp tỉnh, cấp huyện",
        "Quý IV/2025",
        "Chương trình",
    ],
]


def national_annex(tasks: Sequence[Row] = NATIONAL_TASKS, *, number: str = "   /NQ-CP") -> list[Row]:
    """A national annex sheet: title block (number blank by default), header, column numbers, TASKS."""
    numbers = [f"({i})" for i in range(1, len(HEADER) + 1)]
    return [*national_title_block(number), list(HEADER), numbers, *tasks, *closing()]


# --- Indicator annexes ("Danh mục các chỉ tiêu"), laid out as Nghị quyết 03/NQ-CP lays out its own ---

INDICATOR_HEADER = ["TT", "Chỉ tiêu", "Đơn vị tính", "Kết quả", "Cơ quan chủ trì theo dõi, đánh giá"]

# Sections headed by their target year and numbered afresh; a group row (6) over decimal
# sub-rows; a row with its own lead and target (7) above sub-rows; "≥ 80", a bare number,
# a range, a rank, "≤ 5", and a target in words.
INDICATORS: list[Row] = [
    ["", "Đến năm 2030"],
    [1, "Tỷ lệ người dân sử dụng dịch vụ công trực tuyến", "%", "≥ 80", "Sở Khoa học và Công nghệ"],
    [2, "Chi cho nghiên cứu và phát triển so với GRDP", "%", "2", "Sở KH&CN"],
    [3, "Tỷ lệ dân số trưởng thành có chữ ký số", "%", "20% - 50%", "Công an tỉnh"],
    [4, "Chỉ số đổi mới sáng tạo cấp địa phương (PII)", "Thứ hạng", "Top 20", "Sở KH&CN"],
    [5, "Tỷ lệ hồ sơ giải quyết trễ hạn", "%", "≤ 5", "Văn phòng UBND tỉnh"],
    [6, "Hạ tầng số, trong đó:"],
    ["6.1", "Tỷ lệ hộ gia đình có cáp quang", "%", "100%", "Sở KH&CN"],
    ["6.2", "Tỷ lệ khu dân cư được phủ sóng 5G", "%", "≥ 99", "Sở KH&CN"],
    [7, "Kinh tế số chiếm tỷ trọng trong GRDP", "%", "≥ 30", "Sở Tài chính"],
    ["7.1", "Kinh tế số ICT", "%", "≥ 10", "Sở Tài chính"],
    ["7.2", "Kinh tế số trong các ngành", "%", "≥ 20", "Sở Công Thương"],
    ["", "Đến năm 2045"],
    [1, "Tiềm lực khoa học, công nghệ", "", "Đạt mức tiên tiến trong khu vực ASEAN", "Sở KH&CN"],
    [2, "Tỷ lệ doanh nghiệp có hoạt động đổi mới sáng tạo", "%", "≥ 60", "Sở KH&CN; Sở Tài chính"],
]


def indicator_title_block(number: str = "12-KH/UBND") -> list[Row]:
    return [
        ["ỦY BAN NHÂN DÂN", "", "", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
        ["TỈNH BÌNH AN", "", "", "Độc lập - Tự do - Hạnh phúc"],
        [],
        ["PHỤ LỤC II"],
        ["DANH MỤC CÁC CHỈ TIÊU CỤ THỂ"],
        [f"(Kèm theo Kế hoạch số {number} ngày 5/4/2025 của Ủy ban nhân dân tỉnh Bình An)"],
        [],
    ]


def indicator_annex(
    rows: Sequence[Row] = INDICATORS, *, number: str = "12-KH/UBND", header: Row = INDICATOR_HEADER
) -> list[Row]:
    """A whole indicator annex sheet: title block, header, column numbers, ROWS, notes and signature."""
    numbers = [f"({i})" for i in range(1, len(header) + 1)]
    return [*indicator_title_block(number), list(header), numbers, *rows, *closing()]


def task_and_indicator_workbook(number: str = "12-KH/UBND") -> bytes:
    """One workbook as plans circulate it: the indicator annex first, then the task annex."""
    indicators = ("Chỉ tiêu", indicator_annex(number=number), False)
    return xlsx(annex(SMALL_TASKS, number=number), before=[indicators])
