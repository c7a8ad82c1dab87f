"""The lifecycle of a take and the order of its steps.

Rule 1: every state change of a take goes through ``advance``; a move that is
not in ``TRANSITIONS`` raises ``InvalidTransition``.
Rule 2: a finished take's core answers are read-only; finishing it again is
allowed and changes nothing, because a double tap on the last page must not
fail. The optional deeper module is opened and answered after finishing.
Rule 3: the steps are fixed by the instrument: the cause (unless a workshop has
set it), every questionnaire page, then every scenario (unless a workshop left
them out). A take whose cause a workshop set starts in ``answering``. ``reached`` counts the
steps a person has submitted at least once; resuming goes to the first step
not yet reached.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from app.domain.errors import InvalidTransition
from app.domain.instrument import Instrument


class TakeState(StrEnum):
    STARTED = "started"
    ANSWERING = "answering"
    FINISHED = "finished"


class TakeEvent(StrEnum):
    CHOOSE_CAUSE = "choose_cause"
    SAVE_PAGE = "save_page"
    SAVE_CHOICE = "save_choice"
    FINISH = "finish"
    OPEN_DEEPER = "open_deeper"
    SAVE_DEEPER_PAGE = "save_deeper_page"


TRANSITIONS: dict[tuple[TakeState, TakeEvent], TakeState] = {
    (TakeState.STARTED, TakeEvent.CHOOSE_CAUSE): TakeState.ANSWERING,
    (TakeState.ANSWERING, TakeEvent.CHOOSE_CAUSE): TakeState.ANSWERING,
    (TakeState.ANSWERING, TakeEvent.SAVE_PAGE): TakeState.ANSWERING,
    (TakeState.ANSWERING, TakeEvent.SAVE_CHOICE): TakeState.ANSWERING,
    (TakeState.ANSWERING, TakeEvent.FINISH): TakeState.FINISHED,
    (TakeState.FINISHED, TakeEvent.FINISH): TakeState.FINISHED,
    (TakeState.FINISHED, TakeEvent.OPEN_DEEPER): TakeState.FINISHED,
    (TakeState.FINISHED, TakeEvent.SAVE_DEEPER_PAGE): TakeState.FINISHED,
}


def advance(state: TakeState, event: TakeEvent) -> TakeState:
    """Return the state after ``event``, or raise ``InvalidTransition``."""
    try:
        return TRANSITIONS[(TakeState(state), TakeEvent(event))]
    except (KeyError, ValueError):
        raise InvalidTransition(state, event) from None


class StepKind(StrEnum):
    CAUSE = "cause"
    PAGE = "page"
    SCENARIO = "scenario"


@dataclass(frozen=True)
class Step:
    kind: StepKind
    key: str = ""


def steps(
    instrument: Instrument, ask_cause: bool = True, with_scenarios: bool = True
) -> tuple[Step, ...]:
    """Return the ordered steps of a take of ``instrument``.

    A workshop that sets the cause skips the cause step; one without the
    scenario module skips the scenarios.
    """
    out = [Step(StepKind.CAUSE)] if ask_cause else []
    out += [Step(StepKind.PAGE, page.key) for page in instrument.pages]
    if with_scenarios:
        out += [Step(StepKind.SCENARIO, s.key) for s in instrument.scenarios]
    return tuple(out)


def resume_step(all_steps: tuple[Step, ...], reached: int) -> Step | None:
    """Return the first step not yet submitted, or None when every step is done."""
    if reached < 0:
        raise ValueError("reached must not be negative")
    return all_steps[reached] if reached < len(all_steps) else None


def reached_after(all_steps: tuple[Step, ...], reached: int, step: Step) -> int:
    """Return ``reached`` after submitting ``step``: it never moves backwards."""
    return max(reached, all_steps.index(step) + 1)


def may_open(all_steps: tuple[Step, ...], reached: int, step: Step) -> bool:
    """A step may be opened once every step before it was submitted.

    A step that is not in this journey (the cause a workshop set, the scenarios it
    left out) can never be opened.
    """
    return step in all_steps and all_steps.index(step) <= reached
