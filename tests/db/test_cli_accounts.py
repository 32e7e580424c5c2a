"""Recovery from a shell: `users list --json`, `users unlock`, `users reset-password`, `users deactivate`."""

import io
import json

import pytest
from sqlalchemy import Engine

from models import Role
from tests.support.factories import PASSWORD, make_user, sign_in
from tracker.cli import main
from tracker.db import read_session, write_session
from tracker.directory.signins import open_sign_in, sign_in_open
from tracker.errors import AuthError

pytestmark = pytest.mark.usefixtures("cheap_hashing")


def run(
    database_url: str, capsys: pytest.CaptureFixture[str], *args: str, stdin: str = ""
) -> tuple[int, str, str]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("sys.stdin", io.StringIO(stdin))
        code = main(["--db", database_url, *args])
    out, err = capsys.readouterr()
    return code, out, err


def guess(engine: Engine, username: str, times: int) -> None:
    for _ in range(times):
        with pytest.raises(AuthError):
            sign_in(engine, username, "doan-mo")


def browser_of(engine: Engine, user_id: int) -> str:
    with write_session(engine) as session:
        return open_sign_in(session, user_id=user_id, idle_minutes=30)


def still_signed_in(engine: Engine, token: str) -> bool:
    with read_session(engine) as session:
        return sign_in_open(session, token=token)


def test_unlock_lifts_the_wait_that_list_shows(
    engine: Engine, database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    make_user(engine, Role.secretariat, username="vanphong")
    guess(engine, "vanphong", 6)
    code, out, _ = run(database_url, capsys, "users", "list", "--json")
    assert code == 0
    [listed] = json.loads(out)
    assert listed["username"] == "vanphong" and listed["locked_until"] is not None
    with pytest.raises(AuthError, match="thử lại sau"):
        sign_in(engine, "vanphong", PASSWORD)
    code, out, _ = run(database_url, capsys, "users", "unlock", "vanphong")
    assert (code, out.strip()) == (0, "Đã bỏ thời gian chờ đăng nhập của 'vanphong'.")
    assert json.loads(run(database_url, capsys, "users", "list", "--json")[1])[0]["locked_until"] is None
    assert sign_in(engine, "vanphong", PASSWORD).username == "vanphong"


def test_reset_password_replaces_it_and_signs_every_browser_out(
    engine: Engine, database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    user = make_user(engine, Role.committee, username="lanhdao")
    token = browser_of(engine, int(user.id or 0))
    guess(engine, "lanhdao", 6)
    code, out, err = run(
        database_url,
        capsys,
        "users",
        "reset-password",
        "lanhdao",
        "--password-stdin",
        stdin="mat-khau-moi-2026\n",
    )
    assert code == 0, err
    assert out.startswith("Đã đặt mật khẩu mới cho 'lanhdao'")
    assert not still_signed_in(engine, token)
    assert sign_in(engine, "lanhdao", "mat-khau-moi-2026").id == user.id
    with pytest.raises(AuthError):
        sign_in(engine, "lanhdao", PASSWORD)


def test_deactivate_refuses_sign_ins_and_signs_every_browser_out(
    engine: Engine, database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    make_user(engine, Role.secretariat, username="vanphong")
    user = make_user(engine, Role.unit, username="sokhcn")
    token = browser_of(engine, int(user.id or 0))
    code, out, _ = run(database_url, capsys, "users", "deactivate", "sokhcn")
    assert (code, out.strip()) == (
        0,
        "Đã vô hiệu hóa tài khoản 'sokhcn'; mọi trình duyệt đang đăng nhập đã bị đăng xuất.",
    )
    assert not still_signed_in(engine, token)
    with pytest.raises(AuthError, match="vô hiệu hóa"):
        sign_in(engine, "sokhcn", PASSWORD)


REFUSED = [
    (["users", "unlock", "khongco"], "", "Lỗi: Không có tài khoản 'khongco'."),
    (["users", "deactivate", "vanphong"], "", "tài khoản Tổ giúp việc duy nhất còn hoạt động"),
    (["users", "reset-password", "vanphong"], "", "--password-stdin"),
    (["users", "reset-password", "vanphong", "--password-stdin"], "ngan\n", "ít nhất 8 ký tự"),
]


@pytest.mark.parametrize(("args", "stdin", "message"), REFUSED)
def test_a_refused_recovery_is_one_line_and_changes_nothing(
    engine: Engine,
    database_url: str,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    stdin: str,
    message: str,
) -> None:
    make_user(engine, Role.secretariat, username="vanphong")
    code, _, err = run(database_url, capsys, *args, stdin=stdin)
    assert code == 1
    assert len(err.strip().splitlines()) == 1 and message in err
    assert sign_in(engine, "vanphong", PASSWORD).active
