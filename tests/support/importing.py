"""Running imports in tests: preview, preview + apply in one transaction, and table row counts."""

from __future__ import annotations

from sqlalchemy import Engine, func
from sqlmodel import SQLModel, select

from tracker.db import read_session, write_session
from tracker.importer.apply import ImportResult, apply_import
from tracker.importer.preview import ImportPreview, preview_import
from tracker.tasks.permissions import SYSTEM


def preview(
    engine: Engine, data: bytes, name: str = "phu-luc.xlsx", *, sheet: str | None = None
) -> ImportPreview:
    with read_session(engine) as session:
        return preview_import(session, data=data, file_name=name, sheet=sheet)


def run_import(
    engine: Engine,
    data: bytes,
    name: str = "phu-luc.xlsx",
    *,
    skip_errors: bool = False,
    plan_number: str | None = None,
    unit_mapping: dict[str, int] | None = None,
) -> ImportResult:
    with write_session(engine) as session:
        found = preview_import(session, data=data, file_name=name, plan_number=plan_number)
        return apply_import(
            session, preview=found, by=SYSTEM, skip_errors=skip_errors, unit_mapping=unit_mapping
        )


def row_counts(engine: Engine) -> dict[str, int]:
    with read_session(engine) as session:
        return {
            table.name: session.execute(select(func.count()).select_from(table)).scalar_one()
            for table in SQLModel.metadata.sorted_tables
        }
