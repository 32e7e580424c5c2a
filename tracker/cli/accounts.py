"""`users add|list|unlock|reset-password|deactivate`: accounts from the command line.

Whoever runs the CLI holds the database itself, so accounts made here are an
administrator's act (through the same checks as the admin page); that is also
how the very first account is made on a fresh database, and the way back in
when no one can sign in to the app any more.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from tracker.cli.common import engine_for, print_json
from tracker.errors import InvalidValue

if TYPE_CHECKING:
    from sqlmodel import Session

    from models import User


def register(sub: Any) -> None:
    sub.add_parser("users", help="quản lý tài khoản", arguments=_arguments)


def _arguments(users: argparse.ArgumentParser) -> None:
    from models import Role
    from tracker.i18n import label

    actions = users.add_subparsers(dest="users_command", required=True, metavar="ACTION")
    add = actions.add_parser("add", help="tạo tài khoản (mật khẩu đọc từ đầu vào chuẩn)")
    add.add_argument("username", metavar="USERNAME")
    roles = ", ".join(f"{role.value} ({label(role)})" for role in Role)
    add.add_argument("--role", required=True, help=f"vai trò: {roles}")
    add.add_argument(
        "--unit", metavar="UNIT_NAME", help="đơn vị của tài khoản đơn vị (tên hoặc tên viết tắt)"
    )
    add.add_argument("--display-name", default="", metavar="NAME", help="họ tên hiển thị")
    add.add_argument("--email", metavar="E", help="thư điện tử (đăng nhập qua OpenID Connect)")
    _password_argument(add)
    add.set_defaults(handler=run_add)
    listing = actions.add_parser("list", help="liệt kê tài khoản")
    listing.add_argument("--json", action="store_true", help="in JSON")
    listing.set_defaults(handler=run_list)
    unlock = actions.add_parser("unlock", help="bỏ thời gian chờ đăng nhập sau nhiều lần nhập sai")
    unlock.add_argument("username", metavar="USERNAME")
    unlock.set_defaults(handler=run_unlock)
    reset = actions.add_parser(
        "reset-password", help="đặt mật khẩu mới (đọc từ đầu vào chuẩn); đăng xuất mọi trình duyệt"
    )
    reset.add_argument("username", metavar="USERNAME")
    _password_argument(reset)
    reset.set_defaults(handler=run_reset_password)
    deactivate = actions.add_parser("deactivate", help="vô hiệu hóa tài khoản; đăng xuất mọi trình duyệt")
    deactivate.add_argument("username", metavar="USERNAME")
    deactivate.set_defaults(handler=run_deactivate)


def _password_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--password-stdin", action="store_true", help="đọc mật khẩu từ dòng đầu của đầu vào chuẩn"
    )


def _password(args: argparse.Namespace) -> str:
    """The password on the first line of stdin: never on the command line, where `ps` shows it."""
    if not args.password_stdin:
        raise InvalidValue(
            "Cần --password-stdin: mật khẩu được đọc từ đầu vào chuẩn, không ghi trên dòng lệnh."
        )
    return sys.stdin.readline().rstrip("\r\n")


def _console() -> User:
    """Never stored: stands for the person at the console in permission checks."""
    from models import Role, User
    from tracker.clock import now

    return User(
        username="dong-lenh", display_name="Quản trị qua dòng lệnh", role=Role.secretariat, created_at=now()
    )


def _unit_id(session: Session, name: str | None) -> int | None:
    from tracker.directory.units import get_unit

    if not name:
        return None
    return get_unit(session, name).id


def run_add(args: argparse.Namespace) -> int:
    from tracker.db import write_session
    from tracker.directory.accounts import create_user
    from tracker.i18n import label

    password = _password(args)
    with write_session(engine_for(args)) as session:
        user = create_user(
            session,
            by=_console(),
            username=args.username,
            role=args.role,
            password=password,
            display_name=args.display_name,
            unit_id=_unit_id(session, args.unit),
            email=args.email,
        )
    print(f"Đã tạo tài khoản '{user.username}' ({label(user.role)}).")
    return 0


def run_list(args: argparse.Namespace) -> int:
    from tracker.db import read_session
    from tracker.directory.accounts import account_rows
    from tracker.i18n import label

    with read_session(engine_for(args)) as session:
        rows = account_rows(session)
    if args.json:
        print_json(rows)
        return 0
    for row in rows:
        state = "" if row["active"] else " [đã vô hiệu hóa]"
        unit = f" — {row['unit']}" if row["unit"] else ""
        print(f"{row['username']}\t{label(str(row['role']))}{unit}\t{row['display_name']}{state}")
    return 0


def run_unlock(args: argparse.Namespace) -> int:
    from tracker.db import write_session
    from tracker.directory.accounts import find_user, unlock_user

    with write_session(engine_for(args)) as session:
        user = find_user(session, args.username)
        unlock_user(session, by=_console(), user_id=int(user.id or 0))
    print(f"Đã bỏ thời gian chờ đăng nhập của '{user.username}'.")
    return 0


def run_reset_password(args: argparse.Namespace) -> int:
    from tracker.db import write_session
    from tracker.directory.accounts import find_user, reset_password

    password = _password(args)
    with write_session(engine_for(args)) as session:
        user = find_user(session, args.username)
        reset_password(session, by=_console(), user_id=int(user.id or 0), password=password)
    print(f"Đã đặt mật khẩu mới cho '{user.username}'; mọi trình duyệt đang đăng nhập đã bị đăng xuất.")
    return 0


def run_deactivate(args: argparse.Namespace) -> int:
    from tracker.db import write_session
    from tracker.directory.accounts import deactivate_user, find_user

    with write_session(engine_for(args)) as session:
        user = find_user(session, args.username)
        deactivate_user(session, by=_console(), user_id=int(user.id or 0))
    print(f"Đã vô hiệu hóa tài khoản '{user.username}'; mọi trình duyệt đang đăng nhập đã bị đăng xuất.")
    return 0
