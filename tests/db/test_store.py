"""The state store (tracker.views.store): after any write, what it gives equals a fresh read."""

from __future__ import annotations

import gc
import weakref
from datetime import date, datetime

import pandas as pd
import pytest
from sqlalchemy import Engine

from models import HistoryKind, Role, StatusUpdate, Task, TaskClass, TaskStatus, User
from tests.support.factories import add_state, backdate_task, make_plan, make_task, make_unit, make_user
from tracker.db import read_session, write_session
from tracker.directory.units import rename_unit
from tracker.reports.reads import last_unit_notes
from tracker.tasks.workflow import update_progress
from tracker.views import store as store_module
from tracker.views.periods import PeriodKind, cutoffs
from tracker.views.queries import TaskState, patched_rows, read_state
from tracker.views.store import StateStore

AS_OF = date(2025, 7, 20)
DATES = cutoffs(PeriodKind.month, AS_OF, 6)
LONG_AGO = datetime(2025, 1, 2, 8)


def _read(engine: Engine, store: StateStore | None, known_on: datetime | None = None) -> TaskState:
    with read_session(engine) as session:
        return read_state(session, None, due_soon_days=7, known_on=known_on, store=store)


def assert_same(engine: Engine, store: StateStore) -> TaskState:
    """The store's state classifies and trends as a fresh read does, now and as known on a date."""
    for known_on in (None, datetime(2025, 6, 1)):
        kept, fresh = _read(engine, store, known_on), _read(engine, None, known_on)
        for day in (AS_OF, date(2025, 6, 14)):
            pd.testing.assert_frame_equal(
                kept.at(day).reset_index(drop=True), fresh.at(day).reset_index(drop=True), check_dtype=False
            )
        pd.testing.assert_frame_equal(kept.trend(DATES), fresh.trend(DATES), check_dtype=False)
        # A report's previous period: the store's from its trend point, a fresh read's counted.
        assert [kept.summary(day) for day in DATES] == [fresh.summary(day) for day in DATES]
        for kind in (PeriodKind.month, PeriodKind.quarter):
            pd.testing.assert_frame_equal(kept.late(AS_OF, kind), fresh.late(AS_OF, kind), check_dtype=False)
        with read_session(engine) as session:

            def notes(
                task_ids: list[int] | None,
                known_on: datetime | None = known_on,
                plans: list[int] = kept.plan_ids,
            ) -> pd.Series:
                return last_unit_notes(
                    session, plan_ids=plans, as_of=AS_OF, known_on=known_on, task_ids=task_ids
                )

            pd.testing.assert_series_equal(
                kept.per_task("notes", AS_OF, notes).sort_index(), notes(None).sort_index(), check_dtype=False
            )
    return _read(engine, store)


def test_the_store_follows_every_kind_of_write(engine: Engine) -> None:
    plan, unit = make_plan(engine, "45-KH/TU"), make_unit(engine, "Sở Nội vụ")
    tasks = [
        backdate_task(
            engine, make_task(engine, plan, unit, code=f"I.{n}", deadline=date(2025, 6, 30)), LONG_AGO
        )
        for n in range(1, 4)
    ]
    staff = make_user(engine, Role.unit, unit)
    store = StateStore()
    assert_same(engine, store)

    # A progress update through the workflow (the task row's version moves).
    with write_session(engine) as session:
        update_progress(
            session, by=staff, task_id=tasks[0].id, seen_version=1, status=TaskStatus.in_progress, progress=30
        )
    assert_same(engine, store)

    # A completion entered today for May: it moves past cut-offs, and the June trend point.
    add_state(
        engine,
        tasks[1],
        TaskStatus.completed,
        date(2025, 5, 20),
        recorded_at=datetime(2025, 7, 19, 9),
        user=staff,
        note="Đã ban hành kế hoạch",
    )
    state = assert_same(engine, store)
    assert (
        state.at(date(2025, 6, 14)).set_index("code").loc["I.2", "task_class"] == TaskClass.completed_on_time
    )
    # Recorded in July for May: a late entry, which the store's late rows gained from the new row.
    assert list(state.late(AS_OF, PeriodKind.month)["code"]) == ["I.2"]

    # An entry recorded before the task's last one (a clock set back): the history is sorted again.
    add_state(engine, tasks[0], TaskStatus.in_progress, date(2025, 3, 1), recorded_at=datetime(2025, 3, 1, 9))
    assert_same(engine, store)

    # An approved extension: the deadline at past dates changes.
    with write_session(engine) as session:
        session.add(
            StatusUpdate(
                task_id=tasks[2].id,
                kind=HistoryKind.extension_approved,
                old_value="2025-06-30",
                new_value="2025-09-30",
                effective_on=date(2025, 7, 1),
                recorded_at=datetime(2025, 7, 1, 9),
            )
        )
    backdate_task(engine, tasks[2], LONG_AGO)
    assert_same(engine, store)

    # A task row written without history (a script's own UPDATE), its version bumped as every
    # write of a task row bumps it: the scope's sum of versions tells.
    with write_session(engine) as session:
        moved_task = session.get(Task, tasks[1].id)
        assert moved_task is not None
        moved_task.created_at = moved_task.updated_at = datetime(2025, 6, 20, 8)
        moved_task.version += 1
        session.add(moved_task)
    assert_same(engine, store)

    # The author moves to another unit: the note is no longer the lead unit's.
    finance = make_unit(engine, "Sở Tài chính")
    with write_session(engine) as session:
        moved = session.get(User, staff.id)
        assert moved is not None
        moved.unit_id = finance.id
        session.add(moved)
    assert_same(engine, store)

    # A renamed unit and a new task: read again in full.
    secretariat = make_user(engine, Role.secretariat)
    with write_session(engine) as session:
        rename_unit(session, by=secretariat, unit_id=unit.id, name="Sở Nội vụ tỉnh")
    make_task(engine, plan, unit, code="I.4", deadline=date(2025, 8, 30))
    state = assert_same(engine, store)
    assert set(state.tasks["lead_unit"]) == {"Sở Nội vụ tỉnh"} and len(state.tasks) == 4


def test_a_write_effective_after_a_cut_off_keeps_that_point(engine: Engine) -> None:
    plan, unit = make_plan(engine, "45-KH/TU"), make_unit(engine, "Sở Nội vụ")
    task = backdate_task(
        engine, make_task(engine, plan, unit, code="I.1", deadline=date(2025, 6, 30)), LONG_AGO
    )
    store = StateStore()
    _read(engine, store).trend(DATES)
    add_state(engine, task, TaskStatus.in_progress, date(2025, 7, 18), recorded_at=datetime(2025, 7, 18, 9))
    memo = _read(engine, store).memo
    assert memo is not None
    kept = {key[0] for key in memo.points}
    assert kept == {day for day in DATES if day < date(2025, 7, 18)}
    assert_same(engine, store)


def test_task_rows_read_again_take_their_place_in_plan_order() -> None:
    tasks = pd.DataFrame(
        {"plan_id": [1, 1, 1, 2], "position": [1, 2, 3, 1], "id": [10, 11, 12, 20], "title": list("abcd")}
    )

    def fresh(*rows: tuple[int, int, int, str]) -> pd.DataFrame:
        return pd.DataFrame(rows, columns=["plan_id", "position", "id", "title"])

    # Kept in place, moved within its plan, a task gone beside one changed.
    kept = patched_rows(tasks, fresh((1, 2, 11, "B")), {11})
    assert list(kept["title"]) == ["a", "B", "c", "d"]
    # A task the frame does not hold (another plan's) changes nothing.
    assert patched_rows(tasks, fresh((1, 2, 11, "B")), {11, 99}).equals(kept)
    moved = patched_rows(tasks, fresh((1, 4, 10, "A")), {10})
    assert list(moved["id"]) == [11, 12, 10, 20] and list(moved.index) == [0, 1, 2, 3]
    gone = patched_rows(tasks, fresh((2, 1, 20, "D")), {12, 20})
    assert list(gone["title"]) == ["a", "b", "D"]
    # A changed list is taken too; the frame patched stays as it was.
    leads = tasks.assign(lead_unit_ids=[[1], [2], [3], [4]])
    relinked = patched_rows(leads, leads.iloc[[1]].assign(lead_unit_ids=[[2, 5]]), {11})
    assert list(relinked["lead_unit_ids"]) == [[1], [2, 5], [3], [4]]
    assert list(leads["lead_unit_ids"]) == [[1], [2], [3], [4]] and list(tasks["title"]) == list("abcd")


def test_a_big_scope_is_kept_out_of_collection_and_what_died_since_goes_at_the_next_load(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_module, "FREEZE_FROM", 0)
    plan, unit = make_plan(engine, "45-KH/TU"), make_unit(engine, "Sở Nội vụ")
    make_task(engine, plan, unit, code="I.1", deadline=date(2025, 6, 30))

    class Cycle:
        me: object = None

    alive = Cycle()
    alive.me = alive
    dead = weakref.ref(alive)
    store = StateStore()
    try:
        _read(engine, store)
        assert gc.get_freeze_count() > 0
        del alive
        gc.collect()
        # Frozen with the scope's frames: no pass looks at it.
        assert dead() is not None
        # A new plan: the scope is read again in full, and what died since is collected first.
        make_plan(engine, "46-KH/TU")
        _read(engine, store)
        assert dead() is None
    finally:
        gc.unfreeze()
