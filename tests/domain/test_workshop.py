"""The workshop lifecycle: the transition table, rounds, joining and showing figures."""

from __future__ import annotations

import itertools

import pytest

from app.domain.errors import InvalidTransition
from app.domain.workshop import (
    MAX_ROUNDS,
    TRANSITIONS,
    WorkshopEvent,
    WorkshopState,
    advance,
    allowed,
    apply,
    joinable,
    refusal,
    shows_figures,
)

S, E = WorkshopState, WorkshopEvent

#: The whole table, written out: (state, event) -> state, or None when refused.
EXPECTED = {
    (S.CREATED, E.OPEN): S.OPEN,
    (S.CREATED, E.CLOSE_ROUND): None,
    (S.CREATED, E.REOPEN): None,
    (S.CREATED, E.CLOSE): S.CLOSED,
    (S.OPEN, E.OPEN): None,
    (S.OPEN, E.CLOSE_ROUND): S.ROUND_CLOSED,
    (S.OPEN, E.REOPEN): None,
    (S.OPEN, E.CLOSE): None,
    (S.ROUND_CLOSED, E.OPEN): None,
    (S.ROUND_CLOSED, E.CLOSE_ROUND): None,
    (S.ROUND_CLOSED, E.REOPEN): S.OPEN,
    (S.ROUND_CLOSED, E.CLOSE): S.CLOSED,
    (S.CLOSED, E.OPEN): None,
    (S.CLOSED, E.CLOSE_ROUND): None,
    (S.CLOSED, E.REOPEN): None,
    (S.CLOSED, E.CLOSE): None,
}


def test_the_expectation_covers_every_pair():
    assert set(EXPECTED) == set(itertools.product(WorkshopState, WorkshopEvent))


@pytest.mark.parametrize(("state", "event"), sorted(EXPECTED))
def test_transition_table(state, event):
    after = EXPECTED[(state, event)]
    if after is None:
        with pytest.raises(InvalidTransition):
            advance(state, event)
        assert (state, event) not in TRANSITIONS
    else:
        assert advance(state, event) is after


@pytest.mark.parametrize(("state", "event"), sorted(k for k, v in EXPECTED.items() if v is None))
def test_every_refusal_has_a_message(state, event):
    message = refusal(state, 1, event)
    assert message and message.endswith(".")
    assert "!" not in message


def test_a_whole_workshop_with_a_second_round():
    state, round_ = S.CREATED, 1
    for event, want in [
        (E.OPEN, (S.OPEN, 1)),
        (E.CLOSE_ROUND, (S.ROUND_CLOSED, 1)),
        (E.REOPEN, (S.OPEN, 2)),
        (E.CLOSE_ROUND, (S.ROUND_CLOSED, 2)),
        (E.CLOSE, (S.CLOSED, 2)),
    ]:
        state, round_ = apply(state, round_, event)
        assert (state, round_) == want


def test_there_is_no_third_round():
    assert MAX_ROUNDS == 2
    with pytest.raises(InvalidTransition):
        apply(S.ROUND_CLOSED, 2, E.REOPEN)
    assert "third" in refusal(S.ROUND_CLOSED, 2, E.REOPEN)
    assert allowed(S.ROUND_CLOSED, 2) == (E.CLOSE,)
    assert allowed(S.ROUND_CLOSED, 1) == (E.REOPEN, E.CLOSE)


def test_a_running_round_must_be_closed_before_the_workshop():
    with pytest.raises(InvalidTransition):
        apply(S.OPEN, 1, E.CLOSE)
    assert "round first" in refusal(S.OPEN, 1, E.CLOSE)


def test_unknown_states_and_events_are_refused():
    with pytest.raises(InvalidTransition):
        advance("paused", E.OPEN)  # type: ignore[arg-type]
    with pytest.raises(InvalidTransition):
        advance(S.OPEN, "pause")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        apply(S.OPEN, 0, E.CLOSE_ROUND)


def test_who_may_join_and_when_figures_show():
    assert [s for s in S if joinable(s)] == [S.OPEN, S.ROUND_CLOSED]
    assert [s for s in S if shows_figures(s)] == [S.ROUND_CLOSED, S.CLOSED]
