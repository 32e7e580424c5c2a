"""Past imports as a table: which file went into which plan, who ran it, and what it did."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from tracker.importer.history import ImportRecord
from ui import format as fmt
from ui.lang import t
from ui.widgets import data_table


def import_history_table(records: list[ImportRecord]) -> None:
    if not records:
        st.caption(t("import_history_empty"))
        return
    table = pd.DataFrame(
        {
            "at": [fmt.moment(record.at) for record in records],
            "plan": [record.plan_number for record in records],
            "file": [record.file_name for record in records],
            "by": [record.by for record in records],
            "created": [record.created for record in records],
            "updated": [record.updated for record in records],
            "unchanged": [record.unchanged for record in records],
            "missing": [record.missing for record in records],
            "warnings": [record.warnings for record in records],
            "errors": [record.errors for record in records],
        }
    )
    data_table(
        table,
        column_config={
            "at": t("col_recorded_at"),
            "plan": t("col_plan"),
            "file": t("col_file"),
            "by": t("col_who"),
            "created": t("import_created"),
            "updated": t("import_updated"),
            "unchanged": t("import_unchanged"),
            "missing": t("import_missing"),
            "warnings": t("import_warnings"),
            "errors": t("import_errors"),
        },
    )
