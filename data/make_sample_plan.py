"""Write data/sample_plan.xlsx: a fictional province's annex, laid out as officials circulate it.

Run `python data/make_sample_plan.py` to regenerate it. The province, the plan
and every name are made up; the layout is real: a title block, a header row
and a row of column numbers, Roman-numeral sections, group rows with
sub-tasks, vertically merged lead-unit and deadline cells, units written
several ways, deadlines in every usual form, notes and a signature block.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.worksheet.worksheet import Worksheet

OUT = Path(__file__).resolve().parent / "sample_plan.xlsx"
HEADER = (
    "STT",
    "Nội dung nhiệm vụ",
    "Cơ quan chủ trì",
    "Cơ quan phối hợp",
    "Thời gian hoàn thành",
    "Sản phẩm",
)
MERGED = "↑"  # in TABLE: this cell is part of the merged cell above it

# (STT, content, lead unit, coordinating units, deadline, product)
TABLE: list[tuple[object, ...]] = [
    ("I", "NÂNG CAO NHẬN THỨC, ĐỔI MỚI TƯ DUY, QUYẾT TÂM CHÍNH TRỊ"),
    (1, "Tổ chức quán triệt, tuyên truyền sâu rộng Nghị quyết số 57-NQ/TW và Kế hoạch này đến cán bộ, "
        "đảng viên và Nhân dân", "Sở Văn hóa, Thể thao và Du lịch",
     "Đài Phát thanh và Truyền hình tỉnh; Báo Bình An", "Quý I/2025", "Kế hoạch tuyên truyền"),
    (2, "Xây dựng chuyên mục \"Khoa học, công nghệ và chuyển đổi số\" trên báo chí, cổng thông tin của tỉnh",
     "Đài Phát thanh và Truyền hình tỉnh", "Báo Bình An; Sở KH&CN", "Thường xuyên", "Chuyên mục định kỳ"),
    (3, "Đưa nội dung khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số vào chương trình bồi dưỡng "
        "cán bộ, công chức", "Sở Nội vụ", "Trường Chính trị tỉnh", "Hằng năm", "Chương trình bồi dưỡng"),
    ("II", "HOÀN THIỆN THỂ CHẾ, CƠ CHẾ, CHÍNH SÁCH"),
    (1, "Rà soát, xây dựng cơ chế, chính sách đặc thù của tỉnh"),
    ("1.1", "Tham mưu Nghị quyết của HĐND tỉnh về chính sách hỗ trợ phát triển khoa học, công nghệ và "
            "đổi mới sáng tạo", "Sở KH&CN", "Sở Tài chính; Sở Tư pháp", "Tháng 6/2025",
     "Nghị quyết HĐND tỉnh"),
    ("1.2", "Ban hành quy định nội dung, mức chi ngân sách cho nhiệm vụ khoa học và công nghệ",
     "Sở Tài chính", "Sở Khoa học và Công nghệ", "Trước 30/9/2025", "Quyết định của UBND tỉnh"),
    ("1.3", "Xây dựng cơ chế thử nghiệm có kiểm soát (sandbox) cho công nghệ mới",
     "Sở Khoa học và Công nghệ", "Sở Tư pháp; Công an tỉnh", "Quý IV/2025", "Đề án"),
    (2, "Rà soát, cắt giảm, đơn giản hóa thủ tục hành chính, điều kiện kinh doanh cản trở đổi mới sáng tạo",
     "Văn phòng UBND tỉnh", "Các sở, ban, ngành", "6 tháng đầu năm 2025", "Báo cáo rà soát"),
    (3, "Ban hành quy chế quản lý, khai thác và chia sẻ dữ liệu của tỉnh", "Sở KH&CN",
     "Công an tỉnh; VP UBND tỉnh", datetime(2025, 6, 30), "Quyết định của UBND tỉnh"),
    (4, "Hoàn thiện chức năng, nhiệm vụ của cơ quan chuyên môn về khoa học, công nghệ và chuyển đổi số",
     "Sở Nội vụ", "Sở KH&CN", "Năm 2025", "Quyết định của UBND tỉnh"),
    ("III", "PHÁT TRIỂN HẠ TẦNG SỐ"),
    (1, "Phủ sóng di động 5G tại các khu đô thị, khu công nghiệp và trung tâm xã", "Sở Khoa học & Công nghệ",
     "Các doanh nghiệp viễn thông", "2025-2027", "Trạm 5G được lắp đặt"),
    (2, "Đầu tư Trung tâm dữ liệu tỉnh đạt chuẩn, kết nối Trung tâm dữ liệu quốc gia", "Sở KH&CN",
     "Sở Tài chính, Sở Xây dựng", "2026-2030", "Trung tâm dữ liệu"),
    (3, "Nâng cấp mạng truyền số liệu chuyên dùng đến cấp xã", "Sở KH&CN",
     "UBND các huyện, thị xã, thành phố", "Quý II/2026", "Mạng truyền số liệu"),
    (4, "Phát triển hạ tầng số các ngành, lĩnh vực"),
    ("a", "Hạ tầng số trong trường học: kết nối Internet tốc độ cao, phòng học thông minh", "Sở GD&ĐT",
     "UBND các huyện, thị xã, thành phố", "Năm 2026", "Báo cáo kết quả"),
    ("b", "Hạ tầng số trong y tế: bệnh án điện tử tại bệnh viện tuyến tỉnh", "Sở Y tế",
     "Bảo hiểm xã hội tỉnh", "Tháng 12/2026", "Bệnh án điện tử"),
    ("c", "Hệ thống giao thông thông minh, camera giám sát tại các nút giao chính", "Sở Xây dựng",
     "Công an tỉnh", "Quý I/2027", "Hệ thống giám sát"),
    ("IV", "CHUYỂN ĐỔI SỐ TRONG HOẠT ĐỘNG CỦA CƠ QUAN NHÀ NƯỚC"),
    (1, "Hoàn thiện Hệ thống thông tin giải quyết thủ tục hành chính của tỉnh",
     "Văn phòng Uỷ ban nhân dân tỉnh", "Sở KH&CN", "Quý III/2025", "Hệ thống được nâng cấp"),
    (2, "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính", MERGED,
     "- UBND các huyện, thị xã, thành phố\n- Các sở, ban, ngành", "Trước 31/12/2025", "Dữ liệu được số hóa"),
    (3, "Xây dựng Trung tâm giám sát, điều hành thông minh (IOC) của tỉnh", MERGED, "Sở KH&CN; Công an tỉnh",
     "Quý II/2026", "Trung tâm IOC"),
    (4, "Kết nối, làm sạch dữ liệu với Cơ sở dữ liệu quốc gia về dân cư (Đề án 06)", "Công an tỉnh",
     "Các sở, ban, ngành; UBND các huyện, thị xã, thành phố", "Thường xuyên", "Dữ liệu đúng, đủ, sạch, sống"),
    (5, "Sử dụng chữ ký số, văn bản điện tử trong toàn bộ cơ quan nhà nước", "Sở Nội vụ", "Sở KH&CN",
     "Tháng 9/2025", "Văn bản điện tử"),
    (6, "Triển khai Nền tảng tích hợp, chia sẻ dữ liệu dùng chung của tỉnh", "Sở KH&CN",
     "Văn phòng UBND tỉnh", "Theo tiến độ dự án", "Nền tảng dữ liệu"),
    ("V", "PHÁT TRIỂN KHOA HỌC, CÔNG NGHỆ VÀ ĐỔI MỚI SÁNG TẠO"),
    (1, "Triển khai nhiệm vụ khoa học và công nghệ cấp tỉnh"),
    ("1.1", "Đặt hàng nhiệm vụ khoa học và công nghệ giải quyết vấn đề thực tiễn của tỉnh", "Sở KH&CN",
     "Các sở, ban, ngành", "Hằng năm", "Danh mục nhiệm vụ"),
    ("1.2", "Hỗ trợ doanh nghiệp ứng dụng, đổi mới công nghệ", "Sở KH&CN", "Sở Công Thương", MERGED,
     "Doanh nghiệp được hỗ trợ"),
    (2, "Thành lập Trung tâm Đổi mới sáng tạo tỉnh Bình An", "Sở Khoa học và Công nghệ",
     "Sở Tài chính; Sở Nội vụ", "Năm 2026", "Quyết định thành lập"),
    (3, "Thành lập Quỹ phát triển khoa học và công nghệ của tỉnh", "Sở Tài chính", "Sở KH&CN", "Quý 1/2026",
     "Quỹ được thành lập"),
    (4, "Hỗ trợ phong trào khởi nghiệp đổi mới sáng tạo trong thanh niên, sinh viên", "Tỉnh đoàn",
     "Sở KH&CN; Sở GD&ĐT", "Hàng năm", "Cuộc thi khởi nghiệp"),
    (5, "Xác lập, bảo hộ quyền sở hữu trí tuệ cho sản phẩm chủ lực của tỉnh", "Sở KH&CN",
     "UBND các huyện, thị xã, thành phố", "trong năm 2026", "Văn bằng bảo hộ"),
    ("VI", "PHÁT TRIỂN NGUỒN NHÂN LỰC CHẤT LƯỢNG CAO"),
    (1, "Bồi dưỡng kỹ năng số cho cán bộ, công chức, viên chức", "Sở Nội vụ", "Sở KH&CN", "Định kỳ",
     "Lớp bồi dưỡng"),
    (2, "Triển khai phong trào \"Bình dân học vụ số\", phổ cập kỹ năng số cho người dân", "Sở GD&ĐT",
     "Tỉnh đoàn; UBND các huyện, thị xã, thành phố", "trước ngày 31/12/2025", "Người dân được phổ cập"),
    (3, "Ban hành chính sách thu hút chuyên gia, nhà khoa học về làm việc tại tỉnh", "Sở Nội vụ",
     "Sở Tài chính", "Quý IV/2026", "Nghị quyết HĐND tỉnh"),
    (4, "Đẩy mạnh giáo dục STEM trong các trường phổ thông", "Sở Giáo dục và Đào tạo", "", "Năm 2027",
     "Kế hoạch giáo dục STEM"),
    ("VII", "PHÁT TRIỂN KINH TẾ SỐ, XÃ HỘI SỐ"),
    (1, "Đưa sản phẩm OCOP, sản phẩm chủ lực lên sàn thương mại điện tử", "Sở Công Thương",
     "Sở Nông nghiệp và Môi trường", "Tháng 10/2025", "Gian hàng trực tuyến"),
    (2, "Hỗ trợ doanh nghiệp nhỏ và vừa chuyển đổi số", "Sở Công Thương", "Hiệp hội Doanh nghiệp tỉnh",
     "2026-2030", "Doanh nghiệp được hỗ trợ"),
    (3, "Ứng dụng truy xuất nguồn gốc, nông nghiệp số", "Sở Nông nghiệp và Môi trường", "Sở KH&CN",
     "Quý III/2026", "Mã truy xuất nguồn gốc"),
    (4, "Phát triển du lịch thông minh, bản đồ số du lịch", "Sở VH,TT&DL", "Sở KH&CN",
     "6 tháng cuối năm 2026", "Ứng dụng du lịch thông minh"),
    (5, "Thúc đẩy thanh toán không dùng tiền mặt trong dịch vụ công", "Ngân hàng Nhà nước Khu vực 9",
     "Sở Tài chính; Bảo hiểm xã hội tỉnh", "Hằng quý", "Báo cáo kết quả"),
    (6, "Triển khai hồ sơ sức khỏe điện tử cho người dân", "Sở Y tế", "Bảo hiểm xã hội tỉnh", "30-6-2026",
     "Hồ sơ sức khỏe điện tử"),
    ("VIII", "BẢO ĐẢM AN TOÀN, AN NINH MẠNG"),
    (1, "Vận hành Trung tâm giám sát an toàn thông tin (SOC) của tỉnh", "Công an tỉnh", "Sở KH&CN",
     "Quý II/2025", "Trung tâm SOC"),
    (2, "Tổ chức diễn tập ứng cứu sự cố an toàn thông tin mạng", MERGED, "Sở KH&CN; Các sở, ban, ngành",
     "Hằng năm", "Báo cáo diễn tập"),
    (3, "Kiểm tra, đánh giá an toàn hệ thống thông tin theo cấp độ", "Sở KH&CN", "Công an tỉnh",
     "Tháng 11/2025", "Báo cáo kiểm tra"),
    ("IX", "TỔ CHỨC THỰC HIỆN"),
    (1, "Theo dõi, đôn đốc, tổng hợp báo cáo kết quả thực hiện Kế hoạch", "VP UBND tỉnh",
     "Các sở, ban, ngành", "Định kỳ hằng quý", "Báo cáo định kỳ"),
    (2, "Sơ kết 01 năm thực hiện Kế hoạch", "Sở KH&CN", "Các sở, ban, ngành", "Tháng 12/2025",
     "Báo cáo sơ kết"),
    (3, "Bố trí kinh phí thực hiện Kế hoạch trong dự toán hằng năm", "Sở Tài chính", "Sở KH&CN", "hàng năm",
     "Dự toán được giao"),
]  # fmt: skip

NOTES = [
    "Ghi chú: Các cơ quan chủ trì chủ động xây dựng kế hoạch chi tiết, báo cáo kết quả trước ngày 10 "
    "của tháng cuối quý gửi Sở Khoa học và Công nghệ để tổng hợp.",
]
SIGNATURE = ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "", "", "Trần Văn Minh"]


def _title_block(sheet: Worksheet) -> int:
    bold = Font(name="Times New Roman", bold=True, size=13)
    rows = [
        ("A1:B1", "ỦY BAN NHÂN DÂN", "D1:F1", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        ("A2:B2", "TỈNH BÌNH AN", "D2:F2", "Độc lập - Tự do - Hạnh phúc"),
    ]
    for left, left_text, right, right_text in rows:
        for cells, text in ((left, left_text), (right, right_text)):
            sheet.merge_cells(cells)
            cell = sheet[cells.split(":")[0]]
            cell.value, cell.font, cell.alignment = text, bold, Alignment(horizontal="center")
    lines = [
        "PHỤ LỤC",
        "DANH MỤC NHIỆM VỤ TRIỂN KHAI NGHỊ QUYẾT SỐ 57-NQ/TW NGÀY 22/12/2024 CỦA BỘ CHÍNH TRỊ VỀ ĐỘT PHÁ "
        "PHÁT TRIỂN KHOA HỌC, CÔNG NGHỆ, ĐỔI MỚI SÁNG TẠO VÀ CHUYỂN ĐỔI SỐ QUỐC GIA",
        "(Kèm theo Kế hoạch số 45-KH/UBND ngày 10/3/2025 của Ủy ban nhân dân tỉnh Bình An)",
    ]
    for offset, text in enumerate(lines):
        row = 4 + offset
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=6)
        cell = sheet.cell(row=row, column=1, value=text)
        cell.font = Font(name="Times New Roman", bold=offset < 2, italic=offset == 2, size=13)
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
    return 8


def _table(sheet: Worksheet, header_row: int) -> int:
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="center")
    for column, text in enumerate(HEADER, start=1):
        cell = sheet.cell(row=header_row, column=column, value=text)
        cell.font, cell.border, cell.alignment = Font(bold=True), border, Alignment(wrap_text=True)
        number = sheet.cell(row=header_row + 1, column=column, value=f"({column})")
        number.font, number.border = Font(italic=True), border
    row = header_row + 2
    spans: list[tuple[int, int, int]] = []  # (column, first row, last row) of vertical merges
    running: dict[int, tuple[int, int]] = {}
    for record in TABLE:
        values = list(record) + [""] * (len(HEADER) - len(record))
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=row, column=column)
            cell.border, cell.alignment, cell.font = border, wrap, Font(bold=len(record) == 2)
            if value == MERGED:
                running[column] = (running.get(column, (row - 1, row))[0], row)
                continue
            if column in running:
                spans.append((column, *running.pop(column)))
            cell.value = value or None
            if isinstance(value, datetime):
                cell.number_format = "dd/mm/yyyy"
        if len(record) == 2:
            sheet.merge_cells(start_row=row, start_column=2, end_row=row, end_column=6)
        row += 1
    for column, first, last in spans + [(column, *span) for column, span in running.items()]:
        sheet.merge_cells(start_row=first, start_column=column, end_row=last, end_column=column)
    return row


def _closing(sheet: Worksheet, row: int) -> None:
    for note in NOTES:
        sheet.merge_cells(start_row=row + 1, start_column=1, end_row=row + 1, end_column=6)
        cell = sheet.cell(row=row + 1, column=1, value=note)
        cell.font, cell.alignment = Font(italic=True), Alignment(wrap_text=True)
        row += 1
    sheet.cell(row=row + 2, column=1, value="Nơi nhận:").font = Font(bold=True, italic=True)
    for offset, line in enumerate(SIGNATURE):
        cell = sheet.cell(row=row + 2 + offset, column=5, value=line or None)
        cell.font, cell.alignment = Font(bold=True), Alignment(horizontal="center")


def main() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Phụ lục"
    for column, width in zip("ABCDEF", (7, 60, 24, 30, 18, 24), strict=True):
        sheet.column_dimensions[column].width = width
    end = _table(sheet, _title_block(sheet))
    _closing(sheet, end)
    book.save(OUT)
    print(f"Wrote {OUT}")


if __name__ == "__main__":
    main()
