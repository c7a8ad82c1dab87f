"""Issue line 3: the private link (shared/DESIGN.md §6.3).

A 256-bit token from a CSPRNG (or an HMAC keyed with the secret), stored only
as its SHA-256; ``/p/<token>`` sets an HttpOnly cookie and answers 303 to a
token-free page; unknown, deleted and malformed tokens get the same 404; the
token is in no page but the one that shows it, in no address a page lives at
(so in no Referer), and in no log line; failed look-ups are limited per client
and for everyone (ASVS v5.0.0-6.5.2, 6.5.3, 11.5.1, 14.2.1, 3.4.5, 6.6.3).
"""

from __future__ import annotations

import base64
import hashlib
import logging
import re

from sqlalchemy import select

from app.extensions import db
from app.models import Respondent
from tests.forms import forms
from tests.security.support import GET_ROUTES, fetch, snapshot, url_for_route
from tests.web.volunteer import Volunteer

URL_ATTRIBUTE = re.compile(r"""(?:href|src|action|formaction)\s*=\s*["']([^"']+)""")


def test_the_token_has_256_bits_and_only_its_hash_is_stored(app, client):
    volunteer = Volunteer(client)
    volunteer.whole_journey()
    token = volunteer.token
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", token)
    assert len(base64.urlsafe_b64decode(token + "=")) == 32
    with app.app_context():
        stored = db.session.scalars(select(Respondent.token_hash)).all()
    assert stored == [hashlib.sha256(token.encode()).hexdigest()]
    # Nowhere else in the database: not in any column of any table.
    for table, rows in snapshot(app).items():
        for row in rows:
            assert token not in repr(row), table


def test_two_people_get_unrelated_tokens(app):
    tokens = set()
    for _ in range(3):
        volunteer = Volunteer(app.test_client())
        volunteer.start()
        tokens.add(volunteer.token)
    assert len(tokens) == 3
    # No shared prefix to guess from: tokens differ from their first characters on.
    assert len({t[:4] for t in tokens}) == 3


def test_the_link_trades_the_token_for_a_cookie_and_leaves_the_address_at_once(app, client):
    volunteer = Volunteer(client)
    volunteer.whole_journey()
    fresh = app.test_client()
    response = fresh.get(f"/p/{volunteer.token}")
    assert response.status_code == 303
    assert response.headers["Location"] == "/me"
    assert volunteer.token not in response.text
    cookie = response.headers["Set-Cookie"]
    assert volunteer.token in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cache-Control"] == "no-store"
    assert fresh.get("/me").status_code == 200


def test_the_token_is_on_no_page_and_in_no_address_but_the_key_page(site):
    """Every GET route as the volunteer: the token only on /key, never in a Location."""
    token = site.world.tokens["volunteer_a"]
    for route in GET_ROUTES:
        url = url_for_route(route, site.world)
        response = fetch(site.client("volunteer_a"), "GET", url)
        where = f"{route.rule} ({response.status_code})"
        assert token not in response.headers.get("Location", ""), where
        if route.rule == "/key":
            assert token in response.text
            # Only the link itself (shown to be copied) carries it: no form, no asset.
            for found in URL_ATTRIBUTE.findall(response.text):
                assert token not in found or found.endswith(f"/p/{token}"), found
            for form in forms(response.text):
                assert token not in (form["action"] or ""), form
                assert token not in repr(form["hidden"]), form
        elif route.endpoint != "profile.open_link":
            assert token not in response.text, where
        # A page that could send the token as a Referer would have it in its own address.
        if response.status_code == 200 and response.mimetype == "text/html":
            assert token not in url or route.endpoint == "profile.open_link"


def test_the_key_page_links_only_to_this_site(site):
    page = fetch(site.client("volunteer_a"), "GET", "/key")
    for found in URL_ATTRIBUTE.findall(page.text):
        assert not found.startswith("//"), found
        assert found.startswith(("/", "#", "http://localhost/", "https://localhost/")), found


def variants(token: str) -> list[str]:
    return [
        token[:-1],
        token.swapcase(),
        token + "x",
        token + "%20",
        "%20" + token,
        token[:-1] + ("B" if token[-1] == "A" else "A"),
        "x" * 43,
        "' OR '1'='1",
        "%00",
        "<script>",
        "a/b",
    ]


def test_unknown_malformed_and_deleted_links_get_one_and_the_same_404(app, client):
    app.config["PRIVATE_LINK_LIMIT"] = "1000 per minute"
    volunteer = Volunteer(client)
    volunteer.whole_journey()
    other = Volunteer(app.test_client())
    other.start()
    gone = other.token
    page = other.client.get("/me/delete").text
    from tests.forms import hidden

    other.client.post("/me/delete", data={**hidden(page, "/me/delete"), "confirm": "y"})
    bodies = set()
    for candidate in [gone, *variants(volunteer.token)]:
        response = app.test_client().get(f"/p/{candidate}")
        assert response.status_code == 404, candidate
        assert "Set-Cookie" not in response.headers
        body = re.sub(r'name="csrf_token"[^>]*>', "", response.text)
        bodies.add(re.sub(r"\s+", " ", body))
    assert len(bodies) == 1


def test_failed_lookups_are_limited_per_client_and_for_everyone(app, client):
    volunteer = Volunteer(client)
    volunteer.start()
    app.config["PRIVATE_LINK_GLOBAL_LIMIT"] = "8 per hour"
    guesser = app.test_client()
    statuses = [guesser.get(f"/p/{'g' * 43}").status_code for _ in range(6)]
    assert statuses == [404] * 5 + [429]
    # A right link costs nothing, but a client that is limited waits like everyone.
    assert guesser.get(f"/p/{volunteer.token}").status_code == 429
    elsewhere = {"REMOTE_ADDR": "10.1.1.1"}
    assert app.test_client().get(f"/p/{volunteer.token}", environ_base=elsewhere).status_code == 303
    # Guesses spread over many addresses meet the limit for everyone together.
    spread = [
        app.test_client().get(f"/p/{'h' * 43}", environ_base={"REMOTE_ADDR": f"10.1.0.{n}"})
        for n in range(4)
    ]
    assert [r.status_code for r in spread] == [404, 404, 404, 429]
    assert "Too many tries" in spread[-1].text


def test_a_token_sent_as_referer_or_in_a_query_reaches_no_log(app, client, caplog):
    caplog.set_level(logging.DEBUG)
    volunteer = Volunteer(client)
    volunteer.start()
    token = volunteer.token
    client.get("/me", headers={"Referer": f"https://localhost/p/{token}"})
    client.get(f"/p/{token}", query_string={"lang": token})
    app.test_client().get(f"/p/{token[:-1]}")
    text = "\n".join(record.getMessage() for record in caplog.records)
    assert token not in text and token[:-1] not in text
