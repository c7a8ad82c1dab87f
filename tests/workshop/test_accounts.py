"""Organizations and staff accounts: commands, signing in and out, limits, the demo staff."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Account, Organization, Release, Take, Workshop
from tests.workshop.conftest import csrf_token, log_in
from tests.workshop.factories import PASSWORD

GOOD = "a password long enough"


def test_create_org_and_create_user(app, runner):
    result = runner.invoke(args=["create-org", "friends", "Friends of <b>everyone</b>"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        args=[
            "create-user",
            "--org",
            "friends",
            "--email",
            "Ann@Example.org",
            "--name",
            "Ann",
            "--role",
            "facilitator",
            "--role",
            "organizer",
        ],
        input=f"{GOOD}\n{GOOD}\n",
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        account = db.session.scalar(select(Account))
        assert account.email == "ann@example.org"
        assert account.is_facilitator and account.is_organizer
        assert account.password_hash.startswith("scrypt:")  # a modern KDF, never the password
        assert GOOD not in account.password_hash


USER = ["create-user", "--email", "a@b.org", "--name", "A", "--role", "facilitator"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["create-org", "Bad Slug", "x"], "lower-case"),
        ([*USER, "--org", "nobody", "--password", GOOD], "no organization"),
        ([*USER, "--org", "friends", "--password", "short"], "12 to 128"),
        ([*USER[:2], "not-an-email", *USER[3:], "--org", "friends", "--password", GOOD], "email"),
    ],
)
def test_commands_refuse_bad_input_with_a_clear_message(app, runner, args, message):
    runner.invoke(args=["create-org", "friends", "Friends"])
    result = runner.invoke(args=args)
    assert result.exit_code != 0
    assert message in result.output


def test_sign_in_and_out(app, client, staff, caplog):
    caplog.set_level(logging.INFO)
    token = log_in(client, staff.emails["facilitator_a"])
    assert client.get("/staff").status_code == 200
    assert client.get("/logout").status_code == 405  # signing out is a POST with CSRF
    assert client.post("/logout").status_code == 400
    assert client.post("/logout", data={"csrf_token": token}).status_code == 303
    assert client.get("/staff").status_code == 302
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "login by account" in text
    assert staff.emails["facilitator_a"] not in text and PASSWORD not in text


def test_a_wrong_password_and_an_unknown_email_look_the_same(app, client, staff):
    token = csrf_token(client)
    wrong = client.post(
        "/login", data={"csrf_token": token, "email": "fa@a.example", "password": "nope nope nope"}
    )
    unknown = client.post(
        "/login", data={"csrf_token": token, "email": "who@a.example", "password": "nope nope nope"}
    )
    assert wrong.status_code == unknown.status_code == 401
    assert "do not match an account" in wrong.text and "do not match an account" in unknown.text


@pytest.mark.parametrize(
    ("target", "lands"),
    [
        ("/staff/accounts", "/staff/accounts"),
        ("//evil.example/x", "/staff"),
        ("https://evil.example/", "/staff"),
        ("/\\evil.example", "/staff"),
    ],
)
def test_after_sign_in_only_local_addresses_are_followed(app, client, staff, target, lands):
    token = csrf_token(client)
    response = client.post(
        "/login",
        data={"csrf_token": token, "email": "oa@a.example", "password": PASSWORD, "next": target},
    )
    assert response.headers["Location"] == lands


def test_failed_sign_ins_are_limited_per_client_and_per_account(app, client, staff):
    token = csrf_token(client)
    bad = {"csrf_token": token, "password": "wrong password!"}
    for number in range(10):
        assert (
            client.post("/login", data={**bad, "email": f"x{number}@a.example"}).status_code == 401
        )
    assert client.post("/login", data={**bad, "email": "y@a.example"}).status_code == 429
    # One account tried from many places is limited too.
    for number in range(10):
        other = app.test_client()
        address = {"REMOTE_ADDR": f"10.9.0.{number}"}
        fields = {"csrf_token": csrf_token_for(other, address), "email": "fb@b.example"}
        status = other.post(
            "/login", data={**fields, "password": "wrong"}, environ_base=address
        ).status_code
        assert status == 401
    last = app.test_client()
    address = {"REMOTE_ADDR": "10.9.1.1"}
    fields = {"csrf_token": csrf_token_for(last, address), "email": "fb@b.example"}
    assert (
        last.post("/login", data={**fields, "password": PASSWORD}, environ_base=address).status_code
        == 429
    )


def csrf_token_for(client, address):
    from tests.forms import hidden

    return hidden(client.get("/login", environ_base=address).text, "/login")["csrf_token"]


def test_a_session_used_from_another_browser_is_signed_out(app, client, staff):
    log_in(client, staff.emails["facilitator_a"])
    assert client.get("/staff").status_code == 200
    stolen = client.get("/staff", headers={"User-Agent": "Another browser"})
    assert stolen.status_code == 302


def test_a_deactivated_account_cannot_sign_in_or_stay_signed_in(app, client, staff):
    log_in(client, staff.emails["facilitator_a"])
    with app.app_context():
        db.session.scalar(select(Account).where(Account.email == "fa@a.example")).active = False
        db.session.commit()
    assert client.get("/staff").status_code == 302
    token = csrf_token(client)
    response = client.post(
        "/login", data={"csrf_token": token, "email": "fa@a.example", "password": PASSWORD}
    )
    assert response.status_code == 401


def test_an_organizer_creates_an_account_in_their_own_organization(app, client, staff):
    token = log_in(client, staff.emails["organizer_a"])
    data = {
        "csrf_token": token,
        "name": "Bea",
        "email": "bea@a.example",
        "password": GOOD,
        "facilitator": "y",
    }
    assert client.post("/staff/accounts/new", data=data).status_code == 303
    again = client.post("/staff/accounts/new", data=data)
    assert again.status_code == 200 and "already has an account" in again.text
    no_role = client.post(
        "/staff/accounts/new", data={**data, "email": "cy@a.example", "facilitator": ""}
    )
    assert "Choose at least one role" in no_role.text
    with app.app_context():
        bea = db.session.scalar(select(Account).where(Account.email == "bea@a.example"))
        assert bea.organization_id == staff.org_a_id and bea.is_facilitator
    client.post("/logout", data={"csrf_token": token})
    log_in(app.test_client(), "bea@a.example", GOOD)


def test_seed_demo_adds_staff_and_a_workshop_whose_room_shows_figures(app, runner, monkeypatch):
    monkeypatch.delenv("WHYIACT_DEMO_PASSWORD", raising=False)
    result = runner.invoke(args=["seed-demo", "--takes", "20"])
    assert result.exit_code == 0, result.output
    assert "shown only this once" in result.output
    password = result.output.rsplit(": ", 1)[1].strip()
    again = runner.invoke(args=["seed-demo", "--takes", "20"])
    assert password not in again.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Account)) == 2
        assert db.session.scalar(select(func.count()).select_from(Take)) == 20
        closed = db.session.scalar(select(Workshop).where(Workshop.state == "closed"))
        release = db.session.scalar(select(Release).where(Release.workshop_id == closed.id))
        assert release.n >= 10 and release.figures["mixture"]
        assert db.session.scalar(select(Workshop).where(Workshop.state == "open")).join_code
    client = app.test_client()
    log_in(client, "facilitator@demo.example", password)
    room = client.get(f"/staff/workshops/{closed.id}/room")
    assert room.status_code == 200 and 'id="chart-mixture"' in room.text


def test_seed_demo_takes_the_password_from_the_environment(app, runner, monkeypatch):
    monkeypatch.setenv("WHYIACT_DEMO_PASSWORD", "a demo password for all")
    result = runner.invoke(args=["seed-demo", "--takes", "6"])
    assert result.exit_code == 0, result.output
    assert "a demo password for all" not in result.output
    assert "WHYIACT_DEMO_PASSWORD" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Organization)) == 1
    log_in(app.test_client(), "organizer@demo.example", "a demo password for all")
