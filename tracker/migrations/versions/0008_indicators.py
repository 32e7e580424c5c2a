"""indicators: a plan's targets (chỉ tiêu) and the values reported against them

Revision ID: 0008
Revises: 0004
Create Date: 2026-12-01 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0008"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TEXT = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        "indicator",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("code", _TEXT(length=50), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("section_code", _TEXT(), nullable=False),
        sa.Column("section_title", _TEXT(), nullable=False),
        sa.Column("group_title", _TEXT(), nullable=False),
        sa.Column("title", _TEXT(), nullable=False),
        sa.Column("measure_unit", _TEXT(), nullable=False),
        sa.Column("target_text", _TEXT(), nullable=False),
        sa.Column("target_op", _TEXT(length=10), nullable=False),
        sa.Column("target_value", sa.Float(), nullable=True),
        sa.Column("target_high", sa.Float(), nullable=True),
        sa.Column("target_year", sa.Integer(), nullable=True),
        sa.Column("baseline_text", _TEXT(), nullable=False),
        sa.Column("baseline_value", sa.Float(), nullable=True),
        sa.Column("baseline_year", sa.Integer(), nullable=True),
        sa.Column("lead_unit_id", sa.Integer(), nullable=True),
        sa.Column("source_row", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["plan_id"], ["plan.id"]),
        sa.ForeignKeyConstraint(["lead_unit_id"], ["unit.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("plan_id", "code"),
    )
    op.create_index(op.f("ix_indicator_plan_id"), "indicator", ["plan_id"], unique=False)
    op.create_index(op.f("ix_indicator_lead_unit_id"), "indicator", ["lead_unit_id"], unique=False)
    op.create_table(
        "indicatorcoordinator",
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["indicator_id"], ["indicator.id"]),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"]),
        sa.PrimaryKeyConstraint("indicator_id", "unit_id"),
    )
    op.create_index(
        op.f("ix_indicatorcoordinator_unit_id"), "indicatorcoordinator", ["unit_id"], unique=False
    )
    op.create_table(
        "indicatorvalue",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("period_text", _TEXT(length=100), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("source", _TEXT(), nullable=False),
        sa.Column("evidence", _TEXT(), nullable=False),
        sa.Column("note", _TEXT(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["indicator_id"], ["indicator.id"]),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_indicatorvalue_indicator_id"), "indicatorvalue", ["indicator_id"], unique=False)
    op.create_index(op.f("ix_indicatorvalue_recorded_at"), "indicatorvalue", ["recorded_at"], unique=False)
    op.create_table(
        "indicatorconfirmation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("value_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("note", _TEXT(), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["value_id"], ["indicatorvalue.id"]),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("value_id"),
    )


def downgrade() -> None:
    op.drop_table("indicatorconfirmation")
    op.drop_index(op.f("ix_indicatorvalue_recorded_at"), table_name="indicatorvalue")
    op.drop_index(op.f("ix_indicatorvalue_indicator_id"), table_name="indicatorvalue")
    op.drop_table("indicatorvalue")
    op.drop_index(op.f("ix_indicatorcoordinator_unit_id"), table_name="indicatorcoordinator")
    op.drop_table("indicatorcoordinator")
    op.drop_index(op.f("ix_indicator_lead_unit_id"), table_name="indicator")
    op.drop_index(op.f("ix_indicator_plan_id"), table_name="indicator")
    op.drop_table("indicator")
