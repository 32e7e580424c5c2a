"""Past imports, newest first: which file went into which plan, who ran it, what it did."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Executable, func
from sqlalchemy import select as select_columns
from sqlmodel import Session, col

from models import ImportBatch, Plan, User


@dataclass(frozen=True)
class ImportRecord:
    batch_id: int
    plan_number: str
    file_name: str
    sheet: str
    by: str
    at: datetime
    created: int
    updated: int
    unchanged: int
    missing: int
    warnings: int
    errors: int


def import_history(session: Session, limit: int = 200) -> list[ImportRecord]:
    """The LIMIT most recent imports, newest first."""
    query: Executable = (
        select_columns(
            col(ImportBatch.id).label("batch_id"),
            col(Plan.number).label("plan_number"),
            col(ImportBatch.file_name),
            col(ImportBatch.sheet),
            func.coalesce(func.nullif(User.display_name, ""), User.username, "").label("by"),
            col(ImportBatch.created_at).label("at"),
            col(ImportBatch.created),
            col(ImportBatch.updated),
            col(ImportBatch.unchanged),
            col(ImportBatch.missing),
            col(ImportBatch.warnings),
            col(ImportBatch.errors),
        )
        .join(Plan, col(Plan.id) == ImportBatch.plan_id)
        .outerjoin(User, col(User.id) == ImportBatch.user_id)
        .order_by(col(ImportBatch.created_at).desc(), col(ImportBatch.id).desc())
        .limit(limit)
    )
    return [ImportRecord(**row._mapping) for row in session.execute(query)]
