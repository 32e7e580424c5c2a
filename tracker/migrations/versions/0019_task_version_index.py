"""each plan's tasks with their versions in one index: the state store's check that no task
changed unseen counts and sums them from the index alone

Revision ID: 0019_task_version_index
Revises: 0018_state_index
Create Date: 2026-12-01 23:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0019_task_version_index"
down_revision: str | None = "0018_state_index"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_task_plan_version", "task", ["plan_id", "version"])
    op.drop_index("ix_task_plan_id", table_name="task")


def downgrade() -> None:
    op.create_index("ix_task_plan_id", "task", ["plan_id"])
    op.drop_index("ix_task_plan_version", table_name="task")
