"""A long Vietnamese subject reaches the reader whole: no space lost where a header is folded,
and in encoded words no longer than RFC 2047 allows."""

import re
from datetime import date
from email import message_from_bytes, policy

import pytest

from tracker.reminders.digests import Audience, Digest
from tracker.reminders.items import Item, Reason
from tracker.reminders.mail import build_message, subject

LONG_TITLE = "Sở Khoa học và Công nghệ tỉnh Bình An (Văn phòng Ban Chỉ đạo về khoa học, công nghệ)"
ENCODED_WORD = re.compile(rb"=\?[^?]+\?[bq]\?[^?]*\?=", re.IGNORECASE)


def _item(reason: Reason, number: int) -> Item:
    return Item(reason=reason, ref=f"task:{number}", task_id=number, code=f"I.{number}", title="Nhiệm vụ")


@pytest.mark.parametrize(
    ("title", "items"),
    [
        (LONG_TITLE, ()),
        # Python's own folder splits this one between "hạn" and "được" and drops the space.
        ("Sở Khoa học và Công nghệ", (_item(Reason.due_soon, 1), _item(Reason.extension_approved, 2))),
        ("Sở Khoa học và Công nghệ", (_item(Reason.overdue, 1), _item(Reason.coordination_requested, 2))),
    ],
)
def test_a_long_vietnamese_subject_reads_back_exactly(title: str, items: tuple[Item, ...]) -> None:
    digest = Digest(
        audience=Audience.unit, title=title, unit_id=1, recipients=("vanthu@skhcn.example.vn",), items=items
    )
    message = build_message(
        digest,
        to=digest.recipients,
        sender="BCĐ 57 <nhacviec@example.vn>",
        as_of=date(2026, 12, 1),
        base_url="",
    )
    raw = message.as_bytes()
    assert raw.isascii()
    head = raw.split(b"\n\n", 1)[0]
    words = ENCODED_WORD.findall(head)
    assert words and all(len(word) <= 75 for word in words)
    assert message_from_bytes(raw, policy=policy.default)["Subject"] == subject(digest)
