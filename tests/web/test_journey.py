"""The volunteer journey end to end, on SQLite and PostgreSQL."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from app.extensions import db
from app.instruments import CURRENT
from app.models import Answer, Choice, Respondent, ScaleResult, Take
from app.services import takes
from tests.forms import hidden
from tests.web.volunteer import Volunteer


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_landing_page_leads_to_consent(client):
    page = client.get("/")
    assert page.status_code == 200
    assert 'href="/start"' in page.text
    assert '<html lang="en" dir="ltr">' in page.text


def test_consent_asks_per_purpose_and_requires_the_profile_box(client):
    page = client.get("/start")
    assert 'name="profile"' in page.text and 'name="org"' in page.text
    fields = hidden(page.text, "/start")
    refused = client.post("/start", data=fields)
    assert refused.status_code == 200
    assert "Your profile needs this box" in refused.text
    assert 'aria-describedby="profile-error"' in refused.text


def test_whole_journey_gives_a_profile(app, client):
    volunteer = Volunteer(client)
    volunteer.start()
    assert client.get("/take").headers["Location"].endswith("/take/cause")
    volunteer.choose_cause("refugees")
    first = CURRENT.pages[0]
    text = client.get(f"/take/page/{first.key}").text
    assert "refugees" in text
    assert "{outgroup}" not in text and "{ingroup}" not in text
    assert text.count("<fieldset") == len(first.items)
    assert text.count("<legend>") == len(first.items)
    volunteer.finish(value=lambda item: 6 if item.scale == "outgroup" else 3)
    profile = client.get("/me")
    assert profile.status_code == 200
    assert "Your mix of reasons" in profile.text
    assert "Things to try" in profile.text
    assert profile.headers["Cache-Control"] == "no-store"
    with app.app_context():
        take = db.session.scalar(select(Take))
        assert take.state == "finished"
        assert take.consent_org is True
        assert take.scoring_version == 1
        assert take.finished_on is not None
    assert count(app, Answer) == len(CURRENT.items)
    assert count(app, Choice) == len(CURRENT.scenarios)
    assert count(app, ScaleResult) == 4


def test_a_profile_scores_its_own_takes_answers_and_choices(app, client):
    """The profile reads one take's answers and choices as plain values, in one query."""
    Volunteer(app.test_client()).whole_journey(value=lambda item: 1)
    volunteer = Volunteer(client)
    volunteer.whole_journey(value=lambda item: 2 + len(item.key) % 5)
    with app.app_context():
        take = db.session.scalars(select(Take).order_by(Take.id.desc())).first()
        responses = takes.responses_of(take)
        assert responses.answers == {a.item_key: a.value for a in take.answers}
        assert responses.choices == {c.scenario_key: c.option_key for c in take.choices}
        assert responses.answers_to(CURRENT) == responses.answers
        stored = {r.scale_key: r.share for r in take.results}
        shares = takes.profile_of(take).mixture.shares
    assert {str(m): share for m, share in shares.items()} == stored


def test_scenario_shows_a_reflection_after_the_choice(client):
    volunteer = Volunteer(client)
    volunteer.start()
    volunteer.choose_cause()
    for page in CURRENT.pages:
        volunteer.answer_page(page)
    scenario = CURRENT.scenarios[0]
    before = client.get(f"/take/scenario/{scenario.key}").text
    assert 'name="option"' in before
    response = volunteer.answer_scenario(scenario, scenario.options[1].key)
    after = client.get(response.headers["Location"]).text
    assert "You chose" in after
    assert 'name="option"' not in after
    assert "Radke et al. (2020)" in after


def test_private_link_reopens_the_profile_from_a_fresh_client(app, client):
    volunteer = Volunteer(client)
    volunteer.whole_journey()
    fresh = app.test_client()
    assert fresh.get("/me").status_code == 404
    opened = fresh.get(f"/p/{volunteer.token}")
    assert opened.status_code == 303
    assert opened.headers["Location"].endswith("/me")
    cookie = opened.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    profile = fresh.get("/me")
    assert profile.status_code == 200
    assert "Your mix of reasons" in profile.text
    assert volunteer.token not in profile.text


def test_resume_goes_back_to_the_right_page_with_the_answers(app, client):
    volunteer = Volunteer(client)
    volunteer.start()
    volunteer.choose_cause()
    first, second = CURRENT.pages[0], CURRENT.pages[1]
    volunteer.answer_page(first, value=lambda item: 2)
    fresh = app.test_client()
    fresh.get(f"/p/{volunteer.token}")
    assert "Continue where I left off" in fresh.get("/me").text
    resumed = fresh.get("/take")
    assert resumed.headers["Location"].endswith(f"/take/page/{second.key}")
    back = fresh.get(f"/take/page/{first.key}").text
    assert back.count('value="2" checked') == len(first.items)


def test_pages_ahead_of_progress_redirect_to_the_resume_point(client):
    volunteer = Volunteer(client)
    volunteer.start()
    ahead = client.get(f"/take/page/{CURRENT.pages[2].key}")
    assert ahead.status_code == 303
    assert ahead.headers["Location"].endswith("/take/cause")


def test_retake_through_the_same_link_keeps_history(app, client):
    volunteer = Volunteer(client)
    volunteer.whole_journey(value=lambda item: 5)
    page = client.get("/me")
    response = client.post("/me/retake", data=hidden(page.text, "/me/retake"))
    assert response.status_code == 303
    assert client.get("/take").headers["Location"].endswith("/take/cause")
    volunteer.choose_cause()
    volunteer.finish(value=lambda item: 6 if item.scale == "personal" else 2)
    profile = client.get("/me").text
    assert "How your mix has moved" in profile
    assert "went from" in profile
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Take)) == 2
        assert db.session.scalar(select(func.count()).select_from(Respondent)) == 1


def test_delete_everything_removes_every_row(app, client):
    volunteer = Volunteer(client)
    volunteer.whole_journey()
    other = Volunteer(app.test_client())
    other.whole_journey()
    confirm = client.get("/me/delete")
    assert confirm.status_code == 200
    unconfirmed = client.post("/me/delete", data=hidden(confirm.text, "/me/delete"))
    assert unconfirmed.status_code == 200
    assert count(app, Respondent) == 2
    done = client.post("/me/delete", data={**hidden(confirm.text, "/me/delete"), "confirm": "y"})
    assert done.status_code == 303
    assert done.headers["Location"].endswith("/me/deleted")
    assert count(app, Respondent) == 1
    assert count(app, Take) == 1
    assert count(app, Answer) == len(CURRENT.items)
    assert count(app, Choice) == len(CURRENT.scenarios)
    assert count(app, ScaleResult) == 4
    fresh = app.test_client()
    assert fresh.get(f"/p/{volunteer.token}").status_code == 404
    assert fresh.get(f"/p/{other.token}").status_code == 303


def test_unknown_malformed_and_deleted_links_look_the_same(app, client):
    volunteer = Volunteer(client)
    volunteer.whole_journey()
    confirm = client.get("/me/delete")
    client.post("/me/delete", data={**hidden(confirm.text, "/me/delete"), "confirm": "y"})
    fresh = app.test_client()
    bodies = set()
    # Five look-ups: the sixth failure within a minute is refused (see the next test).
    for token in (volunteer.token, "x" * 43, "%00", "' OR '1'='1", volunteer.token + "/"):
        response = fresh.get(f"/p/{token}")
        assert response.status_code == 404
        assert "Set-Cookie" not in response.headers
        bodies.add(re.sub(r"\s+", " ", response.text))
    assert len(bodies) == 1


def test_failed_link_lookups_are_rate_limited(app, client):
    statuses = [client.get(f"/p/{'y' * 43}").status_code for _ in range(6)]
    assert statuses == [404] * 5 + [429]
    assert "Too many tries" in client.get(f"/p/{'z' * 43}").text


def test_forget_this_device_drops_the_cookie_only(app, client):
    volunteer = Volunteer(client)
    volunteer.whole_journey()
    page = client.get("/me")
    client.post("/me/forget", data=hidden(page.text, "/me/forget"))
    assert client.get("/me").status_code == 404
    assert count(app, Take) == 1


def test_health_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_the_deeper_module_adds_antecedents_to_the_profile(app, client):
    from app.instruments import CURRENT_DEEPER

    volunteer = Volunteer(client)
    volunteer.whole_journey()
    profile = client.get("/me")
    assert "Go deeper" in profile.text
    opened = client.post("/me/deeper", data=hidden(profile.text, "/me/deeper"))
    first = CURRENT_DEEPER.pages[0]
    assert opened.headers["Location"].endswith(f"/take/deeper/{first.key}")
    for page in CURRENT_DEEPER.pages:
        url = f"/take/deeper/{page.key}"
        html = client.get(url).text
        sensitive = "Skip these questions" in html
        assert sensitive == (page is CURRENT_DEEPER.pages[-1])
        if sensitive:
            response = client.post(url, data={**hidden(html, url), "action": "skip"})
        else:
            data = {f"item_{k}": "5" for k in page.items}
            response = client.post(url, data={**hidden(html, url), **data})
        assert response.status_code == 303
    shown = client.get("/me").text
    assert "Going deeper" in shown and "your average 5.0 of 7" in shown
    assert "The theory links" in shown
    with app.app_context():
        take = db.session.scalar(select(Take))
        assert take.deeper_version == 1
        assert take.deeper_reached == len(CURRENT_DEEPER.pages)
    sensitive_keys = {
        item.key for item in CURRENT_DEEPER.items if CURRENT_DEEPER.scale(item.scale).sensitive
    }
    with app.app_context():
        stored = set(db.session.scalars(select(Answer.item_key)))
    assert not stored & sensitive_keys
    assert count(app, Answer) == len(CURRENT.items) + len(CURRENT_DEEPER.items) - len(
        sensitive_keys
    )


def test_deeper_pages_need_the_module_opened(client):
    from app.instruments import CURRENT_DEEPER

    volunteer = Volunteer(client)
    volunteer.whole_journey()
    page = CURRENT_DEEPER.pages[0]
    assert client.get(f"/take/deeper/{page.key}").headers["Location"].endswith("/me")


def test_two_takes_a_week_apart_show_the_change_with_dates(app, client, monkeypatch):
    import datetime as dt

    from app.web import context
    from app.web.profile import routes as profile_routes
    from app.web.survey import routes as survey_routes

    def on(day):
        for module in (context, survey_routes, profile_routes):
            monkeypatch.setattr(module, "today", lambda: day)

    volunteer = Volunteer(client)
    on(dt.date(2026, 11, 2))
    volunteer.whole_journey(value=lambda item: 6 if item.scale == "ingroup" else 3)
    on(dt.date(2026, 11, 9))
    page = client.get("/me")
    client.post("/me/retake", data=hidden(page.text, "/me/retake"))
    volunteer.choose_cause()
    volunteer.finish(value=lambda item: 6 if item.scale == "outgroup" else 3)
    profile = client.get("/me").text
    assert "Nov 2, 2026" in profile and "Nov 9, 2026" in profile
    assert "From your answers of November 9, 2026." in profile
    assert "Since November 2, 2026:" in profile
    with app.app_context():
        days = db.session.scalars(select(Take.finished_on).order_by(Take.id)).all()
    assert days == [dt.date(2026, 11, 2), dt.date(2026, 11, 9)]


def test_ready_means_database_and_migrations_at_head(app, client):
    assert client.get("/readyz").get_json() == {
        "status": "ok",
        "database": "ok",
        "migrations": "head",
    }
    with app.app_context():
        from sqlalchemy import text

        db.session.execute(text("UPDATE alembic_version SET version_num = 'older'"))
        db.session.commit()
        try:
            response = client.get("/readyz")
            assert response.status_code == 503
            assert response.get_json()["migrations"] == "behind"
        finally:
            from app.web.main.routes import _migration_head

            db.session.execute(
                text("UPDATE alembic_version SET version_num = :head"), {"head": _migration_head()}
            )
            db.session.commit()
