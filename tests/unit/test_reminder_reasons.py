"""Every reason of a reminder has its words in the e-mail and its label in both languages of the app."""

from __future__ import annotations

from tracker.reminders.items import Reason
from tracker.reminders.mail import REASON_WORDS
from ui.reminders import REASON_KEYS
from ui.strings import STRINGS


def test_each_reason_has_its_mail_words_and_app_label() -> None:
    assert set(REASON_WORDS) == set(Reason)
    assert all(REASON_KEYS[reason] in STRINGS for reason in Reason)
