"""A unit leading many tasks gets cards for the most urgent only, and a way to all of them."""

from __future__ import annotations

from datetime import timedelta

from models import Role
from tests.support.apptest import page_as, texts
from tests.support.factories import make_plan, make_task, make_unit, make_user
from tracker.clock import today
from tracker.db import open_database
from ui.task_card import CARDS


def test_cards_stop_at_the_most_urgent_and_say_how_many_are_left_out(app_url: str) -> None:
    engine = open_database(app_url)
    plan, unit = make_plan(engine, "45-KH/TU"), make_unit(engine, "Sở Y tế")
    for number in range(CARDS + 1):
        make_task(engine, plan, unit, code=f"I.{number + 1}", deadline=today() + timedelta(days=number))
    staff = make_user(engine, Role.unit, unit, username="so_y_te")
    at = page_as(staff, "pages/my_unit.py").run()
    assert not at.exception
    assert len(at.expander) == CARDS
    assert f"Hiển thị {CARDS} trong số {CARDS + 1} nhiệm vụ." in texts(at)
