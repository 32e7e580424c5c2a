"""reminders: a unit's mailbox, the committee's weekly-summary choice, the log of reminder e-mails

Revision ID: 0007
Revises: 0008
Create Date: 2026-12-01 12:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0007"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN with a default: SQLite needs no table copy (which its foreign keys would refuse).
    op.add_column(
        "unit",
        sa.Column("mailbox", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False, server_default=""),
    )
    op.add_column("user", sa.Column("weekly_summary", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_table(
        "reminderlog",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("attempted_at", sa.DateTime(), nullable=False),
        sa.Column("recipient", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("audience", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("subject", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("items", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("sent", sa.Boolean(), nullable=False),
        sa.Column("error", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_reminderlog_as_of"), "reminderlog", ["as_of"], unique=False)
    op.create_index(op.f("ix_reminderlog_recipient"), "reminderlog", ["recipient"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_reminderlog_recipient"), table_name="reminderlog")
    op.drop_index(op.f("ix_reminderlog_as_of"), table_name="reminderlog")
    op.drop_table("reminderlog")
    # Plain DROP COLUMN (SQLite 3.35+): a batch copy of a table other tables point at is refused.
    op.drop_column("user", "weekly_summary")
    op.drop_column("unit", "mailbox")
