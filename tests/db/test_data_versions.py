"""Each transaction that writes renews the stamps of the tables it wrote, and only those."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, update
from sqlmodel import col, select

from models import Plan, Task, Unit
from tests.support.factories import make_plan, make_unit
from tracker.clock import now
from tracker.db import data_versions, is_sqlite, read_session, renew_stamps, write_session
from tracker.importer.bulk import insert_rows


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


def test_rows_sent_to_the_driver_directly_count_as_written(engine: Engine) -> None:
    plan, unit = make_plan(engine), make_unit(engine)
    before = data_versions(engine)
    with write_session(engine) as session:
        insert_rows(session, Task.__table__, [task_row(plan.id, unit.id)])  # type: ignore[attr-defined]
    after = data_versions(engine)
    assert after["task"] != before.get("task")
    assert after["unit"] == before["unit"]


def test_parallel_postgresql_writers_renew_their_own_share_and_either_renews_the_stamp(
    engine: Engine,
) -> None:
    if is_sqlite(engine):
        pytest.skip("a SQLite file has one writer at a time")
    make_plan(engine)
    before = data_versions(engine)["plan"]
    with engine.connect() as first, engine.connect() as second:
        first.begin()
        renew_stamps(first, ["plan"])
        second.begin()
        # Were the two on one row, the second would wait for the first to commit.
        second.exec_driver_sql("SET LOCAL lock_timeout = '2s'")
        renew_stamps(second, ["plan"])
        second.commit()
        after_second = data_versions(engine)["plan"]
        first.commit()
    after_both = data_versions(engine)["plan"]
    assert len({before, after_second, after_both}) == 3


def task_row(plan_id: int | None, unit_id: int | None) -> dict[str, object]:
    moment = now()
    return {
        "plan_id": plan_id,
        "code": "I.1",
        "position": 0,
        "section_code": "I",
        "section_title": "",
        "group_title": "",
        "title": "Nhiệm vụ thử",
        "lead_unit_id": unit_id,
        "deadline": None,
        "deadline_text": "",
        "recurring": False,
        "original_deadline": None,
        "output": "",
        "status": "not_started",
        "progress": 0,
        "completed_on": None,
        "version": 1,
        "source_row": None,
        "created_at": moment,
        "updated_at": moment,
    }
