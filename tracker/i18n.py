"""The tracker's language layer: labels and texts in Vietnamese (first) and English, and how
dates and numbers are written in each.

Data carries neutral keys (statuses, classes, column names); text is drawn from
them here, where it is shown. A test checks that every status, class, role and
history kind has both labels. The UI's own strings are in ui/strings.py.
"""

from __future__ import annotations

import sys
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from models import (
    NOT_IN_PLAN,
    HistoryKind,
    IndicatorStatus,
    PartStatus,
    PlanStatus,
    Role,
    TaskClass,
    TaskStatus,
)

if TYPE_CHECKING:
    import pandas as pd

Lang = str  # "vi" or "en"
LANGS: tuple[Lang, ...] = ("vi", "en")

LABELS: dict[str, tuple[str, str]] = {
    # statuses
    TaskStatus.not_started: ("Chưa triển khai", "Not started"),
    TaskStatus.in_progress: ("Đang thực hiện", "In progress"),
    TaskStatus.reported_done: ("Báo cáo hoàn thành, chờ xác nhận", "Reported done, awaiting confirmation"),
    TaskStatus.completed: ("Đã hoàn thành", "Completed"),
    TaskStatus.paused: ("Tạm dừng, vướng mắc", "Paused, blocked"),
    TaskStatus.cancelled: ("Đã hủy", "Cancelled"),
    # classes at a date
    TaskClass.completed_on_time: ("Hoàn thành đúng hạn", "Completed on time"),
    TaskClass.completed_late: ("Hoàn thành quá hạn", "Completed late"),
    TaskClass.in_progress_on_time: ("Chưa hoàn thành, trong hạn", "Not completed, within deadline"),
    TaskClass.overdue: ("Quá hạn, chưa hoàn thành", "Overdue, not completed"),
    TaskClass.recurring: ("Thường xuyên, định kỳ", "Recurring"),
    TaskClass.undated: ("Chưa rõ thời hạn", "No readable deadline"),
    # roles
    Role.committee: ("Lãnh đạo, thành viên BCĐ", "Committee member"),
    Role.unit: ("Cán bộ đơn vị", "Unit staff"),
    Role.secretariat: ("Tổ giúp việc, Văn phòng", "Secretariat"),
    # history kinds
    HistoryKind.created: ("Tạo nhiệm vụ", "Task created"),
    HistoryKind.status: ("Cập nhật tiến độ", "Progress update"),
    HistoryKind.confirmed: ("Xác nhận hoàn thành", "Completion confirmed"),
    HistoryKind.returned: ("Trả lại báo cáo", "Report returned"),
    HistoryKind.field_edit: ("Sửa thông tin nhiệm vụ", "Task edited"),
    HistoryKind.import_update: ("Cập nhật từ phụ lục", "Updated by import"),
    HistoryKind.comment: ("Ý kiến", "Comment"),
    HistoryKind.explanation_request: ("Yêu cầu giải trình", "Request for explanation"),
    HistoryKind.coordination_note: ("Ý kiến phối hợp", "Coordination note"),
    HistoryKind.coordination_request: ("Yêu cầu phối hợp", "Request for input"),
    HistoryKind.coordination_part: ("Phần phối hợp", "Coordinating unit's part"),
    PartStatus.to_do: ("Chưa bắt đầu phần phối hợp", "Part not started"),
    PartStatus.working: ("Đang phối hợp", "Part under way"),
    PartStatus.done: ("Đã xong phần phối hợp", "Part done"),
    HistoryKind.evidence: ("Bổ sung minh chứng", "Evidence added"),
    HistoryKind.extension_requested: ("Đề nghị gia hạn", "Extension requested"),
    HistoryKind.extension_approved: ("Đồng ý gia hạn", "Extension approved"),
    HistoryKind.extension_refused: ("Không đồng ý gia hạn", "Extension refused"),
    HistoryKind.dropped: ("Không còn trong kế hoạch sửa đổi", "Dropped by a revision of the plan"),
    HistoryKind.relisted: ("Có lại trong kế hoạch sửa đổi", "Listed again by a revision of the plan"),
    HistoryKind.kept: ("Giữ trong kế hoạch", "Kept in the plan"),
    # where a task stands at a date when a revision no longer lists it (tracker.views.classify)
    NOT_IN_PLAN: ("Không còn trong kế hoạch", "Not in the plan"),
    # plan statuses
    PlanStatus.in_force: ("Đang hiệu lực", "In force"),
    PlanStatus.replaced: ("Đã thay thế", "Replaced"),
    # indicator statuses (IndicatorStatus.in_progress shares the task status's label)
    IndicatorStatus.met: ("Đạt", "Met"),
    IndicatorStatus.not_met: ("Không đạt", "Not met"),
    IndicatorStatus.no_data: ("Chưa có số liệu", "No data"),
}


def label(value: StrEnum | str, lang: Lang = "vi") -> str:
    """The label of VALUE in LANG; the value itself when it has none."""
    pair = LABELS.get(str(value))
    if pair is None:
        return str(value)
    return pair[1] if lang == "en" else pair[0]


# Texts the tracker draws itself (chart titles and axes), by key.
TEXTS: dict[str, tuple[str, str]] = {
    "tasks": ("Số nhiệm vụ", "Tasks"),
    "unit": ("Đơn vị chủ trì", "Lead unit"),
    "plan": ("Kế hoạch", "Plan"),
    "month": ("Tháng đến hạn", "Month due"),
    "as_of": ("Tính đến ngày", "As of"),
    "completed": ("Đã hoàn thành", "Completed"),
    "overdue": ("Quá hạn, chưa hoàn thành", "Overdue"),
    "classes": ("Nhiệm vụ theo kết quả thực hiện", "Tasks by result"),
    # A second, smaller line keeps a long title whole on a phone's width.
    "by_unit": (
        "Kết quả theo đơn vị chủ trì<br><sup>Nhiều nhiệm vụ quá hạn nhất ở trên</sup>",
        "Results by lead unit<br><sup>Most overdue on top</sup>",
    ),
    "by_month": ("Thời hạn theo tháng", "Deadlines by month"),
    "timeline": ("Tiến trình các nhiệm vụ có thời hạn", "Timeline of dated tasks"),
    "trend": ("Diễn biến theo kỳ báo cáo", "Trend by report period"),
    "heatmap": ("Số nhiệm vụ đến hạn theo đơn vị và tháng", "Tasks due by unit and month"),
    "by_plan": ("Kết quả theo kế hoạch", "Results by plan"),
    "empty": ("Chưa có nhiệm vụ để hiển thị", "No tasks to show"),
    # indicators (tracker.indicators.views): table headings, chart lines
    "indicator_code": ("Mã", "Code"),
    "indicator_section": ("Mục", "Section"),
    "indicator_title": ("Chỉ tiêu", "Indicator"),
    "indicator_measure_unit": ("Đơn vị tính", "Unit of measure"),
    "indicator_baseline": ("Hiện trạng", "Baseline"),
    "indicator_target": ("Mục tiêu", "Target"),
    "indicator_target_year": ("Năm mục tiêu", "Target year"),
    "indicator_lead_unit": ("Cơ quan chủ trì", "Lead unit"),
    "indicator_actual": ("Kết quả mới nhất", "Latest value"),
    "indicator_period": ("Kỳ", "Period"),
    "indicator_confirmation": ("Xác nhận", "Confirmation"),
    "indicator_status": ("Tình trạng", "Status"),
    "indicator_behind": ("Chậm so với lộ trình", "Behind the path"),
    "indicator_trend": ("Diễn biến", "Trend"),
    "indicator_confirmed": ("Đã xác nhận", "Confirmed"),
    "indicator_awaiting": ("Chờ xác nhận", "Awaiting confirmation"),
    "indicator_value": ("Giá trị", "Value"),
    "indicator_source": ("Nguồn số liệu", "Source"),
    "indicator_evidence": ("Minh chứng", "Evidence"),
    "indicator_note": ("Ghi chú", "Note"),
    "indicator_recorded_by": ("Người ghi", "Recorded by"),
    "indicator_recorded_at": ("Thời điểm ghi", "Recorded at"),
    "indicator_confirmed_by": ("Người xác nhận", "Confirmed by"),
    "indicator_target_line": ("Mục tiêu", "Target"),
    "indicator_path_line": ("Lộ trình", "Path"),
    "indicator_values_line": ("Kết quả đã xác nhận", "Confirmed values"),
    "indicator_awaiting_line": ("Kết quả chờ xác nhận", "Values awaiting confirmation"),
    "indicator_chart_title": ("Diễn biến kết quả so với mục tiêu", "Values against the target"),
    "indicator_yes": ("Có", "Yes"),
    # an assessment against a target in words (tracker.indicators.values)
    "indicator_reached": ("Đạt", "Reached"),
    "indicator_not_reached": ("Chưa đạt", "Not reached"),
}


def text(key: str, lang: Lang = "vi") -> str:
    """The tracker text KEY in LANG."""
    vi, en = TEXTS[key]
    return en if lang == "en" else vi


# Decimal mark, then thousands mark: Vietnamese writes 20.000 and 62,5; English 20,000 and 62.5.
SEPARATORS: dict[Lang, str] = {"vi": ",.", "en": ".,"}


def _missing(value: object) -> bool:
    """None, or pandas' own missing value (NaT, NaN) from a frame's cell."""
    # A value from a frame exists only once pandas is loaded: a command that has no frame (an
    # import, a reminder run) then does not pay half a second to load pandas for this check.
    pandas = sys.modules.get("pandas")
    return value is None or (pandas is not None and bool(pandas.isna(value)))


def day(value: date | datetime | pd.Timestamp | None) -> str:
    """DD/MM/YYYY in either language (the administration's way), or "" for a missing date."""
    if _missing(value):
        return ""
    return f"{value:%d/%m/%Y}"


def moment(value: datetime | pd.Timestamp | None) -> str:
    """HH:MM DD/MM/YYYY, or "" for a missing time."""
    if _missing(value):
        return ""
    return f"{value:%H:%M %d/%m/%Y}"


def number(value: float, decimals: int = 0, lang: Lang = "vi") -> str:
    """VALUE with DECIMALS decimals and the marks of LANG: "20.000", "62,5" in Vietnamese."""
    marks = SEPARATORS.get(lang, SEPARATORS["vi"])
    marks_by_english: dict[str, str | int | None] = {".": marks[0], ",": marks[1]}
    return f"{value:,.{decimals}f}".translate(str.maketrans(marks_by_english))


def megabytes(size: int, lang: Lang = "vi") -> str:
    """A size in bytes as megabytes with one decimal: "20,0 MB" in Vietnamese."""
    return f"{number(size / 1024 / 1024, 1, lang)} MB"


def percent(share: float, lang: Lang = "vi", decimals: int = 1) -> str:
    """A share (0.233) as a percentage: "23,3%" in Vietnamese, "23.3%" in English."""
    return f"{number(share * 100, decimals, lang)}%"
