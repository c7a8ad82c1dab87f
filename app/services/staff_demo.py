"""Demo staff and workshops, so that the staff side has something to show after ``seed-demo``.

Adds, to the demo organization: a facilitator and an organizer (one password for
both: the one given, or a fresh random one the command prints once), a closed
workshop whose room counted the first ``ROOM_TAKES`` demo takes (with the room
box ticked) and released its figures, more closed workshops in other causes and
languages that the next demo takes belong to, an open workshop to join, and the
organizer's first dashboard and quality releases. No takes are added: the demo takes are
shared out. Safe to run twice: it does nothing once the demo facilitator exists.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from sqlalchemy import select, update

from app.domain.workshop import WorkshopEvent
from app.extensions import db
from app.models import Account, Role, Take
from app.services import accounts, dashboards, unit_of_work, workshops
from app.services.demo import DEMO_SLUG

FACILITATOR_EMAIL = "facilitator@demo.example"
ORGANIZER_EMAIL = "organizer@demo.example"
#: Demo takes counted in the closed workshop's room: past the "5 more" step twice.
ROOM_TAKES = 12
#: More closed workshops (title, cause, language), each with up to ROOM_TAKES demo takes.
MORE_WORKSHOPS = (
    ("Demo: Gleichstellung im Verein", "gender", "de"),
    ("Demo: soutien aux personnes réfugiées", "refugees", "fr"),
    ("Demo: allyship in racial justice work", "race", "en"),
)


@dataclass(frozen=True)
class DemoStaff:
    facilitator: str
    organizer: str
    password: str


def seed(password: str | None = None, today: dt.date | None = None) -> DemoStaff | None:
    """Create the demo staff and workshops; None when there is no demo org or they exist."""
    organization = accounts.organization_by_slug(DEMO_SLUG)
    if organization is None:
        return None
    if db.session.scalar(select(Account.id).where(Account.email == FACILITATOR_EMAIL)):
        return None
    today = today or dt.date.today()
    password = password or secrets.token_urlsafe(12)
    facilitator = accounts.create_account(
        organization, FACILITATOR_EMAIL, "Demo facilitator", password, [Role.FACILITATOR], today
    )
    organizer = accounts.create_account(
        organization, ORGANIZER_EMAIL, "Demo organizer", password, [Role.ORGANIZER], today
    )

    # The evening takes any finished demo take; the other workshops only their language's.
    _closed_workshop(
        organization.id,
        facilitator,
        "Demo: an evening on refugee support",
        "refugees",
        "en",
        today,
        any_language=True,
    )
    for title, cause, locale in MORE_WORKSHOPS:
        _closed_workshop(organization.id, facilitator, title, cause, locale, today)

    running = workshops.create(
        facilitator,
        workshops.WorkshopSpec(
            title="Demo: gender equality workshop", locale="en", cause_key="gender"
        ),
        today,
    )
    workshops.advance(running, WorkshopEvent.OPEN, facilitator, today)
    dashboards.update(organizer, {}, today)
    dashboards.update_quality(organizer, today)
    return DemoStaff(FACILITATOR_EMAIL, ORGANIZER_EMAIL, password)


def _closed_workshop(
    organization_id, facilitator, title, cause, locale, today, any_language=False
) -> None:
    """A closed workshop that the next ``ROOM_TAKES`` demo takes in its language (or in
    any language) belong to."""
    workshop = workshops.create(
        facilitator, workshops.WorkshopSpec(title=title, locale=locale, cause_key=cause), today
    )
    spare = (
        select(Take.id)
        .where(Take.organization_id == organization_id, Take.workshop_id.is_(None))
        .where(Take.state == "finished")
        .order_by(Take.id)
        .limit(ROOM_TAKES)
    )
    if not any_language:
        spare = spare.where(Take.locale == locale)
    with unit_of_work():
        ids = list(db.session.scalars(spare))
        db.session.execute(
            update(Take)
            .where(Take.id.in_(ids))
            .values(workshop_id=workshop.id, consent_room=True, cause_key=cause)
        )
    for event in (WorkshopEvent.OPEN, WorkshopEvent.CLOSE_ROUND, WorkshopEvent.CLOSE):
        workshops.advance(workshop, event, facilitator, today)
