"""Issue line 10: data protection, as the database holds it (docs/data-protection.md).

- The schema keeps no address, user agent, email, name or time of day for volunteers
  (read from the migrated database itself, so a new table is checked too).
- ``flask --app app purge`` deletes takes older than the retention (24 months unless
  configured), with everything that hangs on them; it is idempotent and logs counts.
- Deleting through the private link leaves no row that points at the person.
- Consent is asked per purpose and each surface counts only takes that gave it.

(GDPR Art. 5(1)(c) and (e), Art. 9(2)(a), Art. 17; ASVS v5.0.0-14.2.7; v4.0.3-8.3.2.)
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import secrets

from sqlalchemy import func, inspect, select, text

from app import create_app
from app.extensions import db
from app.models import Respondent, Take, Workshop
from app.services import retention
from app.services.takes import hash_token
from tests.forms import forms, hidden
from tests.security.support import (
    CODE_A,
    STRONG_SECRET,
    answered_take,
    build_world,
    csrf_of,
    sign_in,
)
from tests.workshop.factories import make_take

PERSONAL_COLUMN = re.compile(
    r"(^|_)(ip|ips|addr|address|remote|agent|ua|user_agent|email|mail|name|first_name|"
    r"last_name|phone|referr?er|device|browser|location|geo|lat|lon|city|country|postcode)(_|$)"
)
VOLUNTEER_ROOTS = {"respondent", "take"}


def volunteer_tables(inspector) -> set[str]:
    """The tables that hold a volunteer's rows: respondent, take, and all that point at them."""
    found = set(VOLUNTEER_ROOTS)
    changed = True
    while changed:
        changed = False
        for table in inspector.get_table_names():
            if table in found:
                continue
            for key in inspector.get_foreign_keys(table):
                if key["referred_table"] in found:
                    found.add(table)
                    changed = True
                    break
    return found


def test_the_schema_keeps_nothing_that_identifies_a_volunteer(app):
    with app.app_context():
        inspector = inspect(db.engine)
        tables = volunteer_tables(inspector)
        assert {"respondent", "take", "answer", "choice", "scale_result"} <= tables
        for table in tables:
            for column in inspector.get_columns(table):
                where = f"{table}.{column['name']}"
                assert not PERSONAL_COLUMN.search(column["name"]), where
                # Days, never times: no timestamp or time column anywhere a volunteer is.
                assert "TIME" not in str(column["type"]).upper(), (where, column["type"])
        # Nowhere in the schema, staff tables included, is an address or a user agent kept.
        for table in inspector.get_table_names():
            for column in inspector.get_columns(table):
                assert not re.search(r"(^|_)(ip|addr|agent|remote)(_|$)", column["name"]), table
        # Volunteers are known by the hash of their link, never by a counter in a link.
        columns = {c["name"] for c in inspector.get_columns("respondent")}
        assert columns == {"id", "token_hash", "created_on"}


# Retention ------------------------------------------------------------------------------


def take_started(respondent: Respondent, day: dt.date) -> Take:
    take = answered_take(None, respondent)
    take.started_on = take.finished_on = day
    return take


def person(days: list[dt.date]) -> int:
    token_hash = hash_token(secrets.token_urlsafe(32))
    respondent = Respondent(token_hash=token_hash, created_on=days[0])
    db.session.add(respondent)
    db.session.flush()
    for day in days:
        take_started(respondent, day)
    return respondent.id


def test_the_default_retention_is_24_months_and_the_environment_can_change_it(
    monkeypatch, kept_logger
):
    assert (
        create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"}).config[
            "RETENTION_MONTHS"
        ]
        == 24
    )
    monkeypatch.setenv("WHYIACT_RETENTION_MONTHS", "6")
    monkeypatch.setenv("SECRET_KEY", STRONG_SECRET)
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    assert create_app().config["RETENTION_MONTHS"] == 6


def test_purge_deletes_old_takes_with_all_they_hold_and_logs_only_counts(app, runner, caplog):
    today = dt.datetime.now(dt.UTC).date()
    first_kept = retention.cutoff(today, 24)
    with app.app_context():
        old = person([first_kept - dt.timedelta(days=1)])
        both = person([first_kept - dt.timedelta(days=400), first_kept])
        new = person([today])
        db.session.commit()
    caplog.set_level(logging.DEBUG)
    first = runner.invoke(args=["purge"])
    assert first.exit_code == 0, first.output
    # What the command prints (its log line may go to stderr as well, depending on handlers).
    assert first.stdout.strip() == "Purged 2 takes and 1 respondents older than 24 months."
    with app.app_context():
        assert db.session.get(Respondent, old) is None
        assert db.session.get(Respondent, both) is not None
        assert db.session.get(Respondent, new) is not None
        assert db.session.scalar(select(func.min(Take.started_on))) == first_kept
        # Nothing left behind by the deleted takes, in any table that points at a take.
        kept = set(db.session.scalars(select(Take.id)))
        for table, column in referencing(db.engine, "take"):
            rows = db.session.execute(text(f"SELECT {column} FROM {table}")).scalars()  # noqa: S608
            assert set(rows) <= kept, table
    second = runner.invoke(args=["purge"])
    assert "Purged 0 takes and 0 respondents" in second.stdout
    messages = [r.getMessage() for r in caplog.records if r.name.startswith("app")]
    assert messages, "the purge logs what it did"
    for message in messages:
        assert re.fullmatch(r"purge removed \d+ takes and \d+ respondents", message), message


def test_a_shorter_configured_retention_is_used(app, runner):
    today = dt.datetime.now(dt.UTC).date()
    app.config["RETENTION_MONTHS"] = 6
    with app.app_context():
        person([today - dt.timedelta(days=200)])
        person([today - dt.timedelta(days=100)])
        db.session.commit()
    result = runner.invoke(args=["purge"])
    assert "Purged 1 takes and 1 respondents older than 6 months." in result.output


def referencing(engine, target: str) -> list[tuple[str, str]]:
    """(table, column) pairs whose foreign key points at ``target``'s id."""
    inspector = inspect(engine)
    out = []
    for table in inspector.get_table_names():
        for key in inspector.get_foreign_keys(table):
            if key["referred_table"] == target:
                out += [(table, column) for column in key["constrained_columns"]]
    return out


# Deletion through the private link ------------------------------------------------------


def test_deleting_through_the_link_leaves_no_row_that_points_at_the_person(app):
    world = build_world(app)
    # Volunteer A's finished take is in workshop A's released room figures.
    organizer = sign_in(app, "organizer_a", world)
    dashboard = organizer.get("/staff/dashboard").text
    if any(form["action"] == "/staff/dashboard" for form in forms(dashboard)):
        organizer.post("/staff/dashboard", data={"csrf_token": csrf_of(organizer)})
    mine = set(world.take_ids["volunteer_a"])
    with app.app_context():
        respondent_id = db.session.scalar(select(Take.respondent_id).where(Take.id.in_(mine)))
        theirs_before = db.session.scalar(select(func.count()).select_from(Take)) - len(mine)
    client = sign_in(app, "volunteer_a", world)
    page = client.get("/me/delete")
    done = client.post("/me/delete", data={**hidden(page.text, "/me/delete"), "confirm": "y"})
    assert done.status_code == 303
    assert done.headers["Location"].endswith("/me/deleted")
    with app.app_context():
        for target, ids in (("take", mine), ("respondent", {respondent_id})):
            for table, column in referencing(db.engine, target):
                rows = db.session.execute(text(f"SELECT {column} FROM {table}")).scalars()  # noqa: S608
                assert not set(rows) & ids, (table, column)
        assert db.session.get(Respondent, respondent_id) is None
        assert db.session.scalar(select(func.count()).select_from(Take)) == theirs_before
    assert app.test_client().get(f"/p/{world.tokens['volunteer_a']}").status_code == 404
    assert client.get("/me").status_code == 404
    # The other volunteer is untouched.
    assert sign_in(app, "volunteer_b", world).get("/me").status_code == 200


# Consent per purpose ----------------------------------------------------------------------


def test_consent_is_asked_per_purpose_with_no_box_ticked(app):
    build_world(app)
    client = app.test_client()
    alone = client.get("/start").text
    assert 'name="profile"' in alone and 'name="org"' in alone
    assert 'name="room"' not in alone  # no room without a workshop
    assert client.get(f"/j/{CODE_A}").status_code == 303
    joined = client.get("/start").text
    boxes = re.findall(r"<input[^>]*type=\"checkbox\"[^>]*>", joined)
    assert {re.search(r'name="(\w+)"', box).group(1) for box in boxes} == {"profile", "room", "org"}
    assert not any("checked" in box for box in boxes)


def test_each_surface_counts_only_takes_that_consented_to_it(app):
    """Takes with every combination of the room and organization boxes; then every surface."""
    world = build_world(app)
    facilitator = sign_in(app, "facilitator_a", world)
    data = {"csrf_token": csrf_of(facilitator), "title": "Consent", "cause": "gender"}
    data.update(locale="en", k_room="5", scenarios="y")
    created = facilitator.post("/staff/workshops/new", data=data)
    workshop_url = created.headers["Location"]
    workshop_id = int(workshop_url.rsplit("/", 1)[1])
    token = csrf_of(facilitator)
    facilitator.post(f"{workshop_url}/open", data={"csrf_token": token})
    with app.app_context():
        workshop = db.session.get(Workshop, workshop_id)
        for room in (True, False):
            for org in (True, False):
                for _ in range(6):
                    take = make_take(workshop, consent_room=room, choices={"march": "a"})
                    take.consent_org = org
        db.session.commit()
    for event in ("close_round", "close"):
        assert (
            facilitator.post(f"{workshop_url}/{event}", data={"csrf_token": token}).status_code
            == 303
        )
    organizer = sign_in(app, "organizer_a", world)
    organizer.post("/staff/dashboard", data={"csrf_token": csrf_of(organizer)})
    with app.app_context():
        surfaces = {"release_take": "consent_room", "dashboard_member": "consent_org"}
        names = inspect(db.engine).get_table_names()
        checked = 0
        for table, consent in surfaces.items():
            if table not in names:
                continue
            query = text(
                f"SELECT t.{consent} FROM {table} s JOIN take t ON t.id = s.take_id"  # noqa: S608
            )
            given = db.session.execute(query).scalars().all()
            assert all(given), (table, consent)
            checked += len(given)
        assert checked > 0, "the surfaces counted someone"
        counted_room = db.session.execute(
            text(
                "SELECT count(*) FROM release_take r JOIN take t ON t.id = r.take_id "
                "WHERE t.workshop_id = :w"
            ),
            {"w": workshop_id},
        ).scalar()
        assert counted_room == 12  # the 12 who ticked the room box, of 24
