"""The optional DP layer: noise once per set, a ledger per organization and quarter, refusal."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from sqlalchemy import func, select

from app import create_app
from app.config import ConfigError
from app.domain import dp
from app.extensions import db
from app.models import PrivacySpend
from app.services import dashboards
from tests.conftest import settings
from tests.privacy.conftest import account, organization, update, view_of
from tests.privacy.factories import make_org_take, random_shares
from tests.workshop.factories import TODAY

NEXT_QUARTER = dt.date(2027, 1, 5)


def shift(values, scale):
    """Deterministic stand-in for the sampler: every value moves by +3."""
    return [v + 3 for v in values]


@pytest.fixture
def dp_app(app):
    app.config.update(DP_ENABLED=True, DP_EPSILON=0.5, DP_BUDGET=2.0, DP_NOISE=shift)
    return app


def spent(organization_id) -> float:
    return float(
        db.session.scalar(
            select(func.coalesce(func.sum(PrivacySpend.epsilon), 0.0)).where(
                PrivacySpend.organization_id == organization_id
            )
        )
    )


def crowd(org, count, seed, **kw):
    rng = random.Random(seed)
    for _ in range(count):
        make_org_take(org, shares=random_shares(rng), **kw)
    db.session.commit()


def test_ledger_caching_and_refusal(dp_app, orgs):
    with dp_app.app_context():
        org = organization(orgs.x)
        crowd(org, 40, seed=1)
        assert update(orgs.organizer_x).status == "updated"
        first = view_of(orgs.organizer_x)
        assert first["overview"]["noisy"] and first["overview"]["n"] == 43  # 40 + 3
        assert first["dp"] == {"epsilon": 0.5, "scale": dp.SENSITIVITY / 0.5}
        assert spent(orgs.x) == pytest.approx(0.5)  # one new set: the breakdowns repeat it

        # The same question again: the same answer, and nothing spent.
        assert update(orgs.organizer_x).status == "unchanged"
        assert view_of(orgs.organizer_x) == first
        assert update(orgs.organizer_x, {"cause": "gender"}).status == "updated"
        assert view_of(orgs.organizer_x, {"cause": "gender"})["overview"] == first["overview"]
        assert spent(orgs.x) == pytest.approx(0.5)

        # Ten newcomers in another language: a new overview and a new language cell.
        crowd(org, 10, seed=2, locale="de")
        assert update(orgs.organizer_x).status == "updated"
        assert spent(orgs.x) == pytest.approx(1.5)
        second = view_of(orgs.organizer_x)

        # Ten more: two more groups would cost 1.0, over the budget of 2.0: refused.
        crowd(org, 10, seed=3, locale="de")
        assert update(orgs.organizer_x).status == "budget"
        assert view_of(orgs.organizer_x) == second
        assert spent(orgs.x) == pytest.approx(1.5)
        budget = dashboards.budget(orgs.x, TODAY)
        assert budget.remaining == pytest.approx(0.5) and budget.quarter == "2026-Q4"

        # A new quarter, a new budget.
        assert update(orgs.organizer_x, today=NEXT_QUARTER).status == "updated"
        assert dashboards.budget(orgs.x, NEXT_QUARTER).spent == pytest.approx(1.0)


def test_budgets_are_per_organization(dp_app, orgs):
    with dp_app.app_context():
        crowd(organization(orgs.x), 40, seed=1)
        crowd(organization(orgs.y), 40, seed=2)
        update(orgs.organizer_x)
        update(orgs.organizer_y)
        assert spent(orgs.x) == spent(orgs.y) == pytest.approx(0.5)


def test_the_page_says_that_dp_is_on(dp_app, client, orgs):
    from tests.workshop.conftest import log_in

    with dp_app.app_context():
        crowd(organization(orgs.x), 40, seed=1)
    token = log_in(client, orgs.organizer_x)
    client.post("/staff/dashboard", data={"csrf_token": token})
    page = client.get("/staff/dashboard").text
    assert "Differential privacy is on" in page and "random noise" in page


def test_dp_refuses_to_turn_on_without_opendp(monkeypatch, sqlite_url):
    monkeypatch.setattr(dp, "available", lambda: False)
    with pytest.raises(ConfigError, match="OpenDP"):
        create_app(settings(sqlite_url, DP_ENABLED=True))
    create_app(settings(sqlite_url, DP_ENABLED=False))  # off is always fine


@pytest.mark.parametrize(
    "extra",
    [{"K_ORG": 5}, {"MIN_DIFFERENCE": 3}, {"DP_ENABLED": True, "DP_EPSILON": 0}],
)
def test_settings_never_go_below_the_design(sqlite_url, extra):
    with pytest.raises(ConfigError):
        create_app(settings(sqlite_url, **extra))


def test_real_noise_is_stored_once(app, orgs):
    if not dp.available():
        pytest.skip("OpenDP is not installed")
    app.config.update(DP_ENABLED=True, DP_EPSILON=0.5, DP_BUDGET=5.0)
    with app.app_context():
        crowd(organization(orgs.x), 60, seed=1)
        update(orgs.organizer_x)
        first = view_of(orgs.organizer_x)
        assert first["overview"]["noisy"]
        update(orgs.organizer_x)
        assert view_of(orgs.organizer_x) == first
        assert account(orgs.organizer_x) is not None
