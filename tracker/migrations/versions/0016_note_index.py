"""an index on a task's history in recorded order, for the report's last note of each task

Revision ID: 0016_note_index
Revises: 0012_dropped
Create Date: 2026-12-01 16:45:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0016_note_index"
down_revision: str | None = "0012_dropped"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_statusupdate_task_recorded", "statusupdate", ["task_id", "recorded_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_statusupdate_task_recorded", table_name="statusupdate")
