"""Disclosure control for an organization's figures (shared/DESIGN.md §6.5 and §6.8).

A *set* is the group of people a figure describes; a *release* is a set whose
figures someone was shown (or could work out). Every rule below is about sets.

Rule 1 (threshold). No figure describes fewer than ``K_ORG`` people, counts
included: a group of 1 to ``K_ORG - 1`` people is shown as "fewer than 10", never
as a number, a mean or a share. An empty group may show 0.
Rule 2 (complementary suppression). When a group is broken down into cells, the
hidden cells together hold no one or at least ``K_ORG`` people, so that no hidden
cell can be worked out from the total and the cells shown. Their union can be
worked out all the same, so it is itself a release and obeys rule 4.
Rule 3 (filters). Filters are fixed and coarse (``Dimension``); at most
``MAX_FILTERS`` at once; a value held by fewer than ``K_ORG`` people is merged
into ``OTHER``. A breakdown adds a dimension, so it is offered only under fewer
than ``MAX_FILTERS`` filters: no set is ever defined by more than two conditions.
Rule 4 (minimum difference). Any two releases differ by 0 or at least
``MIN_DIFFERENCE`` people, whoever saw them (organizers and facilitators alike).
People, not takes: someone whose take changed between two sets counts once.
Rule 5 (distributions). A bin of a distribution shows only 0 or ``K_ORG`` or more
people. A smaller bin is hidden, and the next smallest with it, until the hidden
bins hold at least ``K_ORG``. The whole distribution is hidden when fewer than
``K_ORG`` people lie outside its largest bin: it would tell nearly everyone's bin.
Rule 6. Pure: tallies the database added up come in, decisions go out. Nothing
here sees a person, and nothing here rounds.

What these rules do not stop is written down in docs/privacy.md.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from app.domain.errors import DomainError
from app.domain.instrument import HARMFUL, HELPFUL, MOTIVES, Behaviour, Scenario

#: The smallest group any figure may describe (counts included).
K_ORG = 10
#: Two releases differ by no one or by at least this many people.
MIN_DIFFERENCE = 10
#: Filters that may be combined.
MAX_FILTERS = 2
#: Workshops named in filters and comparisons: the most recent ones, the rest are "other".
MAX_WORKSHOPS = 12
#: The smallest group whose instrument quality is shown.
QUALITY_MIN = 50
#: Version of the stored figures' layout.
FIGURES_VERSION = 1
#: The value of the merged cell of a dimension.
OTHER = "other"
#: A fingerprint of a set adds this square of each member's id, reduced modulo a prime.
FINGERPRINT_PRIME = 1_000_000_007


class PrivacyError(DomainError):
    """A table or request the rules cannot be applied to."""


class FilterError(PrivacyError):
    """Filters that are not offered: unknown, too many, or not a category now."""

    def __init__(self, kind: str):
        super().__init__(kind)
        self.kind = kind


class Dimension(StrEnum):
    """The coarse attributes a set may be filtered or broken down by."""

    QUARTER = "quarter"
    CAUSE = "cause"
    LANGUAGE = "language"
    WORKSHOP = "workshop"


DIMENSIONS: tuple[Dimension, ...] = tuple(Dimension)


class Hidden(StrEnum):
    """Why a figure is not shown."""

    SMALL = "small"  # fewer than K_ORG people
    COMPLEMENT = "complement"  # would let a small or too-close group be worked out
    TOO_CLOSE = "too_close"  # differs from an earlier release by 1 to MIN_DIFFERENCE - 1
    HOMOGENEOUS = "homogeneous"  # nearly everyone in one bin


class Leaning(StrEnum):
    """Pairs of opposite behaviours in the scenario choices (app.domain.instrument)."""

    HELP = "help"  # autonomy- versus dependency-oriented help
    ACTION = "action"  # normative versus non-normative action
    VISIBILITY = "visibility"  # public versus private
    ALLY = "ally"  # helpful versus harmful ally behaviours


LEANINGS: tuple[Leaning, ...] = tuple(Leaning)
#: The tags of each side of a leaning: first side, second side.
LEANING_TAGS: dict[Leaning, tuple[frozenset[Behaviour], frozenset[Behaviour]]] = {
    Leaning.HELP: (frozenset({Behaviour.AUTONOMY_HELP}), frozenset({Behaviour.DEPENDENCY_HELP})),
    Leaning.ACTION: (frozenset({Behaviour.NORMATIVE}), frozenset({Behaviour.NON_NORMATIVE})),
    Leaning.VISIBILITY: (frozenset({Behaviour.PUBLIC}), frozenset({Behaviour.PRIVATE})),
    Leaning.ALLY: (HELPFUL, HARMFUL),
}


def leaning_options(
    scenarios: Iterable[Scenario],
) -> dict[Leaning, tuple[frozenset[tuple[str, str]], frozenset[tuple[str, str]]]]:
    """The (scenario, option) keys on each side of each leaning.

    A person leans to the first side when more of their chosen options carry a
    tag of the first side than of the second; equal numbers (none included) lean
    to neither.
    """
    scenarios = tuple(scenarios)
    out = {}
    for leaning, (first, second) in LEANING_TAGS.items():
        sides = tuple(
            frozenset(
                (s.key, o.key) for s in scenarios for o in s.options if o.tags & frozenset(tags)
            )
            for tags in (first, second)
        )
        out[leaning] = sides
    return out  # type: ignore[return-value]


# Sets: predicates over the coarse dimensions


@dataclass(frozen=True, order=True)
class Condition:
    """One dimension's value is one of ``values`` (or, when ``negated``, none of them)."""

    dimension: Dimension
    values: tuple[str, ...]
    negated: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "dimension", Dimension(self.dimension))
        object.__setattr__(self, "values", tuple(sorted(set(self.values))))

    def holds(self, value: str) -> bool:
        return (value in self.values) != self.negated

    def meet(self, other: Condition) -> Condition:
        """Both conditions at once (same dimension)."""
        if other.dimension != self.dimension:
            raise PrivacyError("conditions on different dimensions do not meet")
        a, b = set(self.values), set(other.values)
        if not self.negated and not other.negated:
            return Condition(self.dimension, tuple(a & b))
        if self.negated and other.negated:
            return Condition(self.dimension, tuple(a | b), negated=True)
        kept, dropped = (b, a) if self.negated else (a, b)
        return Condition(self.dimension, tuple(kept - dropped))

    def excludes(self, other: Condition) -> bool:
        """True when no value satisfies both (same dimension)."""
        both = self.meet(other)
        return not both.negated and not both.values

    def to_json(self) -> list[Any]:
        return [str(self.dimension), list(self.values), self.negated]

    @classmethod
    def from_json(cls, data: Sequence[Any]) -> Condition:
        dimension, values, negated = data
        return cls(Dimension(dimension), tuple(values), bool(negated))


@dataclass(frozen=True)
class Predicate:
    """A set of people: those whose take meets every condition (and, if asked, is complete).

    ``complete`` restricts the set to takes that answered every core item; the
    instrument-quality figures are computed over such sets only.
    """

    conditions: tuple[Condition, ...] = ()
    complete: bool = False

    def __post_init__(self) -> None:
        merged: dict[Dimension, Condition] = {}
        for condition in self.conditions:
            seen = merged.get(condition.dimension)
            merged[condition.dimension] = seen.meet(condition) if seen else condition
        object.__setattr__(self, "conditions", tuple(sorted(merged.values())))

    def holds(self, cell: Mapping[Dimension, str], complete: bool = True) -> bool:
        if self.complete and not complete:
            return False
        return all(c.holds(cell[c.dimension]) for c in self.conditions)

    def and_(self, *conditions: Condition) -> Predicate:
        return Predicate(self.conditions + conditions, self.complete)

    def disjoint(self, other: Predicate) -> bool:
        """True when no take can be in both sets, judged from the conditions alone."""
        mine = {c.dimension: c for c in self.conditions}
        return any(c.dimension in mine and mine[c.dimension].excludes(c) for c in other.conditions)

    def to_json(self) -> dict[str, Any]:
        return {"conditions": [c.to_json() for c in self.conditions], "complete": self.complete}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Predicate:
        return cls(
            tuple(Condition.from_json(c) for c in data.get("conditions", ())),
            bool(data.get("complete", False)),
        )


@dataclass(frozen=True)
class Categories:
    """The values of each dimension that get a cell of their own; the rest are ``OTHER``."""

    named: Mapping[Dimension, tuple[str, ...]] = field(default_factory=dict)
    #: Dimensions where some value is merged into ``OTHER``.
    merged: frozenset[Dimension] = frozenset()

    def cells(self, dimension: Dimension) -> tuple[str, ...]:
        named = tuple(self.named.get(dimension, ()))
        return (*named, OTHER) if dimension in self.merged else named

    def condition(self, dimension: Dimension, value: str) -> Condition:
        if value not in self.cells(dimension):
            raise FilterError("value")
        if value == OTHER:
            return Condition(dimension, tuple(self.named.get(dimension, ())), negated=True)
        return Condition(dimension, (value,))

    def to_json(self) -> dict[str, Any]:
        return {
            "named": {str(d): list(v) for d, v in self.named.items()},
            "merged": sorted(str(d) for d in self.merged),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> Categories:
        if not data:
            return cls()
        return cls(
            {Dimension(d): tuple(v) for d, v in data.get("named", {}).items()},
            frozenset(Dimension(d) for d in data.get("merged", ())),
        )


def categorize(counts: Mapping[Dimension, Mapping[str, int]], k: int = K_ORG) -> Categories:
    """Decide the cells of each dimension from how many people hold each value.

    A value held by at least ``k`` people gets a cell; the others are merged into
    ``OTHER``. Quarters are in time order; workshops are the ``MAX_WORKSHOPS``
    most recent (highest id) with their own cell; causes and languages go from
    the most to the least common.
    """
    named: dict[Dimension, tuple[str, ...]] = {}
    merged = set()
    for dimension in DIMENSIONS:
        values = {v: n for v, n in counts.get(dimension, {}).items() if n > 0}
        big = [v for v, n in values.items() if n >= k]
        if dimension is Dimension.QUARTER:
            big.sort()
        elif dimension is Dimension.WORKSHOP:
            big.sort(key=int, reverse=True)
            big = big[:MAX_WORKSHOPS]
        else:
            big.sort(key=lambda v: (-values[v], v))
        named[dimension] = tuple(big)
        if set(values) - set(big):
            merged.add(dimension)
    return Categories(named, frozenset(merged))


@dataclass(frozen=True)
class Filters:
    """At most ``MAX_FILTERS`` chosen (dimension, value) pairs, in dimension order."""

    chosen: tuple[tuple[Dimension, str], ...] = ()

    @classmethod
    def parse(cls, given: Mapping[str, str], categories: Categories) -> Filters:
        """Read filters from a request's parameters; an empty value means "all".

        Raises ``FilterError("too_many")`` for more than ``MAX_FILTERS`` and
        ``FilterError("value")`` for a value that is not a cell now.
        """
        chosen = []
        for name, value in given.items():
            if not value:
                continue
            try:
                dimension = Dimension(name)
            except ValueError:
                raise FilterError("dimension") from None
            categories.condition(dimension, value)
            chosen.append((dimension, value))
        if len(chosen) > MAX_FILTERS:
            raise FilterError("too_many")
        chosen.sort(key=lambda pair: DIMENSIONS.index(pair[0]))
        return cls(tuple(chosen))

    @property
    def key(self) -> str:
        """A stable name for the filters, such as ``cause=gender&quarter=2026-Q3``."""
        return "&".join(f"{d}={v}" for d, v in self.chosen)

    def as_dict(self) -> dict[str, str]:
        return {str(d): v for d, v in self.chosen}

    def predicate(self, categories: Categories) -> Predicate:
        return Predicate(tuple(categories.condition(d, v) for d, v in self.chosen))

    def breakdowns(self) -> tuple[Dimension, ...]:
        """The dimensions to break the filtered set down by (each adds one condition)."""
        if len(self.chosen) >= MAX_FILTERS:
            return ()
        used = {d for d, _ in self.chosen}
        return tuple(d for d in DIMENSIONS if d not in used)


# Tallies: what the database adds up for one group


@dataclass(frozen=True)
class Tally:
    """Sums over one group of takes; every field adds up over disjoint groups.

    ``share_sums`` sums each motive's share of the mixture (MOTIVES order);
    ``low`` and ``high`` count the people in the lowest and highest bin of each
    motive (``app.domain.room`` bounds); ``first`` and ``second`` count the people
    leaning to each side of each leaning (LEANINGS order). ``id_sum`` and
    ``id_squares`` sum the members' take ids and their squares modulo
    ``FINGERPRINT_PRIME``: with ``n`` they tell one set from another.
    """

    n: int = 0
    share_sums: tuple[float, ...] = (0.0, 0.0, 0.0, 0.0)
    low: tuple[int, ...] = (0, 0, 0, 0)
    high: tuple[int, ...] = (0, 0, 0, 0)
    first: tuple[int, ...] = (0, 0, 0, 0)
    second: tuple[int, ...] = (0, 0, 0, 0)
    id_sum: int = 0
    id_squares: int = 0

    def __add__(self, other: Tally) -> Tally:
        return self._combine(other, 1)

    def __sub__(self, other: Tally) -> Tally:
        return self._combine(other, -1)

    def _combine(self, other: Tally, sign: int) -> Tally:
        def pair(a, b):
            return tuple(x + sign * y for x, y in zip(a, b, strict=True))

        return Tally(
            n=self.n + sign * other.n,
            share_sums=pair(self.share_sums, other.share_sums),
            low=pair(self.low, other.low),
            high=pair(self.high, other.high),
            first=pair(self.first, other.first),
            second=pair(self.second, other.second),
            id_sum=self.id_sum + sign * other.id_sum,
            id_squares=self.id_squares + sign * other.id_squares,
        )

    def to_json(self) -> list[Any]:
        return [
            self.n,
            *self.share_sums,
            *self.low,
            *self.high,
            *self.first,
            *self.second,
            self.id_sum,
            self.id_squares,
        ]

    @classmethod
    def from_json(cls, data: Sequence[Any]) -> Tally:
        """A tally from ``to_json``, or from a row of sums in the same order."""
        n, *sums = data
        shares = tuple(float(v) for v in sums[0:4])
        counts = [int(v) for v in sums[4:]]
        return cls(
            n=int(n),
            share_sums=shares,
            low=tuple(counts[0:4]),
            high=tuple(counts[4:8]),
            first=tuple(counts[8:12]),
            second=tuple(counts[12:16]),
            id_sum=counts[16],
            id_squares=counts[17],
        )

    @property
    def fingerprint(self) -> str:
        """Equal for equal sets. Unequal sets may share one only by a rare accident,
        which would merely show an earlier release again."""
        return f"{self.n}:{self.id_sum}:{self.id_squares % FINGERPRINT_PRIME}"

    def mean_shares(self) -> dict[str, float]:
        if self.n <= 0:
            raise PrivacyError("a mean needs at least one person")
        return {str(m): self.share_sums[i] / self.n for i, m in enumerate(MOTIVES)}

    def bins(self, index: int) -> tuple[int, int, int]:
        low, high = self.low[index], self.high[index]
        return (low, self.n - low - high, high)

    def leaning(self, index: int) -> tuple[int, int, int]:
        first, second = self.first[index], self.second[index]
        return (first, self.n - first - second, second)


ZERO = Tally()


def total(tallies: Iterable[Tally]) -> Tally:
    out = ZERO
    for tally in tallies:
        out = out + tally
    return out


# Rule 4: the difference between two sets, in people


def person_difference(size: int, other_size: int, same: int, swapped: int) -> int:
    """How many people are in one set and not the other, or in both with different takes.

    ``size`` and ``other_size`` count the two sets (each holds one take per person;
    a set's size is counted when it was released, people deleted since
    included); ``same`` counts the takes in both; ``swapped`` counts the people
    who are in both sets with different takes (they retook). The takes that
    differ number ``size + other_size - 2 * same``; each swapped person is two of
    them but one person.
    """
    if min(size, other_size, same, swapped) < 0 or same > min(size, other_size):
        raise PrivacyError("set sizes do not fit together")
    difference = size + other_size - 2 * same - swapped
    if difference < 0:
        raise PrivacyError("more swapped people than differing takes")
    return difference


def far_enough(difference: int, d: int = MIN_DIFFERENCE) -> bool:
    """Rule 4: no one apart (the same set), or at least ``d`` people apart."""
    return difference == 0 or difference >= d


def may_be_close(size: int, other_size: int, d: int = MIN_DIFFERENCE) -> bool:
    """False when two sets of these sizes must be at least ``d`` people apart."""
    return abs(size - other_size) < d


# Rules 1, 2 and 5: what is shown


def shown_count(n: int, k: int = K_ORG) -> int | None:
    """``n`` when it may be shown (0 or at least ``k``); None stands for "fewer than k"."""
    return n if n == 0 or n >= k else None


def suppress_cells(
    counts: Mapping[str, int],
    too_close: Collection[str] = (),
    residual_ok: Callable[[frozenset[str]], bool] = lambda hidden: True,
    k: int = K_ORG,
) -> dict[str, Hidden | None]:
    """Decide which cells of a breakdown to hide (rules 1, 2 and 4).

    ``counts`` gives each cell's size; the cells partition a group whose own
    figures are shown. Cells of 1 to ``k - 1`` are hidden as small; cells in
    ``too_close`` as too close to an earlier release. Then, while the hidden
    cells together hold 1 to ``k - 1`` people, or ``residual_ok`` refuses their
    union as a release, the smallest cell still shown (not empty) is hidden too.
    Empty cells are shown as 0: they hide no one. When every non-empty cell is
    hidden, their union is the whole group, which is shown anyway.
    """
    hidden: dict[str, Hidden] = {c: Hidden.SMALL for c, n in counts.items() if 0 < n < k}
    for cell in too_close:
        if counts.get(cell, 0) >= k:
            hidden[cell] = Hidden.TOO_CLOSE
    while True:
        held = sum(counts[c] for c in hidden)
        shown = [c for c, n in counts.items() if n > 0 and c not in hidden]
        if held == 0 or not shown:
            break
        if held >= k and residual_ok(frozenset(hidden)):
            break
        smallest = min(shown, key=lambda c: (counts[c], c))
        hidden[smallest] = Hidden.COMPLEMENT
    return {cell: hidden.get(cell) for cell in counts}


def guard_distribution(counts: Sequence[int], k: int = K_ORG) -> tuple[Hidden | None, ...]:
    """Decide which bins of a distribution to hide (rule 5); None means shown."""
    counts = tuple(int(c) for c in counts)
    if any(c < 0 for c in counts):
        raise PrivacyError("a bin cannot hold fewer than no one")
    n = sum(counts)
    if n < k:
        return (Hidden.SMALL,) * len(counts)
    if n - max(counts) < k:
        return (Hidden.HOMOGENEOUS,) * len(counts)
    hidden: dict[int, Hidden] = {i: Hidden.SMALL for i, c in enumerate(counts) if 0 < c < k}
    while hidden and sum(counts[i] for i in hidden) < k:
        shown = [i for i, c in enumerate(counts) if c > 0 and i not in hidden]
        if not shown:
            break
        hidden[min(shown, key=lambda i: (counts[i], i))] = Hidden.COMPLEMENT
    return tuple(hidden.get(i) for i in range(len(counts)))


@dataclass(frozen=True)
class Distribution:
    """A distribution as shown: a count per bin, None where hidden, and why."""

    counts: tuple[int | None, ...]
    hidden: tuple[Hidden | None, ...]

    @property
    def shown(self) -> bool:
        return any(h is None for h in self.hidden)

    def to_json(self) -> dict[str, Any]:
        return {"counts": list(self.counts), "hidden": [h and str(h) for h in self.hidden]}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Distribution:
        return cls(tuple(data["counts"]), tuple(Hidden(h) if h else None for h in data["hidden"]))


def distribution(counts: Sequence[int], k: int = K_ORG) -> Distribution:
    hidden = guard_distribution(counts, k)
    return Distribution(
        tuple(None if h else int(c) for c, h in zip(counts, hidden, strict=True)), hidden
    )


@dataclass(frozen=True)
class Figures:
    """What one released set shows. ``n`` is None when shown as "fewer than K_ORG"."""

    n: int | None
    mean_shares: dict[str, float] | None
    distributions: dict[str, Distribution]
    leanings: dict[str, Distribution]
    noisy: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "version": FIGURES_VERSION,
            "n": self.n,
            "mean_shares": self.mean_shares,
            "distributions": {m: d.to_json() for m, d in self.distributions.items()},
            "leanings": {m: d.to_json() for m, d in self.leanings.items()},
            "noisy": self.noisy,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Figures:
        if data.get("version") != FIGURES_VERSION:
            raise PrivacyError(f"unknown figures version {data.get('version')!r}")
        return cls(
            n=data["n"],
            mean_shares=data["mean_shares"],
            distributions={m: Distribution.from_json(d) for m, d in data["distributions"].items()},
            leanings={m: Distribution.from_json(d) for m, d in data["leanings"].items()},
            noisy=bool(data.get("noisy")),
        )


def figures_of(tally: Tally, k: int = K_ORG) -> Figures:
    """The figures of one group that may be shown; raises for a group under ``k``."""
    check_tally(tally)
    if tally.n < k:
        raise PrivacyError(f"{tally.n} people are fewer than {k}")
    return Figures(
        n=tally.n,
        mean_shares=tally.mean_shares(),
        distributions={str(m): distribution(tally.bins(i), k) for i, m in enumerate(MOTIVES)},
        leanings={str(le): distribution(tally.leaning(i), k) for i, le in enumerate(LEANINGS)},
    )


def check_tally(tally: Tally) -> None:
    """Raise ``PrivacyError`` for a tally that does not add up."""
    if tally.n < 0:
        raise PrivacyError("n cannot be negative")
    for i in range(len(MOTIVES)):
        if min(tally.bins(i)) < 0:
            raise PrivacyError("the bins do not add up to n")
        if not (0 <= tally.share_sums[i] <= tally.n + 1e-9) or not math.isfinite(
            tally.share_sums[i]
        ):
            raise PrivacyError("a share sum lies outside 0..n")
    for i in range(len(LEANINGS)):
        if min(tally.leaning(i)) < 0:
            raise PrivacyError("the leanings do not add up to n")


def suppress_counts(counts: Mapping[str, int], minimum: int, k: int = K_ORG) -> dict[str, bool]:
    """Which groups to show when each needs ``minimum`` people and the total is shown.

    Groups under ``minimum`` are hidden; if the hidden groups together hold 1 to
    ``k - 1`` people, the smallest shown group is hidden too, so that their count
    cannot be worked out from the total (used by the instrument-quality page).
    """
    hidden = {g for g, n in counts.items() if n < minimum}
    while 0 < sum(counts[g] for g in hidden) < k:
        shown = [g for g, n in counts.items() if g not in hidden and n > 0]
        if not shown:
            break
        hidden.add(min(shown, key=lambda g: (counts[g], g)))
    return {g: g not in hidden for g in counts}


def quarter_of(year: int, month: int) -> str:
    """The coarse time filter: ``2026-Q4``."""
    if not 1 <= month <= 12:
        raise PrivacyError("a month lies between 1 and 12")
    return f"{year:04d}-Q{(month - 1) // 3 + 1}"
