"""SQLite writers of one process take turns in the order they came (tracker.db)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from tracker.db import _WriterQueue


def _wait_until(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 5
    while not condition():
        assert time.monotonic() < deadline, "the queue never got there"
        time.sleep(0.001)


def test_waiting_writers_enter_in_the_order_they_came() -> None:
    queue = _WriterQueue(timeout=5)
    entered: list[int] = []
    done = threading.Event()

    def writer(number: int) -> None:
        with queue.turn():
            entered.append(number)

    holder = threading.Thread(target=lambda: _hold(queue, done))
    holder.start()
    _wait_until(lambda: queue._owner is not None)
    threads = []
    for number in range(5):
        thread = threading.Thread(target=writer, args=(number,))
        thread.start()
        _wait_until(lambda number=number: len(queue._waiting) == number + 1)
        threads.append(thread)
    done.set()
    for thread in [holder, *threads]:
        thread.join(5)
    assert entered == [0, 1, 2, 3, 4]
    assert queue._owner is None


def _hold(queue: _WriterQueue, done: threading.Event) -> None:
    with queue.turn():
        done.wait(5)


def test_the_thread_in_turn_may_enter_again() -> None:
    queue = _WriterQueue(timeout=5)
    with queue.turn(), queue.turn():
        pass
    assert queue._owner is None


def test_a_writer_that_waited_the_busy_timeout_goes_on_and_is_not_handed_a_turn_later() -> None:
    queue = _WriterQueue(timeout=0.05)
    done = threading.Event()
    holder = threading.Thread(target=lambda: _hold(queue, done))
    holder.start()
    _wait_until(lambda: queue._owner is not None)
    with queue.turn():
        # Past the timeout: on its own, as SQLite's busy timeout would then decide.
        assert queue._owner not in (None, threading.get_ident())
    assert not queue._waiting
    done.set()
    holder.join(5)
    assert queue._owner is None
