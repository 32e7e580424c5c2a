"""Pausing Python's cyclic garbage collector while an annex is read and written.

An import allocates hundreds of thousands of small objects (cells, rows,
dictionaries) that all live until it ends, and every full pass of the collector
walks them: a quarter to a third of the time of a 5,000-task import. Reference
counting still frees everything as usual; only the search for cycles waits.
In the threaded app imports may overlap, so the collector comes back when the
last one ends, and only if it was on before the first began.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_state = {"active": 0, "was_enabled": False}


@contextmanager
def collector_paused() -> Iterator[None]:
    with _lock:
        if _state["active"] == 0:
            _state["was_enabled"] = gc.isenabled()
            gc.disable()
        _state["active"] += 1
    try:
        yield
    finally:
        with _lock:
            _state["active"] -= 1
            if _state["active"] == 0 and _state["was_enabled"]:
                gc.enable()
