"""Retention: old takes go, the rest stays, and a second run changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Answer, Respondent, ScaleResult, Take
from app.services import demo, retention


@pytest.mark.parametrize(
    ("today", "months", "expected"),
    [
        (dt.date(2026, 11, 29), 24, dt.date(2024, 11, 29)),
        (dt.date(2026, 3, 31), 1, dt.date(2026, 2, 28)),
        (dt.date(2028, 3, 31), 1, dt.date(2028, 2, 29)),
        (dt.date(2026, 1, 15), 13, dt.date(2024, 12, 15)),
    ],
)
def test_cutoff_counts_calendar_months(today, months, expected):
    assert retention.cutoff(today, months) == expected


def test_cutoff_needs_a_month():
    with pytest.raises(ValueError):
        retention.cutoff(dt.date(2026, 1, 1), 0)


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_purge_deletes_old_takes_with_everything_they_hold(app):
    today = dt.date(2026, 11, 29)
    with app.app_context():
        demo.seed(takes=30, today=today)
        # demo takes are spread over the last 400 days; keep the last 6 months only.
        first_kept = retention.cutoff(today, 6)
        old = db.session.scalar(
            select(func.count()).select_from(Take).where(Take.started_on < first_kept)
        )
        assert 0 < old < 30
        removed, respondents = retention.purge(today, 6)
        assert (removed, respondents) == (old, old)
        assert count(Take) == 30 - old
        assert count(Respondent) == 30 - old
        assert count(ScaleResult) == 4 * (30 - old)
        assert db.session.scalar(select(func.min(Take.started_on))) >= first_kept
        assert count(Answer) == (30 - old) * 16
        assert retention.purge(today, 6) == (0, 0)


def test_the_purge_command_logs_counts_only(app, runner, caplog):
    with app.app_context():
        demo.seed(takes=10, today=dt.date(2020, 1, 1))
    result = runner.invoke(args=["purge"])
    assert result.exit_code == 0, result.output
    assert "10 takes" in result.output
    again = runner.invoke(args=["purge"])
    assert "0 takes" in again.output
