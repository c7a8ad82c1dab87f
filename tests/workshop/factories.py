"""Rows for the staff side, built directly through the models (``make_*`` helpers)."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping, Sequence

from app.domain.instrument import MOTIVES
from app.extensions import db
from app.models import (
    Account,
    Choice,
    Organization,
    Respondent,
    ScaleResult,
    Take,
    Workshop,
)
from app.services.takes import hash_token

TODAY = dt.date(2026, 11, 29)
PASSWORD = "correct horse battery staple"
#: A cheap hash for tests only: a login per test must not cost 0.2 s of scrypt.
CHEAP_HASH = "pbkdf2:sha256:1"
EVEN = (0.25, 0.25, 0.25, 0.25)


def make_organization(slug: str) -> Organization:
    organization = Organization(slug=slug, name=f"Org {slug}", created_on=TODAY)
    db.session.add(organization)
    db.session.flush()
    return organization


def make_account(
    organization: Organization, email: str, facilitator=False, organizer=False
) -> Account:
    from werkzeug.security import generate_password_hash

    account = Account(
        organization_id=organization.id,
        email=email,
        name=email.split("@")[0],
        password_hash=generate_password_hash(PASSWORD, method=CHEAP_HASH),
        is_facilitator=facilitator,
        is_organizer=organizer,
        active=True,
        created_on=TODAY,
    )
    db.session.add(account)
    db.session.flush()
    return account


def make_workshop(owner: Account, state="open", code="ABC234", **extra) -> Workshop:
    workshop = Workshop(
        organization_id=owner.organization_id,
        owner_id=owner.id,
        title=extra.pop("title", "Evening workshop"),
        cause_key=extra.pop("cause_key", "refugees"),
        locale="en",
        with_deeper=False,
        with_scenarios=True,
        k_room=extra.pop("k_room", 5),
        state=state,
        round=extra.pop("round", 1),
        join_code=None if state == "closed" else code,
        created_on=TODAY,
        **extra,
    )
    db.session.add(workshop)
    db.session.flush()
    return workshop


def make_take(
    workshop: Workshop,
    shares: Sequence[float] | None = EVEN,
    choices: Mapping[str, str] | None = None,
    consent_room: bool = True,
    state: str = "finished",
    respondent: Respondent | None = None,
) -> Take:
    """A take in ``workshop`` with stored shares (outgroup, ingroup, personal, morality)."""
    respondent = respondent or Respondent(
        token_hash=hash_token(secrets.token_urlsafe(32)), created_on=TODAY
    )
    take = Take(
        respondent=respondent,
        organization_id=workshop.organization_id,
        workshop_id=workshop.id,
        instrument_key="core",
        instrument_version=1,
        scoring_version=1 if state == "finished" else None,
        state=state,
        reached=0,
        cause_key=workshop.cause_key,
        locale="en",
        consent_profile=True,
        consent_room=consent_room,
        consent_org=False,
        started_on=TODAY,
        finished_on=TODAY if state == "finished" else None,
    )
    if state == "finished":
        take.results = [
            ScaleResult(
                scale_key=str(motive),
                mean=1 + 6 * share if shares else 4.0,
                share=share if shares else None,
            )
            for motive, share in zip(MOTIVES, shares or (0, 0, 0, 0), strict=True)
        ]
        take.choices = [Choice(scenario_key=k, option_key=v) for k, v in (choices or {}).items()]
    db.session.add_all([respondent, take])
    db.session.flush()
    return take


def make_takes(workshop: Workshop, count: int, **kwargs) -> list[Take]:
    takes = [make_take(workshop, **kwargs) for _ in range(count)]
    db.session.commit()
    return takes
