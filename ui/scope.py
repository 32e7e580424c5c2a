"""The TaskScope tracker.tasks.permissions needs, built from a task as the pages read it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from tracker.tasks.permissions import TaskScope


def _unit_id(value: Any) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def scope_of(task: Mapping[str, Any]) -> TaskScope:
    """TASK is a row of a task frame, or TaskDetail.task: code, lead unit, coordinators, status."""
    coordinators: Iterable[Any] = task.get("coordinating_unit_ids") or ()
    return TaskScope(
        code=str(task["code"]),
        lead_unit_id=_unit_id(task.get("lead_unit_id")),
        coordinator_unit_ids=frozenset(int(unit) for unit in coordinators),
        status=str(task["status"]),
    )
