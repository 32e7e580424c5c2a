"""The SMTP settings are read once, with plain errors; the password never shows in a printed Settings."""

from __future__ import annotations

import pytest

from tracker.config import load_settings
from tracker.errors import ConfigError


def test_defaults_leave_mail_unconfigured(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HOST", "PORT", "USER", "PASSWORD", "FROM", "SECURITY"):
        monkeypatch.delenv(f"TRACKER_SMTP_{name}", raising=False)
    monkeypatch.delenv("TRACKER_REMIND_EVERY_DAYS", raising=False)
    settings = load_settings()
    assert not settings.mail.configured
    assert (settings.mail.security, settings.mail.port, settings.remind_every_days) == ("starttls", 587, 7)


def test_a_full_setting_is_read_and_the_password_is_not_printed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRACKER_SMTP_HOST", "mail.tinh.gov.vn")
    monkeypatch.setenv("TRACKER_SMTP_FROM", "nhacviec@tinh.gov.vn")
    monkeypatch.setenv("TRACKER_SMTP_SECURITY", "SSL")
    monkeypatch.setenv("TRACKER_SMTP_PASSWORD", "bi-mat")
    monkeypatch.setenv("TRACKER_BASE_URL", "https://theodoi.tinh.gov.vn/")
    monkeypatch.setenv("TRACKER_REMIND_EVERY_DAYS", "3")
    settings = load_settings()
    assert settings.mail.configured and settings.mail.port == 465 and settings.mail.security == "ssl"
    assert settings.mail.base_url == "https://theodoi.tinh.gov.vn"
    assert settings.remind_every_days == 3
    assert "bi-mat" not in repr(settings)


@pytest.mark.parametrize(
    ("name", "value", "words"),
    [
        ("TRACKER_SMTP_SECURITY", "tls", "TRACKER_SMTP_SECURITY='tls'"),
        ("TRACKER_SMTP_PORT", "cổng", "TRACKER_SMTP_PORT='cổng'"),
        ("TRACKER_REMIND_EVERY_DAYS", "0", "TRACKER_REMIND_EVERY_DAYS=0"),
    ],
)
def test_a_wrong_setting_is_named(monkeypatch: pytest.MonkeyPatch, name: str, value: str, words: str) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=words):
        load_settings()


@pytest.mark.parametrize("name", ["TRACKER_SMTP_USER", "TRACKER_SMTP_PASSWORD"])
def test_a_login_with_diacritics_is_refused_without_repeating_it(
    monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    monkeypatch.setenv(name, "mật-khẩu-thư")
    with pytest.raises(ConfigError, match=name) as refused:
        load_settings()
    assert "mật-khẩu-thư" not in str(refused.value)
