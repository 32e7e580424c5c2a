"""a task's history in recorded order, with each row's kind and effective date: a report's last
state of each task at a date is read from the index alone

Revision ID: 0018_state_index
Revises: 0017_unlock_code
Create Date: 2026-12-01 20:40:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0018_state_index"
down_revision: str | None = "0017_unlock_code"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_statusupdate_task_state", "statusupdate", ["task_id", "recorded_at", "id", "kind", "effective_on"]
    )
    op.drop_index("ix_statusupdate_task_recorded", table_name="statusupdate")


def downgrade() -> None:
    op.create_index("ix_statusupdate_task_recorded", "statusupdate", ["task_id", "recorded_at", "id"])
    op.drop_index("ix_statusupdate_task_state", table_name="statusupdate")
