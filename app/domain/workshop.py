"""The lifecycle of a workshop: a transition table, rounds, and who may join when.

Rule 1: every state change of a workshop goes through ``advance``; a move that
is not in ``TRANSITIONS`` raises ``InvalidTransition``, and ``refusal`` gives the
sentence that tells the facilitator why.
Rule 2: a workshop runs at most ``MAX_ROUNDS`` rounds: reopening a closed round
starts round 2, and only once.
Rule 3: volunteers can join only while the workshop is open or between rounds;
a workshop that has not been opened yet, or is closed, takes nobody.
Rule 4: the room sees figures only when no round is running; while a round runs
it sees the count of finished takes and nothing else (shared/DESIGN.md §6.4).
Rule 5: a workshop that never ran can be closed (cancelled); a running round
must be closed first, so that the room is never cut off from its result.
"""

from __future__ import annotations

from enum import StrEnum

from app.domain.errors import InvalidTransition
from app.domain.i18n import N_


class WorkshopState(StrEnum):
    CREATED = "created"
    OPEN = "open"
    ROUND_CLOSED = "round_closed"
    CLOSED = "closed"


class WorkshopEvent(StrEnum):
    OPEN = "open"
    CLOSE_ROUND = "close_round"
    REOPEN = "reopen"
    CLOSE = "close"


class Module(StrEnum):
    """Parts of the journey a workshop can include; the core is always included."""

    CORE = "core"
    DEEPER = "deeper"
    SCENARIOS = "scenarios"


#: A second round may follow the first; a third would blur what the room compares.
MAX_ROUNDS = 2

TRANSITIONS: dict[tuple[WorkshopState, WorkshopEvent], WorkshopState] = {
    (WorkshopState.CREATED, WorkshopEvent.OPEN): WorkshopState.OPEN,
    (WorkshopState.CREATED, WorkshopEvent.CLOSE): WorkshopState.CLOSED,
    (WorkshopState.OPEN, WorkshopEvent.CLOSE_ROUND): WorkshopState.ROUND_CLOSED,
    (WorkshopState.ROUND_CLOSED, WorkshopEvent.REOPEN): WorkshopState.OPEN,
    (WorkshopState.ROUND_CLOSED, WorkshopEvent.CLOSE): WorkshopState.CLOSED,
}

JOINABLE: frozenset[WorkshopState] = frozenset({WorkshopState.OPEN, WorkshopState.ROUND_CLOSED})
SHOWS_FIGURES: frozenset[WorkshopState] = frozenset(
    {WorkshopState.ROUND_CLOSED, WorkshopState.CLOSED}
)


def advance(state: WorkshopState, event: WorkshopEvent) -> WorkshopState:
    """Return the state after ``event``, or raise ``InvalidTransition``."""
    try:
        return TRANSITIONS[(WorkshopState(state), WorkshopEvent(event))]
    except (KeyError, ValueError):
        raise InvalidTransition(state, event) from None


def apply(state: WorkshopState, round_: int, event: WorkshopEvent) -> tuple[WorkshopState, int]:
    """Return the state and round number after ``event``; reopening starts the next round."""
    if round_ < 1:
        raise ValueError("rounds are numbered from 1")
    after = advance(state, event)
    if WorkshopEvent(event) is WorkshopEvent.REOPEN:
        if round_ >= MAX_ROUNDS:
            raise InvalidTransition(state, event)
        return after, round_ + 1
    return after, round_


def allowed(state: WorkshopState, round_: int) -> tuple[WorkshopEvent, ...]:
    """The events that ``apply`` accepts now, in the order a facilitator meets them."""
    out = []
    for event in WorkshopEvent:
        try:
            apply(state, round_, event)
        except InvalidTransition:
            continue
        out.append(event)
    return tuple(out)


def joinable(state: WorkshopState) -> bool:
    return WorkshopState(state) in JOINABLE


def shows_figures(state: WorkshopState) -> bool:
    return WorkshopState(state) in SHOWS_FIGURES


def refusal(state: WorkshopState, round_: int, event: WorkshopEvent) -> str:
    """The message id explaining why ``event`` is refused in ``state``."""
    state, event = WorkshopState(state), WorkshopEvent(event)
    if state is WorkshopState.CLOSED:
        return N_("This workshop is closed. Nothing about it can change any more.")
    if event is WorkshopEvent.OPEN:
        return N_("This workshop has already been opened.")
    if event is WorkshopEvent.CLOSE_ROUND:
        return N_("No round is running, so there is no round to close.")
    if event is WorkshopEvent.REOPEN and state is WorkshopState.ROUND_CLOSED:
        return N_("A workshop can have a second round, but not a third.")
    if event is WorkshopEvent.REOPEN:
        return N_("A new round can start only after the current round has been closed.")
    return N_("Close the round first, so that the room can see its result before the end.")
