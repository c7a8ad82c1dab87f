"""Scoring a take: scale means, the motivation mixture, and what the choices suggest.

Invariants:
- Pure and total: answers in, a frozen ``Profile`` out. An answer to an unknown
  item, a value off the response scale, or an unknown scenario option raises
  ``InvalidAnswer``; nothing is silently dropped.
- A reverse-keyed item contributes ``floor + ceiling - value``.
- A scale has a score only when at least ``scale.min_items`` of its items are
  answered; otherwise it is missing, with the reason and the counts.
- The mixture exists only when all four motive scales have a score and at least
  one lies above the scale floor; its shares are each motive's distance above the
  floor divided by the sum of those distances, so they sum to 1.
- Nothing is rounded here; templates round for display.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from app.domain.errors import InvalidAnswer
from app.domain.instrument import MOTIVES, Behaviour, Citation, Instrument, Motive, Scale

#: Bump when any rule in this module changes meaning; stored with each finished take.
SCORING_VERSION = 1
#: Reliability assumed until a population estimate exists: the conventional
#: minimum for group research (Nunnally, 1978). Lower reliability, wider bands.
DEFAULT_RELIABILITY = 0.70
#: Standard deviation assumed for a 1-7 motive scale: the larger of the two SDs
#: reported for men's egalitarian (1.16) and paternalistic (1.50) motivation to
#: confront sexism by Estevan-Reina et al. (2020, Study 1), rounded down.
DEFAULT_SD = 1.25
#: Two-sided 95% normal quantile.
Z95 = 1.959963984540054
#: Said and chosen are compared from this many answered scenarios on.
MIN_SCENARIOS_TO_COMPARE = 3
#: A difference of shares this large is named on the profile.
NOTABLE_GAP = 0.15
#: Why said and chosen can differ: social desirability and limited awareness.
SAID_AND_CHOSEN = Citation(
    2015, 2070, "Theoretical contributions and directions for future research"
)


class Missing(StrEnum):
    """Why a score could not be given."""

    TOO_FEW_ANSWERS = "too_few_answers"
    SCALE_MISSING = "scale_missing"
    ALL_AT_FLOOR = "all_at_floor"
    NO_SCENARIOS = "no_scenarios"
    TOO_FEW_SCENARIOS = "too_few_scenarios"


@dataclass(frozen=True)
class ScaleScore:
    """A scale's mean on the response scale, with a 95% band, or why it is missing."""

    scale: str
    answered: int
    needed: int
    mean: float | None
    low: float | None
    high: float | None
    missing: Missing | None


@dataclass(frozen=True)
class Mixture:
    """Each motive's share of the distance above the floor, with a band per share."""

    shares: dict[Motive, float]
    low: dict[Motive, float]
    high: dict[Motive, float]

    def ordered(self) -> list[Motive]:
        """Motives from the largest share to the smallest, ties in canonical order."""
        return sorted(MOTIVES, key=lambda m: (-self.shares[m], MOTIVES.index(m)))

    def leading(self) -> Motive | None:
        """The motive held to a clearly greater extent than each other one, if any.

        Clearly means the lower end of its band lies above every other share;
        otherwise the measurement cannot tell the top motives apart.
        """
        top, *rest = self.ordered()
        return top if all(self.low[top] > self.shares[m] for m in rest) else None


@dataclass(frozen=True)
class Chosen:
    """What the scenario choices suggest: construct-key shares and behaviour tags."""

    answered: int
    shares: dict[Motive, float] | None
    tags: Counter[Behaviour]


@dataclass(frozen=True)
class Profile:
    """Everything the profile page shows about one take."""

    scales: dict[Motive, ScaleScore]
    mixture: Mixture | None
    mixture_missing: Missing | None
    chosen: Chosen
    gaps: dict[Motive, float] | None
    comparison_missing: Missing | None

    @property
    def notable_gaps(self) -> dict[Motive, float]:
        """Motives where said and chosen shares differ by at least ``NOTABLE_GAP``."""
        if self.gaps is None:
            return {}
        return {m: g for m, g in self.gaps.items() if abs(g) >= NOTABLE_GAP}


def check_answers(instrument: Instrument, answers: Mapping[str, int]) -> None:
    """Raise ``InvalidAnswer`` unless every answer names an item and lies on the scale."""
    points = instrument.response_scale.points
    for key, value in answers.items():
        try:
            instrument.item(key)
        except KeyError:
            raise InvalidAnswer(f"no item {key!r} in {instrument.key}") from None
        if isinstance(value, bool) or not isinstance(value, int) or value not in points:
            raise InvalidAnswer(f"{value!r} is not on the scale for item {key!r}")


def check_choices(instrument: Instrument, choices: Mapping[str, str]) -> None:
    """Raise ``InvalidAnswer`` unless every choice names a scenario and one of its options."""
    for scenario_key, option_key in choices.items():
        try:
            instrument.scenario(scenario_key).option(option_key)
        except KeyError:
            raise InvalidAnswer(f"no option {option_key!r} in {scenario_key!r}") from None


def score_scale(
    instrument: Instrument,
    scale: Scale,
    answers: Mapping[str, int],
    reliability: float = DEFAULT_RELIABILITY,
    sd: float = DEFAULT_SD,
) -> ScaleScore:
    """Score one scale: the mean of its (reverse-keyed) answers, with a 95% band.

    Notes
    -----
    The band is the mean plus or minus ``Z95 * SEM``, clipped to the scale, where
    the standard error of measurement is ``SEM = sd * sqrt(1 - reliability)``.

    References
    ----------
    Nunnally, J. C., & Bernstein, I. H. (1994). Psychometric theory (3rd ed.),
    ch. 7 (the standard error of measurement).
    """
    if not 0 <= reliability <= 1:
        raise ValueError("reliability must be in [0, 1]")
    if sd < 0:
        raise ValueError("sd must not be negative")
    rs = instrument.response_scale
    values = [
        rs.reverse(answers[item.key]) if item.reverse else answers[item.key]
        for item in instrument.items_of(scale.key)
        if item.key in answers
    ]
    if len(values) < scale.min_items:
        return ScaleScore(
            scale.key, len(values), scale.min_items, None, None, None, Missing.TOO_FEW_ANSWERS
        )
    mean = math.fsum(values) / len(values)
    half = Z95 * sd * math.sqrt(1 - reliability)
    low = max(rs.floor, mean - half)
    high = min(rs.ceiling, mean + half)
    return ScaleScore(scale.key, len(values), scale.min_items, mean, low, high, None)


def score_scales(instrument: Instrument, answers: Mapping[str, int]) -> dict[str, ScaleScore]:
    """Score every scale of ``instrument`` (the antecedents of the deeper module, say)."""
    check_answers(instrument, answers)
    return {scale.key: score_scale(instrument, scale, answers) for scale in instrument.scales}


def mixture(
    scores: Mapping[Motive, ScaleScore], floor: int
) -> tuple[Mixture | None, Missing | None]:
    """Return the motives' shares of the total distance above the floor.

    Notes
    -----
    ``share_m = (mean_m - floor) / sum_k (mean_k - floor)``. The band of a share
    moves that one motive's mean to the ends of its band, the others held still.
    """
    means = {m: scores[m].mean for m in MOTIVES}
    if any(mean is None for m, mean in means.items()):
        return None, Missing.SCALE_MISSING
    above = {m: means[m] - floor for m in MOTIVES}  # type: ignore[operator]
    total = math.fsum(above.values())
    if total <= 0:
        return None, Missing.ALL_AT_FLOOR
    shares = {m: above[m] / total for m in MOTIVES}

    def share_with(motive: Motive, value: float) -> float:
        rest = total - above[motive]
        own = value - floor
        return own / (own + rest) if own + rest > 0 else 0.0

    low = {m: share_with(m, scores[m].low) for m in MOTIVES}  # type: ignore[arg-type]
    high = {m: share_with(m, scores[m].high) for m in MOTIVES}  # type: ignore[arg-type]
    return Mixture(shares, low, high), None


def chosen(instrument: Instrument, choices: Mapping[str, str]) -> Chosen:
    """Weigh the construct keys of the chosen options against what the options offered.

    Notes
    -----
    Options do not offer every motive equally: if one motive is keyed more
    often, choosing at random would already lean to it. So each motive's summed
    weight over the chosen options is divided by its baseline, the mean weight
    of that motive across all options of the same scenarios; the results are
    then normalised to shares, so that choosing at random does not by itself
    lean to the motives the options key most often. A motive that no answered
    scenario offers gets a share of 0.
    """
    check_choices(instrument, choices)
    weights: Counter[Motive] = Counter()
    baseline: Counter[Motive] = Counter()
    tags: Counter[Behaviour] = Counter()
    for scenario_key, option_key in choices.items():
        scenario = instrument.scenario(scenario_key)
        option = scenario.option(option_key)
        for motive, weight in option.motives.items():
            weights[motive] += weight
        for other in scenario.options:
            for motive, weight in other.motives.items():
                baseline[motive] += weight / len(scenario.options)
        tags.update(option.tags)
    relative = {m: weights[m] / baseline[m] if baseline[m] > 0 else 0.0 for m in MOTIVES}
    total = math.fsum(relative.values())
    shares = {m: relative[m] / total for m in MOTIVES} if total > 0 else None
    return Chosen(len(choices), shares, tags)


def score(
    instrument: Instrument,
    answers: Mapping[str, int],
    choices: Mapping[str, str],
    reliability: Mapping[Motive, float] | None = None,
    sd: Mapping[Motive, float] | None = None,
) -> Profile:
    """Score a take: per-motive scales, the mixture, the choices, and said minus chosen.

    ``reliability`` and ``sd`` set each scale's band; motives left out use the defaults.
    """
    check_answers(instrument, answers)
    reliability = reliability or {}
    sd = sd or {}
    scales = {
        m: score_scale(
            instrument,
            instrument.motive_scale(m),
            answers,
            reliability.get(m, DEFAULT_RELIABILITY),
            sd.get(m, DEFAULT_SD),
        )
        for m in MOTIVES
    }
    mix, mix_missing = mixture(scales, instrument.response_scale.floor)
    picked = chosen(instrument, choices)
    gaps, gaps_missing = None, None
    if picked.answered == 0 or picked.shares is None:
        gaps_missing = Missing.NO_SCENARIOS
    elif picked.answered < MIN_SCENARIOS_TO_COMPARE:
        gaps_missing = Missing.TOO_FEW_SCENARIOS
    elif mix is None:
        gaps_missing = mix_missing
    else:
        gaps = {m: mix.shares[m] - picked.shares[m] for m in MOTIVES}
    return Profile(scales, mix, mix_missing, picked, gaps, gaps_missing)
