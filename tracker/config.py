"""Settings from the environment, checked once, failing fast with a clear message."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from tracker.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = f"sqlite:///{ROOT / 'data' / 'tracker.db'}"
SAMPLE_PLAN = ROOT / "data" / "sample_plan.xlsx"


@dataclass(frozen=True)
class Settings:
    database_url: str
    idle_minutes: int
    due_soon_days: int
    # The place of the place-and-date line of a written report ("Bình An, ngày … tháng … năm …").
    province: str = ""
    # Header a trusted reverse proxy puts the client's address in; None: use the connection's.
    client_ip_header: str | None = None
    # Reminders (tracker.reminders).
    mail: MailSettings = field(default_factory=lambda: MailSettings())
    remind_every_days: int = 7


# Reminders by e-mail (tracker.reminders) ---------------------------------------------------
SMTP_SECURITY = ("starttls", "ssl", "none")


@dataclass(frozen=True)
class MailSettings:
    """Where reminders are sent from; `configured` is False until a server and a sender are set."""

    host: str = ""
    port: int = 587
    user: str = ""
    password: str = field(default="", repr=False)
    sender: str = ""
    security: str = "starttls"
    base_url: str = ""

    @property
    def configured(self) -> bool:
        return bool(self.host and self.sender)


def load_mail_settings() -> MailSettings:
    security = os.environ.get("TRACKER_SMTP_SECURITY", "").strip().lower() or "starttls"
    if security not in SMTP_SECURITY:
        raise ConfigError(
            f"Biến môi trường TRACKER_SMTP_SECURITY='{security}' phải là một trong: "
            f"{', '.join(SMTP_SECURITY)}."
        )
    default_port = {"starttls": 587, "ssl": 465, "none": 25}[security]
    return MailSettings(
        host=os.environ.get("TRACKER_SMTP_HOST", "").strip(),
        port=_int_setting("TRACKER_SMTP_PORT", default_port, 1, 65535),
        user=_login_setting("TRACKER_SMTP_USER").strip(),
        password=_login_setting("TRACKER_SMTP_PASSWORD"),
        sender=os.environ.get("TRACKER_SMTP_FROM", "").strip(),
        security=security,
        base_url=os.environ.get("TRACKER_BASE_URL", "").strip().rstrip("/"),
    )


def _login_setting(name: str) -> str:
    """The SMTP login's part NAME: smtplib sends a login in ASCII only, and would fail every message."""
    value = os.environ.get(name, "")
    if not value.isascii():
        # The value is never repeated: it may be the password.
        raise ConfigError(
            f"Biến môi trường {name} chỉ được dùng chữ không dấu, số và ký hiệu ASCII "
            "(máy chủ thư không nhận đăng nhập có dấu)."
        )
    return value


# --------------------------------------------------------------------------------------------


def _int_setting(name: str, default: int, low: int, high: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"Biến môi trường {name}='{raw}' phải là số nguyên.") from None
    if not low <= value <= high:
        raise ConfigError(f"Biến môi trường {name}={value} phải nằm trong khoảng {low}–{high}.")
    return value


def _masked(url: str) -> str:
    """URL with its password (user:password@) hidden: the app shows a bad setting on its page."""
    return re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", url)


def check_database_url(url: str, *, source: str = "TRACKER_DATABASE_URL") -> str:
    """URL when it names a database we support; ConfigError naming SOURCE (the variable, --db) otherwise."""
    if not url.startswith(("sqlite:", "postgresql")):
        raise ConfigError(
            f"{source}='{_masked(url)}' không được hỗ trợ: dùng sqlite:///… hoặc postgresql+psycopg://…"
        )
    # Here, not at the top: `python -m tracker --help` must not wait for SQLAlchemy to load.
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        raise ConfigError(
            f"{source}='{_masked(url)}' không đúng dạng địa chỉ cơ sở dữ liệu, ví dụ "
            "sqlite:///data/tracker.db hoặc postgresql+psycopg://user@máy-chủ:5432/tên-csdl"
        ) from None
    # SQLite without a file keeps everything in memory: the plan and every report would be lost
    # when the app or the command ends.
    if parsed.get_backend_name() == "sqlite" and parsed.database in (None, "", ":memory:"):
        raise ConfigError(
            f"{source}='{url}' không chỉ tệp cơ sở dữ liệu: dữ liệu sẽ mất khi tắt ứng dụng. "
            "Hãy ghi đường dẫn tệp, ví dụ sqlite:///data/tracker.db"
        )
    return url


def load_settings() -> Settings:
    url = check_database_url(os.environ.get("TRACKER_DATABASE_URL", "").strip() or DEFAULT_DATABASE_URL)
    return Settings(
        database_url=url,
        idle_minutes=_int_setting("TRACKER_IDLE_MINUTES", 30, 1, 24 * 60),
        due_soon_days=_int_setting("TRACKER_DUE_SOON_DAYS", 7, 0, 365),
        province=" ".join(os.environ.get("TRACKER_PROVINCE", "").split()),
        client_ip_header=os.environ.get("TRACKER_CLIENT_IP_HEADER", "").strip() or None,
        mail=load_mail_settings(),
        remind_every_days=_int_setting("TRACKER_REMIND_EVERY_DAYS", 7, 1, 365),
    )
