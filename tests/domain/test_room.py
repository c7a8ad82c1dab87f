"""The room's rules: threshold, "5 more", bins, and the homogeneity guard.

Golden values are counted by hand from the rules in shared/DESIGN.md §6.4.
"""

from __future__ import annotations

import pytest

from app.domain.guidance import EMPHASIS_SHARE
from app.domain.instrument import MOTIVES
from app.domain.room import (
    HIGH_FROM,
    LOW_BELOW,
    MIN_K_ROOM,
    MORE_TO_CHANGE,
    Bin,
    RoomError,
    RoomFigures,
    RoomTable,
    bin_of,
    check_k_room,
    guard,
    homogeneous,
    is_due,
)


def table(n=5, bins=None, choices=None, mixture_n=None, means=None) -> RoomTable:
    mixture_n = n if mixture_n is None else mixture_n
    bins = bins or {m: (1, mixture_n - 2, 1) for m in MOTIVES}
    means = means or {m: 0.25 for m in MOTIVES}
    return RoomTable(n, mixture_n, means, bins, choices or {})


def test_the_threshold_never_goes_below_five():
    assert MIN_K_ROOM == 5
    assert check_k_room(5) == 5 and check_k_room(12) == 12
    for bad in (4, 0, -1, True, 5.0, "5"):
        with pytest.raises(RoomError):
            check_k_room(bad)  # type: ignore[arg-type]


def test_four_takes_show_nothing_and_five_show_figures():
    assert not is_due(4, None, 5)
    assert is_due(5, None, 5)
    with pytest.raises(RoomError):
        guard(table(n=4, bins={m: (1, 2, 1) for m in MOTIVES}), 5)
    assert guard(table(n=5), 5).mixture is not None


def test_figures_change_only_after_five_new_people():
    assert MORE_TO_CHANGE == 5
    # Released at 5; the sixth to ninth change nothing, the tenth does.
    assert [is_due(5 + new, new, 5) for new in range(1, 6)] == [False] * 4 + [True]


def test_people_who_deleted_never_count_as_new():
    # Released with 10; 3 deleted and 4 arrived: 11 now, but only 4 new.
    assert not is_due(11, 4, 5)
    assert is_due(12, 5, 5)


def test_a_larger_k_room_raises_the_first_release_only():
    assert not is_due(9, None, 10)
    assert is_due(10, None, 10)
    assert is_due(15, 5, 10)


def test_bins_follow_an_even_mixture():
    assert LOW_BELOW == 0.20
    assert HIGH_FROM == EMPHASIS_SHARE == 0.30
    assert [bin_of(x) for x in (0.0, 0.1999, 0.20, 0.25, 0.2999, 0.30, 1.0)] == [
        Bin.LOW,
        Bin.LOW,
        Bin.EVEN,
        Bin.EVEN,
        Bin.EVEN,
        Bin.HIGH,
        Bin.HIGH,
    ]
    with pytest.raises(RoomError):
        bin_of(1.5)


@pytest.mark.parametrize(
    ("counts", "hidden"),
    [
        ((5, 0, 0), True),  # everyone in one bin
        ((4, 1, 0), True),  # all but one: n - 1
        ((0, 4, 1), True),
        ((3, 1, 1), False),
        ((3, 2, 0), False),
        ((2, 2, 1), False),
        ((8, 1, 1), False),  # n = 10: 8 < 9
        ((9, 1, 0), True),
    ],
)
def test_homogeneity_guard(counts, hidden):
    n = sum(counts)
    assert homogeneous(counts) is hidden
    bins = {m: (1, n - 2, 1) for m in MOTIVES} | {"outgroup": counts}
    figures = guard(table(n=n, bins=bins), 5)
    assert (figures.distributions["outgroup"] is None) is hidden
    assert figures.distributions["morality"] == (1, n - 2, 1)


def test_scenarios_are_hidden_below_k_room_or_when_nearly_unanimous():
    choices = {
        "shown": {"a": 2, "b": 2, "c": 1, "d": 0},
        "few": {"a": 2, "b": 1, "c": 1, "d": 0},
        "unanimous": {"a": 5, "b": 0, "c": 0, "d": 0},
        "all_but_one": {"a": 4, "b": 1, "c": 0, "d": 0},
    }
    figures = guard(table(n=5, choices=choices), 5)
    assert figures.choices["shown"] == choices["shown"]
    assert figures.choices["few"] is None
    assert figures.choices["unanimous"] is None
    assert figures.choices["all_but_one"] is None
    assert set(figures.shown_choices) == {"shown"}


def test_no_mixture_below_k_room_even_when_n_is_enough():
    figures = guard(table(n=6, mixture_n=4, bins={m: (1, 2, 1) for m in MOTIVES}), 5)
    assert figures.mixture is None
    assert all(v is None for v in figures.distributions.values())


def test_tables_that_do_not_add_up_are_refused():
    with pytest.raises(RoomError):
        guard(table(n=5, bins={m: (1, 1, 1) for m in MOTIVES}), 5)
    with pytest.raises(RoomError):
        guard(table(n=5, mixture_n=6), 5)
    with pytest.raises(RoomError):
        guard(table(n=5, choices={"x": {"a": 6}}), 5)


def test_figures_survive_storage_unchanged():
    figures = guard(table(n=5, choices={"s": {"a": 2, "b": 3}}), 5)
    assert RoomFigures.from_json(figures.to_json()) == figures
    with pytest.raises(RoomError):
        RoomFigures.from_json({**figures.to_json(), "version": 99})
