"""What a report says at a cut-off date: title block, summary, per unit, watch lists, annex.

Every count comes from tracker.views.classify: as of the cut-off date, counting what
had happened by then as known now (an entry made later for an earlier day counts
where it belongs), or, with known_on, only what had been recorded by then, which
reproduces a report made at that moment. The writers (xlsx, docx) only lay this out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

import pandas as pd
from sqlmodel import Session, col, select

from models import IndicatorStatus, Plan, TaskClass, Unit, UnitKind
from tracker.coordination.reads import coordination_table
from tracker.errors import NotFound
from tracker.i18n import day, label
from tracker.indicators.queries import STATUS_ORDER, IndicatorAt, indicators_at, status_counts
from tracker.indicators.views import indicator_records
from tracker.reports.reads import evidence_references, last_unit_notes
from tracker.reports.tables import (
    ANNEX_COLUMNS,
    AWAITING_COLUMNS,
    COORDINATION_COLUMNS,
    DUE_SOON_COLUMNS,
    EXTENDED_COLUMNS,
    INDICATOR_COLUMNS,
    JOINT_LEADS_NOTE,
    LATE_COLUMNS,
    OVERDUE_COLUMNS,
    UNIT_COLUMNS,
    Table,
    annex_rows,
    late_rows,
    numbered,
    texts_for,
    unit_rows,
)
from tracker.reports.wording import change_words, count_change, rate_change, rate_text
from tracker.views.breakdowns import due_soon_tasks, overdue_tasks, unit_table
from tracker.views.classify import Summary, end_of_day, summarize
from tracker.views.filters import filter_tasks
from tracker.views.periods import Period, PeriodKind, period_for, previous_cutoff
from tracker.views.queries import read_state

if TYPE_CHECKING:
    from tracker.views.store import StateStore

# The body above the issuer in the title block, and the issuer that signs (Decree 30/2020 layout).
DEFAULT_PARENT_BODY = "BAN CHỈ ĐẠO TỈNH VỀ PHÁT TRIỂN KHOA HỌC, CÔNG NGHỆ, ĐỔI MỚI SÁNG TẠO VÀ CHUYỂN ĐỔI SỐ"
DEFAULT_ISSUER = "TỔ GIÚP VIỆC"
SUBJECT = "Tình hình thực hiện nhiệm vụ các kế hoạch triển khai Nghị quyết số 57-NQ/TW của Bộ Chính trị"
# What the task lists (overdue, due soon, awaiting confirmation, extended) show, and what they are
# picked and sorted by: the lists take these columns alone, where taking every column of the
# 40,000 overdue tasks of 100,000 cost 35 ms.
_LISTED_COLUMNS = sorted(
    {
        column.key
        for columns in (OVERDUE_COLUMNS, DUE_SOON_COLUMNS, AWAITING_COLUMNS, EXTENDED_COLUMNS)
        for column in columns
        if column.key != "stt"
    }
    | {"id", "plan_id", "position", "task_class", "days_overdue", "days_left"}
    | {"due_soon", "awaiting_confirmation", "extended"}
)


@dataclass(frozen=True)
class SummaryLine:
    label: str
    now: int | float | None
    before: int | float | None
    is_rate: bool = False
    indent: bool = False

    @property
    def now_text(self) -> str:
        return rate_text(self.now) if self.is_rate else str(self.now)

    @property
    def before_text(self) -> str:
        if self.before is None:
            return ""
        return rate_text(self.before) if self.is_rate else str(self.before)

    @property
    def change_text(self) -> str:
        if self.is_rate:
            return rate_change(self.now, self.before)
        return count_change(int(self.now or 0), None if self.before is None else int(self.before))


@dataclass(frozen=True, eq=False)
class Report:
    as_of: date
    parent_body: str
    issuer: str
    scope: str
    plans: tuple[Plan, ...]
    period: Period | None
    due_soon_days: int
    # The recorded-time cut-off (None: everything recorded until the report was made).
    known_on: datetime | None
    summary: Summary
    previous: Summary
    previous_as_of: date
    units: Table
    coordination: Table
    overdue: Table
    due_soon: Table
    awaiting: Table
    extended: Table
    # Entries recorded after the period they belong to, per lead unit (tracker.views.late).
    late: Table
    annex: Table
    # The plans' indicators at the cut-off; none when the report covers one section of tasks.
    indicators: Table
    indicator_counts: dict[IndicatorStatus, int]

    @property
    def title(self) -> str:
        return f"{SUBJECT}, tính đến ngày {day(self.as_of)}"

    @property
    def plans_text(self) -> str:
        return "; ".join(
            f"{plan.number} – {plan.title}" if plan.title else plan.number for plan in self.plans
        )

    @property
    def period_text(self) -> str:
        if self.period is None:
            return ""
        start, end = day(self.period.start), day(self.period.end)
        return f"Kỳ báo cáo: {self.period.label_vi} (từ ngày {start} đến ngày {end})"

    def tables(self) -> tuple[Table, ...]:
        """Every table in reading order: per unit, the watch lists, late entries, coordination, the annex;
        the indicators when the plans have any."""
        tables = (
            self.units,
            self.overdue,
            self.due_soon,
            self.awaiting,
            self.extended,
            self.late,
            self.coordination,
            self.annex,
        )
        return (*tables, self.indicators) if len(self.indicators.rows) else tables

    def indicator_narrative(self) -> str:
        """The indicators in one sentence: how many, and how many stand in each status."""
        counts = ", ".join(
            f"{label(status).lower()} {self.indicator_counts[status]}"
            for status in STATUS_ORDER
            if self.indicator_counts[status]
        )
        total = len(self.indicators.rows)
        return (
            f"Tính đến ngày {day(self.as_of)}, có {total} chỉ tiêu ({counts}); "
            "tình trạng tính theo kết quả đã được xác nhận."
        )

    def summary_lines(self) -> list[SummaryLine]:
        """The summary table: each count now and at the previous report, then the two rates."""
        now, before = self.summary, self.previous

        def line(text: str, pick: Callable[[Summary], int | float | None], **flags: bool) -> SummaryLine:
            return SummaryLine(text, pick(now), pick(before), **flags)

        def one(name: TaskClass) -> SummaryLine:
            return line(f"– {label(name)}", lambda summary: summary.counts[name], indent=True)

        return [
            line("Tổng số nhiệm vụ", lambda summary: summary.total),
            line("Đã hoàn thành", lambda summary: summary.completed),
            one(TaskClass.completed_on_time),
            one(TaskClass.completed_late),
            line("Chưa hoàn thành", _open_tasks),
            one(TaskClass.in_progress_on_time),
            one(TaskClass.overdue),
            line(label(TaskClass.recurring), lambda summary: summary.counts[TaskClass.recurring]),
            line(label(TaskClass.undated), lambda summary: summary.counts[TaskClass.undated]),
            line(f"Sắp đến hạn (trong {self.due_soon_days} ngày tới)", lambda summary: summary.due_soon),
            line("Báo cáo hoàn thành, chờ xác nhận", lambda summary: summary.awaiting_confirmation),
            line("Đã được gia hạn", lambda summary: summary.extended),
            line("Đã hủy (không tính vào tổng số)", lambda summary: summary.cancelled),
            line("Không còn trong kế hoạch (không tính vào tổng số)", lambda summary: summary.not_in_plan),
            line("Tỷ lệ hoàn thành (trên số nhiệm vụ đã đến hạn)", lambda s: s.completion_rate, is_rate=True),
            line(
                "Tỷ lệ hoàn thành đúng hạn (trên số nhiệm vụ đã đến hạn)",
                lambda s: s.on_time_rate,
                is_rate=True,
            ),
        ]

    def narrative(self) -> str:
        """The summary as the opening paragraph of the written report."""
        s, counts = self.summary, self.summary.counts
        done_late = counts[TaskClass.completed_late]
        open_now = _open_tasks(s)
        text = (
            f"Tính đến ngày {day(self.as_of)}, tổng số nhiệm vụ được giao là {s.total}; "
            f"đã hoàn thành {s.completed} nhiệm vụ (đúng hạn {counts[TaskClass.completed_on_time]}, "
            f"quá hạn {done_late}); chưa hoàn thành {open_now} nhiệm vụ (trong hạn "
            f"{counts[TaskClass.in_progress_on_time]}, quá hạn {counts[TaskClass.overdue]}); "
            f"{counts[TaskClass.recurring]} nhiệm vụ thường xuyên, định kỳ; "
            f"{counts[TaskClass.undated]} nhiệm vụ chưa rõ thời hạn."
        )
        text += (
            f" Tỷ lệ hoàn thành trên số nhiệm vụ đã đến hạn đạt {rate_text(s.completion_rate)}; "
            f"tỷ lệ hoàn thành đúng hạn đạt {rate_text(s.on_time_rate)}."
        )
        completed = change_words(s.completed, self.previous.completed)
        overdue = change_words(counts[TaskClass.overdue], self.previous.counts[TaskClass.overdue])
        text += (
            f" So với kỳ báo cáo trước (ngày {day(self.previous_as_of)}): số nhiệm vụ hoàn thành "
            f"{completed}, số nhiệm vụ quá hạn {overdue}."
        )
        return text


def _open_tasks(summary: Summary) -> int:
    return summary.counts[TaskClass.in_progress_on_time] + summary.counts[TaskClass.overdue]


def _joint_leads_note(tasks: pd.DataFrame) -> str:
    """Why per-unit totals exceed the plan's, when some task has joint leads; else nothing.
    A collective among the leads ("các địa phương") counts no task, so it makes no lead joint."""
    kinds = tasks["lead_unit_kinds"]
    # Only a task with several leads can have joint ones: looked at one by one, they are few.
    several = kinds[kinds.str.len() > 1].tolist()
    joint = sum(sum(kind != UnitKind.collective for kind in leads) > 1 for leads in several)
    return JOINT_LEADS_NOTE.format(count=joint) if joint else ""


def _scope(
    session: Session, tasks: pd.DataFrame, unit_id: int | None, section_code: str | None
) -> tuple[pd.DataFrame, str]:
    parts = []
    if unit_id is not None:
        unit = session.get(Unit, unit_id)
        if unit is None:
            raise NotFound(f"Không có đơn vị số {unit_id}.")
        tasks = filter_tasks(tasks, lead_unit_ids=[unit_id])
        parts.append(f"Đơn vị chủ trì: {unit.name}")
    if section_code:
        in_section = tasks[tasks["section_code"] == section_code.strip()]
        if in_section.empty:
            raise NotFound(f"Không có nhiệm vụ nào thuộc mục '{section_code}' trong phạm vi báo cáo.")
        tasks = in_section
        parts.append(f"Mục {section_code.strip()}. {in_section['section_title'].iloc[0]}".rstrip(". "))
    return tasks, "; ".join(parts)


def build_report(
    session: Session,
    *,
    as_of: date,
    due_soon_days: int,
    plan_ids: list[int] | None = None,
    known_on: datetime | None = None,
    unit_id: int | None = None,
    section_code: str | None = None,
    period_kind: PeriodKind | str | None = None,
    issuer: str = DEFAULT_ISSUER,
    parent_body: str = DEFAULT_PARENT_BODY,
    store: StateStore | None = None,
) -> Report:
    """The report at AS_OF over the plans (default: in force), optionally one lead unit or one section;
    the tasks and history from STORE when given (queries.read_state).

    The change since the previous report compares with the previous cut-off of
    PERIOD_KIND (monthly when none is given), computed by the same rule.
    """
    kind = PeriodKind(period_kind) if period_kind else PeriodKind.month
    previous_as_of = previous_cutoff(kind, as_of)
    state = read_state(
        session,
        plan_ids,
        due_soon_days=due_soon_days,
        known_on=known_on,
        store=store,
        days=(as_of, previous_as_of),
    )
    ids, days = state.plan_ids, due_soon_days
    plans = tuple(session.exec(select(Plan).where(col(Plan.id).in_(ids)).order_by(col(Plan.id))))
    tasks, scope = _scope(session, state.tasks, unit_id, section_code)
    classified = state.at(as_of, tasks)
    late = state.late(as_of, kind, tasks)
    previous = state.summary(previous_as_of, tasks)
    end = end_of_day(as_of).to_pydatetime()
    if known_on is not None:
        end = min(end, known_on + timedelta.resolution)
    notes = state.per_task(
        "last_unit_notes",
        as_of,
        lambda task_ids: last_unit_notes(
            session, plan_ids=ids, as_of=as_of, known_on=known_on, task_ids=task_ids
        ),
    )
    # Task lists name every joint lead; the per-unit table counts the task for each.
    classified = classified.assign(
        last_note=texts_for(classified["id"], notes), lead_unit=classified["lead_units"].map("; ".join)
    )
    live = classified[classified["counted"]]
    listed = live[_LISTED_COLUMNS]
    indicators = (
        []
        if section_code
        else indicators_at(session, as_of=as_of, plan_ids=ids, unit_id=unit_id, known_on=known_on)
    )
    in_order = ["plan_id", "position"]
    return Report(
        as_of=as_of,
        parent_body=parent_body,
        issuer=issuer,
        scope=scope,
        plans=plans,
        period=period_for(period_kind, as_of) if period_kind else None,
        due_soon_days=days,
        known_on=known_on,
        summary=summarize(classified),
        previous=previous,
        previous_as_of=previous_as_of,
        units=Table(
            "Theo đơn vị",
            "Kết quả thực hiện theo đơn vị chủ trì",
            UNIT_COLUMNS,
            unit_rows(unit_table(classified), late, tasks.set_index("id")["lead_unit_ids"]),
            note=_joint_leads_note(live),
        ),
        coordination=Table(
            "Phối hợp",
            "Phối hợp giữa các đơn vị",
            COORDINATION_COLUMNS,
            coordination_table(session, plan_ids=ids, as_of=as_of, before=end),
        ),
        overdue=Table(
            "Quá hạn", "Nhiệm vụ quá hạn, chưa hoàn thành", OVERDUE_COLUMNS, numbered(overdue_tasks(listed))
        ),
        due_soon=Table(
            "Sắp đến hạn",
            f"Nhiệm vụ sắp đến hạn (trong {days} ngày tới)",
            DUE_SOON_COLUMNS,
            numbered(due_soon_tasks(listed)),
        ),
        awaiting=Table(
            "Chờ xác nhận",
            "Nhiệm vụ đơn vị báo cáo hoàn thành, chờ xác nhận",
            AWAITING_COLUMNS,
            numbered(listed[listed["awaiting_confirmation"]].sort_values(in_order)),
        ),
        extended=Table(
            "Được gia hạn",
            "Nhiệm vụ được gia hạn",
            EXTENDED_COLUMNS,
            numbered(listed[listed["extended"]].sort_values(in_order)),
        ),
        late=Table(
            "Báo cáo muộn",
            "Cập nhật báo cáo muộn (ghi nhận sau ngày chốt số liệu của kỳ), theo đơn vị",
            LATE_COLUMNS,
            late_rows(late),
        ),
        annex=Table(
            "Phụ lục",
            "Danh mục nhiệm vụ và kết quả thực hiện",
            ANNEX_COLUMNS,
            annex_rows(classified, evidence_references(session, plan_ids=ids, before=end)),
        ),
        indicators=Table(
            "Chỉ tiêu", "Chỉ tiêu và kết quả thực hiện", INDICATOR_COLUMNS, _indicator_rows(indicators)
        ),
        indicator_counts=status_counts(indicators),
    )


def _indicator_rows(indicators: list[IndicatorAt]) -> pd.DataFrame:
    records = indicator_records(indicators)
    return numbered(
        records.assign(
            plan_number=[indicator.plan_number for indicator in indicators],
            indicator_status=records["status"],
            status_label=[label(status) for status in records["status"]],
        )
    )
