"""Organizer dashboards: the roll-up, the guard, and the release log, seen from the database.

Who is counted: per person, their latest take that is finished, has the
organization box ticked, has a mixture, and belongs to the organizer's
organization; a take from a workshop only once that workshop is closed, so that
the room has had its figures first. ``dashboard_member`` holds one row per such
take (the roll-up), filled incrementally by ``_sync`` with the take's coarse
attributes, its mixture shares and its leanings; core answers stay in
``answer`` and only the quality page reads them; the deeper module's answers
(the sensitive scales among them) are never read here.

An update (a POST) brings the roll-up up to date, adds it up in one grouped
query, and asks ``app.domain.privacy`` what may be shown. Every set about to be
shown is compared with every earlier release of the organization, the rooms'
included, and with the other sets of the same update (rule 4); a set equal to
one released before shows that release's stored figures again. What may be shown
is stored as releases (``release`` + ``dashboard_set``) and as the page itself
(``dashboard_view``). A page (a GET) only reads what was released.

Sets are stored by definition, not by member list: conditions on the coarse
attributes plus the epoch at which they were released. A roll-up row is never
rewritten (only ``replaced`` is set once), so that definition gives back
exactly the members still in the database; the release's ``n`` counts the ones
deleted since. That keeps a release of a million takes one row, not a million.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import logging
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from sqlalchemy import (
    BigInteger,
    Integer,
    Select,
    and_,
    bindparam,
    case,
    cast,
    delete,
    exists,
    extract,
    false,
    func,
    insert,
    literal,
    literal_column,
    not_,
    or_,
    select,
    true,
)
from sqlalchemy import (
    update as sql_update,
)
from sqlalchemy.orm import aliased

from app import instruments
from app.domain import dp as dp_rules
from app.domain import privacy
from app.domain.instrument import MOTIVES
from app.domain.privacy import (
    DIMENSIONS,
    FINGERPRINT_PRIME,
    LEANINGS,
    OTHER,
    ZERO,
    Categories,
    Condition,
    Dimension,
    Figures,
    Filters,
    Predicate,
    Tally,
)
from app.domain.psychometrics import NotConverged, UnusableData, reliability_from_moments
from app.domain.room import HIGH_FROM, LOW_BELOW
from app.extensions import db
from app.models import (
    Account,
    Answer,
    Choice,
    DashboardCell,
    DashboardMember,
    DashboardSet,
    DashboardState,
    DashboardView,
    PrivacySpend,
    Release,
    ReleaseTake,
    ScaleResult,
    Take,
    Workshop,
)
from app.services import reading, unit_of_work

log = logging.getLogger(__name__)

DASHBOARD = "dashboard"
QUALITY = "quality"
VIEW_VERSION = 1
#: Quality figures are computed for the current core instrument only.
CORE = instruments.CURRENT

M = DashboardMember


# Settings


def k_org() -> int:
    return int(current_app.config.get("K_ORG", privacy.K_ORG))


def min_difference() -> int:
    return int(current_app.config.get("MIN_DIFFERENCE", privacy.MIN_DIFFERENCE))


def dp_settings() -> dp_rules.Settings | None:
    """The DP settings when DP is on (``DP_ENABLED``), else None."""
    config = current_app.config
    if not config.get("DP_ENABLED"):
        return None
    return dp_rules.Settings(
        epsilon=float(config.get("DP_EPSILON", dp_rules.DEFAULT_EPSILON)),
        budget=float(config.get("DP_BUDGET", dp_rules.DEFAULT_BUDGET)),
    )


def _noise():
    # Tests may put a deterministic sampler here; it is never a setting of its own.
    return current_app.config.get("DP_NOISE") or dp_rules.laplace


# The roll-up


def _lock_state(organization_id: int, today: dt.date) -> DashboardState:
    """The organization's state row, locked for this transaction (created on first use)."""
    state = db.session.scalar(
        select(DashboardState)
        .where(DashboardState.organization_id == organization_id)
        .with_for_update()
    )
    if state is None:
        state = DashboardState(
            organization_id=organization_id, epoch=0, categories={}, updated_on=today
        )
        db.session.add(state)
        db.session.flush()
    return state


def _sync(state: DashboardState, ids: tuple[int, int] | None = None) -> int:
    """Add the takes that count now; mark the ones they replace. Returns rows added.

    Only takes no sync has looked at yet are read. They are marked first with the
    epoch of this sync (``Take.dashboard_epoch``), finished and with their workshop
    closed or none; then just the marked ones are read, and the epoch moves on. So
    a take that finishes while this runs is left for the next sync, never marked
    unread, and an update's work grows with the takes finished since the last one,
    not with the takes the organization has. Of the marked takes, those that count
    (organization box ticked, not counted already, no later take of the same person
    counted) enter, their shares, leanings and completeness added up per take in
    grouped queries over just them; the rest never will. ``ids`` (after, up to)
    limits the sync to the takes in that range of ids (``sync`` in batches).
    """
    organization_id = state.organization_id
    epoch = state.epoch + 1
    connection = db.session.connection()  # Core, so that row counts come back
    in_range = true() if ids is None else Take.id.between(ids[0] + 1, ids[1])
    dialect = connection.dialect.name
    unread = _rare(Take.dashboard_epoch.is_(None), dialect)
    read_now = _rare(Take.dashboard_epoch == epoch, dialect)
    looked_at = connection.execute(
        sql_update(Take)
        .where(
            Take.organization_id == organization_id, unread, in_range, _readable(organization_id)
        )
        .values(dashboard_epoch=epoch)
    ).rowcount
    if looked_at == 0:
        return 0
    state.epoch = epoch  # each sync's marks are its own, whether or not a take enters
    candidates = (
        select(
            Take.id,
            Take.respondent_id,
            Take.cause_key,
            Take.locale,
            Take.workshop_id,
            Take.finished_on,
            Take.instrument_key,
            Take.instrument_version,
        )
        .where(
            Take.organization_id == organization_id,
            read_now,
            Take.consent_org.is_(True),
            ~exists().where(M.take_id == Take.id),
            # A later take of the same person is counted already: this one never will be.
            ~exists().where(M.respondent_id == Take.respondent_id, M.take_id > Take.id),
        )
        .cte("candidates", nesting=True)
    )
    motives = [str(m) for m in MOTIVES]
    # Each motive's share found through scale_result's primary key: a join every planner
    # answers with an index, however few rows it guesses the candidates to be.
    share = {m: aliased(ScaleResult, name=f"share_{m}") for m in motives}
    ranked = select(
        candidates,
        *[share[m].share.label(m) for m in motives],
        func.row_number()
        .over(partition_by=candidates.c.respondent_id, order_by=candidates.c.id.desc())
        .label("rank"),
    )
    for m in motives:
        ranked = ranked.join(
            share[m],
            and_(
                share[m].take_id == candidates.c.id,
                share[m].scale_key == m,
                share[m].share.is_not(None),
            ),
        )
    ranked = ranked.cte("ranked", nesting=True)
    # Per take, a few rows of ``choice`` and ``answer`` found through their primary keys:
    # correlated lookups, so that no database ever scans one grouped table per take.
    chosen = Choice.scenario_key + literal(":") + Choice.option_key
    sides = privacy.leaning_options(CORE.scenarios)

    def lean(leaning):
        def count(keys):
            wanted = [f"{sc}:{op}" for sc, op in sorted(keys)]
            return func.coalesce(func.sum(case((chosen.in_(wanted), 1), else_=0)), 0)

        first, second = sides[leaning]
        difference = (
            select(count(first) - count(second))
            .where(Choice.take_id == ranked.c.id)
            .scalar_subquery()
        )
        return func.sign(difference)  # looked up once: a CASE would repeat the subquery

    core_keys = [item.key for item in CORE.items]
    answered = (
        select(func.count())
        .select_from(Answer)
        .where(Answer.take_id == ranked.c.id, Answer.item_key.in_(core_keys))
        .scalar_subquery()
    )
    year = cast(extract("year", ranked.c.finished_on), Integer)
    month = cast(extract("month", ranked.c.finished_on), Integer)
    new = select(
        ranked.c.id,
        literal(organization_id),
        ranked.c.respondent_id,
        literal(epoch),
        func.coalesce(ranked.c.cause_key, "custom"),
        year * 10 + (month + 2) // 3,
        ranked.c.locale,
        func.coalesce(ranked.c.workshop_id, 0),
        *[ranked.c[m] for m in motives],
        *[lean(leaning) for leaning in LEANINGS],
        case(
            (
                and_(
                    ranked.c.instrument_key == CORE.key,
                    ranked.c.instrument_version == CORE.version,
                    answered == len(core_keys),
                ),
                True,
            ),
            else_=False,
        ),
    ).where(ranked.c.rank == 1)
    columns = [
        "take_id",
        "organization_id",
        "respondent_id",
        "entered",
        "cause",
        "quarter",
        "locale",
        "workshop_id",
        "share_outgroup",
        "share_ingroup",
        "share_personal",
        "share_morality",
        "lean_help",
        "lean_action",
        "lean_visibility",
        "lean_ally",
        "complete",
    ]
    # Wrapped, so that the statement starts with INSERT: SQLite reports how many rows
    # went in only then.
    wrapped = new.subquery("new")
    added = connection.execute(insert(M).from_select(columns, select(*wrapped.c))).rowcount
    if added < 0:
        # psycopg gives no count for this INSERT ... SELECT: count what entered now, so
        # that an update with nothing new keeps the epoch on PostgreSQL as on SQLite.
        entered_now = select(func.count()).select_from(M)
        added = connection.execute(
            entered_now.where(M.organization_id == organization_id, M.entered == epoch)
        ).scalar_one()
    if added == 0:
        return 0
    fresh = aliased(M)
    connection.execute(
        sql_update(M)
        .where(
            M.organization_id == organization_id,
            M.replaced.is_(None),
            M.entered < epoch,
            exists().where(fresh.respondent_id == M.respondent_id, fresh.entered == epoch),
        )
        .values(replaced=epoch)
    )
    return added


def _rare(condition: Any, dialect: str) -> Any:
    """``condition``, told to SQLite's planner to be rarely true of a take.

    SQLite keeps statistics only when told to (ANALYZE), and ones taken while every
    take was unread make it scan them all, every update (2.5 s at 1,000,000 takes):
    say that few match, as is so but for the very first sync.
    """
    if dialect != "sqlite":
        return condition
    return func.likelihood(condition, literal_column("0.001"))


def _readable(organization_id: int) -> Any:
    """Takes a sync may read: finished, and from a closed workshop or none."""
    closed = select(Workshop.id).where(
        Workshop.organization_id == organization_id, Workshop.state == "closed"
    )
    return and_(
        Take.state == "finished",
        Take.finished_on.is_not(None),
        or_(Take.workshop_id.is_(None), Take.workshop_id.in_(closed)),
    )


#: Takes a sync outside a page reads per transaction. A sync holds its organization's
#: state row, and the takes it marks, until it commits; a volunteer deleting their data
#: meanwhile waits for it. A batch of 20,000 took 0.8-1.6 s here (docs/performance.md).
SYNC_BATCH = 20_000


def sync(organization_id: int, today: dt.date, batch: int = SYNC_BATCH) -> int:
    """Bring the organization's roll-up and cube up to date outside a page; returns the
    takes added.

    The first half of an update, with nothing released. An update adds every take
    finished since the last one, and at 1,000,000 new takes that took about a minute
    (docs/performance.md): longer than a page may take. ``flask sync-dashboards``
    runs this from the host's scheduler, so that an update only adds the takes of
    the last day, and finds the cube added up. A backlog is read in batches
    (``_sync_backlog``); the last transaction reads what is left and adds the cube
    up. The count returned is of roll-up rows added: a take that a later batch's
    retake of the same person replaces counts as well.
    """
    with unit_of_work():
        state, added = _sync_backlog(organization_id, today, batch)
        added += _sync(state)
        _cube(state)
    return added


def _sync_backlog(organization_id: int, today: dt.date, batch: int) -> tuple[DashboardState, int]:
    """Sync a backlog ``batch`` takes at a time, in order of id, each batch committed
    as a sync of its own; return the state row, locked in a transaction with less
    than a batch left, and the roll-up rows added.

    A backlog is the first sync after an upgrade, an import or a restore, or an
    organizer's update where no nightly sync runs. A sync holds the state row and the
    takes it marks until it commits, so that no deletion or update waits for more
    than one batch. With less than a batch to read (every nightly sync, every update
    after one) this is one more query, in the transaction the caller goes on with.
    """
    added, after = 0, 0
    unread = _rare(Take.dashboard_epoch.is_(None), db.session.get_bind().dialect.name)
    while True:
        state = _lock_state(organization_id, today)
        upto = db.session.scalar(
            select(Take.id)
            .where(
                Take.organization_id == organization_id,
                unread,
                Take.id > after,
                _readable(organization_id),
            )
            .order_by(Take.id)
            .offset(batch - 1)
            .limit(1)
        )
        if upto is None:
            return state, added
        added += _sync(state, (after, upto))
        db.session.commit()
        after = upto


# Adding up: the cube, kept between updates


@dataclass(frozen=True)
class Cell:
    """One group of the cube: a value per dimension, completeness, and its tally."""

    values: Mapping[Dimension, str]
    complete: bool
    tally: Tally


def quarter_label(number: int) -> str:
    return f"{number // 10:04d}-Q{number % 10}"


def quarter_number(label: str) -> int:
    year, _, quarter = label.partition("-Q")
    return int(year) * 10 + int(quarter)


#: A cube cell's group: cause, quarter number, language, workshop id, completeness.
Group = tuple[str, int, str, int, bool]


def _groups(*where: Any) -> dict[Group, Tally]:
    """The roll-up rows of the organization that meet ``where``, added up per group."""
    shares = [M.share_outgroup, M.share_ingroup, M.share_personal, M.share_morality]
    leans = [M.lean_help, M.lean_action, M.lean_visibility, M.lean_ally]

    def count_if(condition):
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    big = cast(M.take_id, BigInteger)
    rows = db.session.execute(
        select(
            M.cause,
            M.quarter,
            M.locale,
            M.workshop_id,
            M.complete,
            func.count(),
            *[func.sum(s) for s in shares],
            *[count_if(s < LOW_BELOW) for s in shares],
            *[count_if(s >= HIGH_FROM) for s in shares],
            *[count_if(lean == 1) for lean in leans],
            *[count_if(lean == -1) for lean in leans],
            func.sum(big),
            func.sum((big * big) % FINGERPRINT_PRIME),
        )
        .where(*where)
        .group_by(M.cause, M.quarter, M.locale, M.workshop_id, M.complete)
    ).all()
    return {
        (cause, int(quarter), locale, int(workshop), bool(complete)): Tally.from_json(sums)
        for cause, quarter, locale, workshop, complete, *sums in rows
    }


def _cube(state: DashboardState) -> list[Cell]:
    """The organization's cube at its epoch: every current roll-up row, added up per group.

    The stored cube (``DashboardCell``) is brought forward by the rows that entered
    since its epoch, less those replaced since (a row that did both cancels out). A
    deleted take's row leaves the roll-up without either: the roll-up then holds
    fewer current rows than the cube adds up, and the cube is added up afresh.
    """
    organization_id = state.organization_id
    mine = M.organization_id == organization_id
    members = db.session.scalar(
        select(func.count()).select_from(M).where(mine, M.replaced.is_(None))
    )
    cube: dict[Group, Tally] | None = None
    if state.cube_epoch is not None and state.cube_members is not None:
        since = state.cube_epoch
        entered = _groups(mine, M.entered > since) if since < state.epoch else {}
        replaced = _groups(mine, M.replaced > since) if since < state.epoch else {}
        expected = state.cube_members + sum(t.n for t in entered.values())
        if expected - sum(t.n for t in replaced.values()) == members:
            cube = _stored_cube(organization_id)
            changed = set(entered) | set(replaced)
            for group in changed:
                tally = cube.get(group, ZERO) + entered.get(group, ZERO)
                cube[group] = tally - replaced.get(group, ZERO)
            _store_cells(organization_id, {group: cube[group] for group in changed})
            cube = {group: tally for group, tally in cube.items() if tally.n > 0}
    if cube is None:
        cube = _groups(mine, M.replaced.is_(None))
        _store_cells(organization_id, cube, every_cell=True)
    state.cube_epoch, state.cube_members = state.epoch, members
    return [
        Cell(
            {
                Dimension.CAUSE: cause,
                Dimension.QUARTER: quarter_label(quarter),
                Dimension.LANGUAGE: locale,
                Dimension.WORKSHOP: str(workshop),
            },
            complete,
            tally,
        )
        for (cause, quarter, locale, workshop, complete), tally in sorted(cube.items())
    ]


def drop_cubes(going: Select) -> None:
    """Before takes are deleted: drop the stored cube of each organization that counts one.

    ``going`` selects the ids of the takes about to be deleted. A cube is only sums,
    but a group of one holds that person's shares: a deleted person must not stay in
    it until the next update. That update adds the cube up afresh. The state row is
    written first, so that a deletion and an update of the same organization wait
    for each other, as two updates do.
    """
    organizations = select(M.organization_id).where(M.take_id.in_(going)).distinct()
    connection = db.session.connection()
    connection.execute(
        sql_update(DashboardState.__table__)
        .where(DashboardState.organization_id.in_(organizations))
        .values(cube_epoch=None, cube_members=None)
    )
    connection.execute(
        delete(DashboardCell.__table__).where(DashboardCell.organization_id.in_(organizations))
    )


def _stored_cube(organization_id: int) -> dict[Group, Tally]:
    rows = db.session.execute(
        select(
            DashboardCell.cause,
            DashboardCell.quarter,
            DashboardCell.locale,
            DashboardCell.workshop_id,
            DashboardCell.complete,
            DashboardCell.tally,
        ).where(DashboardCell.organization_id == organization_id)
    ).all()
    return {
        (cause, quarter, locale, workshop, bool(complete)): Tally.from_json(tally)
        for cause, quarter, locale, workshop, complete, tally in rows
    }


def _store_cells(
    organization_id: int, cells: Mapping[Group, Tally], every_cell: bool = False
) -> None:
    """Write these cells of the stored cube; a cell with nobody left is deleted.

    With ``every_cell`` they are the whole cube: the organization's other cells go.
    """
    cell = DashboardCell
    connection = db.session.connection()  # Core: many rows, one statement each
    if every_cell:
        connection.execute(delete(cell.__table__).where(cell.organization_id == organization_id))
    elif cells:
        key = and_(
            cell.organization_id == organization_id,
            cell.cause == bindparam("g_cause"),
            cell.quarter == bindparam("g_quarter"),
            cell.locale == bindparam("g_locale"),
            cell.workshop_id == bindparam("g_workshop"),
            cell.complete == bindparam("g_complete"),
        )
        groups = [
            {
                "g_cause": cause,
                "g_quarter": quarter,
                "g_locale": locale,
                "g_workshop": workshop,
                "g_complete": complete,
            }
            for cause, quarter, locale, workshop, complete in cells
        ]
        connection.execute(delete(cell.__table__).where(key), groups)
    rows = [
        {
            "organization_id": organization_id,
            "cause": cause,
            "quarter": quarter,
            "locale": locale,
            "workshop_id": workshop,
            "complete": complete,
            "tally": tally.to_json(),
        }
        for (cause, quarter, locale, workshop, complete), tally in cells.items()
        if tally.n > 0
    ]
    if rows:
        connection.execute(insert(cell.__table__), rows)


def _fold(cube: Iterable[Cell], predicate: Predicate) -> Tally:
    return privacy.total(c.tally for c in cube if predicate.holds(c.values, c.complete))


def _marginals(cube: Iterable[Cell]) -> dict[Dimension, dict[str, int]]:
    out: dict[Dimension, dict[str, int]] = {d: {} for d in DIMENSIONS}
    for cell in cube:
        for dimension in DIMENSIONS:
            value = cell.values[dimension]
            out[dimension][value] = out[dimension].get(value, 0) + cell.tally.n
    return out


# The release log and rule 4


@dataclass(frozen=True)
class Logged:
    """An earlier release: a dashboard set (by definition) or a room's (by member list)."""

    release_id: int
    n: int
    kind: str  # figures, derived, quality, or room
    predicate: Predicate | None = None
    epoch: int | None = None
    fingerprint: str | None = None


@dataclass(eq=False)
class Pending:
    """A set this update is about to release."""

    kind: str
    predicate: Predicate
    tally: Tally
    release_id: int | None = None  # once written
    figures: Figures | None = None


def _logged(organization_id: int) -> list[Logged]:
    rows = db.session.execute(
        select(
            Release.id,
            Release.n,
            Release.surface,
            DashboardSet.kind,
            DashboardSet.conditions,
            DashboardSet.epoch,
            DashboardSet.fingerprint,
        )
        .outerjoin(DashboardSet, DashboardSet.release_id == Release.id)
        .where(Release.organization_id == organization_id)
    ).all()
    out = []
    for release_id, n, surface, kind, conditions, epoch, fingerprint in rows:
        if surface == DASHBOARD and kind is not None:
            out.append(
                Logged(release_id, n, kind, Predicate.from_json(conditions), epoch, fingerprint)
            )
        else:
            out.append(Logged(release_id, n, "room"))
    return out


_COLUMNS = {
    Dimension.CAUSE: ("cause", str),
    Dimension.QUARTER: ("quarter", quarter_number),
    Dimension.LANGUAGE: ("locale", str),
    Dimension.WORKSHOP: ("workshop_id", int),
}


def _where(predicate: Predicate, table) -> Any:
    """The predicate as SQL over ``table`` (the roll-up or an alias of it)."""
    clauses = []
    for condition in predicate.conditions:
        name, convert = _COLUMNS[condition.dimension]
        column = getattr(table, name)
        values = [convert(v) for v in condition.values]
        if condition.negated:
            clauses.append(column.not_in(values) if values else true())
        else:
            clauses.append(column.in_(values) if values else false())
    if predicate.complete:
        clauses.append(table.complete.is_(True))
    return and_(true(), *clauses)


def _in_set_at(table, logged: Logged) -> Any:
    """Rows of ``table`` that were members of ``logged`` (alive ones) at its epoch."""
    return and_(
        table.entered <= logged.epoch,
        or_(table.replaced.is_(None), table.replaced > logged.epoch),
        _where(logged.predicate, table),
    )


class Checker:
    """Rule 4 for one update: a new set against the log and against this update's sets."""

    def __init__(self, organization_id: int, epoch: int, cube: list[Cell]):
        self.organization_id = organization_id
        self.epoch = epoch
        self.cube = cube
        self.k = k_org()
        self.d = min_difference()
        self.logged = _logged(organization_id)
        self.pending: list[Pending] = []
        #: DP budget this update spends (0 without DP).
        self.spend = 0.0
        self._by_fingerprint: dict[tuple[str, str], Logged] = {}
        for item in self.logged:
            self.remember(item)

    def remember(self, item: Logged) -> None:
        """Log a release; the first release of a set is the one shown again."""
        if item not in self.logged:
            self.logged.append(item)
        if item.fingerprint:
            self._by_fingerprint.setdefault((item.kind, item.fingerprint), item)

    def reusable(self, kind: str, tally: Tally) -> Logged | None:
        """An earlier release of exactly this set (and kind of figures), if any."""
        return self._by_fingerprint.get((kind, tally.fingerprint))

    def pending_equal(self, kind: str, tally: Tally) -> Pending | None:
        """A set of this update equal to this one, if any (it is released once)."""
        return next(
            (p for p in self.pending if p.kind == kind and p.tally == tally),
            None,
        )

    def allowed(self, predicate: Predicate, tally: Tally, ignore: Iterable[Pending] = ()) -> bool:
        """True when the set keeps rule 4 with every release and every pending set."""
        skip = {id(p) for p in ignore}
        size = tally.n
        for item in self.pending:
            if id(item) in skip or not privacy.may_be_close(size, item.tally.n, self.d):
                continue
            same = self._same_now(predicate, item.predicate)
            if not privacy.far_enough(
                privacy.person_difference(size, item.tally.n, same, 0), self.d
            ):
                return False
        for item in self.logged:
            if not privacy.may_be_close(size, item.n, self.d):
                continue
            if not privacy.far_enough(self._difference(predicate, size, item), self.d):
                return False
        return True

    def _same_now(self, a: Predicate, b: Predicate) -> int:
        if a.disjoint(b):
            return 0
        both = Predicate(a.conditions + b.conditions, a.complete or b.complete)
        return _fold(self.cube, both).n

    def _difference(self, predicate: Predicate, size: int, item: Logged) -> int:
        if item.kind == "room":
            same, swapped = _against_room(self.organization_id, predicate, item)
            return privacy.person_difference(size, item.n, same, swapped)
        assert item.predicate is not None and item.epoch is not None
        if item.epoch == self.epoch:
            # No take entered or was replaced since: only deletions, which n counts.
            same = self._same_now(predicate, item.predicate)
            return privacy.person_difference(size, item.n, same, 0)
        if predicate.disjoint(item.predicate) and max(size, item.n) >= self.d:
            return max(size, item.n)  # a lower bound: it is far enough either way
        same, swapped = _against_dashboard(self.organization_id, predicate, item)
        return privacy.person_difference(size, item.n, same, swapped)


def _against_dashboard(organization_id: int, predicate: Predicate, item: Logged) -> tuple[int, int]:
    """Takes in both (the current set and an earlier one), and people who swapped takes."""
    a = aliased(M)
    return _overlap(
        organization_id,
        item,
        a.take_id,
        a.respondent_id,
        _in_set_at(a, item),
        a.organization_id == organization_id,
        a.replaced.is_(None),
        _where(predicate, a),
    )


def _overlap(organization_id, item, take_id, respondent_id, in_old, *where) -> tuple[int, int]:
    """Over the takes meeting ``where``: how many are in ``item``'s set (``in_old``), and
    how many others belong to a person who is in that set with another take."""
    b = aliased(M)
    swapped_person = exists().where(
        b.organization_id == organization_id,
        b.respondent_id == respondent_id,
        b.take_id != take_id,
        _in_set_at(b, item),
    )
    same, swapped = db.session.execute(
        select(
            func.coalesce(func.sum(case((in_old, 1), else_=0)), 0),
            func.coalesce(func.sum(case((and_(not_(in_old), swapped_person), 1), else_=0)), 0),
        ).where(*where)
    ).one()
    return int(same), int(swapped)


def _against_room(organization_id: int, predicate: Predicate, item: Logged) -> tuple[int, int]:
    a = aliased(M)
    room_takes = select(ReleaseTake.take_id).where(ReleaseTake.release_id == item.release_id)
    room_people = (
        select(Take.respondent_id)
        .join(ReleaseTake, ReleaseTake.take_id == Take.id)
        .where(ReleaseTake.release_id == item.release_id)
    )
    in_room = a.take_id.in_(room_takes)
    same, swapped = db.session.execute(
        select(
            func.coalesce(func.sum(case((in_room, 1), else_=0)), 0),
            func.coalesce(
                func.sum(case((and_(not_(in_room), a.respondent_id.in_(room_people)), 1), else_=0)),
                0,
            ),
        ).where(
            a.organization_id == organization_id,
            a.replaced.is_(None),
            _where(predicate, a),
        )
    ).one()
    return int(same), int(swapped)


def room_release_allowed(organization_id: int, takes: Select, today: dt.date) -> bool:
    """True when a room's new set keeps rule 4 with every dashboard set of the organization.

    ``takes`` selects the ids of the takes the room would count. Dashboard sets
    are checked here; the rooms' own rule (``app.domain.room``) covers the rooms.
    """
    logged = [item for item in _logged(organization_id) if item.kind != "room"]
    if not logged:
        return True
    _lock_state(organization_id, today)  # a dashboard update waits, or went first
    chosen = takes.subquery()
    size = db.session.scalar(select(func.count()).select_from(chosen)) or 0
    d = min_difference()
    for item in logged:
        if not privacy.may_be_close(size, item.n, d):
            continue
        t = aliased(Take)
        m = aliased(M)
        same, swapped = _overlap(
            organization_id,
            item,
            t.id,
            t.respondent_id,
            exists().where(m.take_id == t.id, _in_set_at(m, item)),
            t.id.in_(select(chosen.c[0])),
        )
        difference = privacy.person_difference(size, item.n, same, swapped)
        if not privacy.far_enough(difference, d):
            log.info("room figures held back: too close to dashboard release %s", item.release_id)
            return False
    return True


# An update of one dashboard page


@dataclass(frozen=True)
class Outcome:
    """What an update did: updated (a new page), unchanged, kept (refused), or budget."""

    status: str
    filters: Filters
    view: DashboardView | None = None


class UpdateRefused(Exception):
    """Nothing may be released now; the page stays as it was."""

    def __init__(self, status: str, filters: Filters | None = None):
        super().__init__(status)
        self.status = status
        self.filters = filters or Filters()


def update(account: Account, given: Mapping[str, str], today: dt.date) -> Outcome:
    """Bring the roll-up up to date and release what the rules allow for these filters.

    Raises ``privacy.FilterError`` for filters that are not offered.
    """
    organization_id = account.organization_id
    try:
        with _updating(organization_id, today) as (state, cube):
            categories = privacy.categorize(_marginals(cube), k_org())
            state.categories = categories.to_json()
            state.updated_on = today
            filters = Filters.parse(given, categories)
            checker = Checker(organization_id, state.epoch, cube)
            figures = _build(checker, filters, categories, today)
            latest = _latest_view(organization_id, DASHBOARD, filters.key)
            if latest is not None and latest.figures == figures:
                status, view = "unchanged", latest
            else:
                view = _write_view(organization_id, DASHBOARD, filters.key, figures, state, today)
                _write_spend(checker, view, today)
                status = "updated"
    except UpdateRefused as refused:
        log.info("dashboard update refused (%s) for organization %s", refused.status,
                 organization_id)  # fmt: skip
        return Outcome(refused.status, refused.filters)
    log.info("dashboard %s for organization %s by %s", status, organization_id, account.id)
    return Outcome(status, filters, view)


@contextmanager
def _updating(organization_id: int, today: dt.date) -> Iterator[tuple[DashboardState, list[Cell]]]:
    """An update: the sync and the cube, then the block's release in a savepoint.

    A refused update (``UpdateRefused`` from the block) releases nothing: everything
    the block wrote (release log, view, spend, categories) is rolled back, and the
    refusal is raised again once the rest is committed. The rest, the sync and the
    cube, is what ``flask sync-dashboards`` commits on its own, and it is kept:
    rolled back with the release, a refused update after a deletion added up the
    whole cube again at every try (about 4 s at 1,000,000 takes).
    """
    refused = None
    with unit_of_work():
        state, _added = _sync_backlog(organization_id, today, SYNC_BATCH)
        _sync(state)
        cube = _cube(state)
        try:
            with db.session.begin_nested():
                yield state, cube
        except UpdateRefused as refusal:
            refused = refusal
    if refused is not None:
        raise refused


def _write_view(organization_id, kind, context, figures, state, today) -> DashboardView:
    view = DashboardView(
        organization_id=organization_id,
        kind=kind,
        context=context,
        figures=figures,
        epoch=state.epoch,
        created_on=today,
    )
    db.session.add(view)
    db.session.flush()
    return view


def _build(checker: Checker, filters: Filters, categories: Categories, today) -> dict[str, Any]:
    """Decide and write the releases of one page; return the page as it will be shown."""
    k = checker.k
    predicate = filters.predicate(categories)
    overview = _fold(checker.cube, predicate)
    page: dict[str, Any] = {
        "version": VIEW_VERSION,
        "filters": filters.as_dict(),
        "status": "shown",
        "overview": None,
        "breakdowns": [],
        "dp": None,
    }
    if overview.n < k:
        page["status"] = "small"
        return page
    settings = dp_settings()
    first = _decide(checker, "figures", predicate, overview)
    if first is None:
        if _latest_view(checker.organization_id, DASHBOARD, filters.key) is not None:
            raise UpdateRefused("kept", filters)
        page["status"] = "too_close"
        return page
    groups = [[first]]
    breakdowns = []
    for dimension in filters.breakdowns():
        cells, members, hidden = _breakdown(checker, predicate, overview, categories, dimension)
        breakdowns.append((dimension, cells, hidden))
        groups.append(members)
    # A group costs epsilon if it releases a set no earlier group of this page released.
    new_groups, counted = 0, set()
    for group in groups:
        fresh = {id(p) for p in group if p.release_id is None and p.kind == "figures"}
        if fresh - counted:
            new_groups += 1
            counted |= fresh
    if settings is not None and new_groups:
        spent = _spent(checker.organization_id, today)
        cost = settings.cost(new_groups)
        if not settings.may_spend(spent, cost):
            raise UpdateRefused("budget", filters)
        checker.spend = cost
    for group in groups:
        for item in group:
            _release(checker, item, today, settings)
    if settings is not None and first.figures.noisy:
        page["dp"] = {"epsilon": settings.epsilon, "scale": settings.scale}
    page["overview"] = {"release": first.release_id, **first.figures.to_json()}
    for dimension, cells, hidden in breakdowns:
        rows = []
        for value, item in cells.items():
            if item.tally.n == 0:
                continue
            reason = hidden.get(value)
            shown = reason is None and item.figures is not None
            rows.append(
                {
                    "value": value,
                    "n": item.figures.n if shown else None,
                    "mean_shares": item.figures.mean_shares if shown else None,
                    "hidden": str(reason) if reason else None,
                    "release": item.release_id if shown else None,
                }
            )
        page["breakdowns"].append({"dimension": str(dimension), "cells": rows})
    return page


def _decide(checker: Checker, kind: str, predicate: Predicate, tally: Tally) -> Pending | None:
    """A pending release of the set (reusing an equal earlier one), or None if too close."""
    same = checker.pending_equal(kind, tally)
    if same is not None:
        return same
    earlier = checker.reusable(kind, tally)
    if earlier is not None:
        item = Pending(kind, predicate, tally, release_id=earlier.release_id)
        if kind == "figures":  # derived sets show nothing; quality figures are read as stored
            item.figures = Figures.from_json(db.session.get(Release, earlier.release_id).figures)
        checker.pending.append(item)
        return item
    if not checker.allowed(predicate, tally):
        return None
    item = Pending(kind, predicate, tally)
    checker.pending.append(item)
    return item


def _breakdown(checker, predicate, overview, categories, dimension):
    """Cells of one breakdown, with rules 1, 2 and 4 applied; returns (cells, releases, hidden)."""
    k = checker.k
    named = set(categories.named.get(dimension, ()))
    buckets: dict[str, Tally] = {value: privacy.ZERO for value in categories.cells(dimension)}
    for cell in checker.cube:
        if not predicate.holds(cell.values, cell.complete):
            continue
        value = cell.values[dimension]
        key = value if value in named else OTHER
        if key in buckets:
            buckets[key] = buckets[key] + cell.tally
    before = len(checker.pending)
    cells: dict[str, Pending] = {}
    too_close = []
    for value, tally in buckets.items():
        condition = categories.condition(dimension, value)
        cell_predicate = predicate.and_(condition)
        if tally.n < k:
            cells[value] = Pending("figures", cell_predicate, tally)
            continue
        decided = _decide(checker, "figures", cell_predicate, tally)
        if decided is None:
            too_close.append(value)
            decided = Pending("figures", cell_predicate, tally)
        cells[value] = decided
    in_this = checker.pending[before:]

    def residual_ok(hidden: frozenset[str]) -> bool:
        residual = _hidden_condition(categories, dimension, hidden)
        tally = overview - privacy.total(cells[v].tally for v in cells if v not in hidden)
        if checker.reusable("derived", tally) or checker.reusable("figures", tally):
            return True
        return checker.allowed(predicate.and_(residual), tally, ignore=in_this)

    counts = {value: item.tally.n for value, item in cells.items()}
    hidden = privacy.suppress_cells(counts, too_close, residual_ok, k)
    members = []
    for value, item in cells.items():
        if hidden[value] is None and item.tally.n >= k:
            members.append(item)
        elif item in in_this and item in checker.pending:
            checker.pending.remove(item)
    hidden_values = frozenset(v for v, h in hidden.items() if h is not None)
    shown_total = privacy.total(cells[v].tally for v in cells if v not in hidden_values)
    residual_tally = overview - shown_total
    if residual_tally.n > 0 and shown_total.n > 0:
        residual = predicate.and_(_hidden_condition(categories, dimension, hidden_values))
        derived = _decide(checker, "derived", residual, residual_tally)
        if derived is None:  # residual_ok accepted it, so this cannot happen
            raise privacy.PrivacyError("a derived set was refused after being accepted")
        members.append(derived)
    return cells, members, {v: h for v, h in hidden.items() if h is not None}


def _hidden_condition(categories: Categories, dimension: Dimension, hidden) -> Condition:
    """The condition met by exactly the hidden cells of a breakdown."""
    cells = categories.cells(dimension)
    named_hidden = tuple(v for v in hidden if v != OTHER)
    if OTHER in cells and OTHER not in hidden:
        return Condition(dimension, named_hidden)
    visible = tuple(v for v in categories.named.get(dimension, ()) if v not in hidden)
    return Condition(dimension, visible, negated=True)


def _release(checker: Checker, item: Pending, today: dt.date, settings) -> None:
    """Write a pending set to the log (unless it reuses an earlier release)."""
    if item.release_id is not None:
        return
    figures: dict[str, Any] = {"version": privacy.FIGURES_VERSION, "derived": True}
    if item.kind == "figures":
        guarded = privacy.figures_of(item.tally, checker.k)
        if settings is not None:
            guarded = dp_rules.noisy_figures(item.tally, guarded, settings.scale, _noise())
        item.figures = guarded
        figures = guarded.to_json()
    _log_release(checker, item, figures, today)
    checker.remember(
        Logged(item.release_id, item.tally.n, item.kind, item.predicate, checker.epoch,
               item.tally.fingerprint)
    )  # fmt: skip
    checker.pending.remove(item)


def _log_release(checker: Checker, item: Pending, figures: dict[str, Any], today) -> None:
    """Store ``figures`` as a release of the organization's dashboard, with the set they
    describe (its kind, conditions, epoch and fingerprint) beside it in the log."""
    release = Release(
        organization_id=checker.organization_id,
        surface=DASHBOARD,
        n=item.tally.n,
        figures=figures,
        created_on=today,
    )
    db.session.add(release)
    db.session.flush()
    db.session.add(
        DashboardSet(
            release_id=release.id,
            organization_id=checker.organization_id,
            kind=item.kind,
            conditions=item.predicate.to_json(),
            epoch=checker.epoch,
            fingerprint=item.tally.fingerprint,
        )
    )
    item.release_id = release.id


# The DP ledger


def quarter_of(day: dt.date) -> str:
    return privacy.quarter_of(day.year, day.month)


def _spent(organization_id: int, today: dt.date) -> float:
    return float(
        db.session.scalar(
            select(func.coalesce(func.sum(PrivacySpend.epsilon), 0.0)).where(
                PrivacySpend.organization_id == organization_id,
                PrivacySpend.quarter == quarter_of(today),
            )
        )
        or 0.0
    )


def _write_spend(checker: Checker, view: DashboardView, today: dt.date) -> None:
    cost = checker.spend
    if cost:
        db.session.add(
            PrivacySpend(
                organization_id=checker.organization_id,
                quarter=quarter_of(today),
                epsilon=cost,
                view_id=view.id,
                created_on=today,
            )
        )


@dataclass(frozen=True)
class Budget:
    """The DP settings and what the organization has spent this quarter."""

    settings: dp_rules.Settings
    quarter: str
    spent: float

    @property
    def remaining(self) -> float:
        return self.settings.remaining(self.spent)


def budget(organization_id: int, today: dt.date) -> Budget | None:
    settings = dp_settings()
    if settings is None:
        return None
    return Budget(settings, quarter_of(today), reading(lambda: _spent(organization_id, today)))


# Reading what was released


def _latest_view(organization_id: int, kind: str, context: str) -> DashboardView | None:
    return db.session.scalar(
        select(DashboardView)
        .where(
            DashboardView.organization_id == organization_id,
            DashboardView.kind == kind,
            DashboardView.context == context,
        )
        .order_by(DashboardView.id.desc())
        .limit(1)
    )


def _categories(organization_id: int) -> Categories:
    state = db.session.get(DashboardState, organization_id)
    return Categories.from_json(state.categories if state else None)


@dataclass(frozen=True)
class Page:
    """A dashboard page as released (or None), with what the filter form offers."""

    filters: Filters
    categories: Categories
    view: DashboardView | None
    workshops: dict[str, tuple[str, dt.date]] = field(default_factory=dict)

    @property
    def figures(self) -> dict[str, Any] | None:
        return self.view.figures if self.view else None


def page(account: Account, given: Mapping[str, str], kind: str = DASHBOARD) -> Page:
    """The released page for these filters. Raises ``privacy.FilterError`` for others."""
    organization_id = account.organization_id

    def read() -> Page:
        categories = _categories(organization_id)
        filters = Filters.parse(given, categories) if kind == DASHBOARD else Filters()
        view = _latest_view(organization_id, kind, filters.key)
        return Page(filters, categories, view, _workshop_names(organization_id, categories))

    return reading(read)


def _workshop_names(organization_id: int, categories: Categories) -> dict[str, tuple[str, dt.date]]:
    ids = [int(v) for v in categories.named.get(Dimension.WORKSHOP, ()) if v != "0"]
    if not ids:
        return {}
    rows = db.session.execute(
        select(Workshop.id, Workshop.title, Workshop.created_on).where(
            Workshop.organization_id == organization_id, Workshop.id.in_(ids)
        )
    )
    return {str(i): (title, day) for i, title, day in rows}


# Instrument quality


def _quality_moments(organization_id: int) -> dict[str, dict[str, Any]]:
    """Per language: n, the fingerprint parts, and per core scale the sums of its items."""
    rs = CORE.response_scale
    pivot_columns = []
    for item in CORE.items:
        value = case(
            (Answer.item_key == item.key, rs.floor + rs.ceiling - Answer.value)
            if item.reverse
            else (Answer.item_key == item.key, Answer.value)
        )
        pivot_columns.append(func.max(value).label(item.key))
    pivot = (
        select(Answer.take_id, *pivot_columns)
        .join(M, M.take_id == Answer.take_id)
        .where(
            M.organization_id == organization_id,
            M.replaced.is_(None),
            M.complete.is_(True),
            Answer.item_key.in_([item.key for item in CORE.items]),
        )
        .group_by(Answer.take_id)
        .subquery()
    )
    scales = [CORE.motive_scale(m) for m in MOTIVES]
    sums = []
    for scale in scales:
        keys = [item.key for item in CORE.items_of(scale.key)]
        sums += [func.sum(pivot.c[key]) for key in keys]
        sums += [func.sum(pivot.c[a] * pivot.c[b]) for i, a in enumerate(keys) for b in keys[i:]]
    big = cast(M.take_id, BigInteger)
    rows = db.session.execute(
        select(
            M.locale,
            func.count(),
            func.sum(big),
            func.sum((big * big) % FINGERPRINT_PRIME),
            *sums,
        )
        .select_from(pivot)
        .join(M, M.take_id == pivot.c.take_id)
        .group_by(M.locale)
    ).all()
    out = {}
    for locale, n, id_sum, id_squares, *values in rows:
        at = 0
        per_scale = {}
        for scale in scales:
            keys = [item.key for item in CORE.items_of(scale.key)]
            k = len(keys)
            item_sums = [float(v) for v in values[at : at + k]]
            at += k
            products = [[0.0] * k for _ in range(k)]
            for i in range(k):
                for j in range(i, k):
                    products[i][j] = products[j][i] = float(values[at])
                    at += 1
            per_scale[scale.key] = (item_sums, products)
        out[locale] = {
            "tally": Tally(n=int(n), id_sum=int(id_sum), id_squares=int(id_squares)),
            "scales": per_scale,
        }
    return out


def _reliability_figures(n: int, per_scale: Mapping[str, Any]) -> dict[str, Any]:
    out = {}
    for motive in MOTIVES:
        scale = CORE.motive_scale(motive)
        item_sums, products = per_scale[scale.key]
        try:
            result = reliability_from_moments(n, item_sums, products)
        except (UnusableData, NotConverged):
            out[scale.key] = None
            continue
        out[scale.key] = {
            "alpha": result.alpha,
            "omega": result.omega,
            "item_total": dict(
                zip([i.key for i in CORE.items_of(scale.key)], result.item_total, strict=True)
            ),
        }
    return out


def update_quality(account: Account, today: dt.date) -> Outcome:
    """Release the instrument-quality figures the rules allow (groups of ``QUALITY_MIN``)."""
    organization_id = account.organization_id
    try:
        with _updating(organization_id, today) as (state, cube):
            checker = Checker(organization_id, state.epoch, cube)
            figures = _build_quality(checker, today)
            latest = _latest_view(organization_id, QUALITY, "")
            if latest is not None and latest.figures == figures:
                status, view = "unchanged", latest
            else:
                view = _write_view(organization_id, QUALITY, "", figures, state, today)
                status = "updated"
    except UpdateRefused as refused:
        return Outcome(refused.status, Filters())
    log.info("quality figures %s for organization %s by %s", status, organization_id, account.id)
    return Outcome(status, Filters(), view)


def _build_quality(checker: Checker, today: dt.date) -> dict[str, Any]:
    moments = _quality_moments(checker.organization_id)
    k = checker.k
    groups: dict[str, dict[str, Any]] = {}
    if moments:
        everyone_tally = privacy.total(m["tally"] for m in moments.values())
        everyone_scales = {}
        for scale in (CORE.motive_scale(m) for m in MOTIVES):
            sums = [m["scales"][scale.key][0] for m in moments.values()]
            products = [m["scales"][scale.key][1] for m in moments.values()]
            everyone_scales[scale.key] = (
                [sum(column) for column in zip(*sums, strict=True)],
                [
                    [sum(p[i][j] for p in products) for j in range(len(products[0]))]
                    for i in range(len(products[0]))
                ],
            )
        groups[""] = {"tally": everyone_tally, "scales": everyone_scales}
    page: dict[str, Any] = {"version": VIEW_VERSION, "minimum": privacy.QUALITY_MIN, "groups": []}
    if not groups or groups[""]["tally"].n < privacy.QUALITY_MIN:
        page["status"] = "small"
        return page
    page["status"] = "shown"
    counts = {locale: m["tally"].n for locale, m in moments.items()}
    shown = privacy.suppress_counts(counts, privacy.QUALITY_MIN, k)
    everyone = Predicate((), complete=True)
    first = _decide(checker, "quality", everyone, groups[""]["tally"])
    if first is None:
        if _latest_view(checker.organization_id, QUALITY, "") is not None:
            raise UpdateRefused("kept")
        page["status"] = "too_close"
        return page
    pending = [("", first, groups[""])]
    for locale in sorted(counts):
        if not shown[locale]:
            continue
        predicate = Predicate((Condition(Dimension.LANGUAGE, (locale,)),), complete=True)
        item = _decide(checker, "quality", predicate, moments[locale]["tally"])
        if item is not None:
            pending.append((locale, item, moments[locale]))
    hidden_total = sum(n for g, n in counts.items() if g not in {p[0] for p in pending})
    if 0 < hidden_total < k:
        # A language refused as too close left a remainder whose count could be worked out.
        for _locale, item, _data in pending[1:]:
            if item in checker.pending:
                checker.pending.remove(item)
        pending = pending[:1]
    for locale, item, data in pending:
        if item.release_id is None:
            figures = _reliability_figures(item.tally.n, data["scales"])
            quality = {"version": privacy.FIGURES_VERSION, "quality": figures}
            _log_release(checker, item, quality, today)
        stored = db.session.get(Release, item.release_id).figures
        page["groups"].append(
            {"locale": locale, "n": item.tally.n, "release": item.release_id,
             "scales": stored["quality"]}
        )  # fmt: skip
    page["hidden_languages"] = len(counts) - (len(page["groups"]) - 1)
    return page


# Exports: exactly what the page shows, never a person's row

#: A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def escape_cell(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def to_csv(rows: Iterable[Mapping[str, Any]], columns: Iterable[str]) -> str:
    """RFC 4180 CSV: text quoted, formulas escaped, numbers as numbers."""
    columns = list(columns)
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([escape_cell(row.get(c, "")) for c in columns])
    return out.getvalue()


def to_json(rows: Iterable[Mapping[str, Any]], meta: Mapping[str, Any]) -> str:
    return json.dumps({**meta, "rows": list(rows)}, ensure_ascii=False, indent=2, default=str)


__all__ = [
    "Budget",
    "Outcome",
    "Page",
    "budget",
    "page",
    "room_release_allowed",
    "to_csv",
    "to_json",
    "update",
    "update_quality",
]
