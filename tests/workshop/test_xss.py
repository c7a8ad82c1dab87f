"""Everything staff type is shown as text, never as markup, on every staff page."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.extensions import db
from app.models import Account, Organization, Workshop
from tests.workshop.conftest import log_in
from tests.workshop.factories import make_takes

PAYLOAD = """<script>alert("x")</script><img src=x onerror='alert(1)'>{cause}</textarea>"""


def assert_inert(html: str, where: str) -> None:
    assert "<script>alert" not in html, where
    assert "<img src=x" not in html, where
    assert "onerror='alert" not in html, where
    for block in re.findall(r"<script[^>]*>(.*?)</script>", html, re.S):
        assert "<" not in block, where  # JSON in a script never carries a raw "<"


def test_every_facilitator_entered_field_is_escaped_everywhere(app, client, staff):
    token = log_in(client, staff.emails["facilitator_a"])
    response = client.post(
        "/staff/workshops/new",
        data={
            "csrf_token": token,
            "title": PAYLOAD,
            "cause": "custom",
            "cause_label": PAYLOAD,
            "ingroup_label": PAYLOAD,
            "outgroup_label": PAYLOAD,
            "locale": "en",
            "scenarios": "y",
            "k_room": "5",
        },
    )
    assert response.status_code == 303, response.text
    with app.app_context():
        workshop = db.session.scalar(select(Workshop).where(Workshop.title == PAYLOAD))
        assert workshop.cause_label == workshop.ingroup_label == workshop.outgroup_label == PAYLOAD
        workshop_id = workshop.id
    base = f"/staff/workshops/{workshop_id}"
    client.post(f"{base}/open", data={"csrf_token": token})
    with app.app_context():
        workshop = db.session.get(Workshop, workshop_id)
        choices = {"march": "a", "community_centre": "c", "press": "a"}
        make_takes(workshop, 3, choices=choices)
        make_takes(workshop, 3, shares=(0.4, 0.2, 0.2, 0.2), choices={"march": "b"})
    client.post(f"{base}/close_round", data={"csrf_token": token})

    pages = ["/staff", base, f"{base}/projector", f"{base}/room", f"{base}/guide"]
    for url in pages:
        page = client.get(url)
        assert page.status_code == 200, url
        assert_inert(page.text, url)
    room = client.get(f"{base}/room").text
    assert "&lt;script&gt;alert(" in room  # the option texts carry the custom labels
    guide = client.get(f"{base}/guide").text
    assert "&lt;img src=x onerror=" in guide
    assert "{cause}" in guide  # a label is never filled in again as a template


def test_every_organizer_entered_field_is_escaped(app, client, staff):
    with app.app_context():
        organization = db.session.get(Organization, staff.org_a_id)
        organization.name = PAYLOAD
        db.session.commit()
    token = log_in(client, staff.emails["organizer_a"])
    email = "x<script>alert(1)</script>@example.org"
    response = client.post(
        "/staff/accounts/new",
        data={
            "csrf_token": token,
            "name": PAYLOAD,
            "email": email,
            "password": "a long enough password",
            "facilitator": "y",
        },
    )
    assert response.status_code == 303, response.text
    with app.app_context():
        assert db.session.scalar(select(Account.name).where(Account.email == email)) == PAYLOAD
    for url in ("/staff/accounts", "/staff/accounts/new", "/staff"):
        page = client.get(url)
        assert page.status_code == 200
        assert_inert(page.text, url)
        assert "<script>alert(1)" not in page.text


def test_a_rejected_form_shows_what_was_typed_as_text(app, client, staff):
    token = log_in(client, staff.emails["facilitator_a"])
    response = client.post(
        "/staff/workshops/new",
        data={
            "csrf_token": token,
            "title": PAYLOAD,
            "cause": "custom",
            "locale": "en",
            "k_room": "4",
        },
    )
    assert response.status_code == 200
    assert_inert(response.text, "new workshop, rejected")
    assert "Give a number from 5 to 100." in response.text
    assert "Fill this in for a cause of your own." in response.text
