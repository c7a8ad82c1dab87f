"""The facilitator's guide: session scripts per module, and debrief prompts chosen by rules.

Rule 1: prompts are chosen from the figures the room has been shown, and only
from them: a figure hidden by ``app.domain.room.guard`` triggers nothing, so the
guide never tells a facilitator more than the room view does.
Rule 2: a prompt speaks about the room and the work, never about a person; its
note tells the facilitator how to frame it without shaming anyone.
Rule 3: every prompt and every script step that makes a claim about people
carries a citation into ``shared/theory/beyond-allyship-paper.txt``.
Rule 4: prompts whose rule is ``Always`` come after the ones the room's pattern
chose, so that what is particular to this room is discussed first.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from app.domain.instrument import (
    MOTIVES,
    PLACEHOLDERS,
    Behaviour,
    Citation,
    Motive,
    Scenario,
    citation_problems,
    placeholders,
)
from app.domain.room import RoomFigures
from app.domain.scoring import NOTABLE_GAP
from app.domain.workshop import Module

#: Guide texts may also name the room's threshold.
GUIDE_PLACEHOLDERS = PLACEHOLDERS | {"k_room"}


@dataclass(frozen=True)
class ScriptStep:
    """One step of a session: how long, what to say, and how to frame it."""

    minutes: int
    title: str
    say: str
    frame: str
    cite: Citation | None = None


@dataclass(frozen=True)
class Script:
    """The session plan for one module of a workshop."""

    module: Module
    title: str
    steps: tuple[ScriptStep, ...]

    @property
    def minutes(self) -> int:
        return sum(step.minutes for step in self.steps)


@dataclass(frozen=True)
class RoomPattern:
    """What prompt rules may look at: the shown figures and the scenarios' definitions."""

    figures: RoomFigures | None
    scenarios: Mapping[str, Scenario]


@dataclass(frozen=True)
class Always:
    """Holds for every room, with or without figures."""

    def holds(self, pattern: RoomPattern) -> bool:
        return True


@dataclass(frozen=True)
class RoomLeans:
    """Holds when ``motive`` has the largest mean share in the room's shown mixture."""

    motive: Motive

    def holds(self, pattern: RoomPattern) -> bool:
        mixture = pattern.figures.mixture if pattern.figures else None
        if not mixture:
            return False
        return mixture[self.motive] >= max(mixture.values())


@dataclass(frozen=True)
class RoomChose:
    """Holds when at least ``share`` of the shown choices carry one of ``tags``.

    With ``scenario`` set, only that scenario's shown choices count.
    """

    tags: frozenset[Behaviour]
    share: float
    scenario: str | None = None

    def holds(self, pattern: RoomPattern) -> bool:
        found = tag_share(pattern, self.tags, self.scenario)
        return found is not None and found >= self.share


@dataclass(frozen=True)
class SaidDiffersFromChosen:
    """Holds when the room's said mixture and its chosen options differ on some motive."""

    gap: float = NOTABLE_GAP

    def holds(self, pattern: RoomPattern) -> bool:
        mixture = pattern.figures.mixture if pattern.figures else None
        chosen = chosen_shares(pattern)
        if not mixture or chosen is None:
            return False
        return any(abs(mixture[m] - chosen[m]) >= self.gap for m in MOTIVES)


Rule = Always | RoomLeans | RoomChose | SaidDiffersFromChosen


@dataclass(frozen=True)
class DebriefPrompt:
    """A question for the room, a note on framing it, the passages it rests on, and its rules.

    ``cite`` is the passage the question rests on; ``also`` lists passages that
    other sentences of the note rest on.
    """

    key: str
    title: str
    ask: str
    note: str
    cite: Citation
    when: tuple[Rule, ...]
    also: tuple[Citation, ...] = ()


def tag_share(
    pattern: RoomPattern, tags: frozenset[Behaviour], scenario: str | None = None
) -> float | None:
    """The share of shown choices whose option carries any of ``tags``; None if none shown."""
    if pattern.figures is None:
        return None
    total = tagged = 0
    for key, counts in pattern.figures.shown_choices.items():
        if scenario is not None and key != scenario:
            continue
        definition = pattern.scenarios.get(key)
        if definition is None:
            continue
        for option in definition.options:
            count = counts.get(option.key, 0)
            total += count
            if option.tags & tags:
                tagged += count
    return tagged / total if total else None


def chosen_shares(pattern: RoomPattern) -> dict[Motive, float] | None:
    """The motives the room's shown choices express, as shares summing to 1.

    Notes
    -----
    Each chosen option adds its construct key (motive weights) once per person
    who chose it; the sums are divided by their total. This is the room-level
    form of ``app.domain.scoring.chosen`` for one person.
    """
    if pattern.figures is None:
        return None
    weights: Counter[Motive] = Counter()
    for key, counts in pattern.figures.shown_choices.items():
        definition = pattern.scenarios.get(key)
        if definition is None:
            continue
        for option in definition.options:
            for motive, weight in option.motives.items():
                weights[motive] += weight * counts.get(option.key, 0)
    total = math.fsum(weights.values())
    return {m: weights[m] / total for m in MOTIVES} if total > 0 else None


def select_prompts(
    prompts: tuple[DebriefPrompt, ...], pattern: RoomPattern
) -> tuple[DebriefPrompt, ...]:
    """Return the prompts whose rules hold: the room's own pattern first, then the general ones."""
    chosen = [p for p in prompts if any(rule.holds(pattern) for rule in p.when)]

    def general(prompt: DebriefPrompt) -> bool:
        return all(isinstance(rule, Always) for rule in prompt.when)

    return tuple(sorted(chosen, key=lambda p: (general(p), prompts.index(p))))


def validate_guide(scripts: tuple[Script, ...], prompts: tuple[DebriefPrompt, ...]) -> list[str]:
    """Return every defect of a guide; an empty list means it is usable."""
    problems: list[str] = []
    modules = [script.module for script in scripts]
    for module in Module:
        if modules.count(module) != 1:
            problems.append(f"module {module}: needs exactly one script")
    for script in scripts:
        where = f"script {script.module}"
        problems += _text_problems(where, script.title)
        if not script.steps:
            problems.append(f"{where}: has no steps")
        for number, step in enumerate(script.steps, start=1):
            here = f"{where} step {number}"
            if step.minutes < 1:
                problems.append(f"{here}: needs at least one minute")
            for text in (step.title, step.say, step.frame):
                problems += _text_problems(here, text)
            if step.cite is not None:
                problems += citation_problems(here, step.cite)
    seen: set[str] = set()
    for prompt in prompts:
        where = f"prompt {prompt.key}"
        if prompt.key in seen:
            problems.append(f"{where}: key is used twice")
        seen.add(prompt.key)
        for text in (prompt.title, prompt.ask, prompt.note):
            problems += _text_problems(where, text)
        for cite in (prompt.cite, *prompt.also):
            problems += citation_problems(where, cite)
        if not prompt.when:
            problems.append(f"{where}: has no rule, so it is never offered")
    for motive in MOTIVES:
        if not any(RoomLeans(motive) in p.when for p in prompts):
            problems.append(f"motive {motive}: no prompt for a room that leans to it")
    return problems


def _text_problems(where: str, text: str) -> list[str]:
    if not text.strip():
        return [f"{where}: text is empty"]
    if "!" in text:
        return [f"{where}: no exclamation marks"]
    try:
        unknown = placeholders(text) - GUIDE_PLACEHOLDERS
    except ValueError as exc:
        return [f"{where}: malformed template ({exc})"]
    return [f"{where}: unknown placeholders {sorted(unknown)}"] if unknown else []
