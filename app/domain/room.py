"""What a workshop room may see of its own answers (shared/DESIGN.md §6.4).

Rule 1: nothing but the count is shown until a round closes with at least
``k_room`` people counted; ``k_room`` is never below ``MIN_K_ROOM``.
Rule 2: figures are computed once, stored, and shown as stored. A new set of
figures is computed only when at least ``MORE_TO_CHANGE`` takes have arrived
that were not in the last set, so that one person's answers can never be read
off as the difference between two sets of figures.
Rule 3: a distribution has at most three bins and is hidden when its largest
bin holds all people but at most one (n - 1 or more): then it would tell the
room how nearly everyone answered. Scenario choices follow the same rule, and
a scenario answered by fewer than ``k_room`` people is hidden.
Rule 4: nothing here sees a person's answers. The input is an aggregate table
that the database computed (counts, means, bin counts); there is no minimum,
maximum, list or filter in it, and none is shown.

The bins describe a motive's share of a person's mixture. An even mixture of
the four motives gives each a share of 0.25. "Less than the others" starts 0.05
below that (under 0.20); "emphasised" starts at 0.30, the same threshold from
which a person's own profile calls a motive emphasised
(``app.domain.guidance.EMPHASIS_SHARE``), so that the room and the profile use
one language.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from app.domain.errors import DomainError
from app.domain.guidance import EMPHASIS_SHARE
from app.domain.instrument import MOTIVES

#: The smallest room whose figures may be shown; a workshop may ask for more.
MIN_K_ROOM = 5
DEFAULT_K_ROOM = 5
#: New takes needed before the figures shown may change.
MORE_TO_CHANGE = 5
#: A share below this is "less than the others"; 0.05 under an even mixture.
LOW_BELOW = 0.20
#: A share from this on is "emphasised", as on a person's profile.
HIGH_FROM = EMPHASIS_SHARE
#: Version of the stored figures' layout.
FIGURES_VERSION = 1


class Bin(StrEnum):
    LOW = "low"
    EVEN = "even"
    HIGH = "high"


BINS: tuple[Bin, ...] = tuple(Bin)


class RoomError(DomainError):
    """An aggregate table that cannot be shown: too small, or not consistent."""


def check_k_room(k_room: int) -> int:
    """Return ``k_room`` if it is an allowed threshold, or raise ``RoomError``."""
    if isinstance(k_room, bool) or not isinstance(k_room, int) or k_room < MIN_K_ROOM:
        raise RoomError(f"k_room must be a whole number of at least {MIN_K_ROOM}")
    return k_room


def bin_of(share: float) -> Bin:
    """The bin of one share; the database applies the same bounds in SQL."""
    if not 0.0 <= share <= 1.0:
        raise RoomError("a share lies between 0 and 1")
    if share < LOW_BELOW:
        return Bin.LOW
    return Bin.HIGH if share >= HIGH_FROM else Bin.EVEN


def is_due(eligible: int, new_since_last: int | None, k_room: int) -> bool:
    """Whether a new set of figures may be computed now.

    ``eligible`` counts the people whose takes count for the room now;
    ``new_since_last`` counts those of them who were not in the last set shown
    (None when nothing was shown yet). People who deleted their answers since
    leave the count; they never count as new.
    """
    check_k_room(k_room)
    if eligible < k_room:
        return False
    return new_since_last is None or new_since_last >= MORE_TO_CHANGE


def homogeneous(counts: Sequence[int]) -> bool:
    """True when the largest bin holds n - 1 or more of the n counted."""
    n = sum(counts)
    return bool(counts) and max(counts) >= n - 1


@dataclass(frozen=True)
class RoomTable:
    """One set of takes as the database aggregated it; nothing in it is per person.

    ``n`` people are in the set; ``mixture_n`` of them have a mixture, over which
    ``mean_shares`` averages and ``bins`` counts (low, even, high) per motive.
    ``choices`` counts, per scenario, the people who chose each option.
    """

    n: int
    mixture_n: int
    mean_shares: Mapping[str, float]
    bins: Mapping[str, tuple[int, int, int]]
    choices: Mapping[str, Mapping[str, int]]


@dataclass(frozen=True)
class RoomFigures:
    """Exactly what the room is shown; a hidden figure is None."""

    n: int
    mixture_n: int
    mixture: dict[str, float] | None
    distributions: dict[str, tuple[int, int, int] | None]
    choices: dict[str, dict[str, int] | None]

    def to_json(self) -> dict[str, Any]:
        return {
            "version": FIGURES_VERSION,
            "n": self.n,
            "mixture_n": self.mixture_n,
            "mixture": self.mixture,
            "distributions": {k: list(v) if v else None for k, v in self.distributions.items()},
            "choices": self.choices,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> RoomFigures:
        if data.get("version") != FIGURES_VERSION:
            raise RoomError(f"unknown figures version {data.get('version')!r}")
        return cls(
            n=data["n"],
            mixture_n=data["mixture_n"],
            mixture=data["mixture"],
            distributions={
                k: tuple(v) if v else None  # type: ignore[misc]
                for k, v in data["distributions"].items()
            },
            choices=data["choices"],
        )

    @property
    def shown_choices(self) -> dict[str, dict[str, int]]:
        """The scenarios whose distribution is shown."""
        return {k: v for k, v in self.choices.items() if v is not None}


def guard(table: RoomTable, k_room: int) -> RoomFigures:
    """Apply the room's rules to an aggregate table and return what may be shown.

    Raises ``RoomError`` when the set is smaller than ``k_room`` (nothing may be
    shown, not even an empty frame) or when the table does not add up.
    """
    check_k_room(k_room)
    _check(table)
    if table.n < k_room:
        raise RoomError(f"{table.n} people are fewer than the room's threshold of {k_room}")
    enough = table.mixture_n >= k_room
    mixture = {m: float(table.mean_shares[m]) for m in MOTIVES} if enough else None
    distributions: dict[str, tuple[int, int, int] | None] = {}
    for motive in MOTIVES:
        counts = tuple(table.bins.get(motive, (0, 0, 0)))
        shown = enough and not homogeneous(counts)
        distributions[motive] = counts if shown else None  # type: ignore[assignment]
    choices: dict[str, dict[str, int] | None] = {}
    for scenario, counts in table.choices.items():
        values = list(counts.values())
        answered = sum(values)
        shown = answered >= k_room and not homogeneous(values)
        choices[scenario] = dict(counts) if shown else None
    return RoomFigures(table.n, table.mixture_n, mixture, distributions, choices)


def _check(table: RoomTable) -> None:
    if not 0 <= table.mixture_n <= table.n:
        raise RoomError("mixture_n must lie between 0 and n")
    for motive, counts in table.bins.items():
        if len(counts) != len(BINS) or min(counts) < 0 or sum(counts) != table.mixture_n:
            raise RoomError(f"the bins of {motive} do not add up to mixture_n")
    if table.mixture_n and set(table.mean_shares) != set(MOTIVES):
        raise RoomError("mean shares are needed for every motive")
    for scenario, counts in table.choices.items():
        if any(c < 0 for c in counts.values()) or sum(counts.values()) > table.n:
            raise RoomError(f"the choices in {scenario} do not fit n")
