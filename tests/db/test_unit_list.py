"""The unit list the secretariat merges twins from."""

from __future__ import annotations

from sqlalchemy import Engine

from models import Role
from tests.support.factories import make_plan, make_task, make_unit, make_user
from tracker.db import read_session, write_session
from tracker.directory.unit_list import UnitEntry, unit_directory
from tracker.directory.units import merge_units


def test_each_unit_lists_its_spellings_tasks_and_accounts(engine: Engine) -> None:
    plan = make_plan(engine)
    science = make_unit(engine, "Sở Khoa học và Công nghệ")
    twin = make_unit(engine, "Sở KH và CN tỉnh")
    finance = make_unit(engine, "Sở Tài chính")
    make_task(engine, plan, science, code="I.1", coordinators=(finance,))
    make_task(engine, plan, twin, code="I.2", coordinators=(finance,))
    make_user(engine, Role.unit, twin)
    secretariat = make_user(engine, Role.secretariat)
    with write_session(engine) as session:
        merge_units(session, by=secretariat, source_id=twin.id, target_id=science.id)
    with read_session(engine) as session:
        entries = unit_directory(session)
    assert entries == [
        UnitEntry(science.id, "Sở Khoa học và Công nghệ", "", "unit", ["Sở KH và CN tỉnh"], 2, 0, 1, ""),
        UnitEntry(finance.id, "Sở Tài chính", "", "unit", [], 0, 2, 0, ""),
    ]


def test_an_empty_database_has_no_units(engine: Engine) -> None:
    with read_session(engine) as session:
        assert unit_directory(session) == []
