"""A real SMTP server on 127.0.0.1 for the reminder tests (aiosmtpd), collecting what it accepts.

It can refuse chosen recipients with a 550, as a mail server does for an
unknown mailbox. `free_port()` is also a port where nothing listens, for a refused connection.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any, cast

import pytest
from aiosmtpd.controller import Controller

REFUSAL = "550 5.1.1 Mailbox unavailable"


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage


@dataclass
class MailCollector:
    """The aiosmtpd handler: accepts every message, refusing the addresses in `refuse`."""

    received: list[Received] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        if address.lower() in self.refuse:
            return REFUSAL
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = message_from_bytes(envelope.original_content, policy=policy.default)
        self.received.append(
            Received(envelope.mail_from, list(envelope.rcpt_tos), cast(EmailMessage, parsed))
        )
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        """The messages delivered to ADDRESS."""
        return [got.message for got in self.received if address in got.rcpt_tos]


@dataclass
class MailServer:
    host: str
    port: int
    collector: MailCollector


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp_server() -> Iterator[MailServer]:
    collector = MailCollector()
    controller = Controller(collector, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield MailServer("127.0.0.1", controller.port, collector)
    finally:
        controller.stop()
