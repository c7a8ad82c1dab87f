"""Reliability estimated from the database agrees with alpha computed from the rows."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.domain.instrument import MOTIVES
from app.domain.psychometrics import cronbach_alpha
from app.domain.scoring import DEFAULT_RELIABILITY, DEFAULT_SD
from app.extensions import db
from app.instruments import CURRENT
from app.models import Answer
from app.services import demo, reliability


def rows_of(motive):
    items = CURRENT.items_of(CURRENT.motive_scale(motive).key)
    answers = db.session.execute(select(Answer.take_id, Answer.item_key, Answer.value)).all()
    by_take: dict[int, dict[str, int]] = {}
    for take_id, key, value in answers:
        by_take.setdefault(take_id, {})[key] = value
    return [
        [8 - t[i.key] if i.reverse else t[i.key] for i in items]
        for t in by_take.values()
        if all(i.key in t for i in items)
    ]


def test_defaults_until_enough_takes(app):
    app.config["RELIABILITY_MIN_TAKES"] = 50
    with app.app_context():
        demo.seed(takes=20)
        reliability.forget()
        for result in reliability.precision(CURRENT).values():
            assert (result.reliability, result.sd) == (DEFAULT_RELIABILITY, DEFAULT_SD)
            assert result.n == 20
            assert not result.estimated


def test_estimates_match_alpha_from_rows(app):
    app.config["RELIABILITY_MIN_TAKES"] = 30
    with app.app_context():
        demo.seed(takes=40)
        reliability.forget()
        estimates = reliability.precision(CURRENT)
        for motive in MOTIVES:
            rows = rows_of(motive)
            assert estimates[motive].estimated
            assert estimates[motive].n == len(rows) == 40
            expected = max(0.0, cronbach_alpha(rows))
            assert estimates[motive].reliability == pytest.approx(expected, abs=1e-9)


def test_the_profile_says_where_its_range_comes_from(app, client):
    from tests.web.volunteer import Volunteer

    Volunteer(client).whole_journey()
    assert "assumes a modest precision" in client.get("/me").text
