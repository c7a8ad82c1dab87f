"""Instrument quality for the organization's own data: groups of at least 50, core scales only."""

from __future__ import annotations

import random
import re

import pytest

from app import instruments
from app.domain.instrument import MOTIVES
from app.domain.psychometrics import reliability
from app.extensions import db
from app.services import dashboards
from tests.privacy.conftest import account, organization
from tests.privacy.factories import make_org_take, random_shares
from tests.workshop.conftest import log_in
from tests.workshop.factories import TODAY

CORE = instruments.CURRENT


def answers(rng: random.Random) -> dict[str, int]:
    """Answers driven by one trait per motive, so that the scales hang together."""
    out = {}
    for motive in MOTIVES:
        trait = rng.gauss(0, 1)
        for item in CORE.items_of(CORE.motive_scale(motive).key):
            value = min(7, max(1, round(4 + trait + rng.gauss(0, 0.9))))
            out[item.key] = 8 - value if item.reverse else value
    return out


def seed(org, languages: dict[str, int], seed=1) -> dict[str, list[dict[str, int]]]:
    rng = random.Random(seed)
    given: dict[str, list[dict[str, int]]] = {}
    for locale, count in languages.items():
        for _ in range(count):
            a = answers(rng)
            # The sensitive deeper module's answers sit in the same table: never read.
            a |= {"sdo1": rng.randint(1, 7), "nar1": rng.randint(1, 7)}
            make_org_take(org, locale=locale, shares=random_shares(rng), answers=a)
            given.setdefault(locale, []).append(a)
    # An incomplete take counts nowhere on this page.
    partial = answers(rng)
    partial.pop("og1")
    make_org_take(org, locale="en", shares=random_shares(rng), answers=partial)
    db.session.commit()
    return given


def scored(rows: list[dict[str, int]], motive) -> list[list[int]]:
    items = CORE.items_of(CORE.motive_scale(motive).key)
    return [[8 - r[i.key] if i.reverse else r[i.key] for i in items] for r in rows]


def test_quality_per_scale_and_language_from_50_on(app, orgs):
    with app.app_context():
        given = seed(organization(orgs.x), {"en": 60, "de": 55, "fr": 12})
        outcome = dashboards.update_quality(account(orgs.organizer_x), TODAY)
        assert outcome.status == "updated"
        figures = outcome.view.figures
        groups = {g["locale"]: g for g in figures["groups"]}
        # All languages (127 complete takes), English and German; French (12) is too small,
        # and 12 people are enough that their count need not hide another language.
        assert set(groups) == {"", "en", "de"}
        assert groups[""]["n"] == 127 and groups["en"]["n"] == 60
        for motive in MOTIVES:
            key = CORE.motive_scale(motive).key
            expected = reliability(scored(given["en"], motive))
            shown = groups["en"]["scales"][key]
            assert shown["alpha"] == pytest.approx(expected.alpha, abs=1e-9)
            assert shown["omega"] == pytest.approx(expected.omega, abs=1e-6)
            assert list(shown["item_total"].values()) == pytest.approx(
                list(expected.item_total), abs=1e-9
            )
        assert set(groups[""]["scales"]) == {CORE.motive_scale(m).key for m in MOTIVES}


def test_small_organizations_see_no_quality_figures(app, orgs):
    with app.app_context():
        seed(organization(orgs.x), {"en": 40})
        outcome = dashboards.update_quality(account(orgs.organizer_x), TODAY)
        assert outcome.view.figures["status"] == "small"
        assert outcome.view.figures["groups"] == []


def test_the_quality_page(app, client, orgs):
    with app.app_context():
        seed(organization(orgs.x), {"en": 60})
    token = log_in(client, orgs.organizer_x)
    assert "No figures have been released yet" in client.get("/staff/dashboard/quality").text
    response = client.post("/staff/dashboard/quality", data={"csrf_token": token})
    assert response.status_code == 303
    page = client.get("/staff/dashboard/quality").text
    assert "All languages" in page and "English" in page and "og1" in page
    assert "<caption>" in page
    for sensitive in ("sdo1", "nar1", "Views on equality between groups", "Enjoying attention"):
        assert sensitive not in page
    again = client.post("/staff/dashboard/quality", data={"csrf_token": token})  # a double tap
    assert again.status_code == 303
    second = client.get("/staff/dashboard/quality").text
    assert "Nothing has changed enough since the figures were released" in second
    flash = re.compile(r'<p class="[^"]*" role="status">.*?</p>')
    # A CSRF token carries the second it was signed in: two views can differ there alone.
    token = re.compile(r'(name="csrf_token"[^>]*value=")[^"]*"')

    def figures(html: str) -> str:
        return token.sub(r'\1"', flash.sub("", html))

    assert figures(second) == figures(page)  # the same figures, shown again
