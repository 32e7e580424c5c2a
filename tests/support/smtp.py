"""A real SMTP server on 127.0.0.1 for the reminder tests (aiosmtpd), collecting what it accepts.

It can refuse chosen recipients with a 550, as a mail server does for an
unknown mailbox, and refuse the next connections with a 554 greeting, as a server
out of service does (RFC 5321 §3.1). `free_port()` is also a port where nothing
listens, for a connection refused by the network. `tls_smtp_server` speaks TLS
(STARTTLS or from the start, as the test asks) with a certificate for 127.0.0.1
that no system trusts (tests/data/smtp_127.0.0.1.pem: key and self-signed
certificate, valid a hundred years), and takes one login.
"""

from __future__ import annotations

import socket
import ssl
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any, cast

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

REFUSAL = "550 5.1.1 Mailbox unavailable"
NO_SERVICE = "554 5.3.2 Service not available"
CERTIFICATE = Path(__file__).resolve().parent.parent / "data" / "smtp_127.0.0.1.pem"
LOGIN = ("nhacviec", "mat-khau thu 57!")


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
    # How many of the next connections are refused.
    refuse_connections: int = 0
    # The answer to QUIT, once the message is accepted.
    quit_reply: str = "221 Bye"
    # Per message accepted: whether it came over TLS. Every login tried, and whether it was LOGIN.
    over_tls: list[bool] = field(default_factory=list)
    logins: list[tuple[str, bool]] = field(default_factory=list)

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        if address.lower() in self.refuse:
            return REFUSAL
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = message_from_bytes(envelope.original_content, policy=policy.default)
        self.over_tls.append(server.transport.get_extra_info("ssl_object") is not None)
        self.received.append(
            Received(envelope.mail_from, list(envelope.rcpt_tos), cast(EmailMessage, parsed))
        )
        return "250 Message accepted for delivery"

    async def handle_QUIT(self, server: Any, session: Any, envelope: Any) -> str:
        return self.quit_reply

    def authenticate(self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        login = cast(LoginPassword, data)
        user, password = login.login.decode(), login.password.decode()
        self.logins.append((user, (user, password) == LOGIN))
        return AuthResult(success=(user, password) == LOGIN)

    def to(self, address: str) -> list[EmailMessage]:
        """The messages delivered to ADDRESS."""
        return [got.message for got in self.received if address in got.rcpt_tos]


class _RefusingSMTP(SMTP):
    """aiosmtpd's server, greeting with NO_SERVICE (then hanging up) while its collector says so.

    aiosmtpd has no hook before its 220 greeting, hence its conversation's start is wrapped here.
    """

    async def _handle_client(self) -> None:
        collector = cast(MailCollector, self.event_handler)
        if collector.refuse_connections <= 0:
            await super()._handle_client()
            return
        collector.refuse_connections -= 1
        await self.push(NO_SERVICE)
        if self.transport is not None:
            self.transport.close()


class _Controller(Controller):
    def factory(self) -> SMTP:
        return _RefusingSMTP(self.handler, **self.SMTP_kwargs)


@dataclass
class MailServer:
    host: str
    port: int
    collector: MailCollector
    security: str = "none"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp_server() -> Iterator[MailServer]:
    collector = MailCollector()
    controller = _Controller(collector, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield MailServer("127.0.0.1", controller.port, collector)
    finally:
        controller.stop()


@pytest.fixture(params=["starttls", "ssl"])
def tls_smtp_server(request: pytest.FixtureRequest) -> Iterator[MailServer]:
    """A server on 127.0.0.1 that speaks TLS as request.param says and wants LOGIN; its
    `security` is that setting's value."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(CERTIFICATE)
    collector = MailCollector()
    tls: dict[str, Any] = (
        {"tls_context": context, "require_starttls": True, "auth_required": True}
        if request.param == "starttls"
        # aiosmtpd offers AUTH under TLS only after STARTTLS: from the start, the whole
        # conversation is under TLS already (over_tls says so), and `logins` shows the login.
        else {"ssl_context": context, "auth_require_tls": False}
    )
    controller = _Controller(
        collector,
        hostname="127.0.0.1",
        port=free_port(),
        authenticator=collector.authenticate,
        **tls,
    )
    controller.start()
    try:
        yield MailServer("127.0.0.1", controller.port, collector, security=request.param)
    finally:
        controller.stop()
