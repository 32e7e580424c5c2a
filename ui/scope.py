"""The TaskScope tracker.tasks.permissions needs, built from a task as the pages read it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from tracker.tasks.permissions import TaskScope


def scope_of(task: Mapping[str, Any]) -> TaskScope:
    """TASK is a row of a task frame, or TaskDetail.task: code, lead units, coordinators, status."""
    leads: Iterable[Any] = task.get("lead_unit_ids") or ()
    coordinators: Iterable[Any] = task.get("coordinating_unit_ids") or ()
    return TaskScope(
        code=str(task["code"]),
        lead_unit_ids=frozenset(int(unit) for unit in leads),
        coordinator_unit_ids=frozenset(int(unit) for unit in coordinators),
        status=str(task["status"]),
    )
