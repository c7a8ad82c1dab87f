"""Joining by code: when a code works, what a wrong code reveals (nothing), and rate limits."""

from __future__ import annotations

import logging
import re

import pytest

from app.extensions import db
from app.models import Workshop
from tests.forms import hidden
from tests.workshop.conftest import log_in

CODE = "ABC234"


def set_state(app, staff, state):
    with app.app_context():
        workshop = db.session.get(Workshop, staff.workshop_id)
        workshop.state = state
        workshop.join_code = None if state == "closed" else CODE
        db.session.commit()


def without_token(html: str) -> str:
    return re.sub(r'name="csrf_token" type="hidden" value="[^"]*"', "", html)


@pytest.mark.parametrize(
    ("state", "joins"),
    [("created", False), ("open", True), ("round_closed", True), ("closed", False)],
)
def test_a_code_works_only_while_the_workshop_takes_people(app, client, staff, state, joins):
    set_state(app, staff, state)
    response = client.get(f"/j/{CODE}")
    if joins:
        assert response.status_code == 303
        assert response.headers["Location"] == "/start"
        with client.session_transaction() as session:
            assert session["workshop_id"] == staff.workshop_id
    else:
        assert response.status_code == 404
        with client.session_transaction() as session:
            assert "workshop_id" not in session


def test_the_whole_code_lifecycle_through_the_facilitators_buttons(app, client, staff):
    set_state(app, staff, "created")
    token = log_in(client, staff.emails["facilitator_a"])
    volunteer = app.test_client()
    assert volunteer.get(f"/j/{CODE}").status_code == 404
    for event, status in [("open", 303), ("close_round", 303), ("reopen", 303)]:
        client.post(f"/staff/workshops/{staff.workshop_id}/{event}", data={"csrf_token": token})
        assert volunteer.get(f"/j/{CODE}").status_code == status, event
    client.post(f"/staff/workshops/{staff.workshop_id}/close_round", data={"csrf_token": token})
    client.post(f"/staff/workshops/{staff.workshop_id}/close", data={"csrf_token": token})
    with app.app_context():
        workshop = db.session.get(Workshop, staff.workshop_id)
        assert workshop.state == "closed" and workshop.join_code is None
    assert volunteer.get(f"/j/{CODE}").status_code == 404
    projector = client.get(f"/staff/workshops/{staff.workshop_id}/projector").text
    assert CODE not in projector and "<svg" not in projector


def test_a_closed_or_wrong_or_malformed_code_gets_one_and_the_same_answer(app, staff):
    set_state(app, staff, "closed")
    answers = set()
    for code in (CODE, "ZZZ999", "abc", "ABC0O1", "x" * 50, "%3Cscript%3E"):
        response = app.test_client().get(f"/j/{code}")
        assert response.status_code == 404
        answers.add(without_token(response.text).replace(f"/j/{code}?", "/j/?"))
    assert len(answers) == 1
    assert "We could not find an open workshop with that code" in answers.pop()


def test_the_form_accepts_codes_as_people_type_them(app, client, staff):
    page = client.get("/j")
    assert page.status_code == 200
    fields = hidden(page.text, "/j")
    for typed in ("abc-234", " abc 234 ", "ＡＢＣ２３４"):
        response = client.post("/j", data={**fields, "code": typed})
        assert response.status_code == 303, typed
        assert response.headers["Location"] == "/start"
    wrong = client.post("/j", data={**fields, "code": "ABC235"})
    assert wrong.status_code == 404
    empty = client.post("/j", data={**fields, "code": ""})
    assert empty.status_code == 200 and "Type the code shown in the room" in empty.text


def test_wrong_codes_are_limited_per_client_and_right_codes_cost_nothing(app, client, staff):
    for _ in range(20):
        assert client.get(f"/j/{CODE}").status_code == 303
    for _ in range(10):
        assert client.get("/j/ZZZ999").status_code == 404
    assert client.get("/j/ZZZ999").status_code == 429
    # Once limited, even a right code waits: guessing gains nothing.
    assert client.get(f"/j/{CODE}").status_code == 429
    fields = hidden(client.get("/j").text, "/j")
    assert client.post("/j", data={**fields, "code": CODE}).status_code == 429
    # Another client is not affected by this one's failures.
    other = app.test_client()
    assert other.get(f"/j/{CODE}", environ_base={"REMOTE_ADDR": "10.0.0.9"}).status_code == 303


def test_wrong_codes_from_everyone_together_are_limited_too(app, staff):
    app.config["JOIN_GLOBAL_LIMIT"] = "5 per hour"
    for number in range(5):
        address = {"REMOTE_ADDR": f"10.0.1.{number}"}
        assert app.test_client().get("/j/ZZZ999", environ_base=address).status_code == 404
    fresh = {"REMOTE_ADDR": "10.0.2.1"}
    assert app.test_client().get("/j/ZZZ999", environ_base=fresh).status_code == 429


def test_joining_never_logs_the_code(app, client, staff, caplog):
    caplog.set_level(logging.DEBUG)
    client.get(f"/j/{CODE}")
    client.get("/j/ZZZ999")
    fields = hidden(client.get("/j").text, "/j")
    client.post("/j", data={**fields, "code": CODE.lower()})
    text = "\n".join(record.getMessage() for record in caplog.records)
    assert CODE not in text and "ZZZ999" not in text and CODE.lower() not in text


def test_joining_offers_the_workshops_language_without_overriding_a_choice(app, staff):
    offered = app.extensions["whyiact_locales"]
    if len(offered) < 2:
        pytest.skip("only English is compiled")
    with app.app_context():
        db.session.get(Workshop, staff.workshop_id).locale = offered[1]
        db.session.commit()
    fresh = app.test_client().get(f"/j/{CODE}")
    assert f"wia_lang={offered[1]}" in fresh.headers.get("Set-Cookie", "")
    chosen = app.test_client()
    chosen.set_cookie("wia_lang", "en")
    assert "wia_lang" not in chosen.get(f"/j/{CODE}").headers.get("Set-Cookie", "")
