"""Issue line 11: the production configuration.

Debug is off, secrets are required and must look random, the repository and the
server's files are out of reach, no directory is ever listed, TRACE and the other
methods no page uses are refused, and there is no debugger console (ASVS
v5.0.0-13.4.1, 13.4.2, 13.4.4 to 13.4.6, 15.2.3). ``tests/test_app.py`` has the
first checks of the settings; these add the rest, on both databases.
"""

from __future__ import annotations

import pytest

from app import create_app
from app.config import ConfigError
from tests.security.support import ROUTES, STRONG_SECRET, World, fetch, url_for_route

HTTPS = "https://localhost/"

OUT_OF_REACH = [
    "/.git/HEAD",
    "/.git/config",
    "/.git/",
    "/.env",
    "/static/../.git/HEAD",
    "/static/%2e%2e/%2e%2e/.git/HEAD",
    "/static/..%2f..%2f.git/HEAD",
    "/static/../../instance/secret_key",
    "/static/../config.py",
    "/app/config.py",
    "/instance/whyiact.sqlite",
    "/migrations/env.py",
    "/gunicorn.conf.py",
    "/console",
    "/__debug__",
    "/static/",
    "/static",
    "/static/vendor/",
    "/staff/",
    "/server-status",
]


@pytest.fixture(autouse=True)
def no_platform_settings(monkeypatch):
    for name in ("SECRET_KEY", "DATABASE_URL", "REDIS_URL", "WHYIACT_SECRET_KEY", "WHYIACT_ENV"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("FLASK_DEBUG", raising=False)


def test_production_is_the_default_and_debug_is_off(prod_app):
    assert prod_app.config["ENV"] == "production"
    assert prod_app.debug is False
    assert prod_app.testing is False
    assert prod_app.config["PROPAGATE_EXCEPTIONS"] in (None, False)
    assert prod_app.config["SESSION_COOKIE_SECURE"] is True


@pytest.mark.parametrize(
    "secret",
    ["", "short", "x" * 40, "ab" * 20, "password" * 5, "0123456" * 5],
    ids=["missing", "short", "one-character", "two-characters", "a-word", "seven-digits"],
)
def test_a_missing_short_or_placeholder_secret_stops_production(monkeypatch, secret):
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    if secret:
        monkeypatch.setenv("SECRET_KEY", secret)
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app()


def test_a_database_is_required_in_production(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", STRONG_SECRET)
    with pytest.raises(ConfigError, match="DATABASE_URL"):
        create_app()


def test_development_still_needs_a_strong_secret(monkeypatch):
    monkeypatch.setenv("WHYIACT_ENV", "development")
    monkeypatch.setenv("WHYIACT_SECRET_KEY", "x" * 40)
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app()


@pytest.mark.parametrize("path", OUT_OF_REACH)
def test_files_of_the_server_and_directory_listings_are_out_of_reach(prod_app, path):
    client = prod_app.test_client()
    response = fetch(client, "GET", path, base_url=HTTPS)
    assert response.status_code in (404, 302, 308), (path, response.status_code)
    if response.status_code != 404:
        # Only the app's own redirects (to sign in, or to the slash-less address).
        assert response.headers["Location"].startswith(("/", HTTPS)), response.headers
    body = response.get_data()
    for secret in (b"[core]", b"ref: refs/", b"SECRET_KEY", b"Index of", b"SQLite format"):
        assert secret not in body, (path, secret)


def test_trace_and_other_unused_methods_are_refused_on_every_route(prod_app):
    world = World(1, 2, 1, 2, {}, {"volunteer_a": "a" * 43, "volunteer_b": "b" * 43})
    client = prod_app.test_client()
    for method in ("TRACE", "TRACK", "PUT", "DELETE", "PATCH", "CONNECT"):
        for route in ROUTES:
            url = url_for_route(route, world)
            headers = {"Cookie": "secret-cookie=1"}
            response = fetch(client, method, url, base_url=HTTPS, headers=headers)
            assert response.status_code == 405, (method, url, response.status_code)
            # A refused TRACE never echoes the request (cookies included) back.
            assert b"secret-cookie" not in response.get_data()


def test_only_the_methods_a_page_uses_are_allowed(prod_app):
    for route in ROUTES:
        assert route.methods <= {"GET", "POST"}, route.rule


def test_errors_show_no_trace_or_internals(prod_app):
    @prod_app.get("/boom-for-test")
    def boom():
        raise RuntimeError("secret internals /srv/whyiact/app.py line 1")

    response = prod_app.test_client().get("/boom-for-test", base_url=HTTPS)
    assert response.status_code == 500
    assert "secret internals" not in response.text
    assert "Traceback" not in response.text
    assert "Something went wrong on our side" in response.text
