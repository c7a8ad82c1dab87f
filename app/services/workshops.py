"""Workshops: creating them, who may see them, moving them through their lifecycle, joining.

Who may see what (every other case is "not found", never "forbidden"):
- a facilitator manages the workshops they own;
- an organizer manages every workshop of their own organization;
- only the owning facilitator sees a workshop's room (its count and figures):
  the room's figures are for the room, and organizers see figures only on
  their dashboard, from groups of at least 10.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError

from app import instruments
from app.domain import joincode, room
from app.domain.workshop import WorkshopEvent, WorkshopState, apply, joinable
from app.extensions import db
from app.models import Account, Release, Role, Workshop
from app.services import reading, rooms, unit_of_work

log = logging.getLogger(__name__)

#: Fresh codes to try before giving up; a clash among 887 million codes is rare.
CODE_ATTEMPTS = 8


class WorkshopError(ValueError):
    """A workshop cannot be created as asked; ``kind`` says why."""

    def __init__(self, kind: str):
        self.kind = kind
        super().__init__(kind)


@dataclass(frozen=True)
class WorkshopSpec:
    """What a facilitator decides when creating a workshop.

    Either ``cause_key`` names a preset, or all three labels are given.
    """

    title: str
    locale: str
    cause_key: str | None = None
    cause_label: str | None = None
    ingroup_label: str | None = None
    outgroup_label: str | None = None
    with_deeper: bool = False
    with_scenarios: bool = True
    k_room: int = room.DEFAULT_K_ROOM


def create(owner: Account, spec: WorkshopSpec, today: dt.date) -> Workshop:
    """Create a workshop owned by ``owner``, with a fresh join code."""
    if not owner.has_role(Role.FACILITATOR):
        raise WorkshopError("not_a_facilitator")
    if not spec.title.strip():
        raise WorkshopError("title")
    try:
        room.check_k_room(spec.k_room)
    except room.RoomError:
        raise WorkshopError("k_room") from None
    labels = (spec.cause_label, spec.ingroup_label, spec.outgroup_label)
    if spec.cause_key is not None:
        if instruments.cause(spec.cause_key) is None or any(labels):
            raise WorkshopError("cause")
    elif not all(label and label.strip() for label in labels):
        raise WorkshopError("labels")
    for _ in range(CODE_ATTEMPTS):
        workshop = Workshop(
            organization_id=owner.organization_id,
            owner_id=owner.id,
            title=spec.title.strip(),
            cause_key=spec.cause_key,
            cause_label=_clean(spec.cause_label),
            ingroup_label=_clean(spec.ingroup_label),
            outgroup_label=_clean(spec.outgroup_label),
            locale=spec.locale,
            with_deeper=spec.with_deeper,
            with_scenarios=spec.with_scenarios,
            k_room=spec.k_room,
            state=WorkshopState.CREATED,
            round=1,
            join_code=joincode.generate(),
            created_on=today,
        )
        try:
            with unit_of_work():
                db.session.add(workshop)
        except IntegrityError:
            continue  # the code was taken: draw another
        log.info("workshop %s created by account %s", workshop.id, owner.id)
        return workshop
    raise WorkshopError("no_code")


def _clean(label: str | None) -> str | None:
    return label.strip() if label else None


def visible_to(account: Account) -> list[Workshop]:
    """The workshops ``account`` may manage, newest first."""
    query = select(Workshop).order_by(Workshop.id.desc())
    if account.has_role(Role.ORGANIZER):
        query = query.where(Workshop.organization_id == account.organization_id)
    else:
        query = query.where(Workshop.owner_id == account.id)
    return reading(lambda: list(db.session.scalars(query)))


def may_manage(account: Account, workshop: Workshop) -> bool:
    if workshop.organization_id != account.organization_id:
        return False
    return workshop.owner_id == account.id or account.has_role(Role.ORGANIZER)


def may_see_room(account: Account, workshop: Workshop) -> bool:
    return (
        workshop.organization_id == account.organization_id
        and workshop.owner_id == account.id
        and account.has_role(Role.FACILITATOR)
    )


def find(account: Account, workshop_id: int) -> Workshop | None:
    """The workshop if ``account`` may manage it; None otherwise (whether or not it exists)."""
    workshop = reading(lambda: db.session.scalars(_BY_ID, {"id": workshop_id}).first())
    return workshop if workshop is not None and may_manage(account, workshop) else None


#: Every staff page of a workshop starts here, the room's count poll every few seconds:
#: built once. ``Session.get`` builds and annotates its statement on every call.
_BY_ID = select(Workshop).where(Workshop.id == bindparam("id"))


def find_room(account: Account, workshop_id: int) -> Workshop | None:
    """The workshop if ``account`` may see its room; None otherwise."""
    workshop = find(account, workshop_id)
    return workshop if workshop is not None and may_see_room(account, workshop) else None


def advance(
    workshop: Workshop, event: WorkshopEvent, actor: Account, today: dt.date
) -> Release | None:
    """Apply ``event``; closing a round releases the room's figures when the rules allow.

    Raises ``InvalidTransition`` for a move the lifecycle does not allow.
    """
    state, round_ = apply(WorkshopState(workshop.state), workshop.round, event)
    release = None
    with unit_of_work():
        workshop.state = state
        workshop.round = round_
        if state is WorkshopState.CLOSED:
            # The code stops working at once, and can never be reached again.
            workshop.join_code = None
            workshop.closed_on = today
        if WorkshopEvent(event) is WorkshopEvent.CLOSE_ROUND:
            release = rooms.release_if_due(workshop, today)
    log.info("workshop %s: %s by account %s", workshop.id, WorkshopEvent(event), actor.id)
    return release


def by_code(text: str | None) -> Workshop | None:
    """The joinable workshop whose code ``text`` stands for, or None for anything else."""
    code = joincode.normalise(text)
    if code is None:
        return None
    workshop = reading(
        lambda: db.session.scalar(select(Workshop).where(Workshop.join_code == code))
    )
    return workshop if workshop is not None and joinable(WorkshopState(workshop.state)) else None


def joined(workshop_id: object) -> Workshop | None:
    """The workshop a volunteer joined (``session["workshop_id"]``), if it still takes people.

    For the volunteer journey: the take gets ``workshop_id``, the organization,
    the cause (``cause_key``, or the three custom labels) and the modules
    (``with_deeper``, ``with_scenarios``) from it.
    """
    if isinstance(workshop_id, bool) or not isinstance(workshop_id, int):
        return None
    workshop = reading(lambda: db.session.get(Workshop, workshop_id))
    return workshop if workshop is not None and joinable(WorkshopState(workshop.state)) else None
