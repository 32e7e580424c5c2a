"""The reminder e-mail: a Vietnamese subject with the counts, a text part and an HTML part,
and the SMTP conversation that delivers it (standard library only)."""

from __future__ import annotations

import html
import smtplib
import ssl
from collections import Counter
from datetime import date
from email.header import Header
from email.message import EmailMessage
from email.policy import EmailPolicy
from email.utils import formatdate, make_msgid

from tracker.config import MailSettings
from tracker.i18n import Lang, day
from tracker.reminders.digests import Audience, Digest
from tracker.reminders.items import Item, Reason
from tracker.reminders.summary import WeeklySummary
from tracker.reports.wording import rate_text

SUBJECT_PREFIX = "[BCĐ 57]"
TIMEOUT_SECONDS = 30
# Per reason: (noun, what happened) for the subject's counts, and the heading of its list.
# A new reason (coordination requests, say) adds its line here and its source in items.
REASON_WORDS: dict[Reason, tuple[str, str, str]] = {
    Reason.overdue: ("nhiệm vụ", "quá hạn", "Nhiệm vụ quá hạn"),
    Reason.due_soon: ("nhiệm vụ", "sắp đến hạn", "Nhiệm vụ sắp đến hạn"),
    Reason.returned: ("báo cáo", "bị trả lại", "Báo cáo hoàn thành bị trả lại"),
    Reason.explanation_requested: ("yêu cầu", "giải trình", "Yêu cầu giải trình"),
    Reason.extension_approved: ("đề nghị gia hạn", "được đồng ý", "Đề nghị gia hạn được đồng ý"),
    Reason.extension_refused: ("đề nghị gia hạn", "không được đồng ý", "Đề nghị gia hạn không được đồng ý"),
    Reason.coordination_requested: ("yêu cầu phối hợp", "chờ trả lời", "Yêu cầu phối hợp chờ trả lời"),
    Reason.awaiting_confirmation: ("báo cáo hoàn thành", "chờ xác nhận", "Báo cáo hoàn thành chờ xác nhận"),
    Reason.extension_pending: ("đề nghị gia hạn", "chờ xử lý", "Đề nghị gia hạn chờ xử lý"),
    Reason.weekly_summary: ("bản tóm tắt", "hằng tuần", "Tóm tắt tình hình thực hiện"),
}
_OPENING = {
    Audience.unit: (
        "Hệ thống theo dõi nhiệm vụ thực hiện Nghị quyết 57-NQ/TW xin thông báo các việc cần {title} chú ý:"
    ),
    Audience.secretariat: "Các việc đang chờ {title} xử lý:",
    Audience.committee: (
        "Tóm tắt hằng tuần tình hình thực hiện các kế hoạch triển khai Nghị quyết số 57-NQ/TW:"
    ),
}
_BEHIND = "Đơn vị có nhiều nhiệm vụ quá hạn nhất"
_CLOSING = "Đây là thư tự động của hệ thống theo dõi nhiệm vụ; đề nghị cập nhật trực tiếp trên hệ thống."


def subject(digest: Digest) -> str:
    """The counts of a digest: "[BCĐ 57] Sở Khoa học và Công nghệ: 2 nhiệm vụ quá hạn, 1 sắp đến hạn";
    the headline figures of the weekly summary."""
    if digest.summary is not None:
        summary = digest.summary
        return (
            f"{SUBJECT_PREFIX} Tóm tắt tuần đến ngày {day(summary.as_of)}: "
            f"{summary.overdue} nhiệm vụ quá hạn, tỷ lệ hoàn thành {rate_text(summary.completion_rate)}"
        )
    counts = Counter(item.reason for item in digest.items)
    parts: list[str] = []
    previous = ""
    for reason in Reason:
        if counts[reason]:
            noun, what, _ = REASON_WORDS[reason]
            # "2 nhiệm vụ quá hạn, 1 sắp đến hạn": the noun once for a run of the same noun.
            parts.append(
                f"{counts[reason]} {what}" if noun == previous else f"{counts[reason]} {noun} {what}"
            )
            previous = noun
    return f"{SUBJECT_PREFIX} {digest.title}: {', '.join(parts)}"


def task_url(base_url: str, task_id: int) -> str:
    """The task's page in the app (pages/task.py reads ?task=ID); empty without a base address."""
    return f"{base_url.rstrip('/')}/task?task={task_id}" if base_url else ""


# The words of an item's facts: the e-mail's in Vietnamese, the app's in either language.
_WORDS: dict[str, tuple[str, str]] = {
    "extended": ("{date} (đã gia hạn; phụ lục: {text})", "{date} (extended; annex: {text})"),
    "overdue": ("quá hạn {days} ngày", "{days} days overdue"),
    "due_today": ("đến hạn hôm nay", "due today"),
    "left": ("còn {days} ngày", "{days} days left"),
    "since_today": ("gửi hôm nay", "sent today"),
    "waited": ("đã chờ {days} ngày", "waiting for {days} days"),
    "on": ("thông báo ngày {date}", "notified on {date}"),
    "unit": ("đơn vị: {unit}", "unit: {unit}"),
    "deadline": ("thời hạn: {deadline}", "deadline: {deadline}"),
    "input_due": ("hạn phối hợp: {deadline}", "input due: {deadline}"),
    "asked": ("đề nghị gia hạn đến {date}", "extension asked to {date}"),
}


def _word(key: str, lang: Lang, **values: object) -> str:
    vi, en = _WORDS[key]
    return (en if lang == "en" else vi).format(**values)


def deadline_words(item: Item, lang: Lang = "vi") -> str:
    """The deadline as the annex writes it and as a date: "Quý II/2025 (30/06/2025)"; after an
    extension, the date in force and the annex's words: "31/03/2027 (đã gia hạn; phụ lục: Quý I/2027)"."""
    if item.deadline is None:
        return item.deadline_text
    as_date = day(item.deadline)
    if item.extended:
        return (
            _word("extended", lang, date=as_date, text=item.deadline_text) if item.deadline_text else as_date
        )
    if not item.deadline_text or item.deadline_text == as_date:
        return as_date
    return f"{item.deadline_text} ({as_date})"


def timing_words(item: Item, as_of: date, lang: Lang = "vi") -> str:
    """Days overdue or left, then how long the item has waited on the secretariat or when the event
    it reports happened: "quá hạn 5 ngày; thông báo ngày 28/11/2026"."""
    return "; ".join(words for words in (_due_words(item, lang), _since_words(item, as_of, lang)) if words)


def _due_words(item: Item, lang: Lang) -> str:
    if item.days_overdue is not None:
        return _word("overdue", lang, days=item.days_overdue)
    if item.days_left is not None:
        return _word("due_today", lang) if item.days_left == 0 else _word("left", lang, days=item.days_left)
    return ""


def _since_words(item: Item, as_of: date, lang: Lang) -> str:
    waited = item.waited_days(as_of)
    if waited is None or item.since is None:
        return ""
    if item.reason not in _WAITING_ON_SECRETARIAT:
        return _word("on", lang, date=day(item.since))
    return _word("since_today", lang) if waited == 0 else _word("waited", lang, days=waited)


def item_facts(item: Item, as_of: date, lang: Lang = "vi") -> list[str]:
    """The short facts of ITEM after its code and title, in order."""
    deadline = deadline_words(item, lang)
    asked = item.reason == Reason.extension_pending
    # A request for input is due by its own date, not the task's deadline.
    due = "input_due" if item.reason == Reason.coordination_requested else "deadline"
    facts = [
        _word("unit", lang, unit=item.unit) if item.unit and item.reason in _WAITING_ON_SECRETARIAT else "",
        _word(due, lang, deadline=deadline) if deadline and not asked else "",
        _word("asked", lang, date=day(item.deadline)) if asked and item.deadline else "",
        timing_words(item, as_of, lang),
    ]
    return [fact for fact in facts if fact]


_WAITING_ON_SECRETARIAT = frozenset({Reason.awaiting_confirmation, Reason.extension_pending})


def _grouped(digest: Digest) -> list[tuple[Reason, list[Item]]]:
    """The task items by reason (the summary's own item has no task and is not listed)."""
    groups: dict[Reason, list[Item]] = {}
    for item in digest.items:
        if item.reason == Reason.weekly_summary:
            continue
        groups.setdefault(item.reason, []).append(item)
    return list(groups.items())


def summary_lines(summary: WeeklySummary) -> list[str]:
    """The headline figures, one a line."""
    return [
        f"Tổng số nhiệm vụ: {summary.total}",
        f"Đã hoàn thành: {summary.completed}",
        f"Quá hạn, chưa hoàn thành: {summary.overdue}",
        f"Sắp đến hạn: {summary.due_soon}",
        f"Báo cáo hoàn thành chờ xác nhận: {summary.awaiting_confirmation}",
        f"Tỷ lệ hoàn thành: {rate_text(summary.completion_rate)}",
        f"Tỷ lệ hoàn thành đúng hạn: {rate_text(summary.on_time_rate)}",
    ]


def behind_lines(summary: WeeklySummary) -> list[str]:
    return [
        f"{unit.name}: {unit.overdue}/{unit.total} nhiệm vụ quá hạn, "
        f"tỷ lệ hoàn thành {rate_text(unit.completion_rate)}"
        for unit in summary.behind
    ]


def _overview_url(base_url: str) -> str:
    return f"{base_url.rstrip('/')}/overview" if base_url else ""


def _summary_text(summary: WeeklySummary, base_url: str) -> list[str]:
    lines = ["", *(f"- {line}" for line in summary_lines(summary))]
    if summary.behind:
        lines += [
            "",
            f"{_BEHIND}:",
            *(f"- {line}" for line in behind_lines(summary)),
        ]
    if base_url:
        lines += ["", f"Xem chi tiết: {_overview_url(base_url)}"]
    return lines


def _summary_html(summary: WeeklySummary, base_url: str) -> list[str]:
    e = html.escape
    parts = ["<ul>", *(f"<li>{e(line)}</li>" for line in summary_lines(summary)), "</ul>"]
    if summary.behind:
        parts.append(f"<h3>{_BEHIND}</h3><ol>")
        parts += [*(f"<li>{e(line)}</li>" for line in behind_lines(summary)), "</ol>"]
    if base_url:
        parts.append(f'<p><a href="{e(_overview_url(base_url))}">Xem chi tiết trên hệ thống</a></p>')
    return parts


def text_body(digest: Digest, *, as_of: date, base_url: str) -> str:
    lines = [f"Kính gửi: {digest.title}", "", _OPENING[digest.audience].format(title=digest.title)]
    if digest.summary is not None:
        lines += _summary_text(digest.summary, base_url)
    for reason, items in _grouped(digest):
        lines += ["", f"{REASON_WORDS[reason][2]} ({len(items)}):"]
        for item in items:
            lines.append(f"- {item.code} — {item.title}")
            lines.append(f"  {'; '.join(item_facts(item, as_of))}")
            if item.note:
                lines.append(f"  Ghi chú: {item.note}")
            url = task_url(base_url, item.task_id)
            if url:
                lines.append(f"  {url}")
    lines += ["", f"Số liệu tính đến ngày {day(as_of)}.", _CLOSING]
    return "\n".join(lines) + "\n"


def html_body(digest: Digest, *, as_of: date, base_url: str) -> str:
    """The same content as text_body; every text from the database is escaped."""
    e = html.escape
    parts = [
        '<html lang="vi"><body style="font-family: Arial, sans-serif; font-size: 14px">',
        f"<p>Kính gửi: <b>{e(digest.title)}</b></p>",
        f"<p>{e(_OPENING[digest.audience].format(title=digest.title))}</p>",
    ]
    if digest.summary is not None:
        parts += _summary_html(digest.summary, base_url)
    for reason, items in _grouped(digest):
        parts.append(f"<h3>{e(REASON_WORDS[reason][2])} ({len(items)})</h3><ul>")
        for item in items:
            url = task_url(base_url, item.task_id)
            code = f'<a href="{e(url)}">{e(item.code)}</a>' if url else e(item.code)
            note = f"<br><i>Ghi chú: {e(item.note)}</i>" if item.note else ""
            parts.append(
                f"<li><b>{code}</b> — {e(item.title)}<br>{e('; '.join(item_facts(item, as_of)))}{note}</li>"
            )
        parts.append("</ul>")
    parts += [
        f"<p>Số liệu tính đến ngày {day(as_of)}.<br><small>{e(_CLOSING)}</small></p>",
        "</body></html>",
    ]
    return "\n".join(parts)


class _Policy(EmailPolicy):
    """policy.default, but a non-ASCII Subject is folded by email.header, into encoded words of at
    most 75 characters (RFC 2047) that keep their spaces: this Python's own folder drops the space
    where it splits a Vietnamese subject between two encoded words ("nhiệm vụquá hạn")."""

    def fold(self, name: str, value: str) -> str:
        if name.lower() != "subject" or str(value).isascii():
            folded: str = super().fold(name, value)
            return folded
        # email.header limits the line, not the word: 75 keeps each word within RFC 2047's 75.
        header = Header(str(value), "utf-8", maxlinelen=75, header_name=name)
        encoded = header.encode(linesep=self.linesep)
        return f"{name}: {encoded}{self.linesep}"

    def fold_binary(self, name: str, value: str) -> bytes:
        if name.lower() != "subject" or str(value).isascii():
            return super().fold_binary(name, value)
        return self.fold(name, value).encode("ascii")


# The other headers are never folded, so never split by that folder either (a display name of
# TRACKER_SMTP_FROM, say). 998 is the line limit of RFC 5322.
_POLICY = _Policy(max_line_length=998)


def build_message(
    digest: Digest, *, to: tuple[str, ...], sender: str, as_of: date, base_url: str
) -> EmailMessage:
    """The multipart (text, then HTML) message; the library encodes the Vietnamese headers."""
    message = EmailMessage(policy=_POLICY)
    message["Subject"] = subject(digest)
    message["From"] = sender
    message["To"] = ", ".join(to)
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2].strip("> ") or None)
    # Base64 keeps the bodies ASCII with short lines whatever the header policy allows.
    message.set_content(text_body(digest, as_of=as_of, base_url=base_url), cte="base64")
    message.add_alternative(html_body(digest, as_of=as_of, base_url=base_url), subtype="html", cte="base64")
    return message


def _connect(mail: MailSettings) -> smtplib.SMTP:
    # The server's certificate is checked against the system's authorities (or the bundle
    # SSL_CERT_FILE names): left to itself smtplib accepts any certificate, and would hand the
    # password to whoever answers in the server's place.
    context = ssl.create_default_context()
    if mail.security == "ssl":
        return smtplib.SMTP_SSL(mail.host, mail.port, timeout=TIMEOUT_SECONDS, context=context)
    smtp = smtplib.SMTP(mail.host, mail.port, timeout=TIMEOUT_SECONDS)
    if mail.security == "starttls":
        try:
            smtp.starttls(context=context)
        except (smtplib.SMTPException, OSError):
            # A refused or untrusted TLS (ssl.SSLError is an OSError): the socket closed, deliver reports it.
            smtp.close()
            raise
    return smtp


def _reply(code: int, text: bytes | str) -> str:
    return f"{code} {text.decode(errors='replace') if isinstance(text, bytes) else text}"


def deliver(mail: MailSettings, message: EmailMessage, to: tuple[str, ...]) -> dict[str, str]:
    """Send MESSAGE to TO in one SMTP conversation; the error of each address that did not get it.

    Never raises for a server or network failure: every address then carries the error.
    """
    try:
        refused = _send(mail, message, to)
    except smtplib.SMTPRecipientsRefused as error:
        return {address: _reply(code, text) for address, (code, text) in error.recipients.items()}
    except smtplib.SMTPResponseException as error:
        return dict.fromkeys(to, _reply(error.smtp_code, error.smtp_error))
    except (smtplib.SMTPException, OSError) as error:
        return dict.fromkeys(to, str(error) or type(error).__name__)
    return {address: _reply(code, text) for address, (code, text) in refused.items()}


def _send(mail: MailSettings, message: EmailMessage, to: tuple[str, ...]) -> dict[str, tuple[int, bytes]]:
    """One SMTP conversation: the addresses the server refused (raises when it refused them all)."""
    smtp = _connect(mail)
    try:
        if mail.user:
            smtp.login(mail.user, mail.password)
        return smtp.send_message(message, to_addrs=list(to))
    finally:
        _hang_up(smtp)


def _hang_up(smtp: smtplib.SMTP) -> None:
    """QUIT, whatever the answer: once the server has accepted a message a failure here loses
    nothing, and counting it as one would send the message again at the next run."""
    try:
        smtp.quit()
    except (smtplib.SMTPException, OSError):
        smtp.close()
