"""A volunteer who joins by code: the workshop's cause, labels, modules and room consent."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.instruments import CURRENT
from app.models import Take
from tests.forms import hidden
from tests.web.volunteer import Volunteer
from tests.workshop.factories import make_account, make_organization, make_workshop

XSS = '<img src=x onerror="alert(1)">'


@pytest.fixture
def workshop_factory(app):
    def make(**extra):
        with app.app_context():
            organization = make_organization("join")
            owner = make_account(organization, "f@example.org", facilitator=True)
            workshop = make_workshop(owner, **extra)
            db.session.commit()
            return workshop.id, organization.id

    return make


def join(client, code="ABC234", room=True):
    response = client.get(f"/j/{code}")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/start")
    page = client.get("/start")
    fields = {**hidden(page.text, "/start"), "profile": "y", "org": "y"}
    if room:
        fields["room"] = "y"
    started = client.post("/start", data=fields)
    assert started.status_code == 303, started.text
    volunteer = Volunteer(client)
    volunteer.token = None
    return page, volunteer


def the_take(app) -> Take:
    with app.app_context():
        take = db.session.scalar(select(Take))
        db.session.expunge(take)
        return take


def test_joining_skips_the_cause_and_counts_for_the_room(app, client, workshop_factory):
    workshop_id, organization_id = workshop_factory(title="Tuesday in the hall")
    page, volunteer = join(client)
    assert "Tuesday in the hall" in page.text
    assert 'name="room"' in page.text
    take = the_take(app)
    assert take.workshop_id == workshop_id
    assert take.organization_id == organization_id
    assert take.cause_key == "refugees"
    assert take.consent_room is True and take.state == "answering"
    assert client.get("/take").headers["Location"].endswith(f"/take/page/{CURRENT.pages[0].key}")
    first = client.get(f"/take/page/{CURRENT.pages[0].key}").text
    assert "refugees" in first
    assert f"Step 1 of {len(CURRENT.pages) + len(CURRENT.scenarios)}" in first
    volunteer.finish()
    assert "Your mix of reasons" in client.get("/me").text
    assert the_take(app).state == "finished"


def test_the_room_counts_nobody_without_the_room_box(app, client, workshop_factory):
    workshop_factory()
    join(client, room=False)
    assert the_take(app).consent_room is False


def test_a_room_box_posted_without_a_workshop_is_ignored(app, client):
    page = client.get("/start")
    assert 'name="room"' not in page.text
    fields = {**hidden(page.text, "/start"), "profile": "y", "room": "y"}
    assert client.post("/start", data=fields).status_code == 303
    take = the_take(app)
    assert take.consent_room is False and take.workshop_id is None


def test_custom_labels_fill_the_items_escaped(app, client, workshop_factory):
    workshop_factory(
        cause_key=None, cause_label="tenants' rights", ingroup_label="homeowners",
        outgroup_label=XSS,
    )  # fmt: skip
    join(client)
    html = client.get(f"/take/page/{CURRENT.pages[0].key}").text
    assert "homeowners" in html or "&lt;img" in html
    assert XSS not in html
    assert "&lt;img src=x" in html


def test_practices_on_the_profile_carry_the_take_s_own_labels(app, workshop_factory):
    """Practices are drawn once and kept per language and labels: a workshop's labels
    never reach another person's profile, and they are escaped either way."""
    import re

    workshop_factory(
        cause_key=None, cause_label="tenants' rights", ingroup_label="homeowners",
        outgroup_label=XSS,
    )  # fmt: skip

    def practices(profile: str) -> str:
        found = re.search(r'<ol class="practices">(.*?)</ol>', profile, re.S)
        assert found is not None
        return found.group(1)

    for _ in range(2):  # the second time from the kept markup
        client = app.test_client()
        _, volunteer = join(client)
        volunteer.finish()
        in_workshop = practices(client.get("/me").text)
        assert "&lt;img src=x" in in_workshop and XSS not in in_workshop
        alone = app.test_client()
        preset = practices(Volunteer(alone).whole_journey(cause="gender").text)
        assert "img src=x" not in preset and "homeowners" not in preset
        assert preset.count("<li>") == in_workshop.count("<li>") > 0


def test_kept_scales_carry_each_page_s_own_labels_and_answers(app, workshop_factory):
    """A first view's scales are kept per answer, item, labels and language: a workshop's
    labels never reach another person's page, and each sees their own answers."""
    workshop_factory(
        cause_key=None, cause_label="tenants' rights", ingroup_label="homeowners",
        outgroup_label=XSS,
    )  # fmt: skip
    page = CURRENT.pages[0]
    url = f"/take/page/{page.key}"
    for value in (2, 6, 2):
        in_workshop = app.test_client()
        _, volunteer = join(in_workshop)
        volunteer.answer_page(page, lambda item, value=value: value)
        shown = in_workshop.get(url).text
        assert "&lt;img src=x" in shown and XSS not in shown
        assert shown.count(f'value="{value}" checked') == len(page.items)
        alone = Volunteer(app.test_client())
        alone.start()
        alone.choose_cause("gender")
        preset = alone.get(url).text
        assert "img src=x" not in preset and "homeowners" not in preset
        assert " checked" not in preset


def test_a_workshop_without_scenarios_or_deeper_module_ends_after_the_pages(
    app, client, workshop_factory
):
    workshop_id, _ = workshop_factory()
    with app.app_context():
        from app.models import Workshop

        db.session.get(Workshop, workshop_id).with_scenarios = False
        db.session.commit()
    _, volunteer = join(client)
    for page in CURRENT.pages:
        volunteer.answer_page(page)
    assert the_take(app).state == "finished"
    profile = client.get("/me").text
    assert "Your mix of reasons" in profile
    assert "Go deeper" not in profile


def test_a_workshop_that_closed_before_consent_does_not_claim_the_take(
    app, client, workshop_factory
):
    workshop_id, _ = workshop_factory()
    assert client.get("/j/ABC234").status_code == 303
    with app.app_context():
        from app.models import Workshop

        workshop = db.session.get(Workshop, workshop_id)
        workshop.state, workshop.join_code = "closed", None
        db.session.commit()
    page = client.get("/start")
    assert 'name="room"' not in page.text
    client.post("/start", data={**hidden(page.text, "/start"), "profile": "y", "room": "y"})
    take = the_take(app)
    assert take.workshop_id is None and take.consent_room is False
