"""Two organizations with staff, and a workshop owned by facilitator A."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from app.extensions import db
from tests.forms import hidden
from tests.workshop.factories import (
    CHEAP_HASH,
    PASSWORD,
    make_account,
    make_organization,
    make_workshop,
)


@dataclass
class Staff:
    workshop_id: int
    org_a_id: int
    emails: dict[str, str]


ROLES = (
    "anonymous",
    "facilitator_a",
    "facilitator_a2",
    "organizer_a",
    "facilitator_b",
    "organizer_b",
)


@pytest.fixture
def staff(app) -> Staff:
    app.config["PASSWORD_HASH_METHOD"] = CHEAP_HASH
    with app.app_context():
        a = make_organization("org-a")
        b = make_organization("org-b")
        owner = make_account(a, "fa@a.example", facilitator=True)
        make_account(a, "fa2@a.example", facilitator=True)
        make_account(a, "oa@a.example", organizer=True)
        make_account(b, "fb@b.example", facilitator=True)
        make_account(b, "ob@b.example", organizer=True)
        workshop = make_workshop(owner)
        db.session.commit()
        return Staff(
            workshop_id=workshop.id,
            org_a_id=a.id,
            emails={
                "facilitator_a": "fa@a.example",
                "facilitator_a2": "fa2@a.example",
                "organizer_a": "oa@a.example",
                "facilitator_b": "fb@b.example",
                "organizer_b": "ob@b.example",
            },
        )


def csrf_token(client) -> str:
    """A CSRF token for this client's session (it stays valid after signing in)."""
    return hidden(client.get("/login").text, "/login")["csrf_token"]


def log_in(client, email: str, password: str = PASSWORD) -> str:
    """Sign in through the form; return the session's CSRF token for later posts."""
    token = csrf_token(client)
    response = client.post(
        "/login", data={"csrf_token": token, "email": email, "password": password}
    )
    assert response.status_code == 303, response.text
    return token
