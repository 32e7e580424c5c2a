"""The import page's steps after upload: sheet, columns, plan, preview, unit mapping, commit.

Every choice starts from what the importer detected; a change re-runs the
preview (cached), so what the user sees is exactly what "Nhập" will write.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from models import User
from tracker.clock import today
from tracker.errors import TrackerError
from tracker.importer.apply import ImportResult, apply_import
from tracker.importer.layout import FIELDS
from tracker.importer.preview import ImportPreview, Problem
from ui.lang import t
from ui.links import tasks_link
from ui.reads import import_preview
from ui.text import escape, plain
from ui.widgets import metric_row
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


def _choose_plan(found: ImportPreview, prefix: str) -> tuple[str, date | None]:
    """The plan's number and issue date, as read from the file, for the secretariat to confirm or correct."""
    number: str = st.text_input(t("import_plan_number"), value=found.plan.number, key=f"{prefix}plan")
    where = t("import_plan_from_file") if found.plan_from_file else t("import_plan_from_name")
    plain(f"{where} {found.plan.title}".strip(), caption=True)
    issued_on = st.date_input(
        t("import_plan_issued_on"),
        value=found.plan_issued_on,
        max_value=today(),
        format="DD/MM/YYYY",
        disabled=found.plan_exists and found.plan_issued_on is not None,
        key=f"{prefix}issued_on",
        help=t("import_plan_issued_on_help"),
    )
    return number.strip(), issued_on if isinstance(issued_on, date) else None


def _problems(problems: list[Problem]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("col_row"): [problem.row or "" for problem in problems],
            t("col_column"): [problem.column for problem in problems],
            t("col_message"): [problem.message for problem in problems],
        }
    )


def _show(preview: ImportPreview) -> None:
    plan_state = t("import_plan_exists") if preview.plan_exists else t("import_plan_new")
    st.info(escape(t("import_plan_line", number=preview.plan.number, state=plan_state)))
    metric_row(
        [
            (t("import_created"), preview.count("created")),
            (t("import_updated"), preview.count("updated")),
            (t("import_unchanged"), preview.count("unchanged")),
            (t("import_missing"), len(preview.missing)),
            (t("import_warnings"), len(preview.warnings)),
            (t("import_errors"), len(preview.errors)),
        ]
    )
    if preview.errors:
        st.error(t("import_has_errors", count=len(preview.errors)))
        st.dataframe(_problems(preview.errors), hide_index=True, width="stretch", placeholder="—")
    if preview.warnings:
        with st.expander(t("import_warning_list", count=len(preview.warnings))):
            st.dataframe(_problems(preview.warnings), hide_index=True, width="stretch", placeholder="—")
    if preview.missing:
        st.warning(escape(t("import_missing_codes", codes=", ".join(preview.missing))))
    _tasks_table(preview.to_frame())


# The importer's preview columns, most useful first, with the key of their label in the user's language.
_PREVIEW_COLUMNS = {
    "row": "col_row",
    "code": "col_code",
    "title": "col_title",
    "lead_unit": "col_lead_unit",
    "unit_match": "col_unit_match",
    "deadline_text": "col_deadline_text",
    "deadline": "col_deadline_read",
    "recurring": "field_recurring",
    "action": "col_action",
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
    st.dataframe(
        _labelled(frame),
        hide_index=True,
        width="stretch",
        column_order=list(_PREVIEW_COLUMNS),
        column_config=config,
        placeholder="—",
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
        plan_number, issued_on = _choose_plan(found, prefix)
        preview = import_preview(
            file_name, data, sheet=sheet, mapping=mapping, plan_number=plan_number, issued_on=issued_on
        )
    except TrackerError as error:
        st.error(str(error))
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
    if result.missing:
        st.warning(escape(t("import_missing_codes", codes=", ".join(result.missing))))
    tasks_link()
