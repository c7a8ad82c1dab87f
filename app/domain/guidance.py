"""Guidance: practices chosen by readable rules from a profile.

Invariants:
- A practice is data: what to do, why, something to try this week, a citation,
  and the rules (``when``) under which it is offered. Any rule holding selects it.
- Selection is a total function of the mixture and the scenario choices; it
  never ranks a person, it only orders practices by the person's own emphasis.
- Every motivation has practices, including outgroup-focused and morality.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from app.domain.instrument import (
    Behaviour,
    Citation,
    Motive,
    citation_problems,
    template_problems,
)

#: A motive counts as emphasised from this share of the mixture on (a quarter is even).
EMPHASIS_SHARE = 0.30
#: At most this many practices are offered at once: a few to try beats a list to skim.
MAX_PRACTICES = 6
#: Every motive needs at least this many practices to choose from.
MIN_PER_MOTIVE = 5


@dataclass(frozen=True)
class Emphasis:
    """Holds when ``motive`` has the largest share, or at least ``share`` of the mixture."""

    motive: Motive
    share: float = EMPHASIS_SHARE

    def holds(self, context: GuidanceContext) -> bool:
        if context.shares is None:
            return False
        top = max(context.shares.values())
        value = context.shares[self.motive]
        return value >= self.share or (value == top and value > 0)


@dataclass(frozen=True)
class Chose:
    """Holds when at least ``count`` chosen scenario options carry ``tag``."""

    tag: Behaviour
    count: int = 1

    def holds(self, context: GuidanceContext) -> bool:
        return context.tags[self.tag] >= self.count


Rule = Emphasis | Chose


@dataclass(frozen=True)
class Practice:
    """One concrete thing a person can do, for one motivation."""

    key: str
    motive: Motive
    text: str
    why: str
    try_this_week: str
    cite: Citation
    when: tuple[Rule, ...]


@dataclass(frozen=True)
class GuidanceContext:
    """What selection may look at: the said mixture and the chosen behaviour tags."""

    shares: dict[Motive, float] | None
    tags: Counter[Behaviour]


def select_practices(
    library: tuple[Practice, ...], context: GuidanceContext, limit: int = MAX_PRACTICES
) -> tuple[Practice, ...]:
    """Return the practices whose rules hold, the most emphasised motive first.

    Practices triggered by a scenario choice come before the rest of their
    motive's, since they answer something the person actually chose. Without a
    mixture (too many skipped items) and with no matching choice, the first
    practice of each motive is offered, so nobody leaves with nothing.
    """
    if limit < 1:
        raise ValueError("limit must be at least 1")
    order = _motive_order(context.shares)
    chosen = [p for p in library if any(rule.holds(context) for rule in p.when)]
    if not chosen:
        firsts: dict[Motive, Practice] = {}
        for practice in library:
            firsts.setdefault(practice.motive, practice)
        chosen = list(firsts.values())

    # Practices are told apart by identity: comparing two field by field (tuple.index,
    # "not in") took more than half of selection's time (docs/performance.md).
    place = {id(practice): i for i, practice in enumerate(library)}

    def rank(practice: Practice) -> tuple[int, int, int]:
        by_choice = any(isinstance(r, Chose) and r.holds(context) for r in practice.when)
        return (order.index(practice.motive), 0 if by_choice else 1, place[id(practice)])

    ranks = {id(practice): rank(practice) for practice in chosen}
    ranked = sorted(chosen, key=lambda p: ranks[id(p)])
    # Round-robin across motives so one motive does not take every slot.
    picked: list[Practice] = []
    taken: set[int] = set()
    per_motive: Counter[Motive] = Counter()
    for round_ in range(limit):
        for practice in ranked:
            if len(picked) == limit:
                break
            if id(practice) not in taken and per_motive[practice.motive] == round_:
                picked.append(practice)
                taken.add(id(practice))
                per_motive[practice.motive] += 1
    return tuple(sorted(picked, key=lambda p: ranks[id(p)]))


def _motive_order(shares: dict[Motive, float] | None) -> list[Motive]:
    motives = list(Motive)
    if shares is None:
        return motives
    return sorted(motives, key=lambda m: (-shares[m], motives.index(m)))


def validate_practices(library: tuple[Practice, ...]) -> list[str]:
    """Return every defect of a practice library; an empty list means it is usable."""
    problems: list[str] = []
    seen: set[str] = set()
    for practice in library:
        where = f"practice {practice.key}"
        if practice.key in seen:
            problems.append(f"{where}: key is used twice")
        seen.add(practice.key)
        for text in (practice.text, practice.why, practice.try_this_week):
            problems += template_problems(where, text)
        problems += citation_problems(where, practice.cite)
        if not practice.when:
            problems.append(f"{where}: has no rule, so it is never offered")
        if not any(isinstance(r, Emphasis) and r.motive is practice.motive for r in practice.when):
            problems.append(f"{where}: is not offered when its own motive is emphasised")
    for motive in Motive:
        count = sum(1 for p in library if p.motive is motive)
        if count < MIN_PER_MOTIVE:
            problems.append(f"motive {motive}: has {count} practices, needs {MIN_PER_MOTIVE}")
    return problems
