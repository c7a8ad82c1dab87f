"""A workshop room's figures: counted in SQL, guarded by the domain, released once, shown as stored.

The set behind a room's figures is every finished take of the workshop whose
person ticked the room box, one take per person (their latest). When a release
is due (``app.domain.room.is_due``), the set is written to ``release_take``
first, and every figure is then aggregated by the database over exactly that
set: averages, counts and bin counts, never rows per person. The guarded
figures are stored on the release and shown from there, so later takes and
later deletions never change what the room was shown.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, and_, bindparam, case, func, insert, literal, select

from app import instruments
from app.domain import room
from app.domain.instrument import MOTIVES
from app.domain.workshop import WorkshopState, shows_figures
from app.extensions import db
from app.models import Choice, Release, ReleaseTake, ScaleResult, Take, Workshop
from app.services import dashboards, reading, unit_of_work

log = logging.getLogger(__name__)

ROOM = "room"


def counted_takes(workshop_id: int | ColumnElement[int]) -> Select:
    """The ids of the takes that count for the room now: one per person, their latest."""
    return (
        select(func.max(Take.id).label("take_id"))
        .where(
            Take.workshop_id == workshop_id,
            Take.state == "finished",
            Take.consent_room.is_(True),
        )
        .group_by(Take.respondent_id)
    )


def count(workshop: Workshop) -> int:
    """How many people's finished takes count for the room now."""
    return reading(lambda: db.session.scalar(_COUNT, {"workshop_id": workshop.id}) or 0)


#: The projector asks for the count every few seconds: the statement is built once, so
#: that SQLAlchemy works out its cache key once and not on every poll.
_COUNT = select(func.count()).select_from(counted_takes(bindparam("workshop_id")).subquery())


def latest_release(workshop: Workshop) -> Release | None:
    return db.session.scalar(
        select(Release)
        .where(Release.workshop_id == workshop.id, Release.surface == ROOM)
        .order_by(Release.id.desc())
        .limit(1)
    )


def new_since(workshop: Workshop, release: Release | None) -> int | None:
    """People counted now who were not in ``release``; None when nothing was released."""
    if release is None:
        return None
    counted = counted_takes(workshop.id).subquery()
    released = select(ReleaseTake.take_id).where(ReleaseTake.release_id == release.id)
    return (
        db.session.scalar(
            select(func.count()).select_from(counted).where(counted.c.take_id.not_in(released))
        )
        or 0
    )


def release_if_due(workshop: Workshop, today: dt.date) -> Release | None:
    """Release new figures if the rules allow; return the newest release either way.

    Runs inside the caller's unit of work: the caller commits.
    """
    last = latest_release(workshop)
    eligible = count(workshop)
    if not room.is_due(eligible, new_since(workshop, last), workshop.k_room):
        return last
    # Rule 4 of app.domain.privacy: never within 1..9 people of an organizer's release.
    if not dashboards.room_release_allowed(
        workshop.organization_id, counted_takes(workshop.id), today
    ):
        return last
    release = Release(
        organization_id=workshop.organization_id,
        workshop_id=workshop.id,
        surface=ROOM,
        round=workshop.round,
        n=eligible,
        figures={},
        created_on=today,
    )
    db.session.add(release)
    db.session.flush()
    counted = counted_takes(workshop.id).subquery()
    db.session.execute(
        insert(ReleaseTake).from_select(
            ["release_id", "take_id"],
            select(literal(release.id), counted.c.take_id),
        )
    )
    figures = room.guard(aggregate(release.id), workshop.k_room)
    release.n = figures.n
    release.figures = figures.to_json()
    log.info("room figures released for workshop %s (release %s)", workshop.id, release.id)
    return release


def refresh(workshop: Workshop, today: dt.date) -> Release | None:
    """Release new figures between rounds if enough new people have finished."""
    with unit_of_work():
        return release_if_due(workshop, today)


def aggregate(release_id: int) -> room.RoomTable:
    """Aggregate the takes of one release in the database: counts, means and bin counts."""
    members = select(ReleaseTake.take_id).where(ReleaseTake.release_id == release_id)
    n = db.session.scalar(select(func.count()).select_from(members.subquery())) or 0
    share = ScaleResult.share

    def in_bin(condition):
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    rows = db.session.execute(
        select(
            ScaleResult.scale_key,
            func.count(share),
            func.avg(share),
            in_bin(share < room.LOW_BELOW),
            in_bin(and_(share >= room.LOW_BELOW, share < room.HIGH_FROM)),
            in_bin(share >= room.HIGH_FROM),
        )
        .where(
            ScaleResult.take_id.in_(members),
            ScaleResult.scale_key.in_([str(m) for m in MOTIVES]),
            share.is_not(None),
        )
        .group_by(ScaleResult.scale_key)
    ).all()
    mixture_n = max((row[1] for row in rows), default=0)
    means = {key: float(mean) for key, _n, mean, *_bins in rows}
    bins = {key: (int(low), int(even), int(high)) for key, _n, _m, low, even, high in rows}

    counts: dict[str, dict[str, int]] = {}
    for scenario, option, chosen in db.session.execute(
        select(Choice.scenario_key, Choice.option_key, func.count())
        .where(Choice.take_id.in_(members))
        .group_by(Choice.scenario_key, Choice.option_key)
    ):
        counts.setdefault(scenario, {})[option] = int(chosen)
    return room.RoomTable(
        n=n, mixture_n=mixture_n, mean_shares=means, bins=bins, choices=_with_zeros(counts)
    )


def _with_zeros(counts: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
    """Put every option of the current instrument in, in order, so the room sees all of them."""
    out: dict[str, dict[str, int]] = {}
    for scenario in instruments.CURRENT.scenarios:
        if scenario.key in counts:
            found = counts.pop(scenario.key)
            out[scenario.key] = {o.key: found.pop(o.key, 0) for o in scenario.options} | found
    return out | counts


@dataclass(frozen=True)
class RoomView:
    """What the room page shows: the count always, stored figures only between rounds."""

    state: WorkshopState
    round: int
    k_room: int
    counted: int
    figures: room.RoomFigures | None
    released_on: dt.date | None
    new_since: int | None

    @property
    def running(self) -> bool:
        return self.state is WorkshopState.OPEN

    @property
    def more_needed(self) -> int:
        """New people needed before the figures can change (or first appear)."""
        if self.figures is None:
            return max(self.k_room - self.counted, 0)
        return max(room.MORE_TO_CHANGE - (self.new_since or 0), 0)


def view(workshop: Workshop) -> RoomView:
    """The room as its facilitator may see it now."""
    state = WorkshopState(workshop.state)
    counted = count(workshop)
    release = latest_release(workshop) if shows_figures(state) else None
    return RoomView(
        state=state,
        round=workshop.round,
        k_room=workshop.k_room,
        counted=counted,
        figures=room.RoomFigures.from_json(release.figures) if release else None,
        released_on=release.created_on if release else None,
        new_since=new_since(workshop, release),
    )


def shown_figures(workshop: Workshop) -> room.RoomFigures | None:
    """The figures the room was last shown, if any (for the guide's prompts)."""
    release = latest_release(workshop)
    return room.RoomFigures.from_json(release.figures) if release else None
