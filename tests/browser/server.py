"""The app as users run it: `streamlit run dashboard.py` in its own process, and the CLI on its database."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import create_engine
from sqlmodel import select

from models import Evidence, EvidenceFile
from tracker.config import ROOT

ARTIFACTS = ROOT / "artifacts"
# Two busy cores shared with other test runs: starting the app can take a while.
START_TIMEOUT = 90


@dataclass(frozen=True)
class App:
    """A running app: its address, the database it writes to, its log."""

    url: str
    database_url: str
    log: Path
    process: subprocess.Popen[str]

    def env(self) -> dict[str, str]:
        return _env(self.database_url)

    def evidence_files(self) -> list[tuple[str, bytes]]:
        """Every stored evidence file's shown name and bytes, as the database holds them."""
        engine = create_engine(self.database_url)
        try:
            with engine.connect() as conn:
                query = select(Evidence.file_name, EvidenceFile.data).join(
                    EvidenceFile, EvidenceFile.sha256 == Evidence.sha256
                )
                return [(name, data) for name, data in conn.execute(query)]
        finally:
            engine.dispose()

    def cli(self, *args: str) -> Any:
        """`python -m tracker ARGS` on this app's database; its JSON output, parsed."""
        done = subprocess.run(
            [sys.executable, "-m", "tracker", *args],
            cwd=ROOT,
            env=self.env(),
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def _env(database_url: str) -> dict[str, str]:
    return os.environ | {"TRACKER_DATABASE_URL": database_url}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _drain(process: subprocess.Popen[str], log: Path, listening: threading.Event) -> None:
    """Copy the server's output to LOG (so the pipe never fills), flagging when it listens."""
    assert process.stdout is not None
    with log.open("w", encoding="utf-8") as out:
        for line in process.stdout:
            out.write(line)
            out.flush()
            if "URL:" in line:
                listening.set()
    # The process ended: wake the waiter, which then finds it dead.
    listening.set()


class Serve(Protocol):
    """The `serve` fixture: start_app, stopped after the module."""

    def __call__(self, database_url: str, *, env: Mapping[str, str] | None = None) -> App: ...


def start_app(database_url: str, *, env: Mapping[str, str] | None = None) -> App:
    """Serve the app on a free port for DATABASE_URL, with ENV added to its environment;
    return once it answers."""
    port = _free_port()
    ARTIFACTS.mkdir(exist_ok=True)
    log = ARTIFACTS / f"streamlit-{port}.log"
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "dashboard.py",
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        # Others edit the work tree while tests run: no watcher, no reruns on their saves.
        "--server.fileWatcherType",
        "none",
        "--browser.gatherUsageStats",
        "false",
    ]
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        # Unbuffered, so the line saying it listens arrives when printed.
        env=_env(database_url) | dict(env or {}) | {"PYTHONUNBUFFERED": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    app = App(f"http://127.0.0.1:{port}", database_url, log, process)
    listening = threading.Event()
    threading.Thread(target=_drain, args=(process, log, listening), daemon=True).start()
    if not listening.wait(START_TIMEOUT) or process.poll() is not None:
        app.stop()
        raise RuntimeError(f"streamlit did not start within {START_TIMEOUT} s; see {log}")
    with urllib.request.urlopen(f"{app.url}/_stcore/health", timeout=START_TIMEOUT) as answer:
        assert answer.read() == b"ok"
    return app
