"""Scoring, with golden values worked out by hand in the comments."""

import math
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.errors import InvalidAnswer
from app.domain.instrument import MOTIVES, Motive
from app.domain.scoring import (
    DEFAULT_SD,
    Z95,
    Missing,
    mixture,
    score,
    score_scale,
)
from tests.domain.small import SMALL

# og: 7, 6, 6 and the reverse item answered 2 (counts as 8 - 2 = 6): mean 25 / 4 = 6.25
# ig: 3, 3, 3, reverse 5 (counts 3): mean 3.0
# pe: 2, 3, 2, reverse 5 (counts 3): mean 10 / 4 = 2.5
# mo: 5, 5, 5, reverse 3 (counts 5): mean 5.0
GOLDEN = {
    "og1": 7, "og2": 6, "og3": 6, "og4": 2,
    "ig1": 3, "ig2": 3, "ig3": 3, "ig4": 5,
    "pe1": 2, "pe2": 3, "pe3": 2, "pe4": 5,
    "mo1": 5, "mo2": 5, "mo3": 5, "mo4": 3,
}  # fmt: skip


def test_scale_means_apply_reverse_keys():
    profile = score(SMALL, GOLDEN, {})
    means = {m: profile.scales[m].mean for m in MOTIVES}
    assert means == {
        Motive.OUTGROUP: 6.25,
        Motive.INGROUP: 3.0,
        Motive.PERSONAL: 2.5,
        Motive.MORALITY: 5.0,
    }


def test_mixture_shares_are_distances_above_the_floor():
    # Above the floor of 1: 5.25, 2.0, 1.5, 4.0; their sum is 12.75.
    shares = score(SMALL, GOLDEN, {}).mixture.shares
    assert shares[Motive.OUTGROUP] == pytest.approx(5.25 / 12.75)  # 0.41176...
    assert shares[Motive.INGROUP] == pytest.approx(2.0 / 12.75)  # 0.15686...
    assert shares[Motive.PERSONAL] == pytest.approx(1.5 / 12.75)  # 0.11764...
    assert shares[Motive.MORALITY] == pytest.approx(4.0 / 12.75)  # 0.31372...


def test_band_is_the_standard_error_of_measurement():
    # SEM = 1.25 * sqrt(1 - 0.70) = 0.684653; 95% half-width = 1.959964 * SEM = 1.341896.
    result = score(SMALL, GOLDEN, {}).scales[Motive.MORALITY]
    assert result.low == pytest.approx(5.0 - 1.341896, abs=1e-6)
    assert result.high == pytest.approx(5.0 + 1.341896, abs=1e-6)
    # Near the ceiling the band is clipped to the scale: 6.25 + 1.34 > 7.
    assert score(SMALL, GOLDEN, {}).scales[Motive.OUTGROUP].high == 7
    assert Z95 * DEFAULT_SD * math.sqrt(0.3) == pytest.approx(1.341896, abs=1e-6)


def test_share_band_moves_one_mean_at_a_time():
    # Morality at its low end 3.658104: above floor 2.658104; others sum 8.75.
    mix = score(SMALL, GOLDEN, {}).mixture
    assert mix.low[Motive.MORALITY] == pytest.approx(2.658104 / (2.658104 + 8.75), abs=1e-6)
    assert mix.low[Motive.MORALITY] < mix.shares[Motive.MORALITY] < mix.high[Motive.MORALITY]


def test_a_scale_needs_three_of_its_four_items():
    answers = {k: v for k, v in GOLDEN.items() if k not in ("pe1", "pe2")}
    profile = score(SMALL, answers, {})
    personal = profile.scales[Motive.PERSONAL]
    assert personal.mean is None
    assert personal.missing is Missing.TOO_FEW_ANSWERS
    assert (personal.answered, personal.needed) == (2, 3)
    assert profile.mixture is None
    assert profile.mixture_missing is Missing.SCALE_MISSING
    # Three of four is enough: (3 + 2 + 3) / 3.
    three = score(SMALL, {k: v for k, v in GOLDEN.items() if k != "pe1"}, {})
    assert three.scales[Motive.PERSONAL].mean == pytest.approx(8 / 3)


def test_everything_at_the_floor_has_no_mixture():
    floor = {item.key: (7 if item.reverse else 1) for item in SMALL.items}
    profile = score(SMALL, floor, {})
    assert profile.mixture is None
    assert profile.mixture_missing is Missing.ALL_AT_FLOOR


def test_choices_are_weighed_against_what_the_options_offered():
    # Chosen: march c (ingroup 0.5, personal 0.5), donate a (outgroup 1), meeting c (morality 1).
    # Baselines, the mean weight per option summed over the three scenarios:
    #   outgroup 1/3 + 1/3 + 1/3 = 1; ingroup 0.5/3 + 1/3 + 1/3 = 5/6;
    #   personal 1.5/3 = 0.5; morality 1/3 + 1/3 = 2/3.
    # Relative weights: outgroup 1/1 = 1, ingroup 0.5/(5/6) = 0.6, personal 0.5/0.5 = 1,
    #   morality 1/(2/3) = 1.5; their sum is 4.1.
    profile = score(SMALL, GOLDEN, {"march": "c", "donate": "a", "meeting": "c"})
    chosen = profile.chosen.shares
    assert chosen[Motive.OUTGROUP] == pytest.approx(1 / 4.1)
    assert chosen[Motive.INGROUP] == pytest.approx(0.6 / 4.1)
    assert chosen[Motive.PERSONAL] == pytest.approx(1 / 4.1)
    assert chosen[Motive.MORALITY] == pytest.approx(1.5 / 4.1)
    # Said minus chosen for outgroup: 0.411765 - 0.243902 = 0.167863, a notable gap.
    assert profile.gaps[Motive.OUTGROUP] == pytest.approx(5.25 / 12.75 - 1 / 4.1)
    assert set(profile.notable_gaps) == {Motive.OUTGROUP}


def test_choosing_each_option_as_often_gives_roughly_equal_shares():
    # Four people pick the first, second, third and fourth option of every scenario of
    # the real instrument: between them they choose each option once, so on average no
    # motive should stand out the way raw weights made outgroup-focused stand out.
    from app.domain.scoring import chosen as weigh
    from app.instruments import CURRENT

    totals = dict.fromkeys(MOTIVES, 0.0)
    for index in range(4):
        picks = {s.key: s.options[index % len(s.options)].key for s in CURRENT.scenarios}
        for motive, share in weigh(CURRENT, picks).shares.items():
            totals[motive] += share
    relative = {m: totals[m] / 4 for m in MOTIVES}
    assert all(0.15 < v < 0.35 for v in relative.values()), relative


def test_said_and_chosen_need_three_scenarios():
    two = score(SMALL, GOLDEN, {"march": "b", "donate": "b"})
    assert two.gaps is None
    assert two.comparison_missing is Missing.TOO_FEW_SCENARIOS
    none = score(SMALL, GOLDEN, {})
    assert none.comparison_missing is Missing.NO_SCENARIOS
    notable = score(SMALL, GOLDEN, {"march": "b", "donate": "b", "meeting": "b"})
    # Chosen: personal 1 / 0.5 = 2, ingroup 2 / (5/6) = 2.4; shares 2/4.4 and 2.4/4.4.
    # Said outgroup 0.41 vs chosen 0: notable.
    assert Motive.OUTGROUP in notable.notable_gaps
    assert notable.notable_gaps[Motive.INGROUP] == pytest.approx(2.0 / 12.75 - 2.4 / 4.4)


def test_the_leading_motive_must_clear_the_others_bands():
    mix = score(SMALL, GOLDEN, {}).mixture
    # Outgroup 0.41 leads morality 0.31; at the low end of its band (mean 4.908104)
    # its share is 3.908104 / (3.908104 + 7.5) = 0.3426, still above 0.3137.
    assert mix.leading() is Motive.OUTGROUP
    # Morality 6.0 now leads (0.364) but its low end, 3.658 / (3.658 + 8.75) = 0.295,
    # falls below outgroup's 0.382: the two cannot be told apart.
    close = dict(GOLDEN, mo1=6, mo2=6, mo3=6, mo4=2)
    assert score(SMALL, close, {}).mixture.leading() is None


@pytest.mark.parametrize(
    "answers",
    [{"zz1": 3}, {"og1": 0}, {"og1": 8}, {"og1": "3"}, {"og1": True}, {"og1": 3.5}],
)
def test_invalid_answers_raise(answers):
    with pytest.raises(InvalidAnswer):
        score(SMALL, answers, {})


@pytest.mark.parametrize("choices", [{"nowhere": "a"}, {"march": "z"}])
def test_invalid_choices_raise(choices):
    with pytest.raises(InvalidAnswer):
        score(SMALL, {}, choices)


def test_reliability_must_be_a_proportion():
    with pytest.raises(ValueError, match="reliability"):
        score_scale(SMALL, SMALL.scales[0], GOLDEN, reliability=1.5)


answers_strategy = st.fixed_dictionaries(
    {},
    optional={item.key: st.integers(1, 7) for item in SMALL.items},
)
choices_strategy = st.fixed_dictionaries(
    {}, optional={s.key: st.sampled_from([o.key for o in s.options]) for s in SMALL.scenarios}
)


@given(answers_strategy, choices_strategy)
def test_scores_stay_on_the_scale_and_shares_sum_to_one(answers, choices):
    profile = score(SMALL, answers, choices)
    for result in profile.scales.values():
        if result.mean is not None:
            assert 1 <= result.low <= result.mean <= result.high <= 7
    if profile.mixture is not None:
        assert math.fsum(profile.mixture.shares.values()) == pytest.approx(1)
        for m in MOTIVES:
            assert 0 <= profile.mixture.low[m] <= profile.mixture.shares[m]
            assert profile.mixture.shares[m] <= profile.mixture.high[m] <= 1
    if profile.chosen.shares is not None:
        assert math.fsum(profile.chosen.shares.values()) == pytest.approx(1)


@given(answers_strategy, st.sampled_from([item.key for item in SMALL.items]))
def test_reversing_an_item_and_its_answer_changes_nothing(answers, key):
    flipped_items = tuple(
        replace(item, reverse=not item.reverse) if item.key == key else item for item in SMALL.items
    )
    flipped = replace(SMALL, items=flipped_items)
    mirrored = dict(answers)
    if key in mirrored:
        mirrored[key] = 8 - mirrored[key]
    assert score(flipped, mirrored, {}).scales == score(SMALL, answers, {}).scales


@given(answers_strategy)
def test_mixture_is_none_exactly_when_a_scale_is_missing_or_all_at_floor(answers):
    profile = score(SMALL, answers, {})
    mix, reason = mixture(profile.scales, 1)
    missing = any(r.mean is None for r in profile.scales.values())
    if missing:
        assert reason is Missing.SCALE_MISSING
    elif all(r.mean == 1 for r in profile.scales.values()):
        assert reason is Missing.ALL_AT_FLOOR
    else:
        assert mix is not None
