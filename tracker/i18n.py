"""Labels in Vietnamese (first) and English for every value a user sees.

A test checks that every status, class, role and history kind has both.
"""

from __future__ import annotations

from enum import StrEnum

from models import HistoryKind, IndicatorStatus, PlanStatus, Role, TaskClass, TaskStatus

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
    HistoryKind.evidence: ("Bổ sung minh chứng", "Evidence added"),
    HistoryKind.extension_requested: ("Đề nghị gia hạn", "Extension requested"),
    HistoryKind.extension_approved: ("Đồng ý gia hạn", "Extension approved"),
    HistoryKind.extension_refused: ("Không đồng ý gia hạn", "Extension refused"),
    # plan statuses
    PlanStatus.in_force: ("Đang hiệu lực", "In force"),
    PlanStatus.replaced: ("Đã thay thế", "Replaced"),
    # indicator statuses (IndicatorStatus.in_progress shares the task status's label)
    IndicatorStatus.met: ("Đạt", "Met"),
    IndicatorStatus.not_met: ("Không đạt", "Not met"),
    IndicatorStatus.no_data: ("Chưa có số liệu", "No data"),
    IndicatorStatus.unassessed: ("Mục tiêu định tính, chưa đánh giá", "Target in words, not assessed"),
}


def label(value: StrEnum | str, lang: Lang = "vi") -> str:
    """The label of VALUE in LANG; the value itself when it has none."""
    pair = LABELS.get(str(value))
    if pair is None:
        return str(value)
    return pair[1] if lang == "en" else pair[0]
