"""The hardening the README promises is in the files it points at (issue 17)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def streamlit_config() -> dict[str, dict[str, object]]:
    return tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))


def proxy_headers() -> dict[str, str]:
    conf = (ROOT / "docs" / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    return {
        name.lower(): value for name, value in re.findall(r'add_header\s+(\S+)\s+"([^"]*)"\s+always;', conf)
    }


def test_xsrf_and_cors_protection_are_on_and_tracebacks_stay_in_the_log() -> None:
    config = streamlit_config()
    assert config["server"]["enableXsrfProtection"] is True
    assert config["server"]["enableCORS"] is True
    assert config["client"]["showErrorDetails"] == "none"


def test_the_proxy_forbids_framing_and_keeps_browsers_on_https() -> None:
    headers = proxy_headers()
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["x-frame-options"] == "DENY"
    max_age = re.search(r"max-age=(\d+)", headers["strict-transport-security"])
    assert max_age is not None and int(max_age.group(1)) >= 365 * 24 * 3600


def test_the_proxy_overwrites_the_forwarded_address_the_sign_in_count_relies_on() -> None:
    conf = (ROOT / "docs" / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in conf
    assert "TRACKER_CLIENT_IP_HEADER=X-Forwarded-For" in conf
