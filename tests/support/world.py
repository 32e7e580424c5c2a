"""The one World of the tests that act as people: a database, an account per role, named units and tasks.

`build_world` makes a lead unit, a coordinating unit and another, staff
accounts for the parts asked for, a secretariat and a committee account;
`read_world` takes the accounts of a database prepared beforehand. A fixture
adds the tasks its tests name to `tasks`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import pandas as pd
from sqlalchemy import Engine
from sqlmodel import select

from models import Role, Task, Unit, User
from tests.support.factories import make_plan, make_task, make_unit, make_user
from tracker.clock import today
from tracker.db import read_session
from tracker.views.queries import classified_tasks

PARTS = ("lead", "coordinator", "other")


@dataclass
class World:
    engine: Engine
    # One account per role; the unit account is the lead unit's staff.
    users: dict[Role, User]
    # By part: "lead", "coordinator", "other".
    units: dict[str, Unit] = field(default_factory=dict)
    # Unit accounts by part; staff["lead"] is users[Role.unit].
    staff: dict[str, User] = field(default_factory=dict)
    # The tasks a fixture built, by the name its tests use.
    tasks: dict[str, Task] = field(default_factory=dict)

    @property
    def secretariat(self) -> User:
        return self.users[Role.secretariat]

    @property
    def committee(self) -> User:
        return self.users[Role.committee]

    @property
    def lead_staff(self) -> User:
        return self.users[Role.unit]

    def task(self, code: str = "II.3", **fields: object) -> Task:
        """A new task in a plan of its own, led by the lead unit, the coordinating unit coordinating."""
        plan = make_plan(self.engine)
        coordinators = (self.units["coordinator"],)
        return make_task(
            self.engine, plan, self.units["lead"], code=code, coordinators=coordinators, **fields
        )

    def classified(self, as_of: date | None = None) -> pd.DataFrame:
        """The tasks in force, classified at AS_OF (default today), as tracker's own functions read them."""
        with read_session(self.engine) as session:
            return classified_tasks(session, as_of=as_of or today(), due_soon_days=7)


def build_world(
    engine: Engine,
    *,
    unit_names: Sequence[str | None] = (None, None, None),
    staff: Sequence[str] = PARTS,
    usernames: Mapping[Role, str] | None = None,
) -> World:
    """Units named UNIT_NAMES (lead, coordinator, other), staff accounts for the parts in STAFF
    (the lead's first), and a secretariat and a committee account; USERNAMES by role when given."""
    names = usernames or {}
    units = {part: make_unit(engine, name) for part, name in zip(PARTS, unit_names, strict=True)}
    people = {
        part: make_user(
            engine, Role.unit, units[part], username=names.get(Role.unit) if part == "lead" else None
        )
        for part in staff
    }
    users = {
        Role.secretariat: make_user(engine, Role.secretariat, username=names.get(Role.secretariat)),
        Role.committee: make_user(engine, Role.committee, username=names.get(Role.committee)),
        Role.unit: people["lead"],
    }
    return World(engine=engine, users=users, units=units, staff=people)


def read_world(engine: Engine) -> World:
    """The World of a database prepared beforehand: its accounts, one per role."""
    with read_session(engine) as session:
        users = {Role(user.role): user for user in session.exec(select(User))}
    return World(engine, users)
