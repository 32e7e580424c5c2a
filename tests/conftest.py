"""Every test gets a fresh, migrated database: SQLite always, PostgreSQL too when
TRACKER_TEST_POSTGRES_URL points at a server (CI sets it when one answers).

The schema is migrated once per run into a template (a file for SQLite, a
template database for PostgreSQL) and copied for each test, which is far faster
than running the migrations every time.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from tests.support.scenarios import Scenario, build_scenario
from tracker import db
from tracker.directory import auth

# The SMTP server of the reminder tests (smtp_server).
pytest_plugins = ["tests.support.smtp"]

POSTGRES_URL = os.environ.get("TRACKER_TEST_POSTGRES_URL", "").strip()
ENGINES = ["sqlite"] + (["postgresql"] if POSTGRES_URL else [])


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = db.get_engine(f"sqlite:///{path}")
    db.upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str]:
    name = f"tracker_tmpl_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    engine = create_engine(url)
    db.upgrade(engine)
    engine.dispose()
    yield name
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _fresh_postgres_url(template: str) -> tuple[str, str]:
    name = f"tracker_t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    admin.dispose()
    return name, make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)


def _drop_postgres(name: str) -> None:
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@contextmanager
def _fresh_database(request: pytest.FixtureRequest, engine_name: str, path: Path) -> Iterator[str]:
    """The URL of a fresh migrated database on ENGINE_NAME (a file at PATH for SQLite)."""
    if engine_name == "sqlite":
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        url = f"sqlite:///{path}"
        yield url
        _forget(url)
        return
    name, url = _fresh_postgres_url(request.getfixturevalue("postgres_template"))
    yield url
    _forget(url)
    _drop_postgres(name)


@pytest.fixture(params=ENGINES)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a fresh migrated database, on each engine under test."""
    with _fresh_database(request, request.param, tmp_path / "tracker.db") as url:
        yield url


@pytest.fixture
def other_database_url(database_url: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A second fresh database on the engine of database_url, to restore into."""
    engine_name = "sqlite" if database_url.startswith("sqlite") else "postgresql"
    with _fresh_database(request, engine_name, tmp_path / "other.db") as url:
        yield url


def _forget(url: str) -> None:
    """Close the cached engine so the next test's database is a new one."""
    db.get_engine(url).dispose()
    db.get_engine.cache_clear()
    db._upgraded.discard(url)


@pytest.fixture
def engine(database_url: str) -> Engine:
    return db.open_database(database_url)


@pytest.fixture
def sqlite_url(tmp_path: Path, sqlite_template: Path) -> Iterator[str]:
    """A fresh SQLite database only, for tests of SQLite-specific behaviour."""
    path = tmp_path / "tracker.db"
    shutil.copy(sqlite_template, path)
    url = f"sqlite:///{path}"
    yield url
    _forget(url)


@pytest.fixture
def app_url(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """A fresh SQLite database that the app run by AppTest opens (through the environment)."""
    monkeypatch.setenv("TRACKER_DATABASE_URL", sqlite_url)
    return sqlite_url


@pytest.fixture
def cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Real argon2 costs half a second a hash; tests of accounts are not about its strength."""
    monkeypatch.setattr(auth, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


@pytest.fixture
def scenario(engine: Engine) -> Scenario:
    """Two plans with a history that puts tasks in every class (tests.support.scenarios)."""
    return build_scenario(engine)
