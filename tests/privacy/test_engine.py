"""The pure privacy engine (app.domain.privacy, app.domain.dp): no app, no database."""

from __future__ import annotations

import math
import random
import statistics

import pytest

from app import instruments
from app.domain import dp
from app.domain.instrument import Behaviour
from app.domain.privacy import (
    K_ORG,
    OTHER,
    Categories,
    Condition,
    Dimension,
    FilterError,
    Filters,
    Hidden,
    Leaning,
    Predicate,
    PrivacyError,
    Tally,
    categorize,
    distribution,
    far_enough,
    figures_of,
    guard_distribution,
    leaning_options,
    person_difference,
    shown_count,
    suppress_cells,
    suppress_counts,
    total,
)

# Categories: sizes from the test plan (research/reliability-anchors.md §6, row 14).
SIZES = {"a": 3, "b": 8, "c": 12, "d": 40}


def test_counts_under_k_are_never_shown():
    assert [shown_count(n) for n in (0, 1, 9, 10, 11)] == [0, None, None, 10, 11]


def test_small_cells_and_their_complement_are_hidden():
    hidden = suppress_cells(SIZES)
    # 3 and 8 are small; together 11, so no complement is needed, and 12 and 40 show.
    assert hidden == {"a": Hidden.SMALL, "b": Hidden.SMALL, "c": None, "d": None}


def test_a_single_small_cell_takes_the_next_smallest_with_it():
    hidden = suppress_cells({"a": 3, "c": 12, "d": 40})
    assert hidden == {"a": Hidden.SMALL, "c": Hidden.COMPLEMENT, "d": None}
    shown_total = sum(n for c, n in {"a": 3, "c": 12, "d": 40}.items() if hidden[c] is None)
    # total - visible = 15: the 3 cannot be told apart from the 12.
    assert 55 - shown_total == 15


def test_no_suppressed_cell_can_be_derived_from_the_total():
    rng = random.Random(7)
    for _ in range(500):
        counts = {str(i): rng.choice([0, 1, 2, 3, 5, 8, 9, 10, 12, 15, 40]) for i in range(5)}
        hidden = suppress_cells(counts)
        held = sum(n for c, n in counts.items() if hidden[c])
        assert held == 0 or held >= K_ORG or all(hidden[c] for c in counts if counts[c])
        for cell, reason in hidden.items():
            if reason is None:
                assert counts[cell] == 0 or counts[cell] >= K_ORG


def test_a_too_close_cell_is_hidden_and_protected_like_a_small_one():
    hidden = suppress_cells(
        {"a": 15, "b": 20, "c": 30}, too_close={"a"}, residual_ok=lambda h: len(h) > 1
    )
    assert hidden["a"] is Hidden.TOO_CLOSE and hidden["b"] is Hidden.COMPLEMENT
    assert hidden["c"] is None


def test_distribution_bins_follow_rule_5():
    assert guard_distribution((20, 30, 50)) == (None, None, None)
    assert guard_distribution((0, 40, 60)) == (None, None, None)  # an empty bin hides no one
    assert guard_distribution((3, 12, 85)) == (Hidden.SMALL, Hidden.COMPLEMENT, None)
    assert guard_distribution((3, 0, 97)) == (Hidden.HOMOGENEOUS,) * 3
    assert guard_distribution((0, 1, 14)) == (Hidden.HOMOGENEOUS,) * 3
    assert guard_distribution((5, 5, 90)) == (Hidden.SMALL, Hidden.SMALL, None)
    assert distribution((3, 12, 85)).counts == (None, None, 85)


def test_person_difference_counts_a_retaker_once():
    # 20 and 20 people; 19 takes the same; one person retook: 2 takes differ, 1 person.
    assert person_difference(20, 20, 19, 1) == 1
    assert person_difference(20, 21, 20, 0) == 1
    assert person_difference(20, 20, 20, 0) == 0
    with pytest.raises(PrivacyError):
        person_difference(5, 5, 6, 0)
    assert far_enough(0) and far_enough(10) and not far_enough(9) and not far_enough(1)


def test_categories_merge_small_values_into_other():
    cats = categorize({Dimension.CAUSE: SIZES, Dimension.LANGUAGE: {"en": 63}})
    assert cats.cells(Dimension.CAUSE) == ("d", "c", OTHER)
    assert cats.cells(Dimension.LANGUAGE) == ("en",)
    other = cats.condition(Dimension.CAUSE, OTHER)
    assert other.negated and other.holds("a") and not other.holds("d")
    assert Categories.from_json(cats.to_json()) == cats


def test_workshops_offer_only_the_most_recent():
    counts = {Dimension.WORKSHOP: {str(i): 10 for i in range(1, 30)}}
    cats = categorize(counts)
    assert cats.cells(Dimension.WORKSHOP)[:2] == ("29", "28")
    assert len(cats.cells(Dimension.WORKSHOP)) == 13 and OTHER in cats.cells(Dimension.WORKSHOP)


def test_at_most_two_filters_and_only_offered_values():
    cats = categorize(
        {
            Dimension.CAUSE: {"gender": 20},
            Dimension.LANGUAGE: {"en": 20},
            Dimension.QUARTER: {"2026-Q4": 20},
        }
    )
    two = Filters.parse({"cause": "gender", "language": "en"}, cats)
    assert two.key == "cause=gender&language=en" and two.breakdowns() == ()
    assert Filters.parse({"cause": "gender"}, cats).breakdowns() == (
        Dimension.QUARTER,
        Dimension.LANGUAGE,
        Dimension.WORKSHOP,
    )
    with pytest.raises(FilterError) as error:
        Filters.parse({"cause": "gender", "language": "en", "quarter": "2026-Q4"}, cats)
    assert error.value.kind == "too_many"
    with pytest.raises(FilterError):
        Filters.parse({"cause": "peace"}, cats)
    with pytest.raises(FilterError):
        Filters.parse({"workshop": "7"}, cats)


def test_predicates_meet_and_know_when_they_are_disjoint():
    gender = Predicate((Condition(Dimension.CAUSE, ("gender",)),))
    refugees = Predicate((Condition(Dimension.CAUSE, ("refugees",)),))
    not_gender = Predicate((Condition(Dimension.CAUSE, ("gender",), negated=True),))
    german = Predicate((Condition(Dimension.LANGUAGE, ("de",)),))
    assert gender.disjoint(refugees) and gender.disjoint(not_gender)
    assert not gender.disjoint(german) and not not_gender.disjoint(refugees)
    both = gender.and_(Condition(Dimension.CAUSE, ("gender", "refugees")))
    assert both.conditions == (Condition(Dimension.CAUSE, ("gender",)),)
    assert Predicate.from_json(german.to_json()) == german


def tally(n: int, shares=(0.25, 0.25, 0.25, 0.25), ids=0) -> Tally:
    high = tuple(n if s >= 0.3 else 0 for s in shares)
    low = tuple(n if s < 0.2 else 0 for s in shares)
    return Tally(
        n=n,
        share_sums=tuple(n * s for s in shares),
        low=low,
        high=high,
        id_sum=ids,
        id_squares=ids * ids,
    )


def test_tallies_add_up_and_tell_sets_apart():
    a, b = tally(10, ids=5), tally(12, ids=7)
    both = a + b
    assert both.n == 22 and (both - b) == a
    assert a.fingerprint != b.fingerprint and total([a, b]) == both


def test_figures_need_k_people():
    with pytest.raises(PrivacyError):
        figures_of(tally(9))
    figures = figures_of(tally(10))
    assert figures.n == 10 and figures.mean_shares["outgroup"] == pytest.approx(0.25)


def test_leanings_come_from_the_instrument_tags():
    sides = leaning_options(instruments.CURRENT.scenarios)
    autonomy, dependency = sides[Leaning.HELP]
    assert ("community_centre", "b") in autonomy and ("community_centre", "a") in dependency
    helpful, harmful = sides[Leaning.ALLY]
    assert ("march", "a") in helpful and ("march", "b") in harmful
    for scenario in instruments.CURRENT.scenarios:
        for option in scenario.options:
            if Behaviour.TAKES_OVER in option.tags:
                assert (scenario.key, option.key) in harmful


def test_quality_counts_protect_the_remainder():
    shown = suppress_counts({"en": 200, "de": 60, "fr": 45, "ar": 8}, minimum=50)
    # fr and ar are under 50 and together 53: enough to hide their counts as they are.
    assert shown == {"en": True, "de": True, "fr": False, "ar": False}
    shown = suppress_counts({"en": 200, "de": 60, "ar": 8}, minimum=50)
    assert shown == {"en": True, "de": False, "ar": False}


# Differential privacy


def test_dp_settings_refuse_nonsense():
    for epsilon, budget in ((0, 1), (-1, 1), (math.inf, 1), (1.0, 0.5), (True, 2)):
        with pytest.raises(dp.BudgetError):
            dp.Settings(epsilon, budget)
    settings = dp.Settings(0.5, 2.0)
    assert settings.scale == dp.SENSITIVITY / 0.5
    assert settings.may_spend(1.5, 0.5) and not settings.may_spend(1.6, 0.5)
    assert settings.remaining(2.5) == 0.0


def test_noisy_figures_keep_hidden_bins_hidden_and_small_counts_unshown():
    true = tally(40, shares=(0.4, 0.2, 0.2, 0.2))
    guarded = figures_of(true)

    def noise(values, scale):
        return [v - 35 for v in values]  # everything drops well under K_ORG

    noisy = dp.noisy_figures(true, guarded, 20.0, noise)
    assert noisy.noisy and noisy.n is None
    for data in (*noisy.distributions.values(), *noisy.leanings.values()):
        assert all(c is None or c == 0 or c >= K_ORG for c in data.counts)
    for name, data in guarded.distributions.items():
        for before, after in zip(data.hidden, noisy.distributions[name].hidden, strict=True):
            assert before is None or after is not None  # hidden stays hidden


@pytest.mark.skipif(not dp.available(), reason="OpenDP is not installed")
def test_opendp_noise_has_the_expected_error():
    """Mean absolute error of Laplace(b) is b; 2,000 draws land within 10% of it."""
    scale = 20.0
    noisy = dp.laplace([0.0] * 2000, scale)
    assert statistics.fmean(abs(x) for x in noisy) == pytest.approx(scale, rel=0.1)
    assert noisy != dp.laplace([0.0] * 2000, scale)  # fresh noise every call
