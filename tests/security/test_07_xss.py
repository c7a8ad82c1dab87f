"""Issue line 7: stored XSS. Whatever staff type is text on every page and in chart data.

Each payload goes, through the staff's own forms, into every field a facilitator
or an organizer fills in (workshop title, cause and group labels, account name;
the organization's name comes from the operator). A volunteer joins that workshop.
Then every GET route is read by everyone who can see those fields: the owner, an
organizer, a colleague, a volunteer with a finished take and one under way. No
page may carry the payload as markup, an event handler, a ``javascript:`` address,
or an inline script; chart JSON holds no raw ``<`` and no label markup but the
``<br>`` the chart builder adds (ASVS v5.0.0-1.2.1, 1.2.3, 3.2.2).
``tests/workshop/test_xss.py`` has the first payload on the staff pages; this adds
the others, every route, the volunteers' pages and the figures.
"""

from __future__ import annotations

import json
import secrets
from html.parser import HTMLParser

import pytest
from markupsafe import escape
from sqlalchemy import select

from app.domain.workshop import WorkshopEvent
from app.extensions import db
from app.models import Account, Organization, Respondent, Workshop
from app.services import workshops
from app.services.takes import hash_token
from tests.security.support import (
    GET_ROUTES,
    answered_take,
    build_world,
    csrf_of,
    fetch,
    sign_in,
    url_for_route,
)
from tests.workshop.factories import TODAY, make_take

PAYLOADS = [
    '"><img src=x onerror=alert(1)>',
    "<IMG SRC=x ONERROR=alert(1)>",
    "<svg onload=alert(1)>",
    "<xmp><script>alert(1)</script></xmp>",
    "</script><script>alert(1)</script>",
    '<b>x</b><a href="javascript:alert(1)">y</a>',
    "javascript:alert(1)//{{7*7}}{cause}",
]


class Markup(HTMLParser):
    """What a browser would build: tags, their attributes, and the text of each script."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._script: dict | None = None
        self._body: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._script, self._body = dict(attrs), []

    def handle_data(self, data):
        if self._script is not None:
            self._body.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.scripts.append((self._script, "".join(self._body)))
            self._script = None


FIELDS = ("title", "cause_label", "ingroup_label", "outgroup_label", "account", "organization")


def placed(variant: int) -> dict[str, str]:
    """A different payload in every field; the next variant moves each one along."""
    return {name: PAYLOADS[(i + variant) % len(PAYLOADS)] for i, name in enumerate(FIELDS)}


def assert_inert(html: str, payloads, where: str) -> None:
    for payload in payloads:
        if any(c in payload for c in "<>\"'"):
            assert payload not in html, (where, payload)
    page = Markup(html)
    for tag, attributes in page.tags:
        for name, value in attributes.items():
            assert not name.startswith("on"), (where, tag, name)
            if name in ("href", "src", "action", "formaction") and value:
                assert not value.strip().lower().startswith("javascript:"), (where, value)
        # Only the tags the templates write: never one that came in with a payload.
        assert tag not in ("img", "xmp", "iframe", "object", "embed"), (where, tag)
    for attributes, body in page.scripts:
        # Scripts come from this site's files, or are JSON data that is never run.
        if attributes.get("type") == "application/json":
            assert "<" not in body, where
            check_figure(json.loads(body), where)
        else:
            assert (attributes.get("src") or "").startswith("/"), (where, attributes)
            assert not (attributes.get("src") or "").startswith("//"), (where, attributes)
            assert not body.strip(), where


def check_figure(value, where: str) -> None:
    """Plotly reads a little HTML in text: only the builder's own <br> may be there."""
    if isinstance(value, str):
        assert "<" not in value.replace("<br>", ""), (where, value)
    elif isinstance(value, dict):
        for item in value.values():
            check_figure(item, where)
    elif isinstance(value, list):
        for item in value:
            check_figure(item, where)


def seed(app, fields: dict[str, str]) -> dict:
    """Payloads in every staff field, a workshop with figures, two volunteers in it."""
    world = build_world(app)
    facilitator = sign_in(app, "facilitator_a", world)
    token = csrf_of(facilitator)
    created = facilitator.post(
        "/staff/workshops/new",
        data={
            "csrf_token": token,
            "title": fields["title"],
            "cause": "custom",
            "cause_label": fields["cause_label"],
            "ingroup_label": fields["ingroup_label"],
            "outgroup_label": fields["outgroup_label"],
            "locale": "en",
            "scenarios": "y",
            "deeper": "y",
            "k_room": "5",
        },
    )
    assert created.status_code == 303, created.text
    organizer = sign_in(app, "organizer_a", world)
    added = organizer.post(
        "/staff/accounts/new",
        data={
            "csrf_token": csrf_of(organizer),
            "name": fields["account"],
            "email": "colleague@a.example",
            "password": "a long enough password",
            "facilitator": "y",
        },
    )
    assert added.status_code == 303, added.text
    with app.app_context():
        workshop = db.session.scalar(select(Workshop).where(Workshop.title == fields["title"]))
        assert workshop.outgroup_label == fields["outgroup_label"]
        assert db.session.scalar(select(Account).where(Account.name == fields["account"]))
        db.session.get(Organization, world.organization_a).name = fields["organization"]
        account = db.session.get(Account, world.accounts["facilitator_a"])
        workshops.advance(workshop, WorkshopEvent.OPEN, account, TODAY)
        for number in range(6):
            make_take(workshop, choices={"march": "abcd"[number % 4], "press": "a"})
        tokens = {}
        for role, state in (("joined_done", "finished"), ("joined_open", "answering")):
            tokens[role] = secrets.token_urlsafe(32)
            person = Respondent(token_hash=hash_token(tokens[role]), created_on=TODAY)
            db.session.add(person)
            db.session.flush()
            if state == "finished":
                answered_take(workshop, person)
            else:
                make_take(workshop, respondent=person, state=state)
        db.session.commit()
        workshops.advance(workshop, WorkshopEvent.CLOSE_ROUND, account, TODAY)
        code, workshop_id = workshop.join_code, workshop.id
    clients = {"facilitator_a": facilitator, "organizer_a": organizer}
    for role, value in tokens.items():
        clients[role] = app.test_client()
        clients[role].set_cookie(app.config["KEY_COOKIE_NAME"], value)
    return {"world": world, "clients": clients, "workshop_id": workshop_id, "code": code}


def test_staff_entered_text_is_inert_on_every_page_and_in_every_figure(app, database_url):
    # Each database gets the payloads in other fields: together they cover every payload.
    fields = placed(0 if database_url.startswith("sqlite") else 3)
    seeded = seed(app, fields)
    world, workshop_id, code = seeded["world"], seeded["workshop_id"], seeded["code"]
    shown: dict[str, set[str]] = {name: set() for name in FIELDS}
    figures = 0
    for role, client in seeded["clients"].items():
        staff = role in ("facilitator_a", "organizer_a")
        for route in GET_ROUTES:
            if (route.volunteer and staff) or (route.staff and not staff):
                continue  # nothing of theirs there: tests/security/test_05 checks the rest
            url = url_for_route(route, world, workshop_id=workshop_id, code=code)
            response = fetch(client, "GET", url)
            assert response.status_code < 500, (role, url)
            if response.mimetype != "text/html":
                continue
            assert_inert(response.text, fields.values(), f"{role} {url}")
            for name, payload in fields.items():
                if escape(payload) in response.text:
                    shown[name].add(role)
            figures += response.text.count('type="application/json"')
    # Every payload was really shown, as text, to someone; the labels to the volunteers too.
    assert all(shown.values()), shown
    for label in ("ingroup_label", "outgroup_label"):
        assert shown[label] & {"joined_done", "joined_open"}, (label, shown[label])
    assert figures >= 1


@pytest.mark.parametrize("payload", PAYLOADS[:5], ids=range(5))
def test_reflected_input_is_inert(client, payload):
    """Whatever comes in the address is shown, if at all, as text."""
    from urllib.parse import quote

    quoted = quote(payload, safe="")
    for url, query in [
        (f"/nowhere/{quoted}", {}),
        (f"/j/{quoted}", {}),
        (f"/p/{quoted}", {}),
        ("/login", {"next": payload}),
        ("/", {"lang": payload}),
        ("/j", {"code": payload}),
    ]:
        response = fetch(client, "GET", url, query_string=query)
        assert response.status_code < 500
        assert_inert(response.text, [payload], url)
