"""Settings from the environment, checked once, failing fast with a clear message."""

from __future__ import annotations

import os
from dataclasses import dataclass
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


def check_database_url(url: str, *, source: str = "TRACKER_DATABASE_URL") -> str:
    """URL when it names a database we support; ConfigError naming SOURCE (the variable, --db) otherwise."""
    if not url.startswith(("sqlite:", "postgresql")):
        raise ConfigError(f"{source}='{url}' không được hỗ trợ: dùng sqlite:///… hoặc postgresql+psycopg://…")
    return url


def load_settings() -> Settings:
    url = check_database_url(os.environ.get("TRACKER_DATABASE_URL", "").strip() or DEFAULT_DATABASE_URL)
    return Settings(
        database_url=url,
        idle_minutes=_int_setting("TRACKER_IDLE_MINUTES", 30, 1, 24 * 60),
        due_soon_days=_int_setting("TRACKER_DUE_SOON_DAYS", 7, 0, 365),
        province=" ".join(os.environ.get("TRACKER_PROVINCE", "").split()),
        client_ip_header=os.environ.get("TRACKER_CLIENT_IP_HEADER", "").strip() or None,
    )
