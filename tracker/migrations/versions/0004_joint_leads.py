"""joint leads: every lead unit of a task, in the annex's order

Revision ID: 0004
Revises: 0002
Create Date: 2026-12-01 12:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "tasklead",
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["task_id"], ["task.id"]),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"]),
        sa.PrimaryKeyConstraint("task_id", "unit_id"),
    )
    op.create_index(op.f("ix_tasklead_unit_id"), "tasklead", ["unit_id"], unique=False)
    # Until now a task had one lead: it becomes the first of its leads.
    op.execute(
        "INSERT INTO tasklead (task_id, unit_id, position) "
        "SELECT id, lead_unit_id, 0 FROM task WHERE lead_unit_id IS NOT NULL"
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_tasklead_unit_id"), table_name="tasklead")
    op.drop_table("tasklead")
