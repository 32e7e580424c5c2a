"""`evidence add` and `evidence get`: a task's evidence files from the command line.

`add` goes through the same rules as the app's evidence form (permission, the
20 MB limit, a history row); `get` writes a task's files into a folder under
the names users see, never over a file that is there. What a command needs
is imported when it runs, so the command line starts light.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from tracker.cli.common import engine_for
from tracker.errors import InvalidValue, NotFound, os_reason


def register(sub: Any) -> None:
    evidence = sub.add_parser("evidence", help="tệp minh chứng của một nhiệm vụ")
    actions = evidence.add_subparsers(dest="evidence_command", required=True, metavar="ACTION")
    add = actions.add_parser("add", help="thêm một tệp minh chứng cho nhiệm vụ")
    add.add_argument("code", metavar="CODE", help="mã nhiệm vụ, ví dụ II.3")
    add.add_argument("file", metavar="FILE", type=Path, help="tệp minh chứng, tối đa 20 MB")
    add.add_argument("--by", required=True, metavar="USERNAME", help="tài khoản thực hiện")
    add.add_argument("--note", default="", metavar="TEXT", help="số hiệu văn bản hoặc ghi chú đi kèm tệp")
    add.add_argument("--plan", metavar="NUMBER", help="số kế hoạch, khi mã có trong nhiều kế hoạch")
    add.set_defaults(handler=run_add)
    get = actions.add_parser("get", help="ghi các tệp minh chứng của nhiệm vụ vào một thư mục")
    get.add_argument("code", metavar="CODE", help="mã nhiệm vụ")
    get.add_argument("--out", required=True, metavar="DIR", type=Path, help="thư mục ghi tệp")
    get.add_argument("--plan", metavar="NUMBER", help="số kế hoạch, khi mã có trong nhiều kế hoạch")
    get.set_defaults(handler=run_get)


def _read(path: Path) -> bytes:
    """The bytes of PATH, its size checked before it is read."""
    from tracker.tasks.evidence import check_size

    try:
        check_size(path.name, path.stat().st_size)
        return path.read_bytes()
    except OSError as error:
        raise InvalidValue(f"Không đọc được tệp '{path}': {os_reason(error)}.") from None


def run_add(args: argparse.Namespace) -> int:
    from tracker.db import write_session
    from tracker.directory.accounts import find_user
    from tracker.directory.plans import find_task
    from tracker.tasks.evidence import store_evidence

    data = _read(args.file)
    if not data:
        raise InvalidValue(f"Tệp '{args.file}' rỗng: không có gì để làm minh chứng.")
    with write_session(engine_for(args)) as session:
        task = find_task(session, args.code, args.plan)
        evidence = store_evidence(
            session,
            by=find_user(session, args.by),
            task_id=task.id or 0,
            file_name=args.file.name,
            data=data,
            reference=args.note,
        )
    print(f"Đã thêm minh chứng '{evidence.file_name}' ({evidence.size} byte) cho nhiệm vụ {task.code}.")
    return 0


def _folder(out: Path) -> Path:
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise InvalidValue(f"Không tạo được thư mục '{out}': {os_reason(error)}.") from None
    return out


def _write_new(target: Path, data: bytes) -> None:
    """Write DATA to TARGET, which must not exist (never over a file someone put there)."""
    try:
        with target.open("xb") as out:
            out.write(data)
    except OSError as error:
        raise InvalidValue(f"Không ghi được tệp '{target}': {os_reason(error)}.") from None


def run_get(args: argparse.Namespace) -> int:
    from tracker.db import read_session
    from tracker.directory.plans import find_task
    from tracker.tasks.evidence import list_evidence, read_evidence, saved_names

    engine = engine_for(args)
    with read_session(engine) as session:
        task = find_task(session, args.code, args.plan)
        files = [item for item in list_evidence(session, task.id or 0) if item.file_name]
    folder = _folder(args.out)
    taken = [path.name for path in folder.iterdir()]
    missing = 0
    for item, name in zip(files, saved_names([item.file_name for item in files], taken), strict=True):
        # One file in memory at a time: a task may hold many 20 MB files.
        with read_session(engine) as session:
            try:
                _, data = read_evidence(session, evidence_id=item.id or 0)
            except NotFound as error:
                print(f"Lỗi: {error}", file=sys.stderr)
                missing += 1
                continue
        target = folder / name
        _write_new(target, data)
        print(target)
    if not files:
        print(f"Nhiệm vụ {task.code} chưa có tệp minh chứng nào.")
    return 1 if missing else 0
