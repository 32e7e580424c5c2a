"""`python -m tracker tasks`: the JSON contract, the filters and the errors a user can make."""

from __future__ import annotations

import json

import pytest

from tests.support.factories import run_cli
from tests.support.scenarios import Scenario

KEYS = [
    "code",
    "section",
    "title",
    "lead_unit",
    "lead_units",
    "coordinating_units",
    "deadline",
    "deadline_text",
    "recurring",
    "output",
    "status",
    "progress",
    "completed_on",
    "plan",
    "missing_since",
]


def test_tasks_json_has_exactly_the_contract_keys(
    database_url: str, scenario: Scenario, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run_cli(database_url, capsys, "tasks", "--json")
    tasks = json.loads(out)
    assert code == 0
    assert len(tasks) == 9
    assert all(list(task) == KEYS for task in tasks)
    first = tasks[0]
    assert first == {
        "code": "I.1",
        "section": "I",
        "title": "Ban hành quy chế chuyển đổi số",
        "lead_unit": "Sở Khoa học và Công nghệ",
        "lead_units": ["Sở Khoa học và Công nghệ"],
        "coordinating_units": ["Sở Nội vụ"],
        "deadline": "2025-06-30",
        "deadline_text": "30/06/2025",
        "recurring": False,
        "output": "",
        "status": "not_started",
        "progress": 0,
        "completed_on": None,
        "plan": "45-KH/TU",
        "missing_since": None,
    }
    recurring = next(task for task in tasks if task["code"] == "II.3")
    assert (recurring["deadline"], recurring["recurring"]) == (None, True)


def test_tasks_filters_by_plan_unit_and_status(
    database_url: str, scenario: Scenario, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out, _ = run_cli(database_url, capsys, "tasks", "--json", "--plan", "12-KH/UBND")
    assert [(task["plan"], task["code"]) for task in json.loads(out)] == [("12-KH/UBND", "I.1")]
    _, out, _ = run_cli(database_url, capsys, "tasks", "--json", "--unit", "so noi vu", "--plan", "45-KH/TU")
    assert [task["code"] for task in json.loads(out)] == ["I.3", "II.1", "II.2"]
    _, out, _ = run_cli(database_url, capsys, "tasks", "--json", "--status", "not_started")
    assert len(json.loads(out)) == 9


def test_tasks_table_is_readable(
    database_url: str, scenario: Scenario, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run_cli(database_url, capsys, "tasks", "--unit", "Sở Nội vụ")
    lines = out.splitlines()
    assert code == 0
    assert lines[0].split()[:2] == ["Kế", "hoạch"]
    assert any("12-KH/UBND" in line and "Chưa triển khai" in line for line in lines)
    assert lines[-1] == "(4 nhiệm vụ)"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--unit", "Sở Không Có"), "Không có đơn vị 'Sở Không Có'."),
        (("--status", "done"), "Trạng thái 'done' không hợp lệ"),
        (("--plan", "99-KH"), "Không có kế hoạch số '99-KH'."),
    ],
)
def test_tasks_refuses_unknown_values_with_one_line(
    database_url: str,
    scenario: Scenario,
    capsys: pytest.CaptureFixture[str],
    args: tuple[str, ...],
    message: str,
) -> None:
    code, out, err = run_cli(database_url, capsys, "tasks", *args)
    assert code == 1
    assert out == ""
    assert message in err
    assert len(err.strip().splitlines()) == 1
