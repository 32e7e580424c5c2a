"""While the database cannot be reached the app shows a plain page, and comes back by itself."""

from __future__ import annotations

import shutil
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from models import Role
from tests.conftest import POSTGRES_URL, _drop_postgres, _forget, _fresh_postgres_url
from tests.support.apptest import dashboard, page_as, shown
from tests.support.factories import make_plan, make_task, make_unit, make_user
from tracker.config import check_database_url
from tracker.db import open_database

OUTAGE = "Tạm thời không truy cập được dữ liệu"
SETUP = "Thiết lập lần đầu"


class Forwarder:
    """A TCP port that refuses connections until start(), then passes them to the real server:
    the database server "comes back" at the same address."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = int(probe.getsockname()[1])
        self._listener: socket.socket | None = None

    def start(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        assert self._listener is not None
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.target)
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                end.close()

    def stop(self) -> None:
        if self._listener is not None:
            self._listener.close()


def run_dashboard() -> list[str]:
    at = dashboard().run()
    assert not at.exception, at.exception
    return shown(at.title)


def test_a_sqlite_file_that_cannot_be_opened_then_can(
    tmp_path: Path, sqlite_template: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "tracker.db"
    url = check_database_url(f"sqlite:///file:{path}?mode=rw&uri=true")
    monkeypatch.setenv("TRACKER_DATABASE_URL", url)
    assert run_dashboard() == [OUTAGE]
    assert "Không mở được tệp cơ sở dữ liệu" in caplog.text
    shutil.copy(sqlite_template, path)
    assert run_dashboard() == [SETUP]
    _forget(url)


@pytest.fixture
def postgres_behind_a_closed_port(request: pytest.FixtureRequest) -> Iterator[tuple[str, Forwarder]]:
    if not POSTGRES_URL:
        pytest.skip("needs TRACKER_TEST_POSTGRES_URL")
    name, real = _fresh_postgres_url(request.getfixturevalue("postgres_template"))
    parsed = make_url(real)
    forwarder = Forwarder((parsed.host or "127.0.0.1", parsed.port or 5432))
    url = parsed.set(port=forwarder.port).render_as_string(hide_password=False)
    yield url, forwarder
    forwarder.stop()
    _forget(url)
    _drop_postgres(name)


def test_a_postgresql_server_that_does_not_answer_then_comes_back(
    postgres_behind_a_closed_port: tuple[str, Forwarder],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    url, forwarder = postgres_behind_a_closed_port
    monkeypatch.setenv("TRACKER_DATABASE_URL", url)
    assert run_dashboard() == [OUTAGE]
    assert f":{forwarder.port}/" in caplog.text and "máy chủ không trả lời" in caplog.text
    forwarder.start()
    assert run_dashboard() == [SETUP]


def test_an_outage_inside_a_fragment_shows_the_outage_page_in_its_place(
    app_url: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # Streamlit shows what a fragment raises as an error box of its own, out of dashboard.py's guard.
    engine = open_database(app_url)
    unit = make_unit(engine)
    make_task(engine, make_plan(engine), unit, code="I.1")
    office = make_user(engine, Role.secretariat)

    def down(*args: object) -> None:
        raise OperationalError("SELECT …", {}, Exception("connection refused"))

    monkeypatch.setattr("ui.unit_drilldown.unit_tasks", down)
    at = page_as(office, "pages/units.py", query={"unit": str(unit.id)}).run()
    assert not at.exception, at.exception
    assert OUTAGE in shown(at.title)
    assert "máy chủ không trả lời" in caplog.text
