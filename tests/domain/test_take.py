import pytest

from app.domain.errors import InvalidTransition
from app.domain.take import (
    TRANSITIONS,
    Step,
    StepKind,
    TakeEvent,
    TakeState,
    advance,
    may_open,
    reached_after,
    resume_step,
    steps,
)
from tests.domain.small import SMALL


@pytest.mark.parametrize(("state", "event"), list(TRANSITIONS))
def test_every_listed_move_is_allowed(state, event):
    assert advance(state, event) is TRANSITIONS[(state, event)]


@pytest.mark.parametrize(
    ("state", "event"),
    [(s, e) for s in TakeState for e in TakeEvent if (s, e) not in TRANSITIONS],
)
def test_every_other_move_is_refused(state, event):
    with pytest.raises(InvalidTransition):
        advance(state, event)


def test_a_finished_take_is_read_only_but_finishing_twice_is_harmless():
    assert advance(TakeState.FINISHED, TakeEvent.FINISH) is TakeState.FINISHED
    for event in (TakeEvent.SAVE_PAGE, TakeEvent.SAVE_CHOICE, TakeEvent.CHOOSE_CAUSE):
        with pytest.raises(InvalidTransition):
            advance(TakeState.FINISHED, event)


def test_the_deeper_module_opens_only_after_finishing():
    for event in (TakeEvent.OPEN_DEEPER, TakeEvent.SAVE_DEEPER_PAGE):
        assert advance(TakeState.FINISHED, event) is TakeState.FINISHED
        for state in (TakeState.STARTED, TakeState.ANSWERING):
            with pytest.raises(InvalidTransition):
                advance(state, event)


def test_unknown_states_are_refused():
    with pytest.raises(InvalidTransition):
        advance("deleted", TakeEvent.FINISH)


def test_steps_run_cause_pages_scenarios():
    journey = steps(SMALL)
    assert journey[0] == Step(StepKind.CAUSE)
    assert [s.key for s in journey[1:3]] == ["p1", "p2"]
    assert [s.key for s in journey[3:]] == ["march", "donate", "meeting"]
    assert steps(SMALL, ask_cause=False)[0] == Step(StepKind.PAGE, "p1")
    assert [s.kind for s in steps(SMALL, with_scenarios=False)] == [
        StepKind.CAUSE,
        StepKind.PAGE,
        StepKind.PAGE,
    ]


def test_resume_goes_to_the_first_step_not_submitted():
    journey = steps(SMALL)
    assert resume_step(journey, 0) == Step(StepKind.CAUSE)
    assert resume_step(journey, 2) == Step(StepKind.PAGE, "p2")
    assert resume_step(journey, len(journey)) is None
    with pytest.raises(ValueError):
        resume_step(journey, -1)


def test_going_back_never_loses_progress():
    journey = steps(SMALL)
    assert reached_after(journey, 4, Step(StepKind.PAGE, "p1")) == 4
    assert reached_after(journey, 1, Step(StepKind.PAGE, "p1")) == 2
    assert may_open(journey, 1, Step(StepKind.PAGE, "p1"))
    assert not may_open(journey, 1, Step(StepKind.PAGE, "p2"))


def test_a_step_left_out_of_the_journey_never_opens():
    without_cause = steps(SMALL, ask_cause=False, with_scenarios=False)
    assert not may_open(without_cause, 10, Step(StepKind.CAUSE))
    assert not may_open(without_cause, 10, Step(StepKind.SCENARIO, "march"))
