"""Issue line 5: every route, every role, two organizations.

For every route in ``app.url_map`` and every role (a visitor, two volunteers,
two facilitators and an organizer of organization A, a facilitator and an
organizer of organization B):

- a GET writes nothing: every row of every table is the same before and after,
  and no INSERT, UPDATE or DELETE reaches the database;
- a staff route answers 404 to a role it does not name and to staff of the other
  organization (never 403: a staff URL never confirms that something exists),
  and sends a visitor to sign in;
- a POST without its CSRF token changes nothing.

``tests/workshop/test_access.py`` holds the exact status of every staff URL for
every role; these tests add the volunteer routes, organization B's workshop, and
every route added since, without anyone listing it (ASVS v5.0.0-8.2.1, 8.2.2,
8.3.1, 8.4.1, 3.5.1, 3.5.3).
"""

from __future__ import annotations

import pytest

from app.models import Role
from tests.security.support import (
    GET_ROUTES,
    POST_ROUTES,
    ROLES,
    ROUTES,
    changed_tables,
    fetch,
    row_counts,
    url_for_route,
    writes,
)

STAFF_OF = {
    "facilitator_a": ("a", {Role.FACILITATOR}),
    "facilitator_a2": ("a", {Role.FACILITATOR}),
    "organizer_a": ("a", {Role.ORGANIZER}),
    "facilitator_b": ("b", {Role.FACILITATOR}),
    "organizer_b": ("b", {Role.ORGANIZER}),
}
STAFF_ROUTES = tuple(r for r in ROUTES if r.staff)
#: What each form needs to be accepted, but for its CSRF token.
COMPLETE = {
    "/login": {"email": "fa@a.example", "password": "correct horse battery staple"},
    "/j": {"code": "ABC234"},
    "/start": {"profile": "y", "room": "y", "org": "y"},
    "/take/cause": {"cause": "gender"},
    "/me/delete": {"confirm": "y"},
    "/staff/workshops/new": {"title": "T", "cause": "gender", "locale": "en", "k_room": "5"},
    "/staff/accounts/new": {
        "name": "N",
        "email": "new@a.example",
        "password": "a long first password",
        "facilitator": "y",
    },
}


def test_the_route_list_is_read_from_the_app():
    rules = {r.rule for r in ROUTES}
    assert {"/", "/p/<path:token>", "/me/delete", "/staff/workshops/<int:workshop_id>"} <= rules
    assert len(ROUTES) >= 30


@pytest.mark.parametrize("route", GET_ROUTES, ids=[r.id for r in GET_ROUTES])
def test_a_get_writes_nothing_for_any_role(site, route):
    urls = {url_for_route(route, site.world, other_organization=o) for o in (False, True)}
    before = row_counts(site.app)
    for role in ROLES:
        for url in sorted(urls):
            with writes(site.app) as written:
                response = fetch(site.client(role), "GET", url)
            after = row_counts(site.app)
            where = f"{role} GET {url}"
            assert response.status_code not in (403, 500, 503), (where, response.status_code)
            assert not written, (where, written)
            assert not changed_tables(before, after), (where, changed_tables(before, after))


@pytest.mark.parametrize("route", STAFF_ROUTES, ids=[r.id for r in STAFF_ROUTES])
def test_staff_routes_answer_404_for_what_is_not_yours(site, route):
    for method in sorted(route.methods):
        own_url = url_for_route(route, site.world)
        other_url = url_for_route(route, site.world, other_organization=True)
        visitor = fetch(site.client("anonymous"), method, own_url)
        if method == "GET":
            assert visitor.status_code == 302, (method, own_url)
            assert visitor.headers["Location"].startswith("/login?next=")
        else:
            # A post from a visitor without a session token is refused before anything runs.
            assert visitor.status_code in (302, 400), (method, own_url, visitor.status_code)
        for role, (organization, held) in STAFF_OF.items():
            client = site.client(role)
            token = site.csrf(role)
            data = {"csrf_token": token} if method == "POST" else None
            if not held & set(route.roles):
                response = fetch(client, method, own_url, data=data)
                assert response.status_code == 404, (role, method, own_url)
                continue
            with writes(site.app) as written:
                theirs = other_url if organization == "a" else own_url
                response = fetch(client, method, theirs, data=data)
            if "<int:workshop_id>" in route.rule:
                assert response.status_code == 404, (role, method, theirs, response.status_code)
                assert not written, (role, theirs)
            else:
                assert response.status_code != 403


@pytest.mark.parametrize("route", POST_ROUTES, ids=[r.id for r in POST_ROUTES])
def test_a_post_without_its_csrf_token_changes_nothing(site, route):
    """Complete forms, missing or forged tokens, from every role: nothing is written."""
    url = url_for_route(route, site.world)
    data = COMPLETE.get(route.rule, {})
    before = row_counts(site.app)
    for role in ROLES:
        # No token, a forged one, and the valid token of somebody else's session.
        someone_else = site.csrf("facilitator_a" if role == "organizer_b" else "organizer_b")
        for token in (None, "forged", someone_else):
            posted = dict(data)
            if token is not None:
                posted["csrf_token"] = token
            with writes(site.app) as written:
                response = fetch(site.client(role), "POST", url, data=posted)
            after = row_counts(site.app)
            where = f"{role} POST {url} token={token!r:.12}"
            assert response.status_code in (200, 302, 303, 400, 404), (where, response.status_code)
            assert not written, (where, written)
            assert not changed_tables(before, after), (where, changed_tables(before, after))


def test_destructive_actions_are_posts_only():
    """Deleting, signing out, forgetting, and every lifecycle move exist only as POST."""
    by_endpoint = {r.endpoint: r.methods for r in ROUTES}
    for endpoint in (
        "profile.forget_device",
        "profile.start_retake",
        "profile.open_deeper",
        "auth.log_out",
        "workshop.advance_workshop",
        "workshop.refresh_room",
    ):
        assert by_endpoint[endpoint] == {"POST"}, endpoint
    # Deleting shows a confirmation page on GET; only the confirmed POST deletes.
    assert by_endpoint["profile.delete_everything"] == {"GET", "POST"}


def test_a_volunteer_sees_only_their_own_profile(site):
    """Two volunteers, one device each: what one sees never includes the other's takes."""
    a = fetch(site.client("volunteer_a"), "GET", "/me")
    b = fetch(site.client("volunteer_b"), "GET", "/me")
    assert a.status_code == b.status_code == 200
    assert a.text != b.text
    nobody = fetch(site.client("anonymous"), "GET", "/me")
    assert nobody.status_code == 404
