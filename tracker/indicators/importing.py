"""An indicator annex → the plan's indicator definitions, by the task importer's rules.

Rows are numbered by tracker.importer.codes like tasks: Roman numerals open a
section, "11.1" sits under "11", a numbered row with rows below it and neither
a lead unit nor a target is a group whose text heads its sub-rows, and a row
with its own lead and target above sub-rows is an indicator itself. A section
heading without a number ("Đến năm 2030") opens a section too. The target year
comes from the target column's header ("Mục tiêu năm 2030"), else from the
section heading. A re-import updates the definitions and never touches values.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlmodel import Session, col, delete, select

from models import Indicator, IndicatorCoordinator
from tracker.clock import now
from tracker.directory.units import split_unit_names, unit_key
from tracker.importer.codes import Cells, Entry, number_rows
from tracker.importer.layout import INDICATOR_FIELDS, INDICATOR_LABELS, IndicatorLayout
from tracker.importer.rows import MAX_CODE, Problem
from tracker.indicators.targets import Target, parse_target, read_number
from tracker.textfold import fold

if TYPE_CHECKING:
    import pandas as pd

_YEAR = re.compile(r"(?<!\d)((?:19|20|21)\d{2})(?!\d)")
# An unnumbered row opening a section by its target year: "Đến năm 2030", "Giai đoạn 2026 - 2030".
_YEAR_HEADING = re.compile(r"^(?:(?:den|het|trong|giai doan|tam nhin|muc tieu|chi tieu|nam)\s*)*[\d\s\-–]*$")
_TARGET_YEAR = re.compile(r"\b(?:den|toi|giai doan \d{4}\s*[-–])\s*(?:het\s+)?(?:nam\s+)?(\d{4})\b")
# The annex fields of an indicator, in the order a re-import compares them.
DEFINITION_FIELDS = (
    "title",
    "section_code",
    "section_title",
    "group_title",
    "measure_unit",
    "target_text",
    "target_op",
    "target_value",
    "target_high",
    "target_year",
    "baseline_text",
    "baseline_value",
    "baseline_year",
    "lead_unit_id",
    "coordinator_unit_ids",
)


@dataclass
class ProposedIndicator:
    sheet: str
    row: int
    code: str
    section_code: str
    section_title: str
    group_title: str
    title: str
    measure_unit: str
    target_text: str
    target: Target | None
    target_year: int | None
    baseline_text: str
    baseline_value: float | None
    baseline_year: int | None
    lead_unit: str
    coordinators: list[str]
    action: str = "created"
    has_error: bool = False

    @property
    def lead_units(self) -> list[str]:
        """An indicator has one lead; named like a task's leads so both go through one unit pass."""
        return [self.lead_unit] if self.lead_unit else []

    @property
    def unit_names(self) -> list[str]:
        return self.lead_units + self.coordinators


@dataclass
class IndicatorPreview:
    rows: list[ProposedIndicator] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action and not row.has_error)

    def counts(self) -> dict[str, int]:
        return {action: self.count(action) for action in ("created", "updated", "unchanged")}

    def to_frame(self) -> pd.DataFrame:
        """The proposed indicators, one row per indicator, under neutral column keys (the page
        labels them); `target` is the target as read, `action` created, updated, unchanged or error."""
        # Loaded here, for the page that shows the table: the import command has no use for it.
        import pandas as pd

        return pd.DataFrame(
            {
                "sheet": [row.sheet for row in self.rows],
                "row": [row.row for row in self.rows],
                "code": [row.code for row in self.rows],
                "title": [row.title for row in self.rows],
                "measure_unit": [row.measure_unit for row in self.rows],
                "target_text": [row.target_text for row in self.rows],
                "target": [_target_json(row.target) for row in self.rows],
                "target_year": [row.target_year for row in self.rows],
                "lead_unit": [row.lead_unit for row in self.rows],
                "action": ["error" if row.has_error else row.action for row in self.rows],
            }
        )


def _target_json(target: Target | None) -> str:
    return json.dumps(target.as_json(), ensure_ascii=False) if target else ""


def heading_year(title: str) -> int | None:
    """The target year a section heading gives: "Đến năm 2030", "Giai đoạn 2026 - 2030",
    "I. CHỈ TIÊU ĐẾN HẾT NĂM 2025"; not a year named for another reason ("Quyết định … năm 2020")."""
    if is_year_heading("", title, ()):
        return year_in(title)
    found = _TARGET_YEAR.search(" ".join(fold(title).split()))
    return int(found.group(1)) if found else None


def year_in(text: str) -> int | None:
    """The last year a text names: "Giai đoạn 2026 - 2030" → 2030."""
    found = _YEAR.findall(text)
    return int(found[-1]) if found else None


def is_year_heading(code: str, title: str, others: Iterable[str]) -> bool:
    """Whether an unnumbered row with only a title ("Đến năm 2030") opens a section of a target year."""
    return (
        not code
        and year_in(title) is not None
        and not any(others)
        and bool(_YEAR_HEADING.match(" ".join(fold(title).split())))
    )


def _numbered(layout: IndicatorLayout) -> list[tuple[Entry, list[str], str]]:
    """Each indicator row's entry, its texts and the heading of the unnumbered section it is in.

    The numbering reads the target where a task has its deadline, and the lead unit only
    beside a target: a row with sub-rows is an indicator when it has a target of its own,
    else a group, whatever its lead cell says (that cell is often merged down over the
    sub-rows). A section heading without a number ("Đến năm 2045") is coded by its year,
    since numbering starts again under it: 2045.1."""
    segments: list[tuple[str, list[Cells]]] = [("", [])]
    texts: dict[int, list[str]] = {}
    for number, row in layout.rows:
        code, title, measure_unit, baseline, target, lead_unit, coordinators = row
        if is_year_heading(code, title, (measure_unit, baseline, target, lead_unit, coordinators)):
            segments.append((title, []))
            continue
        texts[number] = row
        cells = Cells(
            number, code, title, lead_unit if target else "", coordinators, target, measure_unit, target
        )
        segments[-1][1].append(cells)
    numbered: list[tuple[Entry, list[str], str]] = []
    for heading, table in segments:
        year = year_in(heading)
        for entry in number_rows(table):
            if year is not None and not entry.section_code:
                entry.code, entry.section_code = f"{year}.{entry.code}", str(year)
            numbered.append((entry, texts[entry.row], heading))
    return numbered


def _header_year(layout: IndicatorLayout, name: str) -> int | None:
    column = layout.mapping.get(name)
    return year_in(layout.headers[column]) if column is not None and column < len(layout.headers) else None


def _split(text: str, known: set[str], done: dict[str, list[str]]) -> list[str]:
    if text not in done:
        done[text] = split_unit_names(text, known=known)
    return done[text]


def propose_indicators(layouts: list[IndicatorLayout], *, known: set[str]) -> IndicatorPreview:
    """The indicators LAYOUTS propose, with their problems; KNOWN holds the keys of known units."""
    preview = IndicatorPreview()
    seen: dict[str, tuple[str, int]] = {}
    split: dict[str, list[str]] = {}
    for layout in layouts:
        target_year = _header_year(layout, "target")
        baseline_year = _header_year(layout, "baseline")
        labels = {
            name: (layout.headers[column] if column < len(layout.headers) else "") or INDICATOR_LABELS[name]
            for name, column in layout.mapping.items()
        }
        for entry, texts, heading in _numbered(layout):
            values = dict(zip(INDICATOR_FIELDS, texts, strict=True))
            leads = _split(values["lead_unit"], known, split)
            lead_key = unit_key(leads[0]) if leads else ""
            coordinators = [
                name
                for name in leads[1:] + _split(values["coordinators"], known, split)
                if unit_key(name) != lead_key
            ]
            section_title = entry.section_title or heading
            baseline = values["baseline"]
            row = ProposedIndicator(
                sheet=layout.sheet,
                row=entry.row,
                code=entry.code,
                section_code=entry.section_code,
                section_title=section_title,
                group_title=entry.group_title,
                title=values["title"],
                measure_unit=values["measure_unit"],
                target_text=values["target"],
                target=parse_target(values["target"]),
                target_year=target_year or heading_year(section_title),
                baseline_text=baseline,
                baseline_value=read_number(baseline.rstrip("% ")),
                baseline_year=baseline_year,
                lead_unit=leads[0] if leads else "",
                coordinators=list(dict.fromkeys(coordinators)),
            )
            _check(row, labels, seen, preview)
            preview.rows.append(row)
    return preview


def _check(
    row: ProposedIndicator,
    labels: dict[str, str],
    seen: dict[str, tuple[str, int]],
    preview: IndicatorPreview,
) -> None:
    where = f"Trang '{row.sheet}', dòng {row.row}"
    code_label = labels.get("code", INDICATOR_LABELS["code"])
    errors: list[Problem] = []
    if not row.title:
        errors.append(
            Problem(row.row, labels.get("title", ""), f"{where}: chỉ tiêu {row.code} không có tên.")
        )
    if len(row.code) > MAX_CODE:
        errors.append(
            Problem(row.row, code_label, f"{where}: mã '{row.code[:60]}…' dài quá {MAX_CODE} ký tự.")
        )
    first = seen.setdefault(row.code, (row.sheet, row.row))
    if first != (row.sheet, row.row):
        errors.append(
            Problem(
                row.row,
                code_label,
                f"{where}: mã chỉ tiêu '{row.code}' trùng với dòng {first[1]} trang '{first[0]}'.",
            )
        )
    if not row.lead_unit:
        preview.warnings.append(
            Problem(
                row.row, labels.get("lead_unit", ""), f"{where}: chỉ tiêu {row.code} chưa có cơ quan chủ trì."
            )
        )
    if row.target_text and row.target is None:
        preview.warnings.append(
            Problem(
                row.row,
                labels.get("target", ""),
                f"{where}: mục tiêu '{row.target_text}' của chỉ tiêu {row.code} ghi bằng lời; "
                "giữ nguyên văn bản, không tự đánh giá đạt hay chưa.",
            )
        )
    row.has_error = bool(errors)
    preview.errors.extend(errors)


def _wanted(row: ProposedIndicator, unit: Mapping[str, int | str]) -> dict[str, object]:
    target = row.target
    return {
        "title": row.title,
        "section_code": row.section_code,
        "section_title": row.section_title,
        "group_title": row.group_title,
        "measure_unit": row.measure_unit,
        "target_text": row.target_text,
        "target_op": target.op if target else "",
        "target_value": target.value if target else None,
        "target_high": target.high if target else None,
        "target_year": row.target_year,
        "baseline_text": row.baseline_text,
        "baseline_value": row.baseline_value,
        "baseline_year": row.baseline_year,
        "lead_unit_id": unit[row.lead_unit] if row.lead_unit else None,
        "coordinator_unit_ids": tuple(dict.fromkeys(unit[name] for name in row.coordinators)),
    }


def _stored(session: Session, plan_id: int | None) -> dict[str, tuple[Indicator, dict[str, object]]]:
    """The plan's indicators by code, each with its definition fields as they stand."""
    if plan_id is None:
        return {}
    indicators = list(session.exec(select(Indicator).where(Indicator.plan_id == plan_id)))
    links: dict[int, list[int]] = {}
    query = select(IndicatorCoordinator).order_by(col(IndicatorCoordinator.position))
    for link in session.exec(
        query.where(col(IndicatorCoordinator.indicator_id).in_([i.id for i in indicators]))
    ):
        links.setdefault(link.indicator_id, []).append(link.unit_id)
    stored: dict[str, tuple[Indicator, dict[str, object]]] = {}
    for indicator in indicators:
        assert indicator.id is not None, "stored rows have ids"
        values: dict[str, object] = {name: getattr(indicator, name) for name in DEFINITION_FIELDS[:-1]}
        values["coordinator_unit_ids"] = tuple(links.get(indicator.id, []))
        stored[indicator.code] = (indicator, values)
    return stored


def compare_indicators(
    session: Session, preview: IndicatorPreview, *, plan_id: int | None, unit: Mapping[str, int | str]
) -> None:
    """Set each row's action against the plan as stored; UNIT gives each unit name's id, or
    its key when the unit is new."""
    stored = _stored(session, plan_id)
    for row in preview.rows:
        found = stored.get(row.code)
        if found is not None:
            row.action = "updated" if _wanted(row, unit) != found[1] else "unchanged"


def apply_indicators(
    session: Session, preview: IndicatorPreview, *, plan_id: int, unit_ids: Mapping[str, int]
) -> dict[str, int]:
    """Create or update the plan's indicators; their values are never touched. Returns the counts."""
    stored = _stored(session, plan_id)
    counts = dict.fromkeys(("created", "updated", "unchanged"), 0)
    stamp = now()
    for position, row in enumerate(preview.rows):
        if row.has_error:
            continue
        wanted = _wanted(row, unit_ids)
        coordinators = wanted.pop("coordinator_unit_ids")
        assert isinstance(coordinators, tuple)
        found = stored.get(row.code)
        if found is None:
            indicator = Indicator.model_validate(
                {"plan_id": plan_id, "code": row.code, "created_at": stamp, "updated_at": stamp, **wanted}
            )
            counts["created"] += 1
        else:
            indicator, values = found
            if {**wanted, "coordinator_unit_ids": coordinators} == values:
                counts["unchanged"] += 1
                if (indicator.position, indicator.source_row) == (position, row.row):
                    continue
            else:
                counts["updated"] += 1
                indicator.updated_at = stamp
            for name, value in wanted.items():
                setattr(indicator, name, value)
        indicator.position, indicator.source_row = position, row.row
        session.add(indicator)
        session.flush()
        assert indicator.id is not None, "flushed above"
        if found is None or found[1]["coordinator_unit_ids"] != coordinators:
            session.exec(
                delete(IndicatorCoordinator).where(col(IndicatorCoordinator.indicator_id) == indicator.id)
            )
            session.add_all(
                IndicatorCoordinator(indicator_id=indicator.id, unit_id=unit_id, position=index)
                for index, unit_id in enumerate(coordinators)
            )
    session.flush()
    return counts
