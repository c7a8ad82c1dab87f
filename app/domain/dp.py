"""Optional differential privacy for the organizer's figures: noise, a budget, and caching.

Rule 1. It is off unless the operator turns it on, and it can be on only where
OpenDP is installed (``pip install 'whyiact[dp]'``); ``available`` says whether it is.
Rule 2. Every number a released set's figures are made of gets Laplace noise of
scale ``SENSITIVITY / epsilon``: the count, the four sums of mixture shares, and the
three bins of each motive and of each leaning. Adding or removing one person
changes that vector by at most ``SENSITIVITY`` in L1 norm: 1 for the count, 1 for
the share sums (a person's four shares add up to 1), 1 for each of the 4 motive
distributions and 1 for each of the 4 leanings (a person is in one bin of each).
Rule 3. A figure group (the overview, or one breakdown, whose cells are disjoint
and so share one epsilon by parallel composition) that releases a new set costs
``epsilon``. An organization spends at most ``budget`` per calendar quarter; an
update that could go over it is refused as a whole, before any noise is drawn.
Rule 4. Noise is drawn once per set and stored with its release, so that asking
again returns the same answer and costs nothing; averaging repeated answers
cannot remove the noise.
Rule 5. Only post-processing follows the noise, which costs no privacy: counts
are rounded and kept at 0 or more, a noisy count under ``K_ORG`` is shown as
"fewer than", and means are kept between 0 and 1.

Which bins are hidden, and whether a set is shown at all, is still decided on the
true counts by the rules of ``app.domain.privacy``; those decisions are not
covered by the noise (docs/privacy.md says what that means).
"""

from __future__ import annotations

import importlib.util
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from app.domain.errors import DomainError
from app.domain.instrument import MOTIVES
from app.domain.privacy import (
    K_ORG,
    LEANINGS,
    Distribution,
    Figures,
    Hidden,
    Tally,
    check_tally,
)

#: L1 sensitivity of one set's figures to adding or removing one person (rule 2).
SENSITIVITY = 1 + 1 + len(MOTIVES) + len(LEANINGS)
#: Defaults: epsilon per figure group, and per organization and quarter.
DEFAULT_EPSILON = 0.5
DEFAULT_BUDGET = 10.0

Noise = Callable[[Sequence[float], float], list[float]]


class BudgetError(DomainError):
    """DP settings that make no sense, or a spend the budget cannot cover."""


def available() -> bool:
    """True when the OpenDP library is installed."""
    return importlib.util.find_spec("opendp") is not None


@dataclass(frozen=True)
class Settings:
    """How much privacy loss one figure group may cost, and an organization per quarter."""

    epsilon: float = DEFAULT_EPSILON
    budget: float = DEFAULT_BUDGET

    def __post_init__(self) -> None:
        for name in ("epsilon", "budget"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise BudgetError(f"{name} must be a number")
            if not math.isfinite(value) or value <= 0:
                raise BudgetError(f"{name} must be a positive number")
        if self.budget < self.epsilon:
            raise BudgetError("the budget must cover at least one figure group")

    @property
    def scale(self) -> float:
        """The Laplace scale: the expected absolute error of every noisy number."""
        return SENSITIVITY / self.epsilon

    def cost(self, groups: int) -> float:
        """What releasing ``groups`` figure groups costs."""
        if groups < 0:
            raise BudgetError("cannot release fewer than no groups")
        return self.epsilon * groups

    def may_spend(self, spent: float, cost: float) -> bool:
        """True when ``cost`` more keeps the quarter's spending within the budget."""
        # A hair of slack so that ten spends of 0.1 fit a budget of 1.0.
        return spent + cost <= self.budget + 1e-9

    def remaining(self, spent: float) -> float:
        return max(self.budget - spent, 0.0)


def laplace(values: Sequence[float], scale: float) -> list[float]:
    """Add Laplace noise of ``scale`` to each value with OpenDP's sampler.

    The measurement is OpenDP's vector Laplace under the L1 distance; its privacy
    map confirms that a change of ``SENSITIVITY`` costs ``SENSITIVITY / scale``.
    """
    import opendp.prelude as dp

    dp.enable_features("contrib")
    space = dp.vector_domain(dp.atom_domain(T=float, nan=False)), dp.l1_distance(T=float)
    measurement = dp.m.make_laplace(*space, scale=float(scale))
    if measurement.map(float(SENSITIVITY)) > SENSITIVITY / scale * (1 + 1e-9):
        raise BudgetError("OpenDP's privacy map disagrees with the scale")
    return list(measurement([float(v) for v in values]))


def noisy_figures(tally: Tally, figures: Figures, scale: float, noise: Noise = laplace) -> Figures:
    """The figures of ``tally`` with noise on every number (rules 2 and 5).

    ``figures`` are the guarded true figures: bins hidden there stay hidden.
    """
    check_tally(tally)
    if scale <= 0 or not math.isfinite(scale):
        raise BudgetError("the noise scale must be a positive number")
    motives = [str(m) for m in MOTIVES]
    leanings = [str(le) for le in LEANINGS]
    vector: list[float] = [float(tally.n), *map(float, tally.share_sums)]
    for i in range(len(motives)):
        vector.extend(map(float, tally.bins(i)))
    for i in range(len(leanings)):
        vector.extend(map(float, tally.leaning(i)))
    noisy = noise(vector, scale)
    if len(noisy) != len(vector):
        raise BudgetError("the noise changed the number of values")
    n_raw = noisy[0]
    n = _count(n_raw)
    mean_shares = {
        m: min(max(noisy[1 + i] / max(n_raw, 1.0), 0.0), 1.0) for i, m in enumerate(motives)
    }
    at = 1 + len(motives)
    distributions = {}
    for m in motives:
        distributions[m] = _noisy_distribution(figures.distributions[m], noisy[at : at + 3])
        at += 3
    leaning_figures = {}
    for name in leanings:
        leaning_figures[name] = _noisy_distribution(figures.leanings[name], noisy[at : at + 3])
        at += 3
    return Figures(n, mean_shares, distributions, leaning_figures, noisy=True)


def _count(value: float) -> int | None:
    count = max(round(value), 0)
    return count if count == 0 or count >= K_ORG else None


def _noisy_distribution(shown: Distribution, values: Sequence[float]) -> Distribution:
    counts: list[int | None] = []
    hidden: list[Hidden | None] = []
    for reason, value in zip(shown.hidden, values, strict=True):
        count = None if reason else _count(value)
        if reason is None and count is None:
            reason = Hidden.SMALL
        counts.append(count)
        hidden.append(reason)
    return Distribution(tuple(counts), tuple(hidden))
