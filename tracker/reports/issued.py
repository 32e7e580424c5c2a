"""Issued reports (báo cáo đã ban hành): what was said, kept as it was said.

The secretariat issues a report with its number, date, place and signer and
the narrative sections it wrote (pre-filled here from the figures). The
register keeps the .docx and .xlsx as issued, the figures, each task's class
and the moment of issue, which is also the recorded-time cut-off: a report
known on that moment says exactly the same. Nothing here updates or deletes a
row (the database refuses both). Opening an issued report compares its
figures with a regeneration now, so later entries for its date show up as
changes per class and per task.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from models import NOT_IN_PLAN, IssuedReport, TaskClass, User
from tracker.clock import now
from tracker.errors import InvalidValue, NotFound
from tracker.i18n import day, label
from tracker.reports.content import Report, build_report
from tracker.reports.figures import report_json
from tracker.reports.wording import change_words
from tracker.tasks.permissions import Action, require_current
from tracker.views.classify import CLASSES

# The narrative sections of a report, in the order they are written.
SECTIONS = {
    "assessment": "Đánh giá chung",
    "shortcomings": "Tồn tại, hạn chế",
    "causes": "Nguyên nhân",
    "next_tasks": "Nhiệm vụ trọng tâm kỳ tới",
    "proposals": "Đề xuất, kiến nghị",
}
MAX_FIELD = 200
MAX_SECTION = 20_000
# Units named in a pre-filled sentence: the most behind first.
_NAMED_UNITS = 5
_CANCELLED = "cancelled"


@dataclass(frozen=True)
class IssueDetails:
    """What the secretariat gives when it issues a report."""

    number: str
    issued_on: date
    place: str
    signer_position: str
    signer_name: str
    sections: Mapping[str, str]


@dataclass(frozen=True)
class ReportRequest:
    """What a report was asked for, kept with an issued report so it can be made again."""

    as_of: date
    due_soon_days: int
    known_on: datetime | None = None
    plan_ids: list[int] | None = None
    unit_id: int | None = None
    section_code: str | None = None
    period_kind: str | None = None

    def build(self, session: Session) -> Report:
        return build_report(
            session,
            as_of=self.as_of,
            due_soon_days=self.due_soon_days,
            known_on=self.known_on,
            plan_ids=self.plan_ids,
            unit_id=self.unit_id,
            section_code=self.section_code,
            period_kind=self.period_kind,
        )

    def as_json(self) -> str:
        return json.dumps(asdict(self), default=lambda value: value.isoformat())

    @classmethod
    def from_json(cls, text: str) -> ReportRequest:
        params = json.loads(text)
        known_on = params["known_on"]
        return cls(
            **params
            | {
                "as_of": date.fromisoformat(params["as_of"]),
                "known_on": datetime.fromisoformat(known_on) if known_on else None,
            }
        )


@dataclass(frozen=True)
class IssuedSummary:
    id: int
    number: str
    as_of: date
    issued_on: date
    issued_at: datetime
    by: str
    total: int
    counts: dict[str, int]


@dataclass(frozen=True)
class Changes:
    """How a regeneration now differs from what an issued report said."""

    counts: dict[str, int]
    tasks: list[dict[str, str | None]]


def _behind(report: Report) -> list[tuple[str, int]]:
    """Lead units with overdue tasks and how many, the most overdue first."""
    rows = report.units.rows
    if rows.empty:
        return []
    overdue = TaskClass.overdue.value
    behind = rows[rows[overdue] > 0].sort_values(overdue, ascending=False, kind="stable")
    return [(str(row["lead_unit"]), int(row[overdue])) for _, row in behind.iterrows()]


def _named(names: list[str]) -> str:
    shown = ", ".join(names[:_NAMED_UNITS])
    more = len(names) - _NAMED_UNITS
    return f"{shown} và {more} đơn vị khác" if more > 0 else shown


def draft_sections(report: Report) -> dict[str, str]:
    """Sentences generated from the figures, for the secretariat to edit before issuing."""
    s, before = report.summary, report.previous
    overdue = s.counts[TaskClass.overdue]
    on_time = s.counts[TaskClass.completed_on_time]
    # The committee's question first (how many on time, and the trend), then every count.
    assessment = (
        f"Có {on_time}/{s.total} nhiệm vụ hoàn thành đúng hạn, "
        f"{change_words(on_time, before.counts[TaskClass.completed_on_time])} so với kỳ trước. "
        + report.narrative()
    )
    behind = _behind(report)
    shortcomings = []
    if overdue:
        shortcomings.append(
            f"Còn {overdue} nhiệm vụ quá hạn chưa hoàn thành "
            f"({change_words(overdue, before.counts[TaskClass.overdue])} so với kỳ trước), "
            f"tập trung ở: {_named([f'{name} ({count})' for name, count in behind])}."
        )
    if s.awaiting_confirmation:
        shortcomings.append(
            f"Có {s.awaiting_confirmation} nhiệm vụ đơn vị đã báo cáo hoàn thành nhưng chưa được xác nhận."
        )
    focus = [
        *([f"{overdue} nhiệm vụ quá hạn"] if overdue else []),
        *([f"{s.due_soon} nhiệm vụ đến hạn trong {report.due_soon_days} ngày tới"] if s.due_soon else []),
    ]
    next_tasks = [f"Tập trung hoàn thành {' và '.join(focus)}."] if focus else []
    proposals = []
    if behind:
        proposals.append(
            f"Đề nghị Ban Chỉ đạo chỉ đạo các đơn vị có nhiệm vụ quá hạn "
            f"({_named([name for name, _ in behind])}) khẩn trương "
            "hoàn thành, báo cáo kết quả và giải trình nguyên nhân chậm trễ."
        )
    return {
        "assessment": assessment,
        "shortcomings": " ".join(shortcomings),
        "causes": "",
        "next_tasks": " ".join(next_tasks),
        "proposals": " ".join(proposals),
    }


def _field(value: str, what: str) -> str:
    value = " ".join(value.split())
    if not value:
        raise InvalidValue(f"Cần ghi {what} của báo cáo ban hành.")
    if len(value) > MAX_FIELD:
        raise InvalidValue(f"{what.capitalize()} dài {len(value)} ký tự, vượt giới hạn {MAX_FIELD}.")
    return value


def checked_details(details: IssueDetails, *, as_of: date) -> IssueDetails:
    """DETAILS tidied, or InvalidValue naming the field that is missing or wrong."""
    unknown = set(details.sections) - set(SECTIONS)
    if unknown:
        raise InvalidValue(f"Không có mục '{sorted(unknown)[0]}' trong báo cáo.")
    sections = {key: details.sections.get(key, "").strip() for key in SECTIONS}
    for key, text in sections.items():
        if len(text) > MAX_SECTION:
            raise InvalidValue(f"Mục '{SECTIONS[key]}' dài {len(text)} ký tự, vượt giới hạn {MAX_SECTION}.")
    if details.issued_on < as_of:
        raise InvalidValue(f"Ngày ban hành {day(details.issued_on)} trước ngày chốt số liệu {day(as_of)}.")
    return IssueDetails(
        number=_field(details.number, "số báo cáo"),
        issued_on=details.issued_on,
        place=_field(details.place, "địa danh"),
        signer_position=_field(details.signer_position, "chức vụ người ký"),
        signer_name=_field(details.signer_name, "họ tên người ký"),
        sections=sections,
    )


def task_classes(report: Report) -> dict[str, str]:
    """Each task of the report's annex, "plan code" → its class ("cancelled" for a cancelled one,
    "not_in_plan" for one out of its plan)."""
    rows = report.annex.rows
    keys = rows["plan_number"].astype(str) + " " + rows["code"].astype(str)
    classes = rows["task_class"].where(~rows["not_in_plan"], NOT_IN_PLAN)
    classes = classes.where(classes.notna(), _CANCELLED).astype(str)
    return dict(zip(keys, classes, strict=True))


def _number_taken(number: str) -> str:
    return f"Số báo cáo '{number}' đã được dùng cho một báo cáo đã ban hành."


def issue_report(
    session: Session,
    *,
    request: ReportRequest,
    report: Report,
    details: IssueDetails,
    docx: bytes,
    xlsx: bytes,
    by: User,
) -> IssuedReport:
    """Record REPORT as issued, with its files as they were made; the number is used once."""
    require_current(session, by, Action.issue_report)
    assert by.id is not None
    if session.exec(select(IssuedReport.id).where(IssuedReport.number == details.number)).first():
        raise InvalidValue(_number_taken(details.number))
    issued = IssuedReport(
        number=details.number,
        as_of=report.as_of,
        issued_on=details.issued_on,
        place=details.place,
        signer_position=details.signer_position,
        signer_name=details.signer_name,
        scope=report.scope,
        params=request.as_json(),
        figures=json.dumps(report_json(report), ensure_ascii=False),
        sections=json.dumps(dict(details.sections), ensure_ascii=False),
        task_classes=json.dumps(task_classes(report), ensure_ascii=False),
        docx=docx,
        xlsx=xlsx,
        user_id=by.id,
        issued_at=now(),
    )
    session.add(issued)
    try:
        session.flush()
    except IntegrityError:
        raise InvalidValue(
            f"Số báo cáo '{details.number}' đã được dùng cho một báo cáo đã ban hành."
        ) from None
    return issued


def _summary(issued: IssuedReport, by: str) -> IssuedSummary:
    figures = json.loads(issued.figures)
    assert issued.id is not None
    return IssuedSummary(
        id=issued.id,
        number=issued.number,
        as_of=issued.as_of,
        issued_on=issued.issued_on,
        issued_at=issued.issued_at,
        by=by,
        total=int(figures["total"]),
        counts={name: int(value) for name, value in figures["counts"].items()},
    )


def list_issued(session: Session) -> list[IssuedSummary]:
    """The register, newest first, without loading the files."""
    query = (
        select(IssuedReport, User.username)
        .join(User, col(User.id) == IssuedReport.user_id)
        .order_by(col(IssuedReport.issued_at).desc(), col(IssuedReport.id).desc())
    )
    return [_summary(issued, username) for issued, username in session.exec(query)]


def get_issued(session: Session, issued_id: int) -> tuple[IssuedReport, IssuedSummary]:
    found = session.exec(
        select(IssuedReport, User.username)
        .join(User, col(User.id) == IssuedReport.user_id)
        .where(IssuedReport.id == issued_id)
    ).first()
    if found is None:
        raise NotFound(f"Không có báo cáo đã ban hành số thứ tự {issued_id}.")
    issued, username = found
    return issued, _summary(issued, username)


def changes_since(session: Session, issued: IssuedReport) -> Changes:
    """What later entries changed for the issued report's date: the count per class and the tasks.

    The report is made again for its date as known now, whatever cut-off it was issued with.
    """
    now_report = replace(ReportRequest.from_json(issued.params), known_on=None).build(session)
    said = json.loads(issued.figures)["counts"]
    regenerated = now_report.summary.counts
    counts = {name.value: int(regenerated[name]) - int(said.get(name.value, 0)) for name in CLASSES}
    before: dict[str, str] = json.loads(issued.task_classes)
    after = task_classes(now_report)
    tasks = [
        {"task": key, "before": before.get(key), "after": after.get(key)}
        for key in sorted(before.keys() | after.keys())
        if before.get(key) != after.get(key)
    ]
    return Changes(counts={name: delta for name, delta in counts.items() if delta}, tasks=tasks)


def class_label(name: str | None) -> str:
    """A stored class name as the register shows it."""
    if name is None:
        return "—"
    return "Đã hủy" if name == _CANCELLED else label(TaskClass(name))
