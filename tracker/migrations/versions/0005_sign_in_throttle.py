"""sign-in throttle: failed attempts per client address and username, no account lockout

Revision ID: 0005
Revises: 0009 (written on 0002; re-chained after main landed 0009)
Create Date: 2026-12-01 12:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0005"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "signinthrottle",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("address", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("username", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failure_at", sa.DateTime(), nullable=False),
        sa.Column("blocked_until", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("address", "username"),
    )
    op.create_index(op.f("ix_signinthrottle_username"), "signinthrottle", ["username"], unique=False)
    # A lockout on the account itself let anyone who knew a username lock its owner out.
    # ALTER TABLE … DROP COLUMN (SQLite 3.35+), not a batch copy: copying "user" would drop
    # a table other tables' rows refer to, which foreign keys forbid.
    op.drop_column("user", "failed_logins")
    op.drop_column("user", "locked_until")


def downgrade() -> None:
    op.add_column("user", sa.Column("locked_until", sa.DateTime(), nullable=True))
    op.add_column("user", sa.Column("failed_logins", sa.Integer(), nullable=False, server_default="0"))
    op.drop_index(op.f("ix_signinthrottle_username"), table_name="signinthrottle")
    op.drop_table("signinthrottle")
