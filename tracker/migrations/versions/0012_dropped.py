"""dropped tasks: the date a revision of the annex stopped listing a task

Revision ID: 0012_dropped
Revises: 0013_assessment
Create Date: 2026-12-01 15:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_dropped"
down_revision: str | None = "0013_assessment"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN: SQLite needs no table copy (which its foreign keys would refuse).
    op.add_column("task", sa.Column("missing_since", sa.Date(), nullable=True))


def downgrade() -> None:
    # Plain DROP COLUMN (SQLite 3.35+): a batch copy of a table other tables point at is refused.
    op.drop_column("task", "missing_since")
