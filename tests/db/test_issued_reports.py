"""Issued reports: recorded once with their files, listed in a register, never changed; later
entries for their date show as changes against a regeneration."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from io import BytesIO
from pathlib import Path

import pytest
from docx import Document
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError
from sqlmodel import select

from models import IssuedReport, Role, TaskStatus
from tests.support.factories import add_state, make_user, run_cli
from tests.support.scenarios import Scenario
from tracker.db import read_session, write_session

pytestmark = pytest.mark.usefixtures("cheap_hashing")

ISSUE = (
    "report",
    "--as-of",
    "2025-06-30",
    "--issue",
    "15/BC-BCĐ",
    "--by",
    "vanphong",
    "--issued-on",
    "2025-07-05",
    "--place",
    "Bình An",
    "--signer-position",
    "Tổ trưởng",
    "--signer-name",
    "Nguyễn Văn An",
    "--json",
)
SUMMARY_KEYS = {"id", "number", "as_of", "issued_at", "by", "total", "counts"}


@pytest.fixture
def secretariat(engine: Engine, scenario: Scenario) -> None:
    make_user(engine, Role.secretariat, username="vanphong")


def issue(database_url: str, capsys: pytest.CaptureFixture[str], *extra: str) -> dict[str, object]:
    code, out, err = run_cli(database_url, capsys, *ISSUE, *extra)
    assert code == 0, err
    summary: dict[str, object] = json.loads(out)
    return summary


@pytest.mark.usefixtures("secretariat")
def test_an_issued_report_is_listed_with_its_figures_and_unchanged_until_a_later_entry(
    engine: Engine, database_url: str, scenario: Scenario, capsys: pytest.CaptureFixture[str]
) -> None:
    figures = issue(database_url, capsys)
    assert isinstance(figures["issued_id"], int)

    code, out, _ = run_cli(database_url, capsys, "issued", "--json")
    listed = json.loads(out)
    assert code == 0 and len(listed) == 1 and set(listed[0]) == SUMMARY_KEYS
    entry = listed[0]
    assert (entry["id"], entry["number"], entry["as_of"], entry["by"]) == (
        figures["issued_id"],
        "15/BC-BCĐ",
        "2025-06-30",
        "vanphong",
    )
    assert (entry["total"], entry["counts"]) == (figures["total"], figures["counts"])
    datetime.fromisoformat(entry["issued_at"])

    code, out, _ = run_cli(database_url, capsys, "issued", str(entry["id"]), "--json")
    opened = json.loads(out)
    assert set(opened) == SUMMARY_KEYS | {"changes", "changed_tasks"}
    assert (opened["changes"], opened["changed_tasks"]) == ({}, [])

    # A completion entered after the issue for a day before its cut-off: a late entry.
    later = datetime.fromisoformat(entry["issued_at"]) + timedelta(seconds=1)
    add_state(engine, scenario.tasks["II.1"], TaskStatus.completed, date(2025, 6, 20), recorded_at=later)

    opened = json.loads(run_cli(database_url, capsys, "issued", str(entry["id"]), "--json")[1])
    assert opened["changes"] == {"completed_on_time": 1, "in_progress_on_time": -1}
    assert opened["changed_tasks"] == [
        {"task": "45-KH/TU II.1", "before": "in_progress_on_time", "after": "completed_on_time"}
    ]
    assert opened["counts"] == figures["counts"], "what the report said stays as it said"

    code, out, _ = run_cli(
        database_url, capsys, "report", "--as-of", "2025-06-30", "--known-on", entry["issued_at"], "--json"
    )
    reproduced = json.loads(out)
    assert code == 0 and reproduced["known_on"] == entry["issued_at"]
    stored = {key: value for key, value in figures.items() if key not in ("issued_id", "known_on")}
    assert {key: reproduced[key] for key in stored} == stored, "known on the issue, the same figures"


@pytest.mark.usefixtures("secretariat")
def test_the_database_refuses_to_change_or_delete_an_issued_report(
    engine: Engine, database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    issue(database_url, capsys)
    for statement in ("UPDATE issuedreport SET number = 'khác'", "DELETE FROM issuedreport"):
        with pytest.raises(DBAPIError, match="issued reports never change"), write_session(engine) as session:
            session.execute(text(statement))
    with read_session(engine) as session:
        assert [row.number for row in session.exec(select(IssuedReport))] == ["15/BC-BCĐ"]


@pytest.mark.usefixtures("secretariat")
def test_a_number_is_issued_once(database_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    issue(database_url, capsys)
    code, out, err = run_cli(database_url, capsys, *ISSUE)
    assert (code, out) == (1, "")
    assert err.strip() == "Lỗi: Số báo cáo '15/BC-BCĐ' đã được dùng cho một báo cáo đã ban hành."


@pytest.mark.usefixtures("secretariat")
@pytest.mark.parametrize(
    ("dropped", "message"),
    [
        ("--signer-name", "Lỗi: Cần ghi họ tên người ký của báo cáo ban hành."),
        ("--place", "Lỗi: Cần ghi địa danh của báo cáo ban hành."),
        ("--by", "Lỗi: Ban hành báo cáo cần --by TÀI_KHOẢN của Tổ giúp việc."),
    ],
)
def test_an_issue_needs_its_signer_place_and_issuer(
    database_url: str, capsys: pytest.CaptureFixture[str], dropped: str, message: str
) -> None:
    at = ISSUE.index(dropped)
    code, _, err = run_cli(database_url, capsys, *ISSUE[:at], *ISSUE[at + 2 :])
    assert code == 1 and err.strip() == message
    assert json.loads(run_cli(database_url, capsys, "issued", "--json")[1]) == []


@pytest.mark.usefixtures("secretariat")
def test_only_the_secretariat_issues(
    engine: Engine, database_url: str, scenario: Scenario, capsys: pytest.CaptureFixture[str]
) -> None:
    make_user(engine, Role.committee, username="lanhdao")
    at = ISSUE.index("--by")
    code, _, err = run_cli(database_url, capsys, *ISSUE[:at], "--by", "lanhdao", *ISSUE[at + 2 :])
    assert code == 1 and err.startswith("Lỗi: ") and "ban hành báo cáo" in err


@pytest.mark.usefixtures("secretariat")
def test_the_issued_word_file_is_ready_to_sign(
    engine: Engine, database_url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "bao-cao.docx"
    issue(database_url, capsys, "--out", str(out))
    with read_session(engine) as session:
        stored = session.exec(select(IssuedReport)).one()
    assert stored.docx == out.read_bytes(), "the register keeps the file as issued"
    document = Document(BytesIO(stored.docx))
    title_block = "\n".join(cell.text for cell in document.tables[0].rows[0].cells)
    assert "Số: 15/BC-BCĐ" in title_block
    assert "Bình An, ngày 05 tháng 7 năm 2025" in title_block
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    signature = "\n".join(cell.text for cell in document.tables[-1].rows[0].cells)
    assert "…" not in text + title_block + signature, "no blank dots left to fill in"
    assert "TỒN TẠI, HẠN CHẾ" in text and "ĐỀ XUẤT, KIẾN NGHỊ" in text
    assert "Có 1/8 nhiệm vụ hoàn thành đúng hạn, tăng 01 so với kỳ trước" in text
    assert "TỔ TRƯỞNG" in signature and "Nguyễn Văn An" in signature
    assert stored.xlsx[:2] == b"PK"
