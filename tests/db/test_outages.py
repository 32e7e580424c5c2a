"""A database that is down, read-only or of an unknown kind: one Vietnamese line from the CLI."""

from __future__ import annotations

import io
import socket
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.conftest import POSTGRES_URL
from tracker.cli import main

pytestmark = pytest.mark.usefixtures("cheap_hashing")


def closed_port() -> int:
    """A port nothing listens on (it was free a moment ago)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def refused(capsys: pytest.CaptureFixture[str], *args: str, stdin: str = "") -> str:
    """The one line a refused command prints on stderr (checked: exit code 1, nothing else)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("sys.stdin", io.StringIO(stdin))
        code = main(list(args))
    out, err = capsys.readouterr()
    assert code == 1
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("Lỗi: ")
    assert not any(word in err for word in ("Traceback", "SELECT", "INSERT", "sqlalchemy"))
    return lines[0]


def test_a_server_that_does_not_answer_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    url = f"postgresql+psycopg://postgres:bi-mat@127.0.0.1:{closed_port()}/tracker"
    line = refused(capsys, "--db", url, "tasks", "--json")
    assert line == (
        f"Lỗi: Không kết nối được cơ sở dữ liệu postgresql+psycopg://postgres:***@{url.split('@')[1]}: "
        "máy chủ không trả lời"
    )


def test_an_unknown_kind_of_database_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    line = refused(capsys, "--db", "mysql://somewhere/tracker", "plans")
    assert (
        line
        == "Lỗi: --db='mysql://somewhere/tracker' không được hỗ trợ: dùng sqlite:///… hoặc postgresql+psycopg://…"
    )


def test_a_malformed_address_is_one_line_that_hides_its_password(capsys: pytest.CaptureFixture[str]) -> None:
    line = refused(capsys, "--db", "postgresql+psycopg://tracker:bi-mat@127.0.0.1:cong/tracker", "plans")
    assert line == (
        "Lỗi: --db='postgresql+psycopg://tracker:***@127.0.0.1:cong/tracker' không đúng dạng địa chỉ "
        "cơ sở dữ liệu, ví dụ sqlite:///data/tracker.db hoặc postgresql+psycopg://user@máy-chủ:5432/tên-csdl"
    )


def test_a_sqlite_file_where_no_folder_can_be_made_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "tep").write_bytes(b"")
    url = f"sqlite:///{tmp_path / 'tep' / 'con' / 'tracker.db'}"
    assert refused(capsys, "--db", url, "plans") == (
        f"Lỗi: Không mở được tệp cơ sở dữ liệu {url}: không tạo được thư mục '{tmp_path / 'tep' / 'con'}' "
        "(một phần của đường dẫn là tệp, không phải thư mục)"
    )


@pytest.mark.skipif(not POSTGRES_URL, reason="needs TRACKER_TEST_POSTGRES_URL")
def test_an_unknown_postgresql_account_is_named_as_refused(capsys: pytest.CaptureFixture[str]) -> None:
    # PostgreSQL says 'role "…" does not exist': not a missing database.
    url = make_url(POSTGRES_URL).set(username="khong_co_tai_khoan", password=None)
    line = refused(capsys, "--db", url.render_as_string(hide_password=False), "plans")
    assert line.endswith(": máy chủ từ chối tài khoản kết nối")


def test_a_read_only_sqlite_file_reads_but_refuses_a_write_in_one_line(
    sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = make_url(sqlite_url).database
    read_only = f"sqlite:///file:{path}?mode=ro&uri=true"
    assert main(["--db", read_only, "plans", "--json"]) == 0
    capsys.readouterr()
    line = refused(
        capsys,
        "--db",
        read_only,
        "users",
        "add",
        "moi",
        "--role",
        "committee",
        "--password-stdin",
        stdin="mat-khau-dai-2026\n",
    )
    assert line.endswith(": cơ sở dữ liệu chỉ cho phép đọc")
    assert line.startswith("Lỗi: Không ghi được vào cơ sở dữ liệu sqlite:///")


def test_a_missing_sqlite_file_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = f"sqlite:///file:{tmp_path / 'khong-co.db'}?mode=rw&uri=true"
    assert refused(capsys, "--db", missing, "plans").startswith(
        "Lỗi: Không mở được tệp cơ sở dữ liệu sqlite:///"
    )


@pytest.mark.skipif(not POSTGRES_URL, reason="needs TRACKER_TEST_POSTGRES_URL")
def test_a_read_only_postgresql_database_refuses_a_write_in_one_line(
    database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("the PostgreSQL case")
    name = make_url(database_url).database
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on'))
    admin.dispose()
    line = refused(
        capsys,
        "--db",
        database_url,
        "users",
        "add",
        "moi",
        "--role",
        "committee",
        "--password-stdin",
        stdin="mat-khau-dai-2026\n",
    )
    assert line.startswith("Lỗi: Không ghi được vào cơ sở dữ liệu postgresql+psycopg://")
    assert line.endswith(": cơ sở dữ liệu chỉ cho phép đọc")


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///", "sqlite:///:memory:"])
def test_a_sqlite_address_without_a_file_is_refused_in_one_line(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    line = refused(capsys, "--db", url, "plans")
    assert line == (
        f"Lỗi: --db='{url}' không chỉ tệp cơ sở dữ liệu: dữ liệu sẽ mất khi tắt ứng dụng. "
        "Hãy ghi đường dẫn tệp, ví dụ sqlite:///data/tracker.db"
    )
