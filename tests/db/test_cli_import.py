import json
from pathlib import Path

import pytest
from sqlalchemy import Engine

from models import Role
from tests.support.annexes import SMALL_TASKS, annex, xlsx
from tests.support.factories import make_unit, make_user, run_cli
from tests.support.importing import row_counts
from tracker.config import SAMPLE_PLAN

KEYS = {
    "plan",
    "changes",
    "created",
    "updated",
    "unchanged",
    "missing",
    "dropped",
    "errors",
    "warnings",
    "batch_id",
    "indicators",
}


def test_import_json_reports_counts_problems_and_the_batch(
    engine: Engine, database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run_cli(database_url, capsys, "import", str(SAMPLE_PLAN), "--json")
    assert code == 0
    result = json.loads(out)
    assert set(result) == KEYS
    assert (result["created"], result["updated"], result["unchanged"], result["missing"]) == (43, 0, 0, [])
    assert result["errors"] == []
    assert isinstance(result["batch_id"], int)
    deadline = next(warning for warning in result["warnings"] if warning["row"] == 36)
    assert deadline["column"] == "Thời gian hoàn thành"
    assert "'Theo tiến độ dự án'" in deadline["message"]
    again = json.loads(run_cli(database_url, capsys, "import", str(SAMPLE_PLAN), "--json")[1])
    assert (again["created"], again["unchanged"]) == (0, 43)


def test_a_dry_run_writes_nothing(
    engine: Engine, database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before = row_counts(engine)
    code, out, _ = run_cli(database_url, capsys, "import", str(SAMPLE_PLAN), "--dry-run", "--json")
    result = json.loads(out)
    assert (code, result["created"], result["batch_id"]) == (0, 43, None)
    assert row_counts(engine) == before
    code, out, _ = run_cli(database_url, capsys, "import", str(SAMPLE_PLAN), "--dry-run")
    assert "Xem trước (chưa ghi) 'sample_plan.xlsx'" in out
    assert "thêm mới 43" in out


def test_a_dry_run_of_a_revision_gives_the_plan_read_and_its_changes_first(
    engine: Engine, database_url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    first, revised = tmp_path / "phu-luc.xlsx", tmp_path / "phu-luc-sua-doi.xlsx"
    first.write_bytes(xlsx(annex(SMALL_TASKS)))
    run_cli(database_url, capsys, "import", str(first), "--json")
    tasks = [list(row) for row in SMALL_TASKS if row[1] != "Phủ sóng 5G"]
    tasks[1][4] = "Quý IV/2026"
    tasks.append([3, "Nền tảng số", "Sở Tài chính", "", "2026", ""])
    revised.write_bytes(xlsx(annex(tasks)))
    code, out, _ = run_cli(database_url, capsys, "import", str(revised), "--dry-run", "--json")
    result = json.loads(out)
    assert code == 0
    assert result["plan"] == {
        "number": "12-KH/UBND",
        "title": "DANH MỤC NHIỆM VỤ CHUYỂN ĐỔI SỐ NĂM 2025",
        "issued_on": "2025-04-05",
    }
    assert [(c["action"], c["code"], c["field"], c["old"], c["new"]) for c in result["changes"]] == [
        ("created", "II.3", "", "", ""),
        ("updated", "I.1", "deadline", "2025-06-30", "2026-12-31"),
        ("updated", "I.1", "deadline_text", "Quý II/2025", "Quý IV/2026"),
        ("dropped", "II.1", "", "", ""),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"PK\x03\x04 not really a zip", "bị hỏng hoặc không trọn vẹn"),
        (b"Chao ban", "không phải bảng tính Excel hợp lệ"),
        (b"", "Tệp rỗng"),
    ],
)
def test_an_unreadable_file_exits_non_zero_and_writes_nothing(
    engine: Engine,
    database_url: str,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    content: bytes,
    message: str,
) -> None:
    path = tmp_path / "phu-luc.xlsx"
    path.write_bytes(content)
    before = row_counts(engine)
    code, out, err = run_cli(database_url, capsys, "import", str(path), "--json")
    assert (code, out) == (1, "")
    assert err.startswith("Lỗi: ") and message in err
    assert row_counts(engine) == before


def test_a_missing_file_is_named(
    database_url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run_cli(database_url, capsys, "import", str(tmp_path / "khong-co.xlsx"))
    assert code == 1
    assert "Không có tệp" in err and "khong-co.xlsx" in err


def test_good_rows_are_imported_and_bad_ones_reported(
    engine: Engine, database_url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "phu-luc.xlsx"
    path.write_bytes(xlsx(annex([*SMALL_TASKS, [3, "", "Sở Y tế", "", "Năm 2025", ""]])))
    code, out, _ = run_cli(database_url, capsys, "import", str(path), "--json")
    result = json.loads(out)
    assert (code, result["created"]) == (0, 4)
    assert result["errors"] == [
        {"row": 16, "column": "Nội dung nhiệm vụ", "message": "Dòng 16: mã 'II.3' không có nội dung."}
    ]


def test_plan_and_sheet_can_be_named(
    engine: Engine, database_url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "phu-luc.xlsx"
    path.write_bytes(
        xlsx(annex(SMALL_TASKS), sheet="Nhiệm vụ", before=[("Ghi chú", [["Trang trống"]], False)])
    )
    code, out, _ = run_cli(
        database_url, capsys, "import", str(path), "--sheet", "Nhiệm vụ", "--plan", "3-KH/SKHCN"
    )
    assert code == 0
    assert "vào kế hoạch 3-KH/SKHCN" in out
    code, _, err = run_cli(database_url, capsys, "import", str(path), "--sheet", "Không có")
    assert code == 1 and "không có trang 'Không có'" in err


def test_plans_lists_every_plan_with_its_task_count(
    engine: Engine, database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    run_cli(database_url, capsys, "import", str(SAMPLE_PLAN))
    code, out, _ = run_cli(database_url, capsys, "plans", "--json")
    assert code == 0
    [plan] = json.loads(out)
    assert plan == {
        "number": "45-KH/UBND",
        "title": plan["title"],
        "issuer": "Ủy ban nhân dân tỉnh Bình An",
        "issued_on": "2025-03-10",
        "status": "in_force",
        "tasks": 43,
    }
    assert plan["title"].startswith("DANH MỤC NHIỆM VỤ TRIỂN KHAI NGHỊ QUYẾT SỐ 57-NQ/TW")
    code, out, _ = run_cli(database_url, capsys, "plans")
    assert "45-KH/UBND ngày 10/03/2025" in out and "43 nhiệm vụ" in out


def test_the_acting_account_must_exist_and_may_import(
    engine: Engine, database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    staff = make_user(engine, Role.unit, make_unit(engine, "Sở Y tế"), username="canbo")
    make_user(engine, Role.secretariat, username="vanphong")
    before = row_counts(engine)
    assert run_cli(database_url, capsys, "import", str(SAMPLE_PLAN), "--by", "ai-do")[0] == 1
    code, _, err = run_cli(database_url, capsys, "import", str(SAMPLE_PLAN), "--by", staff.username)
    assert code == 1 and "không được phép nhập kế hoạch" in err
    assert row_counts(engine) == before
    assert run_cli(database_url, capsys, "import", str(SAMPLE_PLAN), "--by", "vanphong")[0] == 0
