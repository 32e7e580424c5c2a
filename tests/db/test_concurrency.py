"""Eight writers at once, as threads (Streamlit sessions) and as processes (the
CLI beside the app), on SQLite and PostgreSQL.

Each writer adds 1 to a task's progress several times, re-reading and retrying
when its save is refused as stale. If any update were lost, the final progress
would fall short; if any history row were lost, the rows' progress values
would not run 1, 2, 3 … without a gap.
"""

from __future__ import annotations

import multiprocessing
import sys
import threading
import types
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from multiprocessing.synchronize import Barrier

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine
from sqlmodel import col, select

from models import Role, SignInThrottle, StatusUpdate, Task, User
from tests.support.factories import make_plan, make_task, make_unit, make_user
from tracker.db import open_database, read_session, write_session
from tracker.directory import auth
from tracker.errors import AuthError, StaleVersion
from tracker.tasks.workflow import update_progress

WRITERS = 8
TIMES = 5


def add_one(url: str, user_id: int, phases: list[list[int]], writer: int, wait: Callable[[], object]) -> None:
    """In each phase, once all writers are ready, add 1 to the progress of the
    phase's tasks, TIMES times in turn from the writer's own starting task."""
    engine = open_database(url)
    for task_ids in phases:
        wait()
        for step in range(TIMES):
            task_id = task_ids[(writer + step) % len(task_ids)]
            while True:
                with read_session(engine) as session:
                    task, user = session.get(Task, task_id), session.get(User, user_id)
                assert task is not None and user is not None
                try:
                    with write_session(engine) as session:
                        update_progress(
                            session,
                            by=user,
                            task_id=task_id,
                            seen_version=task.version,
                            status="in_progress",
                            progress=task.progress + 1,
                            note=f"người {writer}, lần {step}",
                        )
                    break
                except StaleVersion:
                    continue


def process_writer(url: str, user_id: int, phases: list[list[int]], writer: int, barrier: Barrier) -> None:
    add_one(url, user_id, phases, writer, barrier.wait)


def setup(engine: Engine, tasks: int) -> tuple[int, list[int]]:
    unit = make_unit(engine)
    plan = make_plan(engine)
    ids = [make_task(engine, plan, unit, code=f"I.{n}").id for n in range(tasks)]
    user = make_user(engine, Role.secretariat)
    assert user.id is not None and all(ids)
    return user.id, [i for i in ids if i is not None]


def check_nothing_lost(engine: Engine, task_ids: list[int]) -> None:
    with read_session(engine) as session:
        total = 0
        for task_id in task_ids:
            task = session.get(Task, task_id)
            assert task is not None
            query = select(StatusUpdate).where(StatusUpdate.task_id == task_id).order_by(col(StatusUpdate.id))
            progress = [row.progress for row in session.exec(query)]
            assert progress == list(range(1, task.progress + 1))
            assert task.version == 1 + task.progress
            total += task.progress
    assert total == WRITERS * TIMES


def run_threads(url: str, user_id: int, phases: list[list[int]]) -> None:
    barrier = threading.Barrier(WRITERS)
    with ThreadPoolExecutor(WRITERS) as pool:
        futures = [pool.submit(add_one, url, user_id, phases, w, barrier.wait) for w in range(WRITERS)]
        for future in futures:
            future.result()


def run_processes(url: str, user_id: int, phases: list[list[int]]) -> None:
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(WRITERS)
    workers = [
        context.Process(target=process_writer, args=(url, user_id, phases, w, barrier))
        for w in range(WRITERS)
    ]
    # A fresh spawn re-runs the parent's __main__ file; after a Streamlit AppTest
    # that can be a page script, so children start from an empty __main__.
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(sys.modules, "__main__", types.ModuleType("__main__"))
        for worker in workers:
            worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert [worker.exitcode for worker in workers] == [0] * WRITERS


@pytest.mark.parametrize("run", [run_threads, run_processes], ids=["threads", "processes"])
def test_eight_writers_on_one_task_then_on_many_lose_no_update_and_no_history_row(
    database_url: str, engine: Engine, run: Callable[[str, int, list[list[int]]], None]
) -> None:
    user_id, one = setup(engine, 1)
    _, many = setup(engine, WRITERS)
    run(database_url, user_id, [one, many])
    check_nothing_lost(engine, one)
    check_nothing_lost(engine, many)


def test_parallel_wrong_passwords_are_all_counted(
    database_url: str, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(auth, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    make_user(engine, Role.unit, make_unit(engine), "donvi")
    barrier = threading.Barrier(WRITERS)

    def guess() -> str:
        barrier.wait()
        with pytest.raises(AuthError) as refused:
            auth.authenticate(engine, username="donvi", password="doan-sai", address="192.0.2.10")
        return str(refused.value)

    with ThreadPoolExecutor(WRITERS) as pool:
        answers = list(pool.map(lambda _: guess(), range(WRITERS)))
    # Three free failures, the fourth sets a wait, and the guesses checked meanwhile are refused by it.
    assert sum("Sai tên đăng nhập" in answer for answer in answers) == 4
    with read_session(engine) as session:
        counter = session.exec(select(SignInThrottle).where(SignInThrottle.username == "donvi")).one()
    assert counter.failures == 4 and counter.blocked_until is not None
