"""joint leads (every lead unit of a task, in the annex's order) and coordination
(a coordinating unit's part, the lead's requests for input)

Revision ID: 0004
Revises: 0005
Create Date: 2026-12-01 12:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0004"
down_revision: str | None = "0005"
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
    op.create_table(
        "coordinationpart",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("evidence", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["task_id"], ["task.id"]),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"]),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_coordinationpart_task_id"), "coordinationpart", ["task_id"], unique=False)
    op.create_index(op.f("ix_coordinationpart_unit_id"), "coordinationpart", ["unit_id"], unique=False)
    op.create_table(
        "coordinationrequest",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("message", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("history_id", sa.Integer(), nullable=True),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column("requested_at", sa.DateTime(), nullable=False),
        sa.Column("answered_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["task_id"], ["task.id"]),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"]),
        sa.ForeignKeyConstraint(["history_id"], ["statusupdate.id"]),
        sa.ForeignKeyConstraint(["requested_by_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_coordinationrequest_task_id"), "coordinationrequest", ["task_id"], unique=False)
    op.create_index(op.f("ix_coordinationrequest_unit_id"), "coordinationrequest", ["unit_id"], unique=False)
    # Until now a task had one lead: it becomes the first of its leads.
    op.execute(
        "INSERT INTO tasklead (task_id, unit_id, position) "
        "SELECT id, lead_unit_id, 0 FROM task WHERE lead_unit_id IS NOT NULL"
    )


def downgrade() -> None:
    for table in ("coordinationrequest", "coordinationpart"):
        op.drop_index(op.f(f"ix_{table}_unit_id"), table_name=table)
        op.drop_index(op.f(f"ix_{table}_task_id"), table_name=table)
        op.drop_table(table)
    op.drop_index(op.f("ix_tasklead_unit_id"), table_name="tasklead")
    op.drop_table("tasklead")
