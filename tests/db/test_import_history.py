"""Past imports, newest first, with who ran them and what they did."""

from __future__ import annotations

from sqlalchemy import Engine

from models import Role
from tests.support.factories import make_user
from tracker.config import SAMPLE_PLAN
from tracker.db import read_session, write_session
from tracker.importer.apply import apply_import
from tracker.importer.history import import_history
from tracker.importer.preview import preview_import


def import_sample(engine: Engine, by_name: str) -> None:
    user = make_user(engine, Role.secretariat, username=by_name)
    with write_session(engine) as session:
        preview = preview_import(session, data=SAMPLE_PLAN.read_bytes(), file_name="phu-luc.xlsx")
        apply_import(session, preview=preview, by=user, skip_errors=True)


def test_imports_are_listed_newest_first_with_their_counts(engine: Engine) -> None:
    import_sample(engine, "lan_dau")
    import_sample(engine, "lan_hai")
    with read_session(engine) as session:
        records = import_history(session)
    assert [(r.plan_number, r.file_name, r.created, r.unchanged) for r in records] == [
        ("45-KH/UBND", "phu-luc.xlsx", 0, 43),
        ("45-KH/UBND", "phu-luc.xlsx", 43, 0),
    ]
    assert [r.by for r in records] == ["Người dùng secretariat"] * 2
    assert records[0].batch_id > records[1].batch_id


def test_no_import_no_history(engine: Engine) -> None:
    with read_session(engine) as session:
        assert import_history(session) == []
