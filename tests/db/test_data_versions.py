"""Each transaction that writes renews the stamps of the tables it wrote, and only those."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, update
from sqlmodel import col, select

from models import Plan, Unit
from tests.support.factories import make_plan, make_unit
from tracker.clock import now
from tracker.db import data_versions, read_session, write_session


def test_a_write_renews_the_stamp_of_each_table_it_wrote_and_no_other(engine: Engine) -> None:
    make_unit(engine)
    before = data_versions(engine)
    make_plan(engine)
    after = data_versions(engine)
    assert after["plan"] != before.get("plan")
    assert after["unit"] == before["unit"]


def test_a_bulk_statement_counts_as_a_write(engine: Engine) -> None:
    unit = make_unit(engine)
    before = data_versions(engine)["unit"]
    with write_session(engine) as session:
        session.execute(update(Unit).where(col(Unit.id) == unit.id).values(short_name="Sở"))
    assert data_versions(engine)["unit"] != before


def test_reads_and_unchanged_objects_renew_nothing(engine: Engine) -> None:
    unit = make_unit(engine)
    before = data_versions(engine)
    with read_session(engine) as session:
        session.exec(select(Plan)).all()
    with write_session(engine) as session:
        found = session.get(Unit, unit.id)
        assert found is not None
        found.name = found.name  # set to what it was: not a change
    assert data_versions(engine) == before


def test_a_rolled_back_write_renews_nothing(engine: Engine) -> None:
    make_unit(engine)
    before = data_versions(engine)
    with pytest.raises(RuntimeError), write_session(engine) as session:
        session.add(Plan(number="1-KH/UBND", created_at=now()))
        session.flush()
        raise RuntimeError("cancelled")
    assert data_versions(engine) == before
    with write_session(engine) as session:
        session.exec(select(Plan)).all()
    assert data_versions(engine) == before
