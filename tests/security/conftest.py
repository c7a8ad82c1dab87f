"""Fixtures for the security tests: a world per backend, production apps, and Redis.

``site`` and ``production_site`` build the world once per module and backend and
sign every role in once; each test then takes fresh clients holding a role's
cookies, so no test inherits another's state. Tests that use them must not
write (they check exactly that), or must put back what they changed.

Redis: the rate-limit tests use the server named by ``TEST_REDIS_URL`` (or
``REDIS_URL``). Without one they skip on a laptop and fail under ``CI=true``.
Each test uses a key prefix of its own and deletes only its own keys.
"""

from __future__ import annotations

import logging
import os
import uuid
from dataclasses import dataclass, field

import pytest
from flask import Flask

from app import create_app
from app.extensions import db, limiter
from app.services import reliability
from tests.conftest import BACKENDS, settings, unavailable
from tests.security.support import (
    ROLES,
    World,
    build_world,
    clone,
    cookies_of,
    csrf_of,
    production_config,
    sign_in,
    wipe,
)
from tests.workshop.factories import CHEAP_HASH

HTTPS = "https://localhost/"


@dataclass
class Site:
    app: Flask
    world: World
    cookies: dict[str, dict[str, str]]
    base_url: str

    tokens: dict[str, str] = field(default_factory=dict)

    def client(self, role: str):
        """A fresh client acting as ``role``."""
        return clone(self.app, self.cookies[role], self.base_url)

    def csrf(self, role: str) -> str:
        """A CSRF token valid for ``role``'s session (staff roles have one)."""
        if role not in self.tokens:
            self.tokens[role] = csrf_of(self.client(role))
        return self.tokens[role]


class AppLogger:
    """Put the ``app`` logger back as it was: a production app makes it log JSON only."""

    def __init__(self):
        self.logger = logging.getLogger("app")
        self.state = (
            list(self.logger.handlers),
            list(self.logger.filters),
            self.logger.propagate,
            self.logger.level,
        )

    def restore(self) -> None:
        handlers, filters, propagate, level = self.state
        self.logger.handlers[:] = handlers
        self.logger.filters[:] = filters
        self.logger.propagate = propagate
        self.logger.setLevel(level)


@pytest.fixture
def kept_logger():
    """For tests that build a production app themselves: the ``app`` logger is put back."""
    kept = AppLogger()
    yield
    kept.restore()


def _site(request, production: bool):
    url = request.getfixturevalue(f"{request.param}_url")
    kept = AppLogger()
    if production:
        app, base_url = create_app(production_config(url)), HTTPS
    else:
        app = create_app(settings(url, PASSWORD_HASH_METHOD=CHEAP_HASH))
        base_url = "http://localhost/"
    with app.app_context():
        limiter.reset()
    reliability.forget()
    try:
        world = build_world(app)
        cookies = {role: cookies_of(sign_in(app, role, world, base_url)) for role in ROLES}
        yield Site(app, world, cookies, base_url)
    finally:
        wipe(app)
        with app.app_context():
            db.engine.dispose()
        kept.restore()


@pytest.fixture(scope="module", params=BACKENDS)
def site(request):
    """The world under the test settings, shared by one module's tests on one backend."""
    yield from _site(request, production=False)


@pytest.fixture(scope="module", params=BACKENDS)
def production_site(request):
    """The world under the production settings, reached over HTTPS."""
    yield from _site(request, production=True)


@pytest.fixture
def prod_app(database_url):
    """An app with the production settings on each backend; rows deleted afterwards."""
    kept = AppLogger()
    app = create_app(production_config(database_url))
    with app.app_context():
        limiter.reset()
    reliability.forget()
    yield app
    wipe(app)
    with app.app_context():
        db.engine.dispose()
    kept.restore()


@pytest.fixture(scope="session")
def redis_url() -> str:
    """The Redis server for rate-limit tests; CI=true fails when it is missing."""
    url = os.environ.get("TEST_REDIS_URL") or os.environ.get("REDIS_URL")
    if not url:
        unavailable("TEST_REDIS_URL is not set")
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as exc:
        unavailable(f"Redis at TEST_REDIS_URL is unreachable: {type(exc).__name__}")
    finally:
        client.close()
    return url


@dataclass(frozen=True)
class RedisStore:
    url: str
    prefix: str

    def config(self) -> dict:
        return {
            "RATELIMIT_STORAGE_URI": self.url,
            "RATELIMIT_STORAGE_OPTIONS": {"key_prefix": self.prefix},
        }

    def stored_keys(self) -> list[bytes]:
        import redis

        client = redis.Redis.from_url(self.url)
        try:
            return list(client.scan_iter(match=f"{self.prefix}:*"))
        finally:
            client.close()

    def clear(self) -> None:
        import redis

        client = redis.Redis.from_url(self.url)
        try:
            for key in client.scan_iter(match=f"{self.prefix}:*"):
                client.delete(key)
        finally:
            client.close()


@pytest.fixture
def redis_store(redis_url):
    """A key prefix of this test's own on the test Redis; its keys are deleted afterwards."""
    store = RedisStore(redis_url, f"whyiact-test-{uuid.uuid4().hex[:12]}")
    options = dict(limiter._storage_options)
    yield store
    store.clear()
    # Flask-Limiter merges storage options into its one Limiter object: take ours out again.
    limiter._storage_options.clear()
    limiter._storage_options.update(options)


@pytest.fixture
def redis_app(database_url, redis_store):
    """An app whose rate-limit counters live in Redis, under this test's prefix."""
    app = create_app(
        settings(database_url, PASSWORD_HASH_METHOD=CHEAP_HASH, **redis_store.config())
    )
    reliability.forget()
    yield app
    wipe(app)
    with app.app_context():
        db.engine.dispose()
