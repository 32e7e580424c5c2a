"""The import page's steps after upload: sheet, columns, plan, preview, unit mapping, commit.

Every choice starts from what the importer detected; a change re-runs the
preview (cached), so what the user sees is exactly what "Nhập" will write.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from models import User
from tracker.clock import today
from tracker.directory.plans import PlanHeading
from tracker.errors import TrackerError
from tracker.importer.apply import ImportResult, apply_import
from tracker.importer.layout import FIELDS
from tracker.importer.preview import ImportPreview, Problem
from ui.lang import t
from ui.links import tasks_link
from ui.reads import import_preview
from ui.text import escape, plain
from ui.widgets import data_table, metric_row
from ui.writes import save

RESULT = "import_result"
# The uploader is a form of its own: a new one after each import, so the file does not linger.
UPLOAD = "import"


def _choose_sheet(found: ImportPreview, prefix: str) -> str:
    if len(found.sheets) < 2:
        return found.sheet
    sheet: str = st.selectbox(
        t("import_sheet"), found.sheets, index=found.sheets.index(found.sheet), key=f"{prefix}sheet"
    )
    return sheet


def _choose_columns(found: ImportPreview, prefix: str) -> dict[str, int]:
    """One select box per field, each starting from the detected column."""
    choices: list[int | None] = [None, *range(len(found.headers))]

    def column_name(column: int | None) -> str:
        if column is None:
            return t("import_no_column")
        return t("import_column", number=column + 1, header=found.headers[column] or "—")

    mapping: dict[str, int] = {}
    for field, place in zip(FIELDS, st.columns(3) * 2, strict=True):
        chosen = place.selectbox(
            t(f"import_field_{field}"),
            choices,
            index=choices.index(found.mapping.get(field)),
            format_func=column_name,
            key=f"{prefix}{found.sheet}:{field}",
        )
        if chosen is not None:
            mapping[field] = chosen
    return mapping


def _choose_plan(found: ImportPreview, prefix: str) -> PlanHeading:
    """The plan as the title block names it (number, title, issue date), for the secretariat to
    confirm or correct; an existing plan keeps the issue date it has."""
    plain(t("import_plan_from_file") if found.plan_from_file else t("import_plan_not_found"), caption=True)
    number_place, date_place = st.columns([2, 1])
    number: str = number_place.text_input(
        t("import_plan_number"), value=found.plan.number, key=f"{prefix}plan"
    )
    issued_on = date_place.date_input(
        t("import_plan_issued_on"),
        value=found.plan_issued_on,
        max_value=today(),
        format="DD/MM/YYYY",
        disabled=found.plan_exists and found.plan_issued_on is not None,
        key=f"{prefix}issued_on",
        help=t("import_plan_issued_on_help"),
    )
    title: str = st.text_input(t("import_plan_title"), value=found.plan.title, key=f"{prefix}plan_title")
    return replace(
        found.plan,
        number=number.strip(),
        title=title.strip(),
        issued_on=issued_on if isinstance(issued_on, date) else None,
    )


def _problems(problems: list[Problem]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("col_row"): [problem.row or "" for problem in problems],
            t("col_column"): [problem.column for problem in problems],
            t("col_message"): [problem.message for problem in problems],
        }
    )


def _missing(missing: list[str], dropped: list[str], titles: Mapping[str, str] | None = None) -> None:
    """The tasks the file no longer lists: those the revision drops, by code and title, and the
    others (out of the plan, or kept, since an earlier import)."""
    if dropped:
        named = "; ".join(f"{code} — {titles[code]}" if titles else code for code in dropped)
        st.warning(escape(t("import_dropped_codes", count=len(dropped), codes=named)))
    out = set(dropped)
    others = [code for code in missing if code not in out]
    if others:
        st.info(escape(t("import_missing_codes", codes=", ".join(others))))


def _show(preview: ImportPreview) -> None:
    plan_state = t("import_plan_exists") if preview.plan_exists else t("import_plan_new")
    st.info(escape(t("import_plan_line", number=preview.plan.number, state=plan_state)))
    metric_row(
        [
            (t("import_created"), preview.count("created")),
            (t("import_updated"), preview.count("updated")),
            (t("import_unchanged"), preview.count("unchanged")),
            (t("import_missing"), len(preview.missing)),
            (t("import_dropped"), len(preview.dropped)),
            (t("import_warnings"), len(preview.warnings)),
            (t("import_errors"), len(preview.errors)),
        ]
    )
    if preview.errors:
        st.error(t("import_has_errors", count=len(preview.errors)))
        data_table(_problems(preview.errors))
    if preview.warnings:
        with st.expander(t("import_warning_list", count=len(preview.warnings))):
            data_table(_problems(preview.warnings))
    _missing(preview.missing, preview.dropped, preview.missing_titles)
    if not preview.plan_exists:
        if preview.rows:
            _tasks_table(preview.to_frame())
        if preview.indicators.rows:
            _indicators_table(preview)
        return
    changes = preview.changes_frame()
    if changes.empty:
        st.success(t("import_no_changes"))
    else:
        st.subheader(t("import_changes", count=len(changes)))
        _changes_table(changes)
    # Unchanged rows folded away: the whole file stays one click off.
    with st.expander(t("import_all_rows", count=len(preview.rows))):
        _tasks_table(preview.to_frame())
    if preview.indicators.rows:
        _indicators_table(preview)


def _changes_table(changes: pd.DataFrame) -> None:
    """One line per new task, changed field (old → new) or task no longer listed; the action first."""
    shown = changes.assign(
        action=changes["action"].map(lambda action: t(f"import_action_{action}")),
        field=changes["field"].map(lambda field: t(f"import_change_{field}") if field else ""),
    )
    config: dict[str, Any] = {
        "action": st.column_config.TextColumn(t("col_action"), pinned=True, width="small"),
        "code": st.column_config.TextColumn(t("col_code"), pinned=True, width="small"),
        "title": st.column_config.TextColumn(t("col_title"), width="large"),
        "field": st.column_config.TextColumn(t("import_change_field")),
        "old": st.column_config.TextColumn(t("import_change_old"), width="medium"),
        "new": st.column_config.TextColumn(t("import_change_new"), width="medium"),
    }
    data_table(shown, column_config=config)


# The importer's preview columns, most useful first, with the key of their label in the user's language.
_PREVIEW_COLUMNS = {
    "action": "col_action",
    "row": "col_row",
    "code": "col_code",
    "title": "col_title",
    "lead_unit": "col_lead_unit",
    "unit_match": "col_unit_match",
    "deadline_text": "col_deadline_text",
    "deadline": "col_deadline_read",
    "recurring": "field_recurring",
    "coordinators": "col_coordinating",
    "output": "field_output",
    "section": "col_section",
    "group": "col_group",
}


def _labelled(frame: pd.DataFrame) -> pd.DataFrame:
    """The preview's values drawn in the user's language: what the import does, a new unit."""
    return frame.assign(
        action=[t(f"import_action_{action}") for action in frame["action"]],
        unit_match=frame["unit_match"].fillna(t("import_unit_new")),
    )


def _tasks_table(frame: pd.DataFrame) -> None:
    """The tasks as they will be stored: the deadline as written beside the date read from it."""
    config: dict[str, Any] = {name: st.column_config.Column(t(key)) for name, key in _PREVIEW_COLUMNS.items()}
    config["deadline"] = st.column_config.DateColumn(t("col_deadline_read"), format="DD/MM/YYYY")
    config["title"] = st.column_config.TextColumn(t("col_title"), width="large")
    # What the import does to the row comes first and stays in view when the table scrolls.
    config["action"] = st.column_config.TextColumn(t("col_action"), pinned=True)
    data_table(
        _labelled(frame),
        column_order=list(_PREVIEW_COLUMNS),
        column_config=config,
    )


_INDICATOR_COLUMNS = {
    "sheet": "col_sheet",
    "row": "col_row",
    "code": "col_code",
    "title": "col_indicator",
    "measure_unit": "col_measure_unit",
    "target_text": "col_target",
    "target": "col_target_read",
    "target_year": "col_target_year",
    "lead_unit": "col_lead_unit",
    "action": "col_action",
}


def _indicators_table(preview: ImportPreview) -> None:
    """The indicator sheets' rows: the target as written beside what was read from it."""
    st.subheader(t("import_indicators"))
    plain(t("import_indicator_counts", **preview.indicators.counts()), caption=True)
    frame = preview.indicators.to_frame()
    data_table(
        frame.assign(action=[t(f"import_action_{action}") for action in frame["action"]]),
        column_order=list(_INDICATOR_COLUMNS),
        column_config={name: st.column_config.Column(t(key)) for name, key in _INDICATOR_COLUMNS.items()},
    )


def _map_units(preview: ImportPreview, units: Mapping[int, str], prefix: str) -> dict[str, int]:
    """Unknown unit names the user says are existing units (the rest are created)."""
    if not preview.unknown_units or not units:
        return {}
    st.subheader(t("import_unknown_units", count=len(preview.unknown_units)))
    st.caption(t("import_unknown_units_help"))
    choices: list[int | None] = [None, *units]
    mapping: dict[str, int] = {}
    for index, name in enumerate(preview.unknown_units):
        chosen = st.selectbox(
            escape(name),
            choices,
            format_func=lambda unit: t("import_create_unit") if unit is None else units[unit],
            key=f"{prefix}unit:{index}",
        )
        if chosen is not None:
            mapping[name] = chosen
    return mapping


def import_steps(user: User, file_name: str, data: bytes, units: Mapping[int, str]) -> None:
    """From the uploaded file to the committed import, one step under the other."""
    try:
        detected = import_preview(file_name, data)
        prefix = f"import:{detected.sha256[:16]}:"
        sheet = _choose_sheet(detected, prefix)
        found = detected if sheet == detected.sheet else import_preview(file_name, data, sheet=sheet)
        plain(t("import_header_row", row=found.header_row, sheet=found.sheet), caption=True)
        with st.expander(t("import_columns"), expanded=False):
            mapping = _choose_columns(found, prefix)
        plan = _choose_plan(found, prefix)
        # The detected sheet left as it is: every indicator sheet of the workbook comes along.
        chosen = None if sheet == detected.sheet else sheet
        preview = import_preview(
            file_name, data, sheet=chosen, mapping=mapping, plan_number=plan.number, issued_on=plan.issued_on
        )
        # The title the secretariat confirmed names a new plan; an existing one keeps its own.
        preview = replace(preview, plan=replace(preview.plan, title=plan.title))
    except TrackerError as error:
        st.error(escape(str(error)))
        return
    _show(preview)
    unit_mapping = _map_units(preview, units, prefix)
    skip_errors = bool(preview.errors) and st.checkbox(
        t("import_skip_errors", count=len(preview.errors)), key=f"{prefix}skip"
    )
    if not st.button(t("import_commit"), type="primary", icon=":material/upload:"):
        return

    def keep(result: ImportResult) -> None:
        st.session_state[RESULT] = result

    save(
        lambda session: apply_import(
            session, preview=preview, by=user, skip_errors=skip_errors, unit_mapping=unit_mapping
        ),
        t("import_done_toast", number=preview.plan.number),
        reset=[UPLOAD],
        keep=keep,
    )


def last_result() -> None:
    """The summary of the import just committed, shown once."""
    result: ImportResult | None = st.session_state.pop(RESULT, None)
    if result is None:
        return
    counts = {"created": result.created, "updated": result.updated, "unchanged": result.unchanged}
    st.success(escape(t("import_summary", number=result.plan_number, **counts)))
    if any(result.indicators.values()):
        st.success(escape(t("import_indicator_counts", **result.indicators)))
    _missing(result.missing, result.dropped)
    tasks_link()
