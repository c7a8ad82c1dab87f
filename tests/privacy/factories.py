"""Takes an organization's dashboards count, built directly through the models."""

from __future__ import annotations

import datetime as dt
import random
import secrets
from collections.abc import Mapping, Sequence

from app import instruments
from app.domain.instrument import MOTIVES
from app.extensions import db
from app.models import Answer, Choice, Organization, Respondent, ScaleResult, Take, Workshop
from app.services.takes import hash_token
from tests.workshop.factories import TODAY

EVEN = (0.25, 0.25, 0.25, 0.25)


def random_shares(rng: random.Random) -> tuple[float, float, float, float]:
    raw = [rng.uniform(0.05, 1.0) for _ in MOTIVES]
    total = sum(raw)
    return tuple(x / total for x in raw)  # type: ignore[return-value]


def make_respondent() -> Respondent:
    respondent = Respondent(token_hash=hash_token(secrets.token_urlsafe(32)), created_on=TODAY)
    db.session.add(respondent)
    return respondent


def make_org_take(
    organization: Organization,
    workshop: Workshop | None = None,
    *,
    shares: Sequence[float] | None = EVEN,
    cause: str | None = "gender",
    locale: str = "en",
    finished_on: dt.date = TODAY,
    choices: Mapping[str, str] | None = None,
    answers: Mapping[str, int] | None = None,
    consent_org: bool = True,
    consent_room: bool = True,
    state: str = "finished",
    respondent: Respondent | None = None,
    flush: bool = True,
) -> Take:
    """A take counted by ``organization`` (when finished with consent and a mixture).

    With ``flush=False`` the take gets its id at the caller's next flush (faster in bulk).
    """
    respondent = respondent or make_respondent()
    finished = state == "finished"
    take = Take(
        respondent=respondent,
        organization_id=organization.id,
        workshop_id=workshop.id if workshop else None,
        instrument_key=instruments.CURRENT.key,
        instrument_version=instruments.CURRENT.version,
        scoring_version=1 if finished else None,
        state=state,
        reached=0,
        cause_key=(workshop.cause_key if workshop else cause),
        locale=locale,
        consent_profile=True,
        consent_room=consent_room and workshop is not None,
        consent_org=consent_org,
        started_on=finished_on,
        finished_on=finished_on if finished else None,
    )
    if finished:
        take.results = [
            ScaleResult(
                scale_key=str(m),
                mean=1 + 6 * s if shares else 4.0,
                share=s if shares else None,
            )
            for m, s in zip(MOTIVES, shares or (0, 0, 0, 0), strict=True)
        ]
        take.choices = [Choice(scenario_key=k, option_key=v) for k, v in (choices or {}).items()]
        take.answers = [Answer(item_key=k, value=v) for k, v in (answers or {}).items()]
    db.session.add(take)
    if flush:
        db.session.flush()
    return take
