"""Account management by the secretariat: create, deactivate, reset, change role.

No change may leave the committee without an active secretariat account, or no
one could manage accounts from the app again.
"""

from __future__ import annotations

from sqlmodel import Session, col, func, select

from models import Role, Unit, UnitKind, User
from tracker.clock import now
from tracker.directory.auth import check_username, hash_password
from tracker.directory.signins import end_sign_ins_of
from tracker.directory.throttle import clear_username, waits_by_username
from tracker.errors import InvalidValue, NotFound
from tracker.i18n import label
from tracker.tasks.permissions import Action, require_current


def parse_role(role: str) -> Role:
    try:
        return Role(role.strip())
    except ValueError:
        choices = ", ".join(f"{r.value} ({label(r)})" for r in Role)
        raise InvalidValue(f"Vai trò '{role}' không hợp lệ: chọn {choices}.") from None


def _unit_for(session: Session, role: Role, unit_id: int | None) -> int | None:
    """The unit an account of ROLE keeps: a unit account needs one, others none."""
    if role != Role.unit:
        return None
    if unit_id is None:
        raise InvalidValue("Tài khoản đơn vị phải gắn với một đơn vị: hãy chọn đơn vị.")
    unit = session.get(Unit, unit_id)
    if unit is None:
        raise NotFound(f"Không có đơn vị mã số {unit_id}.")
    if unit.kind == UnitKind.collective:
        raise InvalidValue(
            f"'{unit.name}' chỉ nhiều cơ quan cùng lúc, không phải một đơn vị: không gắn tài khoản được."
        )
    return unit_id


def _check_unique(session: Session, username: str, email: str | None) -> None:
    if session.exec(select(User.id).where(User.username == username)).first() is not None:
        raise InvalidValue(f"Tên đăng nhập '{username}' đã có người dùng; hãy chọn tên khác.")
    if email:
        holder = session.exec(select(User.username).where(func.lower(User.email) == email.lower())).first()
        if holder is not None:
            raise InvalidValue(f"Thư điện tử '{email}' đã gắn với tài khoản '{holder}'.")


def create_user(
    session: Session,
    *,
    by: User,
    username: str,
    role: str,
    password: str,
    display_name: str = "",
    unit_id: int | None = None,
    email: str | None = None,
) -> User:
    require_current(session, by, Action.manage_accounts)
    name = check_username(username)
    address = (email or "").strip() or None
    _check_unique(session, name, address)
    parsed = parse_role(role)
    user = User(
        username=name,
        display_name=display_name.strip() or name,
        email=address,
        role=parsed,
        unit_id=_unit_for(session, parsed, unit_id),
        password_hash=hash_password(password),
        created_at=now(),
    )
    session.add(user)
    session.flush()
    return user


def list_users(session: Session) -> list[User]:
    return list(session.exec(select(User).order_by(col(User.role), col(User.username))))


def account_rows(session: Session) -> list[dict[str, object]]:
    """Every account as the admin page and `users list` show it, its unit by name."""
    query = (
        select(User, Unit.name)
        .outerjoin(Unit, col(Unit.id) == User.unit_id)
        .order_by(col(User.role), col(User.username))
    )
    waits = waits_by_username(session, now())
    return [
        {
            "id": user.id,
            "username": user.username,
            "display_name": user.display_name,
            "role": user.role,
            "unit": unit,
            "email": user.email,
            "active": user.active,
            # Sign-ins to the account wait until then, from some address (tracker.directory.throttle).
            "locked_until": waits.get(user.username),
            "last_login_at": user.last_login_at,
        }
        for user, unit in session.exec(query)
    ]


def find_user(session: Session, username: str) -> User:
    user = session.exec(select(User).where(User.username == username.strip())).first()
    if user is None:
        raise NotFound(f"Không có tài khoản '{username}'.")
    return user


def _get_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"Không có tài khoản mã số {user_id}.")
    return user


def _keep_a_secretariat(session: Session, user: User, action: str) -> None:
    """Refuse ACTION on USER when it is the last active secretariat account."""
    if user.role != Role.secretariat or not user.active:
        return
    others = select(func.count()).where(
        User.role == Role.secretariat, col(User.active).is_(True), User.id != user.id
    )
    if session.exec(others).one() == 0:
        raise InvalidValue(
            f"Không thể {action} '{user.username}': đây là tài khoản Tổ giúp việc duy nhất còn hoạt động."
        )


def deactivate_user(session: Session, *, by: User, user_id: int) -> User:
    require_current(session, by, Action.manage_accounts)
    user = _get_user(session, user_id)
    if user.id == by.id:
        raise InvalidValue("Không thể tự vô hiệu hóa tài khoản đang dùng.")
    _keep_a_secretariat(session, user, "vô hiệu hóa")
    user.active = False
    session.add(user)
    end_sign_ins_of(session, user_id=user_id)
    return user


def reactivate_user(session: Session, *, by: User, user_id: int) -> User:
    require_current(session, by, Action.manage_accounts)
    user = _get_user(session, user_id)
    user.active = True
    session.add(user)
    return user


def reset_password(session: Session, *, by: User, user_id: int, password: str) -> User:
    """Set a new password and lift any wait on signing in."""
    require_current(session, by, Action.manage_accounts)
    user = _get_user(session, user_id)
    user.password_hash = hash_password(password)
    session.add(user)
    clear_username(session, user.username)
    # Whoever knew the old password may be signed in somewhere: sign them out.
    end_sign_ins_of(session, user_id=user_id)
    return user


def unlock_user(session: Session, *, by: User, user_id: int) -> User:
    """Lift every wait on signing in to the account, from any address."""
    require_current(session, by, Action.manage_accounts)
    user = _get_user(session, user_id)
    clear_username(session, user.username)
    return user


def change_role(session: Session, *, by: User, user_id: int, role: str, unit_id: int | None) -> User:
    require_current(session, by, Action.manage_accounts)
    user = _get_user(session, user_id)
    parsed = parse_role(role)
    if parsed != Role.secretariat:
        _keep_a_secretariat(session, user, "đổi vai trò của")
    user.role, user.unit_id = parsed, _unit_for(session, parsed, unit_id)
    session.add(user)
    return user
