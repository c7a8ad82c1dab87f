"""Starting, answering, finishing and deleting takes.

A volunteer's private link is a 256-bit token. Only its SHA-256 is stored. The
token is derived from a random nonce carried by the consent form, keyed with
the app's secret, so that a double tap on "start" (two posts of the same form)
reaches the same person instead of making two.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import logging
import re
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache

from flask import current_app
from sqlalchemy import (
    SmallInteger,
    String,
    any_,
    bindparam,
    delete,
    func,
    literal_column,
    null,
    select,
    true,
    union_all,
    update,
)
from sqlalchemy.engine import Row
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from app import instruments
from app.database import write_alone
from app.domain import scoring
from app.domain.instrument import Instrument
from app.domain.take import (
    Step,
    StepKind,
    TakeEvent,
    TakeState,
    advance,
    reached_after,
    resume_step,
    steps,
)
from app.extensions import db
from app.models import Answer, Choice, Respondent, ScaleResult, Take, Workshop
from app.services import DatabaseUnavailable, dashboards, reading, unit_of_work

log = logging.getLogger(__name__)

_URLSAFE_43 = re.compile(r"[A-Za-z0-9_-]{43}")


class StaleStart(Exception):
    """A consent form was posted again after its take had moved on."""


@dataclass(frozen=True)
class Consents:
    """Consent per purpose; the private profile is always consented to when starting."""

    room: bool = False
    org: bool = False


def new_nonce() -> str:
    """A fresh random value for one consent form."""
    return secrets.token_urlsafe(32)


def is_well_formed(value: str | None) -> bool:
    """True for a 43-character URL-safe string: the shape of nonces and tokens."""
    return bool(value) and _URLSAFE_43.fullmatch(value) is not None


def token_for(nonce: str) -> str:
    """Derive the private-link token of the person who posted ``nonce``."""
    key = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(key, b"private-link:" + nonce.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def respondent_for(token: str | None, load: str = "nothing") -> Respondent | None:
    """The respondent whose private link is ``token``; None for anything else.

    Their takes come with their workshops and, when ``load`` is "choices", with the
    takes' scenario choices (a scenario page). Answers are never loaded as objects:
    a page that shows them reads them as plain values (``responses_of``), and a page
    being saved does not need them. What was not loaded is read when first used.
    """
    if not is_well_formed(token):
        return None
    digest = hash_token(token)  # type: ignore[arg-type]
    query = _WITH_CHOICES if load == "choices" else _WITH_TAKES
    rows = reading(lambda: db.session.execute(query, {"digest": digest}).all())
    return _assembled(rows, with_choices=load == "choices")


def _assembled(rows: Sequence[Row], with_choices: bool) -> Respondent | None:
    """The respondent of ``rows`` (respondent, take, workshop[, choice]), their takes,
    the takes' workshops (and choices) in place.

    What a joined eager load does, for the two shapes the volunteer pages read: the
    eager loader builds its row processors again on every query, about a third of the
    query's cost (docs/performance.md, ninth round). Attributes this session has
    already loaded are left as they are, as an eager load leaves them.
    """
    if not rows:
        return None
    respondent = rows[0][0]
    found: dict[int, tuple[Take, list[Choice]]] = {}
    for row in rows:
        take = row[1]
        if take is None:
            continue
        if take.id not in found:
            found[take.id] = (take, [])
            if "workshop" not in take.__dict__:
                set_committed_value(take, "workshop", row[2])
            if "respondent" not in take.__dict__:
                set_committed_value(take, "respondent", respondent)
        if with_choices and row[3] is not None:
            found[take.id][1].append(row[3])
    if "takes" not in respondent.__dict__:
        set_committed_value(respondent, "takes", [take for take, _ in found.values()])
    if with_choices:
        for take, chosen in found.values():
            if "choices" not in take.__dict__:
                set_committed_value(take, "choices", chosen)
    return respondent


#: Every volunteer page needs the takes and their workshop (which sets the journey):
#: one query, not two; a scenario page their choices as well. Built once, so that
#: SQLAlchemy works out their cache keys once, not per page.
_WITH_TAKES = (
    select(Respondent, Take, Workshop)
    .outerjoin(Take, Take.respondent_id == Respondent.id)
    .outerjoin(Workshop, Take.workshop_id == Workshop.id)
    .where(Respondent.token_hash == bindparam("digest"))
    .order_by(Take.id)
)
_WITH_CHOICES = (
    select(Respondent, Take, Workshop, Choice)
    .outerjoin(Take, Take.respondent_id == Respondent.id)
    .outerjoin(Workshop, Take.workshop_id == Workshop.id)
    .outerjoin(Choice, Choice.take_id == Take.id)
    .where(Respondent.token_hash == bindparam("digest"))
    .order_by(Take.id, Choice.scenario_key)
)


def start(
    nonce: str,
    consents: Consents,
    locale: str,
    today: dt.date,
    workshop: Workshop | None = None,
) -> tuple[str, Take]:
    """Create a respondent and their first take; a repeated post returns the same take.

    A take started from a workshop belongs to the workshop's organization, takes
    its cause and modules, and counts in the room only with the room consent.
    """
    if not is_well_formed(nonce):
        raise ValueError("malformed nonce")
    token = token_for(nonce)
    existing = respondent_for(token)
    if existing is not None:
        return token, _same_start(existing, today)
    instrument = instruments.CURRENT
    try:
        with unit_of_work():
            respondent = Respondent(token_hash=hash_token(token), created_on=today)
            take = _new_take(respondent, instrument, consents, locale, today)
            if workshop is not None:
                take.workshop_id = workshop.id
                take.organization_id = workshop.organization_id
                take.cause_key = workshop.cause_key
                take.state = TakeState.ANSWERING
            else:
                take.consent_room = False
            db.session.add_all([respondent, take])
    except IntegrityError:
        # The other tap won the race: use what it made.
        existing = respondent_for(token)
        if existing is None:
            raise
        return token, _same_start(existing, today)
    log.info("take started (%s v%s)", instrument.key, instrument.version)
    return token, take


def _same_start(respondent: Respondent, today: dt.date) -> Take:
    take = open_take(respondent)
    if take is None or take.started_on != today or take.reached > 0:
        raise StaleStart
    return take


def _new_take(
    respondent: Respondent,
    instrument: Instrument,
    consents: Consents,
    locale: str,
    today: dt.date,
    cause_key: str | None = None,
) -> Take:
    return Take(
        respondent=respondent,
        instrument_key=instrument.key,
        instrument_version=instrument.version,
        state=TakeState.STARTED,
        reached=0,
        cause_key=cause_key,
        locale=locale,
        consent_profile=True,
        consent_room=consents.room,
        consent_org=consents.org,
        started_on=today,
    )


def open_take(respondent: Respondent) -> Take | None:
    """The respondent's unfinished take, if any."""
    return next((t for t in respondent.takes if not t.finished), None)


def finished_takes(respondent: Respondent) -> list[Take]:
    """The respondent's finished takes, oldest first."""
    return [t for t in respondent.takes if t.finished]


def retake(respondent: Respondent, locale: str, today: dt.date) -> Take:
    """Open a new take with the last take's consents and cause; reuse an open one."""
    current = open_take(respondent)
    if current is not None:
        return current
    last = respondent.takes[-1] if respondent.takes else None
    consents = Consents(room=False, org=bool(last and last.consent_org))
    try:
        with unit_of_work():
            take = _new_take(
                respondent,
                instruments.CURRENT,
                consents,
                locale,
                today,
                cause_key=last.cause_key if last else None,
            )
            db.session.add(take)
    except IntegrityError:
        db.session.expire(respondent)
        current = open_take(respondent)
        if current is None:
            raise
        return current
    log.info("retake started")
    return take


def instrument_of(take: Take) -> Instrument:
    return instruments.get(take.instrument_key, take.instrument_version)


def journey(take: Take) -> tuple[Step, ...]:
    """The ordered steps of ``take``: a workshop may set the cause and leave out scenarios."""
    workshop = take.workshop
    if workshop is None:
        return steps(instrument_of(take))
    return steps(instrument_of(take), ask_cause=False, with_scenarios=workshop.with_scenarios)


def group_labels(take: Take) -> dict[str, str] | None:
    """A workshop's own labels for its cause and groups (untranslated, escaped on output)."""
    workshop = take.workshop
    if workshop is None or workshop.cause_key is not None:
        return None
    return {
        "cause": workshop.cause_label,
        "ingroup": workshop.ingroup_label,
        "outgroup": workshop.outgroup_label,
    }


def offers_deeper(take: Take) -> bool:
    """The deeper module is offered unless the take's workshop left it out."""
    return take.workshop is None or take.workshop.with_deeper


def next_step(take: Take) -> Step | None:
    """Where to resume ``take``; None once every step was submitted."""
    return resume_step(journey(take), take.reached)


def choices_of(take: Take) -> dict[str, str]:
    return {c.scenario_key: c.option_key for c in take.choices}


@dataclass(frozen=True)
class Responses:
    """Everything answered in one take: items of every module, and scenario choices."""

    answers: dict[str, int]
    choices: dict[str, str]

    def answers_to(self, instrument: Instrument) -> dict[str, int]:
        return {i.key: self.answers[i.key] for i in instrument.items if i.key in self.answers}


#: A take's answers and choices as plain rows in one query: an answer has no option,
#: a choice no value. Scoring needs only the values, and loading them as objects
#: cost twice as much as the rest of what the profile reads (docs/performance.md).
_RESPONSES = union_all(
    select(Answer.item_key, Answer.value, null()).where(Answer.take_id == bindparam("take_id")),
    select(Choice.scenario_key, null(), Choice.option_key).where(
        Choice.take_id == bindparam("take_id")
    ),
)


def responses_of(take: Take) -> Responses:
    """What ``take`` holds now in the database, read without loading its answer objects."""
    rows = reading(lambda: db.session.execute(_RESPONSES, {"take_id": take.id}).all())
    return Responses(
        answers={key: value for key, value, option in rows if option is None},
        choices={key: option for key, _value, option in rows if option is not None},
    )


def choose_cause(take: Take, cause_key: str) -> None:
    """Set the cause whose groups fill the item texts."""
    if instruments.cause(cause_key) is None:
        raise ValueError(f"unknown cause {cause_key!r}")
    with unit_of_work():
        take.state = advance(TakeState(take.state), TakeEvent.CHOOSE_CAUSE)
        take.cause_key = cause_key
        take.reached = reached_after(journey(take), take.reached, Step(StepKind.CAUSE))


def save_page(
    take: Take, page_key: str, answers: Mapping[str, int], today: dt.date | None = None
) -> None:
    """Store one page's answers, replacing earlier answers to the same items.

    An item left blank on this submission is removed: the page as submitted is
    what counts. Two posts of the same page store the answers once. When this
    was the last step (a workshop without scenarios), the take is finished.
    """
    instrument = instrument_of(take)
    state = advance(TakeState(take.state), TakeEvent.SAVE_PAGE)
    all_steps = journey(take)
    reached: list[int] = []

    def progress() -> dict[str, object]:
        reached.append(reached_after(all_steps, take.reached, Step(StepKind.PAGE, page_key)))
        return {"state": state.value, "reached": reached[-1]}

    _store_page(take, instrument, page_key, answers, progress)
    _finish_when_done(take, all_steps, reached, today)


def open_deeper(take: Take) -> None:
    """Start the optional deeper module on a finished take (opening it twice is harmless)."""
    state = advance(TakeState(take.state), TakeEvent.OPEN_DEEPER)
    if take.deeper_version is not None:
        return
    with unit_of_work():
        take.state = state
        take.deeper_version = instruments.CURRENT_DEEPER.version
        take.deeper_reached = 0


def deeper_instrument(take: Take) -> Instrument | None:
    """The deeper module the take opened, if any."""
    if take.deeper_version is None:
        return None
    return instruments.get(instruments.CURRENT_DEEPER.key, take.deeper_version)


def deeper_next_page(take: Take) -> str | None:
    """The first deeper page not yet submitted; None when all are (or none was opened)."""
    instrument = deeper_instrument(take)
    if instrument is None or take.deeper_reached >= len(instrument.pages):
        return None
    return instrument.pages[take.deeper_reached].key


def save_deeper_page(take: Take, page_key: str, answers: Mapping[str, int]) -> None:
    """Store one page of the deeper module, like ``save_page``."""
    instrument = deeper_instrument(take)
    if instrument is None:
        raise ValueError("the deeper module was not opened")
    state = advance(TakeState(take.state), TakeEvent.SAVE_DEEPER_PAGE)
    index = [p.key for p in instrument.pages].index(page_key)

    def progress() -> dict[str, object]:
        return {"state": state.value, "deeper_reached": max(take.deeper_reached, index + 1)}

    _store_page(take, instrument, page_key, answers, progress)


def _store_page(take, instrument, page_key, answers, progress) -> None:
    page = next(p for p in instrument.pages if p.key == page_key)
    on_page = set(page.items)
    if set(answers) - on_page:
        raise ValueError("answers for items not on this page")
    scoring.check_answers(instrument, answers)

    core = instrument.key == take.instrument_key

    def write() -> None:
        with unit_of_work():
            # The same page, posted twice at once, may have finished the take meanwhile:
            # its core answers are read-only from then on, and its state stays finished.
            if take.finished and core:
                return
            values = progress()
            blanked = sorted(on_page - set(answers))
            dialect = _dialect()
            if dialect == "postgresql":
                statement = _save_page_at_once(tuple(values), unless_finished=core)
                given = {"keys": list(answers), "values": list(answers.values())}
                _write_alone(statement, {"take_id": take.id, **values, **given, "blanked": blanked})
                return
            if not _update_take(take, values, dialect, unless_finished=core):
                return  # finished after this post read the take: nothing was written
            if blanked:
                db.session.execute(
                    delete(Answer).where(Answer.take_id == take.id, Answer.item_key.in_(blanked))
                )
            if answers:
                rows = [{"take_id": take.id, "item_key": k, "value": v} for k, v in answers.items()]
                db.session.execute(_upsert_answers(dialect), rows)

    _retry_on_conflict(take, write)


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def _update_take(
    take: Take, values: dict[str, object], dialect: str, unless_finished: bool = False
) -> bool:
    """Write the take's new state in one UPDATE; flushing the ORM object instead cost a
    fifth of a page post. The commit that follows expires the take, so nothing reads
    the object's old values. The columns set are the keys of ``values``.

    With ``unless_finished`` a take that another post finished since this one read it
    is left as it is, and False comes back. The take was read before the write began
    (on PostgreSQL, and on SQLite since its write lock is taken at the first write):
    without the condition, the slower of two posts of the last step put a finished
    take back to "answering", under the scale results of the faster one.
    """
    statement = _progress_update(tuple(values), unless_finished, dialect)
    return db.session.execute(statement, {"take_id": take.id, **values}).rowcount == 1


#: Built once: a statement made per post cost SQLAlchemy its cache key every time.
_UPDATE_TAKE = update(Take.__table__).where(Take.__table__.c.id == bindparam("take_id"))
_ADVANCE_OPEN_TAKE = _UPDATE_TAKE.where(Take.__table__.c.state != "finished")

#: How far a take has come only moves forward. Two posts of one take at the same moment
#: (two tabs) each read the take before either wrote; the slower, from the tab left
#: behind, would otherwise set back the step the journey resumes at.
_FORWARD_ONLY = frozenset({"reached", "deeper_reached"})


@cache
def _progress_update(columns: tuple[str, ...], unless_finished: bool, dialect: str):
    """The take's progress UPDATE of ``columns``, built once for each set: each column
    from the parameter of its name, a forward-only one never lowered below what is
    stored. The greater of two is SQLite's two-argument ``max`` and PostgreSQL's
    ``greatest``; a ``CASE`` cost a SQLite post 1.2% more instructions, ``max`` 0.2%."""
    table = Take.__table__
    greater = func.greatest if dialect == "postgresql" else func.max
    values = {
        column: greater(table.c[column], bindparam(column))
        if column in _FORWARD_ONLY
        else bindparam(column)
        for column in columns
    }
    statement = _ADVANCE_OPEN_TAKE if unless_finished else _UPDATE_TAKE
    return statement.values(values)


#: A volunteer's progress (a page, a choice) commits without waiting for the disk: the
#: statement says so itself, since it runs alone (``_write_alone``) and no ``SET LOCAL``
#: can come before it. PostgreSQL reads the setting when the transaction commits, and
#: ``true`` keeps it to this one. Evaluated for each row the statement advanced; when it
#: advanced none, nothing was written. What a crash of the server can then lose:
#: docs/deploy.md. Every other write waits for the disk.
_NO_WAIT = func.set_config(literal_column("'synchronous_commit'"), literal_column("'off'"), true())


def _write_alone(statement, params: dict) -> None:
    """PostgreSQL: a progress write that is one statement, run as its own transaction."""
    write_alone(db.session)  # atomic without BEGIN and COMMIT
    db.session.execute(statement, params).close()  # its rows are not needed


def _advanced(columns: tuple[str, ...], unless_finished: bool):
    """The take's progress UPDATE of ``columns`` as a CTE giving the take's id; with
    ``unless_finished``, no row when another post has finished the take."""
    statement = _progress_update(columns, unless_finished, "postgresql")
    return statement.returning(Take.__table__.c.id).cte("advanced")


@cache
def _save_page_at_once(columns: tuple[str, ...], unless_finished: bool):
    """PostgreSQL: a page's whole write as one statement, so one round trip.

    The progress UPDATE (with the same condition as ``_update_take``), the DELETE of
    the answers left blank and the upsert of the given ones are data-modifying CTEs.
    The DELETE and the INSERT read the take's id from the UPDATE: when the UPDATE
    changes no row (another post finished the take), they write nothing either. They
    touch different items, so they cannot meet. ``columns`` are the take's columns
    set; built once for each set.
    """
    from sqlalchemy.dialects import postgresql

    answer = Answer.__table__
    advanced = _advanced(columns, unless_finished)
    blanked = (
        delete(answer)
        .where(
            answer.c.take_id.in_(select(advanced.c.id)),
            answer.c.item_key == any_(bindparam("blanked", type_=postgresql.ARRAY(String))),
        )
        .cte("blanked")
    )
    given = (
        func.unnest(
            bindparam("keys", type_=postgresql.ARRAY(String)),
            bindparam("values", type_=postgresql.ARRAY(SmallInteger)),
        )
        .table_valued("item_key", "value")
        .render_derived(name="given")
    )
    rows = select(advanced.c.id, given.c.item_key, given.c.value).join(given, true())
    upsert = postgresql.insert(answer).from_select(["take_id", "item_key", "value"], rows)
    saved = upsert.on_conflict_do_update(
        index_elements=[answer.c.take_id, answer.c.item_key],
        set_={"value": upsert.excluded.value},
    ).cte("saved")
    # PostgreSQL runs every data-modifying CTE to completion, read or not.
    return select(advanced.c.id, _NO_WAIT).add_cte(blanked, saved)


@cache
def _save_choice_at_once(with_choice: bool):
    """PostgreSQL: a scenario's progress and its first choice as one statement.

    As ``_save_page_at_once``: the choice is inserted (unless one is stored) only when
    the take was advanced, that is when no other post finished it meanwhile.
    """
    from sqlalchemy.dialects import postgresql

    advanced = _advanced(("state", "reached"), unless_finished=True)
    statement = select(advanced.c.id, _NO_WAIT)
    if not with_choice:
        return statement
    choice = Choice.__table__
    rows = select(
        advanced.c.id,
        bindparam("scenario_key", type_=String),
        bindparam("option_key", type_=String),
    )
    insert = postgresql.insert(choice).from_select(["take_id", "scenario_key", "option_key"], rows)
    chosen = insert.on_conflict_do_nothing(
        index_elements=[choice.c.take_id, choice.c.scenario_key]
    ).cte("chosen")
    return statement.add_cte(chosen)


def _insert(table, dialect: str):
    """The dialect's own INSERT for ``table``: the one with ``ON CONFLICT`` (SQLite and
    PostgreSQL both have it)."""
    from sqlalchemy.dialects import postgresql, sqlite

    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)


@cache
def _first_choice(dialect: str):
    """Insert a scenario's choice unless one is stored: the first choice stands, also when
    the same form is posted twice at once."""
    table = Choice.__table__
    keys = [table.c.take_id, table.c.scenario_key]
    return _insert(table, dialect).on_conflict_do_nothing(index_elements=keys)


@cache
def _upsert_answers(dialect: str):
    """``INSERT ... ON CONFLICT (take_id, item_key) DO UPDATE``, run once per page posted
    with one row per answer.

    SQLite and PostgreSQL both have it. It replaces changing and flushing one ORM object
    per answer, and a second post of the same page, arriving at the same moment, updates
    the same rows instead of failing. Built once per dialect, so that it is compiled once.
    """
    table = Answer.__table__
    statement = _insert(table, dialect)
    return statement.on_conflict_do_update(
        index_elements=[table.c.take_id, table.c.item_key],
        set_={"value": statement.excluded.value},
    )


def save_choice(take: Take, scenario_key: str, option_key: str | None, today: dt.date) -> None:
    """Store the first choice in a scenario (None skips it); finish after the last step."""
    instrument = instrument_of(take)
    scenario = instrument.scenario(scenario_key)
    if option_key is not None:
        scenario.option(option_key)  # raises KeyError for an unknown option
    state = advance(TakeState(take.state), TakeEvent.SAVE_CHOICE)
    all_steps = journey(take)
    reached: list[int] = []

    def write() -> None:
        with unit_of_work():
            if take.finished:
                return  # the same form, posted twice at once, finished the take meanwhile
            step = Step(StepKind.SCENARIO, scenario_key)
            reached.append(reached_after(all_steps, take.reached, step))
            progress = {"state": state.value, "reached": reached[-1]}
            dialect = _dialect()
            if dialect == "postgresql":
                statement = _save_choice_at_once(with_choice=option_key is not None)
                chosen = {"scenario_key": scenario_key, "option_key": option_key}
                _write_alone(statement, {"take_id": take.id, **progress, **chosen})
                return
            if not _update_take(take, progress, dialect, unless_finished=True):
                return  # finished after this post read the take: nothing was written
            if option_key is not None:
                choice = {
                    "take_id": take.id,
                    "scenario_key": scenario_key,
                    "option_key": option_key,
                }
                db.session.execute(_first_choice(dialect), choice)

    _retry_on_conflict(take, write)
    _finish_when_done(take, all_steps, reached, today)


def _finish_when_done(
    take: Take, all_steps: tuple[Step, ...], reached: list[int], today: dt.date | None
) -> None:
    """Finish ``take`` when the step just saved was its last.

    The commit expired the take; the step it reached is known from the write, so a
    save does not read the take back (and load its workshop again) to find that out.
    When the write found the take finished already, it is read back as before.
    """
    ahead = resume_step(all_steps, reached[-1]) if reached else next_step(take)
    if ahead is None:
        finish(take, today or dt.datetime.now(dt.UTC).date())


def finish_if_done(take: Take, today: dt.date) -> None:
    """Finish ``take`` if every step of its journey is saved and it is still open."""
    if not take.finished and next_step(take) is None:
        finish(take, today)


def finish(take: Take, today: dt.date) -> scoring.Profile:
    """Score the take, store its scale results, and close it. Finishing twice is harmless."""
    if take.finished:
        return profile_of(take)
    profile = profile_of(take)
    state = advance(TakeState(take.state), TakeEvent.FINISH)

    def write() -> None:
        with unit_of_work():
            if take.finished:
                return
            for motive, result in profile.scales.items():
                share = profile.mixture.shares[motive] if profile.mixture else None
                db.session.add(
                    ScaleResult(
                        take_id=take.id, scale_key=result.scale, mean=result.mean, share=share
                    )
                )
            take.state = state
            take.scoring_version = scoring.SCORING_VERSION
            take.finished_on = today

    _retry_on_conflict(take, write)
    log.info("take finished")
    return profile


def profile_of(take: Take, responses: Responses | None = None) -> scoring.Profile:
    """Score ``take`` from its stored answers and choices, with the current precision.

    ``responses`` are the take's, when the caller has read them already.
    """
    from app.services.reliability import precision

    instrument = instrument_of(take)
    known = precision(instrument)
    responses = responses or responses_of(take)
    return scoring.score(
        instrument,
        responses.answers_to(instrument),
        responses.choices,
        reliability={m: p.reliability for m, p in known.items()},
        sd={m: p.sd for m, p in known.items()},
    )


def delete_respondent(respondent: Respondent) -> int:
    """Delete the respondent and every row that belongs to them; return the takes removed."""
    count = len(respondent.takes)
    with unit_of_work():
        dashboards.drop_cubes(select(Take.id).where(Take.respondent_id == respondent.id))
        db.session.delete(respondent)
    log.info("respondent deleted with %d takes", count)
    return count


def _retry_on_conflict(take: Take, write) -> None:
    """Run ``write``; if a concurrent post of the same form won, reload and run it once more."""
    try:
        write()
    except IntegrityError:
        db.session.expire(take)
        write()


__all__ = [
    "Consents",
    "DatabaseUnavailable",
    "Responses",
    "StaleStart",
    "choose_cause",
    "deeper_instrument",
    "deeper_next_page",
    "delete_respondent",
    "finish",
    "finish_if_done",
    "finished_takes",
    "new_nonce",
    "next_step",
    "open_deeper",
    "open_take",
    "profile_of",
    "respondent_for",
    "responses_of",
    "retake",
    "save_choice",
    "save_deeper_page",
    "save_page",
    "start",
]
