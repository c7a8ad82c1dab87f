"""The stored cube and the sync's marks: an update's work follows what changed, never its sums.

Every figure is folded from the organization's cube. The cube is kept between
updates and brought forward by the roll-up rows that entered or were replaced
since; a deletion makes it add up afresh. Whatever the path, it must equal the
current roll-up added up from scratch, and a deleted person must be out of it.
"""

from __future__ import annotations

import datetime as dt
import random

import pytest
from sqlalchemy import func, select

from app.domain import privacy
from app.domain.privacy import Tally
from app.extensions import db
from app.models import DashboardMember, DashboardSet, DashboardState, DashboardView, Take
from app.services import dashboards, retention, takes
from tests.privacy.conftest import account, organization, update, view_of
from tests.privacy.factories import make_org_take, random_shares
from tests.workshop.factories import TODAY, make_workshop

M = DashboardMember


def stored_cells(organization_id: int) -> dict[tuple, list]:
    stored = dashboards._stored_cube(organization_id)
    return {group: tally.to_json() for group, tally in stored.items()}


def added_up_afresh(organization_id: int) -> dict[tuple, list]:
    fresh = dashboards._groups(M.organization_id == organization_id, M.replaced.is_(None))
    return {group: tally.to_json() for group, tally in fresh.items()}


def assert_cube_is_current(organization_id: int) -> None:
    stored, fresh = stored_cells(organization_id), added_up_afresh(organization_id)
    assert stored.keys() == fresh.keys()
    for group, tally in fresh.items():
        # Share sums are floats added in another order: equal to within rounding.
        for got, want in zip(stored[group], tally, strict=True):
            assert abs(got - want) < 1e-9, (group, got, want)
    state = db.session.get(DashboardState, organization_id)
    assert state.cube_epoch == state.epoch
    current = (
        select(func.count())
        .select_from(M)
        .where(M.organization_id == organization_id, M.replaced.is_(None))
    )
    assert state.cube_members == db.session.scalar(current)


def test_the_cube_follows_new_takes_and_retakes(app, orgs):
    rng = random.Random(3)
    with app.app_context():
        x = organization(orgs.x)
        first = [
            make_org_take(x, shares=random_shares(rng), cause=rng.choice(["gender", "race"]))
            for _ in range(12)
        ]
        db.session.commit()
        assert update(orgs.organizer_x).status == "updated"
        assert_cube_is_current(orgs.x)

        # Three people take it again (their new take replaces the old one, possibly in
        # another cell), and eleven newcomers arrive.
        for take in first[:3]:
            make_org_take(
                x, shares=random_shares(rng), cause="refugees", respondent=take.respondent
            )
        for _ in range(11):
            make_org_take(x, shares=random_shares(rng), locale="de")
        db.session.commit()
        assert update(orgs.organizer_x).status == "updated"
        assert_cube_is_current(orgs.x)
        assert db.session.get(DashboardState, orgs.x).cube_members == 23
        assert view_of(orgs.organizer_x)["overview"]["n"] == 23

        # Nothing new: the cube stays as it is, and so does the page.
        before = stored_cells(orgs.x)
        assert update(orgs.organizer_x).status == "unchanged"
        assert stored_cells(orgs.x) == before


def test_a_deleted_person_leaves_the_cube(app, orgs):
    with app.app_context():
        x = organization(orgs.x)
        made = [make_org_take(x) for _ in range(12)]
        db.session.commit()
        update(orgs.organizer_x)
        gone = made[5]
        gone_id = gone.id
        takes.delete_respondent(gone.respondent)
        # Gone from the stored sums at once, not at the next update.
        assert stored_cells(orgs.x) == {}
        assert db.session.get(DashboardState, orgs.x).cube_epoch is None
        # And newcomers: enough for a new release, and so that the count alone is not
        # what changed.
        for _ in range(11):
            make_org_take(x)
        db.session.commit()

        assert update(orgs.organizer_x).status == "updated"
        assert_cube_is_current(orgs.x)
        total = privacy.total(Tally.from_json(t) for t in stored_cells(orgs.x).values())
        ids = db.session.scalars(select(M.take_id).where(M.organization_id == orgs.x)).all()
        assert gone_id not in ids
        assert total.n == 22
        assert total.id_sum == sum(ids)


def test_a_workshop_take_waits_unmarked_until_the_workshop_closes(app, orgs):
    with app.app_context():
        x = organization(orgs.x)
        facilitator = account(orgs.facilitator_x)
        workshop = make_workshop(facilitator, state="open")
        waiting = make_org_take(x, workshop)
        counted = [make_org_take(x) for _ in range(11)]
        db.session.commit()

        assert dashboards.sync(orgs.x, waiting.finished_on) == 11
        assert db.session.get(Take, waiting.id).dashboard_epoch is None
        assert {db.session.get(Take, t.id).dashboard_epoch for t in counted} == {1}

        workshop.state = "closed"
        workshop.join_code = None
        db.session.commit()
        assert dashboards.sync(orgs.x, waiting.finished_on) == 1
        assert db.session.get(Take, waiting.id).dashboard_epoch == 2
        update(orgs.organizer_x)
        assert_cube_is_current(orgs.x)
        assert db.session.get(DashboardState, orgs.x).cube_members == 12


def test_a_sync_reads_only_the_takes_no_sync_has_looked_at(app, orgs):
    """The mark is what keeps a sync's work to the takes finished since the last one."""
    with app.app_context():
        x = organization(orgs.x)
        earlier = [make_org_take(x) for _ in range(10)]
        db.session.commit()
        assert dashboards.sync(orgs.x, earlier[0].finished_on) == 10

        unread = [make_org_take(x) for _ in range(3)]
        looked_at = make_org_take(x)
        looked_at.dashboard_epoch = 1  # as if the first sync had read it and let it be
        never = make_org_take(x, consent_org=False)
        db.session.commit()
        assert dashboards.sync(orgs.x, looked_at.finished_on) == 3
        counted = set(db.session.scalars(select(M.take_id)).all())
        assert counted == {t.id for t in earlier + unread}
        # A take without the organization box ticked is marked too, and never read again;
        # the epoch moves on with every sync that reads takes, whether or not one enters.
        assert db.session.get(Take, never.id).dashboard_epoch == 2
        make_org_take(x, consent_org=False)
        db.session.commit()
        assert dashboards.sync(orgs.x, looked_at.finished_on) == 0
        assert db.session.get(DashboardState, orgs.x).epoch == 3
        assert dashboards.sync(orgs.x, looked_at.finished_on) == 0
        assert db.session.get(DashboardState, orgs.x).epoch == 3


def test_the_retention_purge_drops_the_cubes_of_the_organizations_it_touches(app, orgs):
    with app.app_context():
        x, y = organization(orgs.x), organization(orgs.y)
        old_id = make_org_take(x, finished_on=dt.date(2020, 1, 10)).id
        for _ in range(11):
            make_org_take(x)
            make_org_take(y)
        db.session.commit()
        dashboards.sync(orgs.x, TODAY)
        dashboards.sync(orgs.y, TODAY)
        y_cells = stored_cells(orgs.y)
        assert stored_cells(orgs.x) and y_cells

        assert retention.purge(TODAY, 24) == (1, 1)
        assert db.session.get(Take, old_id) is None
        assert stored_cells(orgs.x) == {}
        assert stored_cells(orgs.y) == y_cells  # nobody of theirs went
        dashboards.sync(orgs.x, TODAY)
        assert_cube_is_current(orgs.x)
        assert db.session.get(DashboardState, orgs.x).cube_members == 11


def test_a_refused_update_keeps_its_sync_and_cube_and_releases_nothing(app, orgs):
    with app.app_context():
        x = organization(orgs.x)
        made = [make_org_take(x) for _ in range(20)]
        db.session.commit()
        assert update(orgs.organizer_x).status == "updated"
        shown = view_of(orgs.organizer_x)
        released = db.session.scalar(select(func.count()).select_from(DashboardSet))
        views = db.session.scalar(select(func.count()).select_from(DashboardView))
        categories = db.session.get(DashboardState, orgs.x).categories
        # A deletion drops the cube; one newcomer is too few for a new release.
        takes.delete_respondent(made[3].respondent)
        newcomer = make_org_take(x, locale="de")
        db.session.commit()

        assert update(orgs.organizer_x).status == "kept"
        db.session.expire_all()
        # The sync read the newcomer and the cube was added up again, and both stay ...
        assert db.session.get(Take, newcomer.id).dashboard_epoch is not None
        assert_cube_is_current(orgs.x)
        assert db.session.get(DashboardState, orgs.x).cube_members == 20
        # ... while nothing of the refused release does.
        assert db.session.scalar(select(func.count()).select_from(DashboardSet)) == released
        assert db.session.scalar(select(func.count()).select_from(DashboardView)) == views
        assert db.session.get(DashboardState, orgs.x).categories == categories
        assert view_of(orgs.organizer_x) == shown
        # The next try adds only what is new since: the cube is not added up again.
        epoch = db.session.get(DashboardState, orgs.x).cube_epoch
        assert update(orgs.organizer_x).status == "kept"
        assert db.session.get(DashboardState, orgs.x).cube_epoch == epoch


def test_a_backlog_is_synced_in_batches_to_the_same_roll_up(app, orgs):
    rng = random.Random(7)
    with app.app_context():
        x = organization(orgs.x)
        made = [make_org_take(x, shares=random_shares(rng)) for _ in range(12)]
        # Two people take it again: their later takes fall in a later batch.
        again = [
            make_org_take(x, shares=random_shares(rng), respondent=take.respondent)
            for take in made[:2]
        ]
        make_org_take(x, consent_org=False)  # read, never counted
        db.session.commit()

        # Batches of 5: the first ten takes, then the last five, each committed alone;
        # the two retakes replace the rows their first takes entered with.
        assert dashboards.sync(orgs.x, TODAY, batch=5) == 14
        state = db.session.get(DashboardState, orgs.x)
        assert state.epoch == 3
        current = select(M.take_id, M.entered).where(
            M.organization_id == orgs.x, M.replaced.is_(None)
        )
        rows = db.session.execute(current).all()
        assert {take_id for take_id, _ in rows} == {t.id for t in made[2:] + again}
        assert {entered for _, entered in rows} == {1, 2, 3}
        assert_cube_is_current(orgs.x)
        assert (
            db.session.scalar(
                select(func.count())
                .select_from(Take)
                .where(Take.organization_id == orgs.x, Take.dashboard_epoch.is_(None))
            )
            == 0
        )
        # Nothing left: a sync with nothing new reads nothing and keeps the epoch.
        assert dashboards.sync(orgs.x, TODAY, batch=5) == 0
        assert db.session.get(DashboardState, orgs.x).epoch == 3


def test_an_update_reads_a_backlog_in_batches_before_it_releases(app, orgs, monkeypatch):
    """Where no nightly sync runs, an organizer's update finds a backlog. It is read a
    batch at a time, each batch committed, so a deletion waits for one batch at most."""
    monkeypatch.setattr(dashboards, "SYNC_BATCH", 5)
    rng = random.Random(11)
    with app.app_context():
        x = organization(orgs.x)
        made = [make_org_take(x, shares=random_shares(rng)) for _ in range(12)]
        db.session.commit()

        assert update(orgs.organizer_x).status == "updated"
        # Two batches of five, each a sync of its own, then the last two with the release.
        assert db.session.get(DashboardState, orgs.x).epoch == 3
        current = select(M.take_id).where(M.organization_id == orgs.x, M.replaced.is_(None))
        assert set(db.session.scalars(current)) == {t.id for t in made}
        assert_cube_is_current(orgs.x)
        assert view_of(orgs.organizer_x)["overview"]["n"] == 12


def test_an_update_cut_off_keeps_the_batches_it_committed(app, orgs, monkeypatch):
    """An update stopped half-way (the worker's timeout, an error) leaves the batches it
    committed, so that the next one has less to read."""
    monkeypatch.setattr(dashboards, "SYNC_BATCH", 5)
    with app.app_context():
        x = organization(orgs.x)
        made = [make_org_take(x) for _ in range(12)]
        db.session.commit()

        def cut_off(_state):
            raise RuntimeError("stopped")

        with monkeypatch.context() as patch:
            patch.setattr(dashboards, "_cube", cut_off)
            with pytest.raises(RuntimeError):
                update(orgs.organizer_x)
        assert db.session.get(DashboardState, orgs.x).epoch == 2
        marked = select(func.count()).where(Take.dashboard_epoch.is_not(None))
        assert db.session.scalar(marked) == 10

        assert update(orgs.organizer_x).status == "updated"
        assert db.session.get(DashboardState, orgs.x).epoch == 3
        current = select(M.take_id).where(M.organization_id == orgs.x, M.replaced.is_(None))
        assert set(db.session.scalars(current)) == {t.id for t in made}
