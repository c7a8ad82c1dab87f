"""Fixtures: an app on each database (SQLite always, PostgreSQL when reachable), a client.

Each backend gets one fresh database per test session, built by running the
migrations, so every run also proves the migrations. Rows are deleted after
each test. With CI=true a missing PostgreSQL fails the run instead of skipping.
"""

from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app import create_app
from app.extensions import db, limiter
from app.services import reliability

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def settings(url: str, **extra) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
        "SQLALCHEMY_DATABASE_URI": url,
        "RATELIMIT_STORAGE_URI": "memory://",
        **extra,
    }


def unavailable(reason: str):
    """Skip on a laptop, fail in CI: a component the suite needs is missing."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: tests that need it must run)")
    pytest.skip(reason)


def migrate_to_head(url: str) -> None:
    from flask_migrate import upgrade

    app = create_app(settings(url))
    with app.app_context():
        upgrade()
        db.engine.dispose()


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"
    migrate_to_head(url)
    return url


@pytest.fixture(scope="session")
def postgres_server_url() -> str:
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        unavailable("TEST_DATABASE_URL is not set")
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:
        unavailable(f"PostgreSQL at TEST_DATABASE_URL is unreachable: {type(exc).__name__}")
    finally:
        engine.dispose()
    return base


@pytest.fixture(scope="session")
def postgresql_url(postgres_server_url) -> str:
    """A database of its own for this session, dropped at the end."""
    name = f"whyiact_test_{uuid.uuid4().hex[:12]}"
    # pool_pre_ping: tests/security/test_09_faults.py restarts the server meanwhile.
    admin = create_engine(postgres_server_url, isolation_level="AUTOCOMMIT", pool_pre_ping=True)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(postgres_server_url).set(database=name).render_as_string(hide_password=False)
    migrate_to_head(url)
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=BACKENDS)
def database_url(request) -> str:
    return request.getfixturevalue(f"{request.param}_url")


@pytest.fixture
def app(database_url):
    app = create_app(settings(database_url))
    with app.app_context():
        limiter.reset()  # counters are per process; each test starts with none
    reliability.forget()
    yield app
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as conn:
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()
