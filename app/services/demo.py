"""Demo data: an organization and synthetic finished takes, so pages have something to show."""

from __future__ import annotations

import datetime as dt
import random
import secrets

from sqlalchemy import select

from app import instruments
from app.domain import scoring
from app.domain.take import TakeState
from app.extensions import db
from app.models import Answer, Choice, Organization, Respondent, ScaleResult, Take
from app.services import unit_of_work
from app.services.takes import hash_token

DEMO_SLUG = "demo"
#: How the synthetic people are spread over causes and interface languages.
CAUSE_MIX = ("gender", "refugees", "race", "lgbtiq", "poverty")
CAUSE_WEIGHTS = (40, 30, 18, 7, 5)
LOCALE_MIX = ("en", "de", "fr", "es", "ar")
LOCALE_WEIGHTS = (50, 28, 16, 4, 2)


def seed(takes: int = 60, seed: int = 2020, today: dt.date | None = None) -> int:
    """Create the demo organization and ``takes`` synthetic takes; 0 if already there."""
    if db.session.scalar(select(Organization).where(Organization.slug == DEMO_SLUG)):
        return 0
    today = today or dt.date.today()
    rng = random.Random(seed)  # noqa: S311 - synthetic answers, not secrets
    instrument = instruments.CURRENT
    with unit_of_work():
        org = Organization(slug=DEMO_SLUG, name="Demo organization", created_on=today)
        db.session.add(org)
        db.session.flush()
        for _ in range(takes):
            _synthetic_take(rng, instrument, org, today)
    from app.services.reliability import forget

    forget()
    return takes


def _synthetic_take(rng: random.Random, instrument, org: Organization, today: dt.date) -> None:
    # Each synthetic person leans on one motive; answers scatter around that lean.
    lean = {m: rng.uniform(2.0, 5.5) for m in scoring.MOTIVES}
    answers: dict[str, int] = {}
    for item in instrument.items:
        motive = instrument.scale(item.scale).motive
        value = min(7, max(1, round(rng.gauss(lean[motive], 1.0))))
        answers[item.key] = instrument.response_scale.reverse(value) if item.reverse else value
    choices = {s.key: rng.choice(s.options).key for s in instrument.scenarios}
    profile = scoring.score(instrument, answers, choices)
    day = today - dt.timedelta(days=rng.randrange(0, 400))
    # Several causes and languages, unevenly, so that the organizer's dashboard has
    # groups large enough to show and small ones that it merges or hides.
    cause = rng.choices(CAUSE_MIX, weights=CAUSE_WEIGHTS)[0]
    locale = rng.choices(LOCALE_MIX, weights=LOCALE_WEIGHTS)[0]
    # The token is thrown away: nobody can open a synthetic profile.
    respondent = Respondent(token_hash=hash_token(secrets.token_urlsafe(32)), created_on=day)
    take = Take(
        respondent=respondent,
        organization_id=org.id,
        instrument_key=instrument.key,
        instrument_version=instrument.version,
        scoring_version=scoring.SCORING_VERSION,
        state=TakeState.FINISHED,
        reached=len(instrument.pages) + len(instrument.scenarios) + 1,
        cause_key=cause,
        locale=locale,
        consent_profile=True,
        consent_room=False,
        consent_org=True,
        started_on=day,
        finished_on=day,
    )
    take.answers = [Answer(item_key=k, value=v) for k, v in answers.items()]
    take.choices = [Choice(scenario_key=k, option_key=v) for k, v in choices.items()]
    take.results = [
        ScaleResult(
            scale_key=result.scale,
            mean=result.mean,
            share=profile.mixture.shares[m] if profile.mixture else None,
        )
        for m, result in profile.scales.items()
    ]
    db.session.add_all([respondent, take])
