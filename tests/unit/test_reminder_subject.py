"""A long Vietnamese subject reaches the reader whole: no space lost where a header would be folded."""

from datetime import date
from email import message_from_bytes, policy

from tracker.reminders.digests import Audience, Digest
from tracker.reminders.mail import build_message, subject


def test_a_long_vietnamese_subject_reads_back_exactly() -> None:
    digest = Digest(
        audience=next(iter(Audience)),
        title="Sở Khoa học và Công nghệ tỉnh Bình An (Văn phòng Ban Chỉ đạo về khoa học, công nghệ)",
        unit_id=1,
        recipients=("vanthu@skhcn.example.vn",),
        items=(),
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
    assert message_from_bytes(raw, policy=policy.default)["Subject"] == subject(digest)
