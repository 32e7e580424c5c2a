"""Migration 0013_assessment: values recorded as numbers survive it both ways; an assessment
cannot be taken back to a schema that holds numbers only."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import Engine, text

from models import IndicatorStatus, Role
from tests.support.annexes import indicator_annex, xlsx
from tests.support.factories import make_user
from tests.support.importing import run_import
from tracker.clock import today
from tracker.db import alembic_config, read_session, upgrade, write_session
from tracker.indicators.queries import indicators_at
from tracker.indicators.values import find_indicator, record_value

BEFORE = "0013_assessment-1"


def _record(engine: Engine, code: str, value: float | bool) -> None:
    office = make_user(engine, Role.secretariat, username=f"vanphong{code}")
    with write_session(engine) as session:
        indicator_id = find_indicator(session, code).id
        assert indicator_id is not None
        record_value(session, by=office, indicator_id=indicator_id, value=value, period="2025")


def test_numbers_and_their_confirmations_survive_the_migration_both_ways(engine: Engine) -> None:
    run_import(engine, xlsx(indicator_annex()))
    _record(engine, "2030.1", 85)  # the secretariat's own: confirmed at once
    command.downgrade(alembic_config(engine), BEFORE)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT value FROM indicatorvalue")).scalars().all() == [85]
    upgrade(engine)
    with read_session(engine) as session:
        found = indicators_at(session, as_of=today())[0]
    assert found.actual is not None and (found.actual.value, found.actual.reached) == (85, None)
    assert found.status == IndicatorStatus.met


def test_an_assessment_keeps_the_database_from_going_back(engine: Engine) -> None:
    run_import(engine, xlsx(indicator_annex()))
    _record(engine, "2045.1", True)
    with pytest.raises(RuntimeError, match="1 kết quả chỉ tiêu là đánh giá đạt/chưa đạt"):
        command.downgrade(alembic_config(engine), BEFORE)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT reached FROM indicatorvalue")).scalars().all() == [True]
