"""A report's figures as plain data: what `report --json` prints and what an issued report keeps."""

from __future__ import annotations

from typing import Any

import pandas as pd

from tracker.reports.content import Report
from tracker.views.classify import CLASSES


def _rate(value: float | None) -> float | None:
    return None if value is None or pd.isna(value) else round(float(value), 4)


def report_json(report: Report) -> dict[str, Any]:
    """The summary of REPORT as the CLI contract prints it."""
    summary = report.summary
    units = [
        {
            "unit": row["lead_unit"],
            "rank": None if pd.isna(row["rank"]) else int(row["rank"]),
            "total": int(row["total"]),
            "counts": {name.value: int(row[name.value]) for name in CLASSES},
            "completion_rate": _rate(row["completion_rate"]),
            "on_time_rate": _rate(row["on_time_rate"]),
            "late_entries": int(row["late_entries"]),
        }
        for row in report.units.rows.to_dict("records")
    ]
    late = [
        {
            "unit": row["lead_unit"],
            "plan": row["plan_number"],
            "code": row["code"],
            "status": row["status"],
            "effective_on": row["effective_on"].date().isoformat(),
            "recorded_on": row["recorded_on"].date().isoformat(),
            "period_end": row["period_end"].date().isoformat(),
            "days_late": int(row["days_late"]),
        }
        for row in report.late.rows.to_dict("records")
    ]
    return {
        "as_of": report.as_of.isoformat(),
        "known_on": report.known_on.isoformat() if report.known_on else None,
        "total": summary.total,
        "counts": {name.value: summary.counts[name] for name in CLASSES},
        "due_soon": summary.due_soon,
        "awaiting_confirmation": summary.awaiting_confirmation,
        "completion_rate": _rate(summary.completion_rate),
        "on_time_rate": _rate(summary.on_time_rate),
        "cancelled": summary.cancelled,
        "not_in_plan": summary.not_in_plan,
        "plans": [plan.number for plan in report.plans],
        "units": units,
        "late_entries": late,
    }
