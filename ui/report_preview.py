"""The report as it will be written: its title block, the summary with the change since the last report,
the opening paragraph, and its tables. The report is an administrative document: its text is Vietnamese.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from tracker.reports.content import Report
from tracker.reports.tables import Column, Table
from tracker.reports.wording import rate_text
from ui.format import day
from ui.lang import t
from ui.text import plain


def _summary(content: Report) -> None:
    """A static table: its labels wrap, so the figures stay in sight on a phone."""
    line, now, before, change = (
        t("report_line"),
        t("report_now"),
        t("report_before", day=day(content.previous_as_of)),
        t("report_change"),
    )
    st.table(
        [
            {line: item.label, now: item.now_text, before: item.before_text, change: item.change_text}
            for item in content.summary_lines()
        ],
        hide_index=True,
    )


def _column(column: Column) -> Any:
    if column.kind == "date":
        return st.column_config.DateColumn(column.heading, format="DD/MM/YYYY")
    return column.heading


def _table(table: Table) -> None:
    # Drawn when opened only: a closed table of 30,000 overdue tasks was sent on every rerun.
    box = st.expander(
        t("report_table", heading=table.heading, count=len(table.rows)),
        key=f"report_table:{table.sheet}",
        on_change="rerun",
    )
    if not box.open:
        return
    with box:
        if table.note:
            plain(table.note, caption=True)
        # Rates written as the report's files write them ("98,6%"): Streamlit would write "98.6%".
        rates = {
            column.key: table.rows[column.key].map(rate_text)
            for column in table.columns
            if column.kind == "rate"
        }
        # A rank is a number or why a unit has none: one text column, as a grid needs one type.
        ranks = {
            column.key: table.rows[column.key].map(str) for column in table.columns if column.kind == "rank"
        }
        st.dataframe(
            table.rows.assign(**rates, **ranks),
            hide_index=True,
            placeholder="—",
            column_order=[column.key for column in table.columns],
            column_config={column.key: _column(column) for column in table.columns},
        )


def report_preview(content: Report) -> None:
    st.subheader(t("report_preview"))
    for line in (content.title, content.plans_text, content.period_text, content.scope):
        if line:
            plain(line, caption=True)
    _summary(content)
    plain(content.narrative())
    # The annex lists every task: the task list shows them better than a preview could.
    for table in content.tables()[:-1]:  # all but the annex, the last
        _table(table)
    st.caption(t("report_annex_note", count=len(content.annex.rows)))
