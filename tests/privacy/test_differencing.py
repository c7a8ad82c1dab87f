"""The seven differencing attacks of shared/DESIGN.md §6.8: each must fail (both databases).

Setting (research/reliability-anchors.md §3.6): about 20 people plus one target
who is unique on one attribute, or who submits or deletes between two looks. The
attacker sees everything an organizer (or a facilitator, or both colluding) can
obtain, and tries to compute the target's mixture from two figures. "Fails"
means one of the two is not shown, or is shown unchanged.
"""

from __future__ import annotations

import datetime as dt
import random

from app.domain.workshop import WorkshopEvent
from app.extensions import db
from app.services import rooms, takes, workshops
from tests.privacy.conftest import (
    Attacker,
    account,
    organization,
    recovers,
    update,
    view_of,
)
from tests.privacy.factories import make_org_take, random_shares
from tests.workshop.factories import TODAY, make_workshop

#: The target's mixture: what every attack tries to recover.
TARGET = (0.55, 0.05, 0.15, 0.25)
Q = "2026-Q4"


def crowd(org, count=20, seed=1, **attributes):
    rng = random.Random(seed)
    return [make_org_take(org, shares=random_shares(rng), **attributes) for _ in range(count)]


def test_a_complement_all_versus_all_but_the_unique_one(app, orgs):
    with app.app_context():
        org = organization(orgs.x)
        crowd(org, locale="en")
        make_org_take(org, locale="de", shares=TARGET)
        db.session.commit()
        seen = Attacker(orgs.organizer_x, orgs.x).harvest()
        assert recovers(seen, TARGET) == []
        assert view_of(orgs.organizer_x)["overview"]["n"] == 21
        # "de" holds one person: merged into "other", and no filter isolates the rest.
        assert view_of(orgs.organizer_x, {"language": "en"})["status"] == "too_close"
        language = next(
            b for b in view_of(orgs.organizer_x)["breakdowns"] if b["dimension"] == "language"
        )
        assert all(cell["hidden"] for cell in language["cells"])


def test_b_one_more_submitter_changes_nothing(app, orgs):
    with app.app_context():
        org = organization(orgs.x)
        crowd(org)
        db.session.commit()
        assert update(orgs.organizer_x).status == "updated"
        before = view_of(orgs.organizer_x)
        make_org_take(org, shares=TARGET)
        db.session.commit()
        assert update(orgs.organizer_x).status == "kept"
        assert view_of(orgs.organizer_x) == before
        assert recovers(Attacker(orgs.organizer_x, orgs.x).harvest(), TARGET) == []


def test_b_one_more_submitter_in_the_room(app, orgs):
    with app.app_context():
        facilitator = account(orgs.facilitator_x)
        workshop = make_workshop(facilitator, state="open", code="ROOM23")
        crowd(organization(orgs.x), workshop=workshop)
        db.session.commit()
        workshops.advance(workshop, WorkshopEvent.CLOSE_ROUND, facilitator, TODAY)
        shown = rooms.view(workshop).figures
        assert shown is not None and shown.n == 20
        make_org_take(organization(orgs.x), workshop=workshop, shares=TARGET)
        db.session.commit()
        rooms.refresh(workshop, TODAY)
        assert rooms.view(workshop).figures == shown


def test_c_overlapping_filters(app, orgs):
    with app.app_context():
        org = organization(orgs.x)
        crowd(org, locale="en", finished_on=dt.date(2026, 11, 2))
        crowd(org, count=15, seed=2, locale="en", finished_on=dt.date(2026, 8, 3))
        make_org_take(org, locale="de", shares=TARGET, finished_on=dt.date(2026, 11, 3))
        db.session.commit()
        assert update(orgs.organizer_x, {"quarter": Q}).status == "updated"
        assert view_of(orgs.organizer_x, {"quarter": Q})["overview"]["n"] == 21
        update(orgs.organizer_x, {"quarter": Q, "language": "en"})
        assert view_of(orgs.organizer_x, {"quarter": Q, "language": "en"})["status"] == "too_close"
        assert recovers(Attacker(orgs.organizer_x, orgs.x).harvest(), TARGET) == []


def test_d_deletion_through_the_private_link(app, orgs):
    with app.app_context():
        org = organization(orgs.x)
        crowd(org)
        target = make_org_take(org, shares=TARGET)
        db.session.commit()
        update(orgs.organizer_x)
        before = view_of(orgs.organizer_x)
        assert before["overview"]["n"] == 21
        takes.delete_respondent(target.respondent)
        assert update(orgs.organizer_x).status == "kept"
        assert view_of(orgs.organizer_x) == before
        assert recovers(Attacker(orgs.organizer_x, orgs.x).harvest(), TARGET) == []
        # Nine newcomers make ten changes: now a new release, without the target.
        crowd(org, count=9, seed=5)
        db.session.commit()
        assert update(orgs.organizer_x).status == "updated"
        assert view_of(orgs.organizer_x)["overview"]["n"] == 29
        assert recovers(Attacker(orgs.organizer_x, orgs.x).harvest(), TARGET) == []


def test_e_time_window_the_same_filter_a_day_later(app, orgs):
    with app.app_context():
        org = organization(orgs.x)
        day = dt.date(2026, 11, 20)
        crowd(org, finished_on=day)
        db.session.commit()
        assert update(orgs.organizer_x, {"quarter": Q}, today=day).status == "updated"
        before = view_of(orgs.organizer_x, {"quarter": Q})
        make_org_take(org, shares=TARGET, finished_on=day + dt.timedelta(days=1))
        db.session.commit()
        outcome = update(orgs.organizer_x, {"quarter": Q}, today=day + dt.timedelta(days=1))
        assert outcome.status == "kept"
        assert view_of(orgs.organizer_x, {"quarter": Q}) == before
        assert recovers(Attacker(orgs.organizer_x, orgs.x).harvest(), TARGET) == []


def test_f_collusion_room_first_then_dashboard(app, orgs):
    """The room counted the target (room box only); the workshop filter would not."""
    with app.app_context():
        facilitator = account(orgs.facilitator_x)
        workshop = make_workshop(facilitator, state="open", code="COLL23")
        org = organization(orgs.x)
        crowd(org, workshop=workshop)
        make_org_take(org, workshop=workshop, shares=TARGET, consent_org=False)
        db.session.commit()
        workshops.advance(workshop, WorkshopEvent.CLOSE_ROUND, facilitator, TODAY)
        room = rooms.view(workshop).figures
        assert room is not None and room.n == 21
        workshops.advance(workshop, WorkshopEvent.CLOSE, facilitator, TODAY)
        update(orgs.organizer_x, {"workshop": str(workshop.id)})
        view = view_of(orgs.organizer_x, {"workshop": str(workshop.id)})
        assert view["status"] == "too_close"
        seen = Attacker(orgs.organizer_x, orgs.x).harvest()
        # The facilitator shares the room's figures with the organizer.
        from tests.privacy.conftest import Shown

        room_shown = Shown("room", room.n, tuple(room.mixture[str(m)] for m in _motives()))
        assert recovers([*seen, room_shown], TARGET) == []


def test_f_collusion_dashboard_first_then_the_room(app, orgs):
    """Late finishers after the workshop closed may not move the room 1-9 away."""
    with app.app_context():
        facilitator = account(orgs.facilitator_x)
        workshop = make_workshop(facilitator, state="open", code="LATE23")
        org = organization(orgs.x)
        crowd(org, workshop=workshop)
        late = [
            make_org_take(org, workshop=workshop, state="answering", consent_org=False)
            for _ in range(5)
        ]
        db.session.commit()
        workshops.advance(workshop, WorkshopEvent.CLOSE_ROUND, facilitator, TODAY)
        workshops.advance(workshop, WorkshopEvent.CLOSE, facilitator, TODAY)
        update(orgs.organizer_x, {"workshop": str(workshop.id)})
        organizer_view = view_of(orgs.organizer_x, {"workshop": str(workshop.id)})
        assert organizer_view["overview"]["n"] == 20
        room_before = rooms.view(workshop).figures
        for take in late:  # they finish after the close: five more for the room
            _finish(take)
        rooms.refresh(workshop, TODAY)
        # Five new people would satisfy the room's own rule, but not the organizer's.
        assert rooms.view(workshop).figures == room_before


def test_g_homogeneity_hides_a_distribution(app, orgs):
    with app.app_context():
        org = organization(orgs.x)
        for _ in range(14):
            make_org_take(org, shares=(0.4, 0.2, 0.2, 0.2))
        make_org_take(org, shares=(0.1, 0.3, 0.3, 0.3))
        db.session.commit()
        update(orgs.organizer_x)
        overview = view_of(orgs.organizer_x)["overview"]
        outgroup = overview["distributions"]["outgroup"]
        assert outgroup["counts"] == [None, None, None]
        assert set(outgroup["hidden"]) == {"homogeneous"}


def test_g_homogeneity_in_the_room(app, orgs):
    with app.app_context():
        facilitator = account(orgs.facilitator_x)
        workshop = make_workshop(facilitator, state="open", code="HOMO23")
        for _ in range(5):
            make_org_take(organization(orgs.x), workshop=workshop, shares=(0.4, 0.2, 0.2, 0.2))
        db.session.commit()
        workshops.advance(workshop, WorkshopEvent.CLOSE_ROUND, facilitator, TODAY)
        figures = rooms.view(workshop).figures
        assert figures is not None and figures.distributions["outgroup"] is None


def _motives():
    from app.domain.instrument import MOTIVES

    return MOTIVES


def _finish(take) -> None:
    from app.models import ScaleResult

    take.state = "finished"
    take.scoring_version = 1
    take.finished_on = TODAY
    take.consent_room = True
    take.results = [
        ScaleResult(scale_key=str(m), mean=4.0, share=s)
        for m, s in zip(_motives(), TARGET, strict=True)
    ]
    db.session.commit()
