"""The profile's two sets of bars: what was said, largest first, and what was chosen beside it."""

import pytest

from app.domain.instrument import MOTIVES, Motive
from app.domain.scoring import score
from app.services.profiles import ProfileView
from tests.domain.small import SMALL
from tests.domain.test_scoring import GOLDEN

CHOICES = {"march": "c", "donate": "a", "meeting": "c"}


def view_of(profile) -> ProfileView:
    return ProfileView(None, None, profile, (), (), (), {m: str(m) for m in MOTIVES})


def test_said_bars_run_from_the_largest_share_and_chosen_bars_follow_them():
    # GOLDEN: outgroup 6.25, morality 5.0, ingroup 3.0, personal 2.5 (test_scoring.py).
    profile = score(SMALL, GOLDEN, CHOICES)
    view = view_of(profile)
    order = [Motive.OUTGROUP, Motive.MORALITY, Motive.INGROUP, Motive.PERSONAL]
    assert list(view.said_bars) == list(view.chosen_bars) == order
    assert view.said_bars == pytest.approx(profile.mixture.shares)
    assert view.chosen_bars == pytest.approx(profile.chosen.shares)


def test_without_a_mixture_the_chosen_bars_keep_the_motives_order():
    floor = {item.key: (7 if item.reverse else 1) for item in SMALL.items}  # no mixture
    view = view_of(score(SMALL, floor, CHOICES))
    assert view.said_bars == {}
    assert list(view.chosen_bars) == list(MOTIVES)


def test_without_choices_there_are_no_chosen_bars():
    assert view_of(score(SMALL, GOLDEN, {})).chosen_bars == {}
