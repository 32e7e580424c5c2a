"""A new installation has no plan yet: every read and report must still work."""

import json
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from tracker.cli import main


def test_reports_and_lists_of_an_empty_database(
    database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", database_url, "report", "--as-of", "2026-11-14", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert (summary["total"], summary["completion_rate"], summary["units"]) == (0, None, [])
    for name in ("empty.xlsx", "empty.docx"):
        out = str(tmp_path / name)
        assert main(["--db", database_url, "report", "--as-of", "2026-11-14", "--out", out]) == 0
    assert "14/11/2026" in capsys.readouterr().out
    assert load_workbook(tmp_path / "empty.xlsx").sheetnames
    assert any("14/11/2026" in p.text for p in Document(str(tmp_path / "empty.docx")).paragraphs)
    assert main(["--db", database_url, "tasks", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
