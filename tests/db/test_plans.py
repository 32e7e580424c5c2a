import pytest
from sqlalchemy import Engine

from tests.support.factories import make_plan, make_task, make_unit
from tracker.db import read_session
from tracker.directory.plans import find_task
from tracker.errors import InvalidValue, NotFound


def test_find_task_needs_the_plan_only_when_the_code_is_shared(engine: Engine) -> None:
    unit = make_unit(engine)
    first, second = make_plan(engine, "45-KH/TU"), make_plan(engine, "12-KH/UBND")
    only = make_task(engine, first, unit, code="II.1")
    make_task(engine, first, unit, code="I.1")
    shared = make_task(engine, second, unit, code="I.1")
    with read_session(engine) as session:
        assert find_task(session, "II.1").id == only.id
        assert find_task(session, "I.1", "12-KH/UBND").id == shared.id
        with pytest.raises(InvalidValue, match="12-KH/UBND, 45-KH/TU"):
            find_task(session, "I.1")
        with pytest.raises(NotFound, match=r"'9\.9'"):
            find_task(session, "9.9")
        with pytest.raises(NotFound, match="'99-KH'"):
            find_task(session, "I.1", "99-KH")
