"""Issue line 1: security headers on every route, with the production settings.

Every route in ``app.url_map`` is asked for by the role that uses it and by an
anonymous visitor, over HTTPS, on both databases: pages, redirects, JSON,
static files and error pages alike (ASVS v5.0.0-3.4.1, 3.4.3 to 3.4.6, 4.1.1,
13.4.6, 14.3.2).
"""

from __future__ import annotations

import re

import pytest

from tests.security.support import ROUTES, fetch, owner_role, referer, url_for_route

CSP_DIRECTIVES = (
    "default-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
)
YEAR = 365 * 24 * 3600


def assert_secure_headers(response, where: str, static: bool = False) -> None:
    headers = response.headers
    csp = headers.get("Content-Security-Policy", "")
    for directive in CSP_DIRECTIVES:
        assert directive in csp, (where, csp)
    # No exception anywhere in the policy: no eval, no inline code, no other host.
    for directive in filter(None, (part.strip() for part in csp.split(";"))):
        name, *sources = directive.split()
        for source in sources:
            assert source in ("'self'", "'none'"), (where, name, source)
    assert headers.get("X-Content-Type-Options") == "nosniff", where
    assert headers.get("Referrer-Policy") == "same-origin", where
    hsts = headers.get("Strict-Transport-Security", "")
    match = re.search(r"max-age=(\d+)", hsts)
    assert match and int(match.group(1)) >= YEAR, (where, hsts)
    assert not re.search(r"\d", headers.get("Server", "")), (where, headers.get("Server"))
    assert "X-Powered-By" not in headers, where
    if not static:
        assert headers.get("Cache-Control") == "no-store", (where, headers.get("Cache-Control"))
    if headers.get("Content-Type", "").startswith("text/"):
        assert re.search(r"charset=\"?utf-8", headers["Content-Type"].lower()), where


@pytest.mark.parametrize("route", ROUTES, ids=[r.id for r in ROUTES])
def test_every_route_sends_the_security_headers(production_site, route):
    """GET (or POST, for a POST-only route) as its user and as an anonymous visitor."""
    site = production_site
    url = url_for_route(route, site.world)
    for role in {owner_role(route), "anonymous"}:
        method = "GET" if "GET" in route.methods else "POST"
        response = fetch(site.client(role), method, url)
        assert response.status_code < 500, (route.rule, role, response.status_code)
        assert_secure_headers(response, f"{role} {url}", static=route.static)


def test_pages_that_show_answers_or_figures_are_never_cached(production_site):
    """Profile, room and every dashboard page (exports included): Cache-Control: no-store."""
    site = production_site
    for role, url in [
        ("volunteer_a", "/me"),
        ("facilitator_a", f"/staff/workshops/{site.world.workshop_a}/room"),
    ]:
        response = fetch(site.client(role), "GET", url)
        assert response.status_code == 200, (role, url)
        assert response.headers["Cache-Control"] == "no-store", url
    dashboards = [r for r in ROUTES if r.endpoint.startswith("dashboard.") and "GET" in r.methods]
    shown = 0
    for route in dashboards:
        # An export answers 404 until figures were released: its answer is still not kept.
        response = fetch(site.client(owner_role(route)), "GET", url_for_route(route, site.world))
        assert response.headers["Cache-Control"] == "no-store", route.rule
        shown += response.status_code == 200
    assert shown or not dashboards


def test_the_plotly_page_keeps_the_strict_policy(production_site):
    """The room draws charts with the app's own plotly.js under the same CSP, no unsafe-eval.

    tests/browser/test_staff_browser.py draws these charts in Chromium under this
    policy and fails on any console error, a CSP refusal included.
    """
    site = production_site
    url = f"/staff/workshops/{site.world.workshop_a}/room"
    room = site.client("facilitator_a").get(url, base_url=site.base_url)
    assert room.status_code == 200
    assert 'class="chart-data"' in room.text
    scripts = re.findall(r'<script src="([^"]+)"', room.text)
    assert any(src.startswith("/static/vendor/plotly.min.js") for src in scripts)
    assert all(src.startswith("/") and not src.startswith("//") for src in scripts)
    assert_secure_headers(room, url)
    plotly = fetch(site.client("anonymous"), "GET", scripts[0])
    assert plotly.status_code == 200
    assert plotly.headers["X-Content-Type-Options"] == "nosniff"
    assert plotly.headers["Content-Type"].startswith("text/javascript")


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/nowhere"),
        ("GET", "/static/nothing.css"),
        ("PUT", "/"),
        ("DELETE", "/me"),
        ("TRACE", "/login"),
        ("POST", "/j"),
        ("HEAD", "/"),
        ("OPTIONS", "/"),
    ],
)
def test_error_and_odd_responses_carry_the_headers_too(production_site, method, path):
    site = production_site
    response = fetch(site.client("anonymous"), method, path)
    assert response.status_code < 500
    assert_secure_headers(response, f"{method} {path}", static=path.startswith("/static/"))


def test_a_body_too_large_is_refused_with_the_headers(production_site):
    site = production_site
    client = site.client("anonymous")
    response = client.post(
        "/login", data={"x": "y" * 1_000_000}, base_url=site.base_url, headers=referer(client)
    )
    assert response.status_code == 413
    assert_secure_headers(response, "413")


def test_the_app_adds_no_server_banner(production_site):
    """The app adds no Server header; gunicorn's own says no version (tests/security/test_08).

    The development server (``flask run``) adds ``Server: Werkzeug/<version>`` itself, and
    nginx is set to ``server_tokens off`` (deploy/nginx.conf, docs/security.md).
    """
    site = production_site
    for path in ("/", "/healthz", "/nowhere", "/static/app.css"):
        response = fetch(site.client("anonymous"), "GET", path)
        assert "Server" not in response.headers, path
