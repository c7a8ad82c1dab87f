"""Instrument definitions: scales, items, pages, scenarios, and their validation.

Invariants:
- An instrument is immutable data, identified by ``(key, version)``; answers are
  stored against item keys, which never change meaning within a version.
- ``validate`` returns every defect it finds, never just the first; ``check``
  raises one ``DefinitionError`` listing them all.
- Every scale, item, scenario option and guidance point carries a ``Citation``
  into ``shared/theory/beyond-allyship-paper.txt`` (a line range) and its section.
- Text is an English message id marked with ``N_``; templates use only the
  named placeholders ``{ingroup}``, ``{outgroup}`` and ``{cause}``.
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from enum import StrEnum

from app.domain.errors import DefinitionError

#: Lines in the theory text that a citation may point into.
PAPER_LINES = 2571
PLACEHOLDERS = frozenset({"ingroup", "outgroup", "cause"})


class Motive(StrEnum):
    """The four motivations of Radke et al. (2020), lines 178-196."""

    OUTGROUP = "outgroup"
    INGROUP = "ingroup"
    PERSONAL = "personal"
    MORALITY = "morality"


MOTIVES: tuple[Motive, ...] = tuple(Motive)


class Behaviour(StrEnum):
    """Behaviour tags a scenario option can carry (theory/README.md, lines 1587-1975)."""

    # Help orientation (Nadler & Halabi, 2006; paper lines 1607-1680).
    AUTONOMY_HELP = "autonomy_help"
    DEPENDENCY_HELP = "dependency_help"
    # Normative vs non-normative action (Wright et al., 1990; lines 1681-1800).
    NORMATIVE = "normative"
    NON_NORMATIVE = "non_normative"
    # Visibility (lines 1801-1880).
    PUBLIC = "public"
    PRIVATE = "private"
    # Helpful ally behaviours (Droogendyk et al., 2016; lines 1904-1920).
    AMPLIFIES_VOICES = "amplifies_voices"
    FOLLOWS_LEAD = "follows_lead"
    ACCEPTS_CRITICISM = "accepts_criticism"
    ACCOMPLICE = "accomplice"
    # Harmful ally behaviours (lines 1922-1945, 150-160).
    NO_GUIDANCE = "no_guidance"
    UNCOMMITTED = "uncommitted"
    IGNORES_IMPACT = "ignores_impact"
    TAKES_OVER = "takes_over"
    CO_OPTS = "co_opts"
    SEEKS_TO_LEAD = "seeks_to_lead"
    UNWANTED_ADVICE = "unwanted_advice"
    EXPECTS_CREDIT = "expects_credit"


#: Pairs of tags that contradict each other on one option.
OPPOSED_TAGS: tuple[tuple[Behaviour, Behaviour], ...] = (
    (Behaviour.AUTONOMY_HELP, Behaviour.DEPENDENCY_HELP),
    (Behaviour.NORMATIVE, Behaviour.NON_NORMATIVE),
    (Behaviour.PUBLIC, Behaviour.PRIVATE),
)
HELPFUL: frozenset[Behaviour] = frozenset(
    {
        Behaviour.AMPLIFIES_VOICES,
        Behaviour.FOLLOWS_LEAD,
        Behaviour.ACCEPTS_CRITICISM,
        Behaviour.ACCOMPLICE,
    }
)
HARMFUL: frozenset[Behaviour] = frozenset(
    {
        Behaviour.NO_GUIDANCE,
        Behaviour.UNCOMMITTED,
        Behaviour.IGNORES_IMPACT,
        Behaviour.TAKES_OVER,
        Behaviour.CO_OPTS,
        Behaviour.SEEKS_TO_LEAD,
        Behaviour.UNWANTED_ADVICE,
        Behaviour.EXPECTS_CREDIT,
    }
)


@dataclass(frozen=True)
class Citation:
    """A passage of Radke et al. (2020): a line range and the section it sits in.

    ``source`` names a work the paper cites at that passage when the point is
    that work's (for example "Droogendyk et al., 2016").
    """

    first: int
    last: int
    section: str
    source: str = ""

    def __str__(self) -> str:
        where = f"Radke et al. (2020), {self.section}, lines {self.first}-{self.last}"
        return f"{self.source}, as cited in {where}" if self.source else where


@dataclass(frozen=True)
class ResponseScale:
    """An ordered agreement scale; ``labels`` has one message id per point."""

    key: str
    labels: tuple[str, ...]
    floor: int = 1

    @property
    def points(self) -> tuple[int, ...]:
        return tuple(range(self.floor, self.floor + len(self.labels)))

    @property
    def ceiling(self) -> int:
        return self.floor + len(self.labels) - 1

    def reverse(self, value: int) -> int:
        """Mirror ``value`` around the midpoint (7 becomes 1 on a 1-7 scale)."""
        return self.floor + self.ceiling - value


@dataclass(frozen=True)
class Scale:
    """A construct measured by several items; core scales measure one motive."""

    key: str
    name: str
    definition: str
    cite: Citation
    motive: Motive | None = None
    min_items: int = 3
    sensitive: bool = False


@dataclass(frozen=True)
class Item:
    """One statement rated on the instrument's response scale."""

    key: str
    scale: str
    text: str
    cite: Citation
    reverse: bool = False


@dataclass(frozen=True)
class Page:
    """One screen of items; pages interleave scales so no page is about one motive."""

    key: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class Option:
    """One thing a person could do in a scenario.

    ``motives`` is the construct key: the motivations the paper predicts this
    option expresses, each with a weight in (0, 1]. ``reflection`` is shown after
    the choice: it explains, it does not grade.
    """

    key: str
    text: str
    motives: dict[Motive, float]
    tags: frozenset[Behaviour]
    reflection: str
    cite: Citation


@dataclass(frozen=True)
class Scenario:
    """A short situation from movement life and the options a person could take."""

    key: str
    title: str
    vignette: str
    options: tuple[Option, ...]
    question: str
    cite: Citation

    def __hash__(self) -> int:  # options hold dicts; a scenario is identified by its key
        return hash(("scenario", self.key))

    def option(self, key: str) -> Option:
        for option in self.options:
            if option.key == key:
                return option
        raise KeyError(key)


@dataclass(frozen=True)
class Instrument:
    """A versioned questionnaire: scales, items on pages, and scenarios."""

    key: str
    version: int
    response_scale: ResponseScale
    scales: tuple[Scale, ...]
    items: tuple[Item, ...]
    pages: tuple[Page, ...]
    scenarios: tuple[Scenario, ...] = ()
    _items: dict[str, Item] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_items", {item.key: item for item in self.items})

    def __hash__(self) -> int:  # an instrument is identified by key and version
        return hash(("instrument", self.key, self.version))

    def item(self, key: str) -> Item:
        return self._items[key]

    def scale(self, key: str) -> Scale:
        for scale in self.scales:
            if scale.key == key:
                return scale
        raise KeyError(key)

    def items_of(self, scale_key: str) -> tuple[Item, ...]:
        return tuple(item for item in self.items if item.scale == scale_key)

    def page_items(self, page: Page) -> tuple[Item, ...]:
        return tuple(self._items[key] for key in page.items)

    def scenario(self, key: str) -> Scenario:
        for scenario in self.scenarios:
            if scenario.key == key:
                return scenario
        raise KeyError(key)

    def motive_scale(self, motive: Motive) -> Scale:
        for scale in self.scales:
            if scale.motive is motive:
                return scale
        raise KeyError(motive)


@dataclass(frozen=True)
class CausePreset:
    """A cause and the two groups it names, used to fill item templates."""

    key: str
    cause: str
    ingroup: str
    outgroup: str


def placeholders(template: str) -> set[str]:
    """Return the named fields of a ``str.format`` template."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def citation_problems(where: str, cite: Citation) -> list[str]:
    problems = []
    if not (1 <= cite.first <= cite.last <= PAPER_LINES):
        problems.append(
            f"{where}: citation lines {cite.first}-{cite.last} are not in 1-{PAPER_LINES}"
        )
    if not cite.section.strip():
        problems.append(f"{where}: citation has no section")
    return problems


def template_problems(where: str, text: str) -> list[str]:
    if not text.strip():
        return [f"{where}: text is empty"]
    try:
        names = placeholders(text)
    except ValueError as exc:
        return [f"{where}: malformed template ({exc})"]
    unknown = names - PLACEHOLDERS
    if unknown:
        return [f"{where}: unknown placeholders {sorted(unknown)}"]
    return []


def _duplicates(keys: list[str]) -> list[str]:
    seen: set[str] = set()
    return sorted({key for key in keys if key in seen or seen.add(key)})


def validate(instrument: Instrument) -> list[str]:
    """Return every defect of ``instrument``; an empty list means it is usable."""
    problems: list[str] = []
    where = f"{instrument.key} v{instrument.version}"
    if len(instrument.response_scale.labels) < 2:
        problems.append(f"{where}: the response scale needs at least two points")

    scale_keys = [scale.key for scale in instrument.scales]
    for key in _duplicates(scale_keys):
        problems.append(f"{where}: scale key {key!r} is used twice")
    for key in _duplicates([item.key for item in instrument.items]):
        problems.append(f"{where}: item key {key!r} is used twice")
    for key in _duplicates([page.key for page in instrument.pages]):
        problems.append(f"{where}: page key {key!r} is used twice")

    for scale in instrument.scales:
        here = f"{where} scale {scale.key}"
        problems += citation_problems(here, scale.cite)
        count = len(instrument.items_of(scale.key))
        if count < scale.min_items:
            problems.append(f"{here}: has {count} items, needs at least {scale.min_items}")
        if scale.min_items < 1:
            problems.append(f"{here}: min_items must be at least 1")
    motives = [scale.motive for scale in instrument.scales if scale.motive is not None]
    for motive in _duplicates(list(motives)):
        problems.append(f"{where}: motive {motive!r} is measured by two scales")

    for item in instrument.items:
        here = f"{where} item {item.key}"
        if item.scale not in scale_keys:
            problems.append(f"{here}: unknown scale {item.scale!r}")
        problems += template_problems(here, item.text)
        problems += citation_problems(here, item.cite)

    placed = [key for page in instrument.pages for key in page.items]
    for key in _duplicates(placed):
        problems.append(f"{where}: item {key!r} is on more than one page")
    item_keys = {item.key for item in instrument.items}
    for key in sorted(set(placed) - item_keys):
        problems.append(f"{where}: a page lists unknown item {key!r}")
    for key in sorted(item_keys - set(placed)):
        problems.append(f"{where}: item {key!r} is on no page")
    for page in instrument.pages:
        if not page.items:
            problems.append(f"{where} page {page.key}: has no items")
            continue
        scales_here = {instrument._items[k].scale for k in page.items if k in item_keys}
        if len(page.items) > 1 and len(scales_here) == 1:
            problems.append(f"{where} page {page.key}: all items are from one scale")

    for key in _duplicates([scenario.key for scenario in instrument.scenarios]):
        problems.append(f"{where}: scenario key {key!r} is used twice")
    for scenario in instrument.scenarios:
        problems += _scenario_problems(f"{where} scenario {scenario.key}", scenario)
    return problems


def _scenario_problems(where: str, scenario: Scenario) -> list[str]:
    problems = citation_problems(where, scenario.cite)
    for text in (scenario.title, scenario.vignette, scenario.question):
        problems += template_problems(where, text)
    if not 3 <= len(scenario.options) <= 4:
        problems.append(f"{where}: has {len(scenario.options)} options, needs 3 or 4")
    for key in _duplicates([option.key for option in scenario.options]):
        problems.append(f"{where}: option key {key!r} is used twice")
    for option in scenario.options:
        here = f"{where} option {option.key}"
        problems += template_problems(here, option.text)
        problems += template_problems(here, option.reflection)
        problems += citation_problems(here, option.cite)
        if not option.motives:
            problems.append(f"{here}: has no construct key")
        for motive, weight in option.motives.items():
            if not isinstance(motive, Motive):
                problems.append(f"{here}: {motive!r} is not a motive")
            if not 0 < weight <= 1:
                problems.append(f"{here}: weight {weight!r} for {motive} is not in (0, 1]")
        if not option.tags:
            problems.append(f"{here}: has no behaviour tags")
        for tag in option.tags:
            if not isinstance(tag, Behaviour):
                problems.append(f"{here}: {tag!r} is not a behaviour tag")
        for a, b in OPPOSED_TAGS:
            if a in option.tags and b in option.tags:
                problems.append(f"{here}: is tagged both {a} and {b}")
    return problems


def check(instrument: Instrument) -> Instrument:
    """Return ``instrument`` unchanged, or raise ``DefinitionError`` with every defect."""
    problems = validate(instrument)
    if problems:
        raise DefinitionError(problems)
    return instrument
