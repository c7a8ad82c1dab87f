"""The room view: only the count while a round runs; figures from 5 people on, stored as released.

Takes are built through the models (tests/workshop/factories.py), not by walking
the volunteer journey, so that the room's rules are tested on their own.
"""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import func, select

from app.domain.room import bin_of
from app.extensions import db
from app.models import Release, ReleaseTake, Respondent, Take, Workshop
from app.services import rooms
from tests.workshop.conftest import log_in
from tests.workshop.factories import make_take, make_takes

LEANS = [
    (0.40, 0.20, 0.20, 0.20),
    (0.10, 0.30, 0.30, 0.30),
    (0.25, 0.25, 0.25, 0.25),
    (0.22, 0.18, 0.35, 0.25),
    (0.31, 0.29, 0.15, 0.25),
]
CHOICES = [
    {"community_centre": "a", "march": "a"},
    {"community_centre": "b", "march": "b"},
    {"community_centre": "a", "march": "c"},
    {"community_centre": "c", "march": "d"},
    {"community_centre": "d", "march": "a"},
]


def workshop_of(app, staff) -> Workshop:
    return db.session.get(Workshop, staff.workshop_id)


def add(app, staff, count, **kwargs):
    with app.app_context():
        make_takes(workshop_of(app, staff), count, **kwargs)


def post(client, token, staff, action):
    url = f"/staff/workshops/{staff.workshop_id}/{action}"
    response = client.post(url, data={"csrf_token": token})
    assert response.status_code == 303, response.text
    return response


def releases(app, staff) -> list[Release]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(Release).where(Release.workshop_id == staff.workshop_id).order_by(Release.id)
            )
        )


def chart_data(html: str) -> list[dict]:
    return [
        json.loads(m)
        for m in re.findall(r'<script type="application/json"[^>]*>(.*?)</script>', html, re.S)
    ]


def test_four_show_nothing_five_show_figures_and_the_sixth_changes_nothing_until_the_tenth(
    app, client, staff
):
    token = log_in(client, staff.emails["facilitator_a"])
    add(app, staff, 4)
    running = client.get(f"/staff/workshops/{staff.workshop_id}/room").text
    assert "<span data-count>4</span>" in running
    assert not chart_data(running)

    post(client, token, staff, "close_round")
    page = client.get(f"/staff/workshops/{staff.workshop_id}/room").text
    assert "The room sees no figures" in page
    assert not chart_data(page) and releases(app, staff) == []

    add(app, staff, 1)
    post(client, token, staff, "room/refresh")
    [first] = releases(app, staff)
    assert first.n == 5 and first.round == 1
    page = client.get(f"/staff/workshops/{staff.workshop_id}/room").text
    assert "Figures from 5 people" in page
    assert chart_data(page)

    for arrived in range(6, 10):
        add(app, staff, 1)
        post(client, token, staff, "room/refresh")
        assert [r.id for r in releases(app, staff)] == [first.id], arrived
        page = client.get(f"/staff/workshops/{staff.workshop_id}/room").text
        assert "Figures from 5 people" in page
        assert f"<span data-count>{arrived}</span>" in page

    add(app, staff, 1)
    post(client, token, staff, "room/refresh")
    assert [r.n for r in releases(app, staff)] == [5, 10]
    assert "Figures from 10 people" in client.get(f"/staff/workshops/{staff.workshop_id}/room").text


def test_closing_a_round_with_five_releases_at_once(app, client, staff):
    token = log_in(client, staff.emails["facilitator_a"])
    add(app, staff, 5)
    response = post(client, token, staff, "close_round")
    assert response.headers["Location"].endswith("/room")
    assert [r.n for r in releases(app, staff)] == [5]


def test_only_finished_room_consented_takes_count_once_per_person(app, staff):
    with app.app_context():
        workshop = workshop_of(app, staff)
        make_take(workshop, consent_room=False)
        make_take(workshop, state="answering")
        twice = make_take(workshop)
        make_take(workshop, respondent=twice.respondent)  # a retake: one person
        make_take(workshop)
        db.session.commit()
        assert rooms.count(workshop) == 2


def test_figures_come_from_the_released_set_and_match_the_rows(app, staff):
    with app.app_context():
        workshop = workshop_of(app, staff)
        for shares, choices in zip(LEANS, CHOICES, strict=True):
            make_take(workshop, shares=shares, choices=choices)
        make_take(workshop, shares=None)  # too many skipped items: no mixture
        workshop.state = "round_closed"
        db.session.commit()
        release = rooms.refresh(workshop, workshop.created_on)
        assert release.n == 6
        figures = release.figures
        assert figures["mixture_n"] == 5
        for index, motive in enumerate(("outgroup", "ingroup", "personal", "morality")):
            values = [lean[index] for lean in LEANS]
            assert figures["mixture"][motive] == pytest.approx(sum(values) / 5)
            counts = [sum(1 for v in values if bin_of(v) == b) for b in ("low", "even", "high")]
            assert (figures["distributions"][motive] or counts) == counts
        assert figures["choices"]["community_centre"] == {"a": 2, "b": 1, "c": 1, "d": 1}
        assert figures["choices"]["march"] == {"a": 2, "b": 1, "c": 1, "d": 1}
        members = db.session.scalar(
            select(func.count())
            .select_from(ReleaseTake)
            .where(ReleaseTake.release_id == release.id)
        )
        assert members == 6


def test_a_distribution_where_all_but_one_agree_is_hidden(app, client, staff):
    token = log_in(client, staff.emails["facilitator_a"])
    with app.app_context():
        workshop = workshop_of(app, staff)
        for shares in [(0.40, 0.20, 0.20, 0.20)] * 4 + [(0.10, 0.30, 0.30, 0.30)]:
            make_take(workshop, shares=shares, choices={"march": "a"})
        db.session.commit()
    post(client, token, staff, "close_round")
    [release] = releases(app, staff)
    # outgroup: 4 high and 1 low -> hidden; ingroup: 4 even and 1 high -> hidden too.
    assert release.figures["distributions"]["outgroup"] is None
    assert release.figures["distributions"]["ingroup"] is None
    assert release.figures["choices"]["march"] is None  # all five chose the same
    page = client.get(f"/staff/workshops/{staff.workshop_id}/room").text
    assert "nearly everyone" in page
    assert 'id="chart-mixture"' in page  # the mixture itself is shown


def test_while_a_round_runs_only_the_count_is_shown(app, client, staff):
    token = log_in(client, staff.emails["facilitator_a"])
    add(app, staff, 5)
    post(client, token, staff, "close_round")
    post(client, token, staff, "reopen")
    page = client.get(f"/staff/workshops/{staff.workshop_id}/room").text
    assert not chart_data(page)
    assert "Figures from" not in page
    assert '<meta http-equiv="refresh" content="10">' in page  # the no-JavaScript refresh
    count = client.get(f"/staff/workshops/{staff.workshop_id}/room/count").get_json()
    assert count == {"state": "open", "round": 2, "counted": 5}


def test_deleting_a_person_keeps_what_was_shown_and_they_never_count_as_new(app, client, staff):
    token = log_in(client, staff.emails["facilitator_a"])
    add(app, staff, 5)
    post(client, token, staff, "close_round")
    [first] = releases(app, staff)
    with app.app_context():
        gone = db.session.scalars(
            select(Respondent).join(Take).where(Take.workshop_id == staff.workshop_id).limit(2)
        ).all()
        for respondent in gone:
            db.session.delete(respondent)
        db.session.commit()
        members = db.session.scalar(
            select(func.count()).select_from(ReleaseTake).where(ReleaseTake.release_id == first.id)
        )
        assert members == 3
    add(app, staff, 4)  # 7 people now, 4 of them new
    post(client, token, staff, "room/refresh")
    [still] = releases(app, staff)
    assert still.id == first.id and still.figures == first.figures and still.n == 5
    add(app, staff, 1)
    post(client, token, staff, "room/refresh")
    assert [r.n for r in releases(app, staff)] == [5, 8]


def test_a_round_closed_with_a_higher_threshold_waits_for_it(app, client, staff):
    token = log_in(client, staff.emails["facilitator_a"])
    with app.app_context():
        workshop_of(app, staff).k_room = 8
        db.session.commit()
    add(app, staff, 7)
    post(client, token, staff, "close_round")
    assert releases(app, staff) == []
    add(app, staff, 1)
    post(client, token, staff, "room/refresh")
    assert [r.n for r in releases(app, staff)] == [8]


def test_the_guide_chooses_prompts_from_the_shown_figures(app, client, staff):
    token = log_in(client, staff.emails["facilitator_a"])
    before = client.get(f"/staff/workshops/{staff.workshop_id}/guide").text
    assert "Help that decides for people" not in before
    with app.app_context():
        workshop = workshop_of(app, staff)
        for option in "aaadb":  # a and d are dependency-oriented help
            make_take(workshop, shares=(0.2, 0.4, 0.2, 0.2), choices={"community_centre": option})
        db.session.commit()
    post(client, token, staff, "close_round")
    after = client.get(f"/staff/workshops/{staff.workshop_id}/guide").text
    assert "Help that decides for people" in after
    assert "A room that keeps its own group in view" in after
    assert after.index("Help that decides") < after.index("Everyone holds a mix")
    # An organizer sees the guide, but never prompts chosen by a room they may not see.
    client.post("/logout", data={"csrf_token": token})
    log_in(client, staff.emails["organizer_a"])
    theirs = client.get(f"/staff/workshops/{staff.workshop_id}/guide").text
    assert "Help that decides for people" not in theirs
    assert "Everyone holds a mix" in theirs
