"""Who may open which staff URL: every protected URL, every role, two organizations.

Anything that is not yours is 404, exactly like a page that does not exist:
never 403. A visitor who is not signed in is sent to sign in.
"""

from __future__ import annotations

import re

import pytest

from app.extensions import db
from app.models import Workshop
from tests.workshop.conftest import ROLES, csrf_token, log_in

LOGIN = "login"
A, A2, OA, B, OB = "facilitator_a", "facilitator_a2", "organizer_a", "facilitator_b", "organizer_b"


def expect(owner, other_facilitator, organizer_a, facilitator_b, organizer_b):
    return {
        "anonymous": LOGIN,
        A: owner,
        A2: other_facilitator,
        OA: organizer_a,
        B: facilitator_b,
        OB: organizer_b,
    }


NEW_WORKSHOP = {"title": "Tuesday", "cause": "gender", "locale": "en", "k_room": "5"}
NEW_ACCOUNT = {
    "name": "New person",
    "email": "new@example.org",
    "password": "a long first password",
    "facilitator": "y",
}
W = "/staff/workshops/{w}"

#: (method, url, form data, expected status per role). {w} is workshop A's id.
MATRIX = [
    ("GET", "/staff", None, expect(200, 200, 200, 200, 200)),
    ("GET", "/staff/workshops/new", None, expect(200, 200, 404, 200, 404)),
    ("POST", "/staff/workshops/new", NEW_WORKSHOP, expect(303, 303, 404, 303, 404)),
    ("GET", W, None, expect(200, 404, 200, 404, 404)),
    ("GET", W + "/projector", None, expect(200, 404, 200, 404, 404)),
    ("GET", W + "/room", None, expect(200, 404, 404, 404, 404)),
    ("GET", W + "/room/count", None, expect(200, 404, 404, 404, 404)),
    ("POST", W + "/room/refresh", {}, expect(303, 404, 404, 404, 404)),
    ("GET", W + "/guide", None, expect(200, 404, 200, 404, 404)),
    ("POST", W + "/open", {}, expect(303, 404, 303, 404, 404)),
    ("POST", W + "/close_round", {}, expect(303, 404, 303, 404, 404)),
    ("POST", W + "/reopen", {}, expect(303, 404, 303, 404, 404)),
    ("POST", W + "/close", {}, expect(303, 404, 303, 404, 404)),
    ("POST", W + "/no_such_event", {}, expect(404, 404, 404, 404, 404)),
    ("GET", "/staff/workshops/999999", None, expect(404, 404, 404, 404, 404)),
    ("GET", "/staff/accounts", None, expect(404, 404, 200, 404, 200)),
    ("GET", "/staff/accounts/new", None, expect(404, 404, 200, 404, 200)),
    ("POST", "/staff/accounts/new", NEW_ACCOUNT, expect(404, 404, 303, 404, 303)),
    ("GET", "/staff/dashboard", None, expect(404, 404, 200, 404, 200)),
    ("POST", "/staff/dashboard", {}, expect(404, 404, 303, 404, 303)),
    ("GET", "/staff/dashboard/figures.csv", None, expect(404, 404, 200, 404, 200)),
    ("GET", "/staff/dashboard/figures.json", None, expect(404, 404, 200, 404, 200)),
    ("GET", "/staff/dashboard/quality", None, expect(404, 404, 200, 404, 200)),
    ("POST", "/staff/dashboard/quality", {}, expect(404, 404, 303, 404, 303)),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("method", "url", "data", "expected"), MATRIX, ids=[f"{m} {u}" for m, u, _, _ in MATRIX]
)
def test_access(app, client, staff, role, method, url, data, expected):
    token = csrf_token(client) if role == "anonymous" else log_in(client, staff.emails[role])
    target = url.format(w=staff.workshop_id)
    if method == "GET":
        response = client.get(target)
    else:
        response = client.post(target, data={"csrf_token": token, **data})
    want = expected[role]
    assert response.status_code != 403
    if want == LOGIN:
        assert response.status_code == 302, response.status_code
        assert response.headers["Location"].startswith("/login?next=")
    else:
        assert response.status_code == want, (role, target, response.status_code)
    if method == "POST" and want not in (303, LOGIN):
        with app.app_context():  # a refused post changed nothing
            assert db.session.get(Workshop, staff.workshop_id).state == "open"


def test_the_matrix_covers_every_protected_url(app):
    """Every route guarded by role_required appears in MATRIX, with each of its methods."""
    covered = {(method, url.replace("{w}", "<int:workshop_id>")) for method, url, *_ in MATRIX}
    covered |= {("POST", W.replace("{w}", "<int:workshop_id>") + "/<event>")}
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        if not hasattr(view, "roles"):
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert (method, rule.rule) in covered, (method, rule.rule)


def test_other_organizations_workshops_look_exactly_like_missing_ones(app, client, staff):
    log_in(client, staff.emails[B])
    theirs = client.get(f"/staff/workshops/{staff.workshop_id}")
    missing = client.get("/staff/workshops/999999")
    assert theirs.status_code == missing.status_code == 404
    # Only the address itself differs (the language links repeat it), and the Sign-out
    # form's CSRF token, which carries the second it was signed in.
    same = theirs.text.replace(f"/staff/workshops/{staff.workshop_id}?", "/staff/workshops/999999?")
    assert without_tokens(same) == without_tokens(missing.text)


def without_tokens(html: str) -> str:
    return re.sub(r'(name="csrf_token"[^>]*value=")[^"]*"', r'\1"', html)


def test_a_facilitator_lists_only_their_own_and_an_organizer_their_organizations(
    app, client, staff
):
    from app.models import Account
    from tests.workshop.factories import make_workshop

    with app.app_context():
        other = db.session.query(Account).filter_by(email="fa2@a.example").one()
        make_workshop(other, code="XYZ789", title="Colleague's workshop")
        outsider = db.session.query(Account).filter_by(email="fb@b.example").one()
        make_workshop(outsider, code="QRS456", title="Other organization's workshop")
        db.session.commit()
    token = log_in(client, staff.emails[A])
    page = client.get("/staff").text
    assert "Evening workshop" in page
    assert "Colleague" not in page and "Other organization" not in page
    assert client.post("/logout", data={"csrf_token": token}).status_code == 303
    log_in(client, staff.emails[OA])
    page = client.get("/staff").text
    assert "Evening workshop" in page and "Colleague" in page and "Other organization" not in page
