"""The dashboard pages over HTTP: small cells, complements, filters, exports, tenants."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random
import re

from app.extensions import db
from app.models import DashboardView, Release
from tests.privacy.conftest import account, displayed_counts, organization
from tests.privacy.factories import make_org_take, random_shares
from tests.workshop.conftest import log_in
from tests.workshop.factories import make_workshop

Q2, Q3, Q4 = dt.date(2026, 5, 4), dt.date(2026, 8, 4), dt.date(2026, 11, 4)


def seed_small_cells(org) -> None:
    """Within 2026-Q3 the causes hold 40, 12, 8 and 3 people; within 2026-Q4 40, 12 and 3."""
    rng = random.Random(3)
    plan = [
        (Q3, {"gender": 40, "refugees": 12, "poverty": 8, "race": 3}),
        (Q4, {"gender": 40, "refugees": 12, "race": 3}),
        # Enough elsewhere that racial justice and global poverty are causes of their own.
        (Q2, {"race": 10, "poverty": 10}),
    ]
    for day, causes in plan:
        for cause, count in causes.items():
            for _ in range(count):
                make_org_take(org, cause=cause, finished_on=day, shares=random_shares(rng))
    db.session.commit()


def released(client, token, **filters):
    response = client.post("/staff/dashboard", data={"csrf_token": token, **filters})
    assert response.status_code == 303, response.status_code
    return client.get(response.headers["Location"])


def stored(app, organization_id, context) -> dict:
    with app.app_context():
        view = db.session.scalars(
            db.select(DashboardView)
            .where(DashboardView.organization_id == organization_id)
            .where(DashboardView.context == context)
            .order_by(DashboardView.id.desc())
        ).first()
        return view.figures


def cause_cells(figures) -> dict[str, dict]:
    breakdown = next(b for b in figures["breakdowns"] if b["dimension"] == "cause")
    return {cell["value"]: cell for cell in breakdown["cells"]}


def test_small_cells_show_fewer_than_10_and_cannot_be_derived(app, client, orgs):
    with app.app_context():
        seed_small_cells(organization(orgs.x))
    token = log_in(client, orgs.organizer_x)
    page = released(client, token, quarter="2026-Q3")
    assert page.status_code == 200
    figures = stored(app, orgs.x, "quarter=2026-Q3")
    cells = cause_cells(figures)
    assert figures["overview"]["n"] == 63
    assert cells["gender"]["n"] == 40 and cells["refugees"]["n"] == 12
    for small in ("poverty", "race"):  # 8 and 3
        assert cells[small]["n"] is None and cells[small]["mean_shares"] is None
        assert cells[small]["hidden"] == "small"
    shown = sum(c["n"] for c in cells.values() if c["n"] is not None)
    assert figures["overview"]["n"] - shown == 11  # 8 + 3 together: neither recoverable
    assert page.text.count("fewer than 10") >= 2
    for count in displayed_counts(figures):
        assert count == 0 or count >= 10


def test_a_lone_small_cell_takes_the_next_smallest_with_it(app, client, orgs):
    with app.app_context():
        seed_small_cells(organization(orgs.x))
    token = log_in(client, orgs.organizer_x)
    page = released(client, token, quarter="2026-Q4")
    cells = cause_cells(stored(app, orgs.x, "quarter=2026-Q4"))
    assert cells["race"]["hidden"] == "small"  # 3 people
    assert cells["refugees"]["hidden"] == "complement"  # 12, hidden with it
    assert cells["refugees"]["n"] is None and cells["refugees"]["mean_shares"] is None
    assert cells["gender"]["n"] == 40
    assert "hidden (protects a small group)" in page.text


def test_the_whole_dashboard_never_shows_a_count_under_10(app, client, orgs):
    with app.app_context():
        seed_small_cells(organization(orgs.x))
    token = log_in(client, orgs.organizer_x)
    for filters in ({}, {"cause": "race"}, {"quarter": "2026-Q4", "cause": "gender"}):
        assert released(client, token, **filters).status_code == 200
    with app.app_context():
        for view in db.session.scalars(db.select(DashboardView)):
            for count in displayed_counts(view.figures):
                assert count == 0 or count >= 10, (view.context, count)


def test_at_most_two_filters(app, client, orgs):
    with app.app_context():
        seed_small_cells(organization(orgs.x))
    token = log_in(client, orgs.organizer_x)
    response = client.post(
        "/staff/dashboard",
        data={"csrf_token": token, "quarter": "2026-Q3", "cause": "gender", "language": "en"},
    )
    assert response.status_code == 303
    page = client.get(response.headers["Location"])
    assert "Choose at most 2 filters at once." in page.text
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(DashboardView)) == 0
    # Three filters in an address are not a page.
    assert (
        client.get("/staff/dashboard?quarter=2026-Q3&cause=gender&language=en").status_code == 404
    )


def test_two_filters_show_no_breakdown(app, client, orgs):
    with app.app_context():
        seed_small_cells(organization(orgs.x))
    token = log_in(client, orgs.organizer_x)
    page = released(client, token, quarter="2026-Q3", cause="gender")
    figures = stored(app, orgs.x, "quarter=2026-Q3&cause=gender")
    assert figures["overview"]["n"] == 40 and figures["breakdowns"] == []
    assert "no comparison is shown" in page.text


def test_the_page_has_charts_tables_and_notes(app, client, orgs):
    with app.app_context():
        seed_small_cells(organization(orgs.x))
    token = log_in(client, orgs.organizer_x)
    page = released(client, token).text
    assert 'class="chart-data"' in page and "<caption>" in page and 'scope="row"' in page
    assert "<fieldset>" in page and "<legend>Cause</legend>" in page
    assert "/static/vendor/plotly.min.js" in page
    for heading in ("The motivation mixture", "How people are spread",
                    "What people chose in the situations", "Trends by quarter",
                    "Comparison by cause", "Comparison by language", "Comparison by workshop",
                    "What is left out, and why"):  # fmt: skip
        assert heading in page, heading
    # The deeper module's scales (the sensitive ones among them) never appear.
    for name in ("Views on equality between groups", "Enjoying attention", "sdo", "narcissism"):
        assert name not in page


def test_get_never_releases_anything(app, client, orgs):
    with app.app_context():
        seed_small_cells(organization(orgs.x))
    log_in(client, orgs.organizer_x)
    page = client.get("/staff/dashboard")
    assert page.status_code == 200 and "No figures have been released" in page.text
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Release)) == 0


def test_a_repeated_query_gets_the_identical_page(app, client, orgs):
    with app.app_context():
        seed_small_cells(organization(orgs.x))
    token = log_in(client, orgs.organizer_x)
    first = released(client, token, cause="gender")
    second = released(client, token, cause="gender")
    assert "Nothing has changed enough" in second.text
    strip = re.compile(r'<p class="notice" role="status">.*?</p>|name="csrf_token"[^>]*>')
    assert strip.sub("", first.text) == strip.sub("", second.text)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(DashboardView)) == 1


# Exports


def test_exports_hold_exactly_the_page_and_escape_formulas(app, client, orgs):
    with app.app_context():
        org = organization(orgs.x)
        facilitator = account(orgs.facilitator_x)
        rng = random.Random(9)
        for code, title in (("EXP234", '=HYPERLINK("http://evil")'), ("EXP567", "@SUM(A1)")):
            workshop = make_workshop(facilitator, state="closed", code=code, title=title)
            for _ in range(15):
                make_org_take(org, workshop=workshop, shares=random_shares(rng))
        db.session.commit()
    token = log_in(client, orgs.organizer_x)
    released(client, token)
    response = client.get("/staff/dashboard/figures.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == ["section", "group", "measure", "value", "note"]
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    assert '"\'=HYPERLINK(""http://evil"") (' in response.text
    assert "\"'@SUM(A1) (" in response.text
    exported = json.loads(client.get("/staff/dashboard/figures.json").text)
    assert exported["rows"] and len(exported["rows"]) == len(rows) - 1
    people = [r["value"] for r in exported["rows"] if r["measure"] == "People"]
    assert all(p == "" or p == 0 or p >= 10 for p in people)
    # Aggregates only: no take, person or answer appears, and no row per person.
    assert len(exported["rows"]) < 200
    assert not {"take_id", "respondent_id", "token"} & set(exported["rows"][0])


def test_an_export_before_a_release_says_so_and_unknown_filters_are_not_found(app, client, orgs):
    log_in(client, orgs.organizer_x)
    response = client.get("/staff/dashboard/figures.csv")
    assert response.status_code == 200
    assert "No figures have been released" in response.text and len(response.text.split()) < 40
    assert client.get("/staff/dashboard/figures.json?cause=gender").status_code == 404


# Tenants


def test_an_organizer_sees_nothing_of_another_organization(app, client, orgs):
    with app.app_context():
        y = organization(orgs.y)
        rng = random.Random(4)
        for _ in range(30):
            make_org_take(y, cause="refugees", shares=random_shares(rng))
        theirs = make_workshop(
            account(orgs.facilitator_x), state="closed", code="YYY234", title="Ours"
        )
        theirs.organization_id = orgs.y
        for _ in range(12):
            make_org_take(y, workshop=theirs, shares=random_shares(rng))
        seed_small_cells(organization(orgs.x))
        theirs_id = theirs.id
    token = log_in(client, orgs.organizer_x)
    released(client, token)
    ours = stored(app, orgs.x, "")
    assert ours["overview"]["n"] == 40 + 12 + 8 + 3 + 40 + 12 + 3 + 20
    for url in (
        f"/staff/dashboard?workshop={theirs_id}",
        f"/staff/dashboard/figures.csv?workshop={theirs_id}",
        f"/staff/dashboard/figures.json?workshop={theirs_id}",
    ):
        assert client.get(url).status_code == 404, url
    response = client.post("/staff/dashboard", data={"csrf_token": token, "workshop": theirs_id})
    assert response.status_code == 404
    assert "Ours" not in client.get("/staff/dashboard").text
    # And the other organizer sees only their own people.
    client.post("/logout", data={"csrf_token": token})
    token_y = log_in(client, orgs.organizer_y)
    released(client, token_y)
    assert stored(app, orgs.y, "")["overview"]["n"] == 42


def test_the_nightly_sync_adds_finished_takes_and_releases_nothing(app, orgs):
    """``flask sync-dashboards`` fills every organization's roll-up ahead of an update."""
    from sqlalchemy import func, select

    from app.models import DashboardMember, DashboardState
    from tests.privacy.conftest import update, view_of

    with app.app_context():
        x, y = organization(orgs.x), organization(orgs.y)
        for _ in range(12):
            make_org_take(x)
        make_org_take(x, consent_org=False)  # never counted
        make_org_take(x, state="answering")  # not yet
        make_org_take(y)
        db.session.commit()

    runner = app.test_cli_runner()
    first = runner.invoke(args=["sync-dashboards"])
    again = runner.invoke(args=["sync-dashboards"])
    assert first.exit_code == again.exit_code == 0, first.output
    assert "13 takes added" in first.output and "0 takes added" in again.output

    with app.app_context():
        members = select(func.count()).select_from(DashboardMember)
        assert db.session.scalar(members.where(DashboardMember.organization_id == orgs.x)) == 12
        assert db.session.scalar(select(func.count()).select_from(Release)) == 0
        assert db.session.scalar(select(func.count()).select_from(DashboardView)) == 0
        # A sync with nothing new leaves the epoch, on PostgreSQL as on SQLite.
        assert db.session.get(DashboardState, orgs.x).epoch == 1
        # The organizer's next update releases from the roll-up the sync filled.
        assert update(orgs.organizer_x).status == "updated"
        assert view_of(orgs.organizer_x)["overview"]["n"] == 12
