"""The tables of a report: their columns (heading, width, kind) and the rows they show."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from models import TaskClass
from tracker.i18n import label
from tracker.views.breakdowns import NOT_RANKED, UNRANKED
from tracker.views.rows import labels

CANCELLED_LABEL = "Đã hủy (không tính)"
NOT_IN_PLAN_LABEL = "Không còn trong kế hoạch (không tính)"


@dataclass(frozen=True)
class Column:
    """One column of a report table: its key in the frame, heading, width (characters) and kind."""

    key: str
    heading: str
    width: int
    kind: str = "text"  # text | int | date | rate | class | rank
    wrap: bool = False


@dataclass(frozen=True, eq=False)
class Table:
    sheet: str
    heading: str
    columns: tuple[Column, ...]
    rows: pd.DataFrame
    # A line said under the heading, e.g. why per-unit totals exceed the plan's.
    note: str = ""


def _task_columns(*extra: Column) -> tuple[Column, ...]:
    return (
        Column("stt", "STT", 5, "int"),
        Column("plan_number", "Kế hoạch", 11),
        Column("code", "Mã", 7),
        Column("title", "Nội dung nhiệm vụ", 45, wrap=True),
        Column("lead_unit", "Đơn vị chủ trì", 22, wrap=True),
        *extra,
    )


_CLASS_COUNT_COLUMNS = tuple(Column(name.value, label(name), 11, "int") for name in TaskClass)
UNIT_COLUMNS = (
    Column("rank_text", "Xếp hạng", 11, "rank", wrap=True),
    Column("lead_unit", "Đơn vị chủ trì", 32, wrap=True),
    Column("total", "Tổng số", 8, "int"),
    *_CLASS_COUNT_COLUMNS,
    Column("completion_rate", "Tỷ lệ hoàn thành", 10, "rate"),
    Column("on_time_rate", "Tỷ lệ đúng hạn", 10, "rate"),
    Column("late_entries", "Cập nhật báo cáo muộn", 9, "int"),
)
COORDINATION_COLUMNS = (
    Column("unit", "Đơn vị phối hợp", 36, wrap=True),
    Column("received", "Yêu cầu phối hợp nhận được", 12, "int"),
    Column("answered", "Đã trả lời", 10, "int"),
    Column("overdue", "Quá hạn chưa trả lời", 12, "int"),
)
JOINT_LEADS_NOTE = (
    "{count} nhiệm vụ có nhiều đơn vị đồng chủ trì được tính cho từng đơn vị, nên tổng số theo đơn vị "
    "lớn hơn tổng số nhiệm vụ của kế hoạch."
)
LAST_NOTE = Column("last_note", "Tình hình, ý kiến gần nhất của đơn vị", 36, wrap=True)
DEADLINE = Column("deadline", "Thời hạn", 11, "date")
OVERDUE_COLUMNS = _task_columns(DEADLINE, Column("days_overdue", "Số ngày quá hạn", 9, "int"), LAST_NOTE)
DUE_SOON_COLUMNS = _task_columns(DEADLINE, Column("days_left", "Còn lại (ngày)", 9, "int"))
AWAITING_COLUMNS = _task_columns(
    Column("completed_on", "Ngày hoàn thành (đơn vị báo cáo)", 12, "date"), LAST_NOTE
)
EXTENDED_COLUMNS = _task_columns(
    Column("original_deadline", "Thời hạn ban đầu", 11, "date"),
    Column("deadline", "Thời hạn sau gia hạn", 11, "date"),
)
ANNEX_COLUMNS = (
    Column("stt", "STT", 5, "int"),
    Column("plan_number", "Kế hoạch", 11),
    Column("code", "Mã", 7),
    Column("section", "Nhóm nhiệm vụ", 15, wrap=True),
    Column("title", "Nội dung nhiệm vụ", 42, wrap=True),
    Column("lead_unit", "Đơn vị chủ trì", 18, wrap=True),
    Column("coordinating", "Đơn vị phối hợp", 20, wrap=True),
    DEADLINE,
    Column("deadline_text", "Thời hạn (theo văn bản)", 13, wrap=True),
    Column("class_label", "Kết quả thực hiện", 15, "class", wrap=True),
    Column("status_label", "Trạng thái", 13, wrap=True),
    Column("progress", "Tiến độ (%)", 8, "int"),
    Column("completed_on", "Ngày hoàn thành", 11, "date"),
    Column("evidence", "Minh chứng", 18, wrap=True),
)


# The "Chỉ tiêu" sheet and section: each indicator at the cut-off (tracker.indicators.views).
INDICATOR_COLUMNS = (
    Column("stt", "STT", 5, "int"),
    Column("plan_number", "Kế hoạch", 11),
    Column("code", "Mã", 8),
    Column("title", "Chỉ tiêu", 40, wrap=True),
    Column("measure_unit", "Đơn vị tính", 9, wrap=True),
    Column("baseline", "Hiện trạng", 9),
    Column("target", "Mục tiêu", 14, wrap=True),
    Column("target_year", "Năm mục tiêu", 8, "int"),
    Column("actual", "Kết quả mới nhất", 10),
    Column("period", "Kỳ", 10, wrap=True),
    Column("confirmation", "Xác nhận", 11, wrap=True),
    Column("status_label", "Tình trạng", 14, "indicator_status", wrap=True),
    Column("behind", "Chậm so với lộ trình", 9),
    Column("lead_unit", "Cơ quan chủ trì", 20, wrap=True),
)


LATE_COLUMNS = (
    Column("stt", "STT", 5, "int"),
    Column("lead_unit", "Đơn vị chủ trì", 22, wrap=True),
    Column("plan_number", "Kế hoạch", 11),
    Column("code", "Mã", 7),
    Column("title", "Nội dung nhiệm vụ", 40, wrap=True),
    Column("status_label", "Cập nhật", 13, wrap=True),
    Column("effective_on", "Ngày thực hiện", 11, "date"),
    Column("period_end", "Thuộc kỳ chốt ngày", 11, "date"),
    Column("recorded_on", "Ngày cập nhật", 11, "date"),
    Column("days_late", "Số ngày muộn", 8, "int"),
)


def unit_rows(units: pd.DataFrame, late: pd.DataFrame, leads: pd.Series) -> pd.DataFrame:
    """UNITS (breakdowns.unit_table) as a report lists them: the rank, or why a unit has none,
    and the number of late entries of each unit. LEADS gives each task id's lead unit ids:
    a late entry on a task with joint leads counts for each of them."""
    per_lead = late["task_id"].map(leads).explode()
    counts = per_lead.groupby(per_lead.astype("Int64"), dropna=False).size()
    found = counts.reindex(units["lead_unit_id"].astype("Int64").to_numpy()).fillna(0).astype(int)
    rank_text = [
        int(rank) if pd.notna(rank) else UNRANKED if pd.notna(unit) else NOT_RANKED
        for rank, unit in zip(units["rank"], units["lead_unit_id"], strict=True)
    ]
    return units.assign(
        rank_text=pd.Series(rank_text, index=units.index, dtype=object), late_entries=found.to_numpy()
    )


def late_rows(late: pd.DataFrame) -> pd.DataFrame:
    """The late entries (tracker.views.late) as the report lists them."""
    return numbered(late.assign(status_label=labels(late["status"])))


def texts_for(ids: pd.Series, texts: pd.Series) -> list[str]:
    """TEXTS (indexed by task id) for each of IDS, "" where a task has none."""
    found = texts.astype(object).reindex(ids.to_numpy())
    return found.where(found.notna(), "").tolist()


def numbered(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(stt=range(1, len(frame) + 1)).reset_index(drop=True)


def _sections(classified: pd.DataFrame) -> pd.Series:
    """Each task's section as "code. title"."""
    # Made once per section, not once per task: joining 100,000 texts cost 0.05 s.
    pairs = classified[["section_code", "section_title"]]
    codes = pairs.groupby(["section_code", "section_title"], sort=False, dropna=False).ngroup().to_numpy()
    first = pairs.iloc[np.unique(codes, return_index=True)[1]]
    names = first["section_code"].str.cat(first["section_title"], sep=". ").str.strip(". ")
    return names.take(codes).set_axis(classified.index)


def annex_rows(classified: pd.DataFrame, evidence: pd.Series) -> pd.DataFrame:
    section = _sections(classified)
    class_labels = {name.value: label(name) for name in TaskClass}
    return numbered(
        classified.assign(
            section=section,
            coordinating=classified["coordinating_units"].map("; ".join),
            class_label=classified["task_class"]
            .map(class_labels)
            .where(~classified["not_in_plan"], NOT_IN_PLAN_LABEL)
            .fillna(CANCELLED_LABEL),
            status_label=labels(classified["status"]),
            evidence=texts_for(classified["id"], evidence),
        )
    )
