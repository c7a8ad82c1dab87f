"""Every page a volunteer can see: no other host, the security headers, no token."""

from __future__ import annotations

import re

import pytest

from app.instruments import CURRENT
from tests.forms import hidden
from tests.web.volunteer import Volunteer

ATTRIBUTE_URL = re.compile(r"""(?:src|href|action|formaction|poster|srcset)\s*=\s*["']([^"']+)""")
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)")


def journey_pages(client, app) -> dict[str, str]:
    """Walk the whole journey and return every page's HTML by URL."""
    pages: dict[str, str] = {}

    def visit(url):
        response = client.get(url)
        assert response.status_code == 200, url
        pages[url] = response.text
        return response

    volunteer = Volunteer(client)
    visit("/")
    visit("/start")
    volunteer.start()
    visit("/key")
    visit("/take/cause")
    volunteer.choose_cause()
    for page in CURRENT.pages:
        visit(f"/take/page/{page.key}")
        volunteer.answer_page(page)
    for scenario in CURRENT.scenarios:
        visit(f"/take/scenario/{scenario.key}")
        volunteer.answer_scenario(scenario)
        visit(f"/take/scenario/{scenario.key}")
    visit("/me")
    visit("/me/delete")
    missing = app.test_client().get("/p/unknown")
    pages["/p/unknown"] = missing.text
    pages["token"] = volunteer.token
    return pages


def test_no_page_refers_to_another_host(client, app):
    pages = journey_pages(client, app)
    pages.pop("token")
    with client.get("/static/app.css") as response:
        css = response.text
    for url, html in [*pages.items(), ("/static/app.css", css)]:
        for found in ATTRIBUTE_URL.findall(html) + CSS_URL.findall(html):
            if found.startswith(("http://", "https://", "//")):
                assert re.match(r"^https?://localhost/", found), (url, found)


def test_the_token_appears_only_on_the_private_link_page(client, app):
    pages = journey_pages(client, app)
    token = pages.pop("token")
    assert token in pages["/key"]
    for url, html in pages.items():
        if url != "/key":
            assert token not in html, url


@pytest.mark.parametrize("url", ["/", "/start", "/me", "/p/unknown", "/healthz", "/nowhere"])
def test_security_headers_on_every_response(client, url):
    response = client.get(url)
    csp = response.headers["Content-Security-Policy"]
    for directive in ("default-src 'self'", "object-src 'none'", "base-uri 'none'",
                      "frame-ancestors 'none'"):  # fmt: skip
        assert directive in csp
    assert "unsafe" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cache-Control"] == "no-store"


def test_every_scale_is_a_fieldset_with_a_legend(client):
    volunteer = Volunteer(client)
    volunteer.start()
    volunteer.choose_cause()
    for page in CURRENT.pages:
        html = client.get(f"/take/page/{page.key}").text
        fieldsets = re.findall(r"<fieldset.*?</fieldset>", html, re.S)
        assert len(fieldsets) == len(page.items)
        for fieldset in fieldsets:
            assert "<legend>" in fieldset
            assert fieldset.count('type="radio"') == 7
        volunteer.answer_page(page)


def test_the_language_switch_sets_a_cookie_that_sticks(client, app):
    offered = app.extensions["whyiact_locales"]
    if len(offered) < 2:
        pytest.skip("only English is compiled")
    other = offered[1]
    response = client.get("/", query_string={"lang": other})
    assert f'<html lang="{other}"' in response.text
    assert f"wia_lang={other}" in response.headers["Set-Cookie"]
    assert f'<html lang="{other}"' in client.get("/").text


def test_consent_form_carries_a_fresh_nonce_each_time(client):
    first = hidden(client.get("/start").text, "/start")["nonce"]
    second = hidden(client.get("/start").text, "/start")["nonce"]
    assert first != second
    assert len(first) == 43


def test_static_files_are_versioned_compressed_and_cached(client):
    import gzip
    import re as regex

    page = client.get("/").text
    match = regex.search(r'href="(/static/app\.css\?v=([0-9a-f]{12}))"', page)
    assert match, "the stylesheet link carries a content hash"
    with client.get(match.group(1), headers={"Accept-Encoding": "gzip"}) as response:
        assert response.status_code == 200
        assert "max-age=31536000" in response.headers["Cache-Control"]
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "default-src 'self'" in response.headers["Content-Security-Policy"]
        encoding = response.headers.get("Content-Encoding")
        assert encoding == "gzip", "run `make compile-static` (make test does) to compress"
        assert "Accept-Encoding" in response.headers["Vary"]
        body = gzip.decompress(response.get_data())
    assert b":root" in body
