"""indicator assessments: a value against a target in words says whether it is reached

An indicator value is now one of two kinds: a number (`value`) against a numeric
target, or an assessment (`reached`) against a target written in words. Rows
recorded so far are numbers and stay as they are; the status of an indicator is
computed when read, so nothing stored names a status.

Revision ID: 0013_assessment
Revises: 0007
Create Date: 2026-12-01 15:00:00
"""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op

revision: str = "0013_assessment"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ONE_KIND = "(value IS NULL) <> (reached IS NULL)"


@contextmanager
def _confirmations_set_aside() -> Iterator[None]:
    """SQLite alters a column by copying the table and dropping the old one, and the drop
    would leave the confirmations pointing at nothing. Foreign keys cannot be switched off
    inside the migrations' transaction, so the confirmations step aside while the values'
    table is rebuilt, and come back unchanged (same ids) once it holds every row again."""
    if op.get_bind().dialect.name != "sqlite":
        yield
        return
    op.execute("CREATE TEMP TABLE kept_confirmation AS SELECT * FROM indicatorconfirmation")
    op.execute("DELETE FROM indicatorconfirmation")
    yield
    op.execute("INSERT INTO indicatorconfirmation SELECT * FROM kept_confirmation")
    op.execute("DROP TABLE kept_confirmation")


def upgrade() -> None:
    with _confirmations_set_aside(), op.batch_alter_table("indicatorvalue", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reached", sa.Boolean(), nullable=True))
        batch_op.alter_column("value", existing_type=sa.Float(), nullable=True)
        batch_op.create_check_constraint("indicatorvalue_one_kind", _ONE_KIND)


def downgrade() -> None:
    assessed = op.get_bind().execute(sa.text("SELECT COUNT(*) FROM indicatorvalue WHERE reached IS NOT NULL"))
    count = assessed.scalar_one()
    if count:
        # The older schema holds numbers only: an assessment has no honest number to become.
        raise RuntimeError(
            f"Không hạ được phiên bản: {count} kết quả chỉ tiêu là đánh giá đạt/chưa đạt, không phải số."
        )
    with _confirmations_set_aside(), op.batch_alter_table("indicatorvalue", schema=None) as batch_op:
        batch_op.drop_constraint("indicatorvalue_one_kind", type_="check")
        batch_op.alter_column("value", existing_type=sa.Float(), nullable=False)
        batch_op.drop_column("reached")
