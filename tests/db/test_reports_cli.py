"""`python -m tracker report`: files written, the JSON summary, the errors a user can make."""

from __future__ import annotations

import json
from io import BytesIO
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from tests.support.factories import run_cli
from tests.support.scenarios import Scenario

CLASSES = ["completed_on_time", "completed_late", "in_progress_on_time", "overdue", "recurring", "undated"]


def test_report_json_summary_follows_the_contract(
    database_url: str, scenario: Scenario, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run_cli(database_url, capsys, "report", "--as-of", "2025-06-30", "--json")
    summary = json.loads(out)
    assert code == 0
    assert {
        "as_of",
        "total",
        "counts",
        "due_soon",
        "awaiting_confirmation",
        "completion_rate",
        "on_time_rate",
        "units",
    } <= set(summary)
    assert summary["as_of"] == "2025-06-30"
    assert summary["total"] == 8
    assert list(summary["counts"]) == CLASSES
    assert summary["counts"]["overdue"] == 2
    assert (summary["due_soon"], summary["awaiting_confirmation"]) == (2, 1)
    assert (summary["completion_rate"], summary["on_time_rate"]) == (0.5, 0.25)
    assert [unit["unit"] for unit in summary["units"]] == ["Sở Khoa học và Công nghệ", "Sở Nội vụ"]
    assert set(summary["units"][0]) == {
        "unit",
        "rank",
        "total",
        "counts",
        "completion_rate",
        "on_time_rate",
        "late_entries",
    }
    assert [unit["rank"] for unit in summary["units"]] == [1, 2]
    assert summary["known_on"] is None
    assert [entry["code"] for entry in summary["late_entries"]] == []


def test_report_writes_xlsx_and_docx_for_a_unit_and_a_plan(
    database_url: str, scenario: Scenario, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    xlsx, docx = tmp_path / "bao-cao.xlsx", tmp_path / "bao-cao.docx"
    args = ("--as-of", "2025-06-30", "--unit", "Sở Nội vụ", "--plan", "45-KH/TU", "--period", "quarter")
    code, out, _ = run_cli(database_url, capsys, "report", *args, "--out", str(xlsx))
    assert code == 0 and "Đã ghi báo cáo tính đến ngày 30/06/2025" in out
    assert run_cli(database_url, capsys, "report", *args, "--out", str(docx))[0] == 0
    book = load_workbook(BytesIO(xlsx.read_bytes()))
    annex = [row[2] for row in book["Phụ lục"].iter_rows(values_only=True) if isinstance(row[0], int)]
    assert annex == ["I.3", "II.1", "II.2"]
    text = "\n".join(paragraph.text for paragraph in Document(str(docx)).paragraphs)
    assert "Đơn vị chủ trì: Sở Nội vụ" in text
    assert "Quý III/2025" in text


def test_report_json_and_file_together_keep_stdout_for_json(
    database_url: str, scenario: Scenario, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out_file = tmp_path / "r.xlsx"
    code, out, err = run_cli(
        database_url, capsys, "report", "--as-of", "2025-06-30", "--out", str(out_file), "--json"
    )
    assert code == 0 and out_file.exists()
    assert json.loads(out)["total"] == 8
    assert "Đã ghi báo cáo" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--as-of", "30/06/2025", "--json"), "Ngày '30/06/2025' không hợp lệ"),
        (("--as-of", "2025-06-30", "--out", "bao-cao.pdf"), "phải có đuôi .xlsx hoặc .docx"),
        (
            (
                "--as-of",
                "2025-06-30",
            ),
            "Cần --out",
        ),
        (("--as-of", "2025-06-30", "--json", "--unit", "Sở Không Có"), "Không có đơn vị 'Sở Không Có'."),
        (("--as-of", "2025-06-30", "--json", "--period", "week"), "Kỳ báo cáo 'week'"),
        (("--as-of", "2025-06-30", "--json", "--section", "IX"), "mục 'IX'"),
    ],
)
def test_report_refuses_bad_options_with_one_line(
    database_url: str,
    scenario: Scenario,
    capsys: pytest.CaptureFixture[str],
    args: tuple[str, ...],
    message: str,
) -> None:
    code, out, err = run_cli(database_url, capsys, "report", *args)
    assert code == 1
    assert out == ""
    assert message in err
    assert len(err.strip().splitlines()) == 1
