"""Generate the instrument documentation, ``docs/instrument.md``, from the instrument data.

Invariants:
- ``render`` is a pure function of the data and rule modules: the same data gives
  the same text, in the order the data declares (tags and motives in enum order).
- Every key, text, citation and number comes from the data or the scoring and
  guidance constants; this module adds only the framing prose. Defaults' sources
  are read from the ``#:`` comments above the constants in ``app/domain/scoring.py``,
  as Sphinx autodoc reads them.
- ``tests/test_instrument_doc.py`` fails when the committed file differs from ``render()``.
"""

from __future__ import annotations

import inspect
import math
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from types import ModuleType

from app.domain import guidance, scoring
from app.domain.guidance import Chose, Emphasis, Practice, Rule
from app.domain.instrument import (
    HARMFUL,
    HELPFUL,
    MOTIVES,
    OPPOSED_TAGS,
    PLACEHOLDERS,
    Behaviour,
    Citation,
    Instrument,
    Motive,
    Scale,
)
from app.domain.scoring import Missing
from app.instruments import core_v1
from app.instruments.causes import PRESETS
from app.instruments.core_v1 import CORE
from app.instruments.deeper_v1 import DEEPER, EXPLAIN, EXPLAIN_CITES, LINKS, SENSITIVE_INTRO
from app.instruments.guidance_v1 import PRACTICES, REFLECTION_PROMPTS

#: The command that rewrites the committed file.
COMMAND = "flask --app app instruments doc"
#: The paper's names for the motivations (Radke et al., 2020, lines 178-196).
MOTIVE_LABELS: dict[Motive, str] = {
    Motive.OUTGROUP: "outgroup-focused",
    Motive.INGROUP: "ingroup-focused",
    Motive.PERSONAL: "personal",
    Motive.MORALITY: "morality",
}
# What each reason for a missing score means to a reader of the profile.
MISSING_MEANINGS: dict[Missing, str] = {
    Missing.TOO_FEW_ANSWERS: "a scale has fewer answered items than its minimum",
    Missing.SCALE_MISSING: "the mixture cannot be formed because a motive scale has no score",
    Missing.ALL_AT_FLOOR: "every motive scale sits at the floor, so there is no distance to share",
    Missing.NO_SCENARIOS: "no scenario was answered, so there is nothing to compare",
    Missing.TOO_FEW_SCENARIOS: (
        f"fewer than {scoring.MIN_SCENARIOS_TO_COMPARE} scenarios were answered"
    ),
}
# The introduction is headed by the paper's title (APA style); a table reads better
# with the conventional name.
SECTION_NAMES = {core_v1.INTRO: "Introduction"}


def render() -> str:
    """Return the instrument documentation as Markdown, ending with one newline."""
    body = [
        *_about(),
        *_response_scale(),
        *_causes(),
        *_core(),
        *_scenarios(),
        *_scoring(),
        *_deeper(),
        *_guidance(),
    ]
    titles = [block[3:] for block in body if block.startswith("## ")]
    contents = "## Contents\n\n" + _bullets(f"[{t}](#{_slug(t)})" for t in titles)
    return "\n\n".join([*_title(), contents, *body]) + "\n"


def write(path: str | Path) -> None:
    """Write ``render()`` to ``path`` as UTF-8."""
    Path(path).write_text(render(), encoding="utf-8", newline="\n")


# Formatting helpers.


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(value) for value in row) + " |" for row in rows]
    return "\n".join(lines)


def _bullets(lines: Iterable[str]) -> str:
    return "\n".join(f"- {line}" for line in lines)


def _code(key: str) -> str:
    return f"`{key}`"


def _codes(keys: Iterable[str]) -> str:
    return ", ".join(_code(key) for key in keys)


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def _cite(cite: Citation) -> str:
    section = SECTION_NAMES.get(cite.section, cite.section)
    text = f"lines {cite.first}-{cite.last}, {section}"
    return f"{text} ({cite.source})" if cite.source else text


def _number(value: float) -> str:
    return f"{value:.2f}"


def _weights(motives: dict[Motive, float]) -> str:
    order = sorted(motives, key=lambda m: (-motives[m], MOTIVES.index(m)))
    return ", ".join(f"{m} {float(motives[m])}" for m in order)


def _tags(tags: frozenset[Behaviour]) -> str:
    return _codes(tag for tag in Behaviour if tag in tags)


def _prose(obj: object) -> str:
    """The summary line and the paragraph after it of a docstring, in Markdown."""
    paragraphs = inspect.cleandoc(obj.__doc__ or "").split("\n\n")
    return " ".join(" ".join(p.split()) for p in paragraphs[:2]).replace("``", "`")


def _doc_section(obj: object, heading: str) -> str:
    """One numpydoc section (``Notes``, ``References``) of a docstring, as one paragraph."""
    doc = inspect.cleandoc(obj.__doc__ or "")
    match = re.search(rf"^{heading}\n-+\n(.*?)(?:\n\n|\Z)", doc, flags=re.M | re.S)
    return " ".join(match.group(1).split()).replace("``", "`") if match else ""


def _attribute_comments(module: ModuleType) -> dict[str, str]:
    """Map each module constant to the ``#:`` comment lines just above it."""
    comments: dict[str, str] = {}
    pending: list[str] = []
    for line in inspect.getsource(module).splitlines():
        if line.startswith("#:"):
            pending.append(line[2:].strip())
            continue
        name = re.match(r"([A-Z_][A-Z0-9_]*)\s*[:=]", line)
        if name and pending:
            comments[name.group(1)] = " ".join(pending)
        pending = []
    return comments


def _label(motive: Motive) -> str:
    return MOTIVE_LABELS[motive]


def _option_keys(tag: Behaviour) -> list[str]:
    return [
        f"{scenario.key}.{option.key}"
        for scenario in CORE.scenarios
        for option in scenario.options
        if tag in option.tags
    ]


def _page_of(instrument: Instrument) -> dict[str, str]:
    return {key: page.key for page in instrument.pages for key in page.items}


# Sections.


def _title() -> list[str]:
    return [
        "# Why I Act: the instrument",
        "> Generated from the instrument data by `app/instruments/document.py`; do not edit "
        f"by hand. After changing any instrument, scoring or guidance data, run `{COMMAND}`. "
        "`tests/test_instrument_doc.py` fails while this file is stale.",
    ]


def _about() -> list[str]:
    said = scoring.SAID_AND_CHOSEN
    sensitive = [scale for scale in DEEPER.scales if scale.sensitive]
    return [
        "## About the instrument",
        "Why I Act is a private, reflective questionnaire for people from an advantaged group "
        "who take action for a disadvantaged group. It follows the four motivations for such "
        "action proposed by Radke, Kutlaca, Siem, Wright and Becker (2020), which differ in "
        "the goal of the action. The app names each by what it puts first:",
        _table(
            ["Motivation (the paper's term)", "Name in the app", "Core scale"],
            (
                (_label(m), CORE.motive_scale(m).name, _code(CORE.motive_scale(m).key))
                for m in MOTIVES
            ),
        ),
        f"It has two parts. The core instrument `{CORE.key}` (version {CORE.version}) has "
        f"{len(CORE.items)} statements on {len(CORE.scales)} motive scales and "
        f"{len(CORE.scenarios)} scenarios from movement life. The optional deeper module "
        f"`{DEEPER.key}` (version {DEEPER.version}) has {len(DEEPER.items)} statements on "
        f"{len(DEEPER.scales)} antecedents from Table 1 of the paper, {len(sensitive)} of them "
        "sensitive. Guidance then suggests practices chosen from the answers.",
        "**Reflective, not diagnostic.** The profile is a mixture, never a type: everyone "
        "holds all four motivations to some extent, and the profile shows how strongly each "
        "is held relative to the others, with the uncertainty of the measurement. It is not a "
        "clinical instrument and not a selection tool; it must not be used to screen, rank or "
        "choose volunteers, and its scores are not comparable between people. Everything "
        "rests on self-report, which is subject to social desirability and to limited "
        f"awareness of one's own motives ({_cite(said)}); this is why what people choose in "
        "the scenarios is set beside what they say.",
        "**Citations.** Every scale, item, option, explanation and practice cites a passage "
        "of Radke et al. (2020) as a line range of `shared/theory/beyond-allyship-paper.txt` "
        "and the section it sits in; a name in parentheses is a work the paper cites at that "
        "passage. Texts are the English message ids, translated at display time; "
        f"{_codes('{' + name + '}' for name in sorted(PLACEHOLDERS))} are filled from the "
        "volunteer's cause preset.",
    ]


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9 -]", "", title.lower()).replace(" ", "-")


def _response_scale() -> list[str]:
    rs = CORE.response_scale
    shared = "Both instruments use it." if DEEPER.response_scale == rs else ""
    return [
        "## Response scale",
        f"Every statement is rated on the scale `{rs.key}`, from {rs.floor} to {rs.ceiling}, "
        f"with every point labelled. {shared}".strip(),
        _table(
            ["Value", "Label"],
            ((str(p), label) for p, label in zip(rs.points, rs.labels, strict=True)),
        ),
    ]


def _causes() -> list[str]:
    return [
        "## Cause presets",
        "A volunteer picks the cause they act for; its labels fill the placeholders in every text.",
        _table(
            ["Key", "`{cause}`", "`{ingroup}`", "`{outgroup}`"],
            ((_code(p.key), p.cause, p.ingroup, p.outgroup) for p in PRESETS),
        ),
    ]


def _items_table(instrument: Instrument, scale: Scale) -> str:
    page_of = _page_of(instrument)
    return _table(
        ["Key", "Text", "Reverse", "Page", "Citation"],
        (
            (_code(item.key), item.text, _yes(item.reverse), page_of[item.key], _cite(item.cite))
            for item in instrument.items_of(scale.key)
        ),
    )


def _scale_counts(instrument: Instrument, scale: Scale) -> str:
    items = instrument.items_of(scale.key)
    reversed_ = sum(item.reverse for item in items)
    return (
        f"{len(items)} items, {reversed_} reverse-keyed; scored when at least "
        f"{scale.min_items} are answered"
    )


def _page_layout(instrument: Instrument) -> str:
    def entry(key: str) -> str:
        item = instrument.item(key)
        return f"{_code(key)} {item.scale}" + (" (R)" if item.reverse else "")

    return _table(
        ["Page", "Items in order (scale; R = reverse-keyed)"],
        ((page.key, ", ".join(entry(key) for key in page.items)) for page in instrument.pages),
    )


def _core() -> list[str]:
    blocks = [
        "## Core instrument",
        f"`{CORE.key}` version {CORE.version}: one scale per motivation, each measuring how "
        "strongly the volunteer holds it.",
    ]
    for motive in MOTIVES:
        scale = CORE.motive_scale(motive)
        blocks += [
            f"### {scale.name} (`{scale.key}`)",
            _bullets(
                [
                    f"**Motivation:** {_label(motive)}",
                    f"**Definition:** {scale.definition}",
                    f"**Citation:** {_cite(scale.cite)}",
                    f"**Items:** {_scale_counts(CORE, scale)}.",
                ]
            ),
            _items_table(CORE, scale),
        ]
    blocks += ["### Core page layout", _page_layout(CORE)]
    return blocks


def _scenarios() -> list[str]:
    blocks = [
        "## Scenarios",
        f"The core has {len(CORE.scenarios)} scenarios. The volunteer picks the option they "
        "would most likely take, or skips the scenario. Each option carries a construct key, "
        "the motivations the paper predicts it expresses with a weight in (0, 1], and "
        "behaviour tags. After a choice the app shows that option's reflection, which "
        "explains and does not grade, and the scenario's question to think about.",
    ]
    for scenario in CORE.scenarios:
        blocks += [
            f"### `{scenario.key}`: {scenario.title}",
            f"**Situation.** {scenario.vignette}",
            f"**To think about.** {scenario.question}",
            f"**Citation:** {_cite(scenario.cite)}",
            _table(
                ["Key", "Option", "Construct key", "Behaviour tags", "Citation"],
                (
                    (
                        _code(o.key),
                        o.text,
                        _weights(o.motives),
                        _tags(o.tags),
                        _cite(o.cite),
                    )
                    for o in scenario.options
                ),
            ),
            "**Reflections**\n\n"
            + _bullets(f"{_code(o.key)} {o.reflection}" for o in scenario.options),
        ]
    return blocks + _coverage()


def _tag_kind(tag: Behaviour) -> str:
    if tag in HELPFUL:
        return "helpful"
    if tag in HARMFUL:
        return "harmful"
    for a, b in OPPOSED_TAGS:
        if tag in (a, b):
            return f"descriptive, opposite of `{b if tag is a else a}`"
    return "descriptive"


def _coverage() -> list[str]:
    def triggers(tag: Behaviour) -> str:
        keys = [
            p.key for p in PRACTICES if any(isinstance(r, Chose) and r.tag is tag for r in p.when)
        ]
        return _codes(keys) or "none"

    tag_rows = []
    for tag in Behaviour:
        keys = _option_keys(tag)
        tag_rows.append((_code(tag), _tag_kind(tag), str(len(keys)), _codes(keys), triggers(tag)))

    options = [o for s in CORE.scenarios for o in s.options]
    total = math.fsum(w for o in options for w in o.motives.values())
    motive_rows = []
    for m in MOTIVES:
        keyed = [o for o in options if m in o.motives]
        leading = [o for o in keyed if o.motives[m] == max(o.motives.values())]
        weight = math.fsum(o.motives[m] for o in keyed)
        scenarios = sum(1 for s in CORE.scenarios if any(m in o.motives for o in s.options))
        motive_rows.append(
            (
                _label(m),
                str(scenarios),
                str(len(keyed)),
                str(len(leading)),
                f"{weight:.1f}",
                _number(weight / total),
            )
        )
    return [
        "### Scenario coverage",
        "Which options carry each behaviour tag, and which practices a choice with that tag "
        "can bring into the guidance.",
        _table(["Tag", "Kind", "Options", "Option keys", "Guidance it can trigger"], tag_rows),
        "How the construct keys spread over the motivations. The last column is each "
        "motive's share of all the weight the options carry: the uneven offer that the chosen "
        "mixture corrects for by weighing each choice against its scenario's baseline (rule 8 "
        "of the scoring rules). An option whose top weight is shared counts for each motive "
        "that shares it.",
        _table(
            [
                "Motivation",
                "Scenarios keying it",
                "Options keying it",
                "Options where it weighs most",
                "Summed weight",
                "Share of all weight",
            ],
            motive_rows,
        ),
    ]


def _scoring() -> list[str]:
    rs = CORE.response_scale
    comments = _attribute_comments(scoring)
    half = scoring.Z95 * scoring.DEFAULT_SD * math.sqrt(1 - scoring.DEFAULT_RELIABILITY)
    missing = _table(
        ["Reason", "Meaning"], ((_code(reason), MISSING_MEANINGS[reason]) for reason in Missing)
    )
    return [
        "## Scoring",
        f"Scoring version {scoring.SCORING_VERSION} (SCORING_VERSION), stored with each "
        "finished take; it changes whenever a rule below changes meaning. Nothing is rounded "
        "in the formulas; the pages round for display.",
        "1. **Valid input.** Every answer must name an item of the instrument and be a whole "
        f"number from {rs.floor} to {rs.ceiling}; every choice must name a scenario and one "
        "of its options. Anything else is rejected, never silently dropped.\n"
        "2. **Reverse keys.** A reverse-keyed item contributes floor + ceiling − value, "
        f"that is {rs.floor + rs.ceiling} − value on this scale ({rs.ceiling} becomes "
        f"{rs.reverse(rs.ceiling)}).\n"
        "3. **Minimum items.** A scale has a score only when at least its minimum number of "
        "items is answered (listed with each scale); otherwise the score is missing "
        "(`too_few_answers`).\n"
        "4. **Scale mean.** The mean of the answered items after reverse keying, on the "
        f"{rs.floor}-{rs.ceiling} scale.\n"
        "5. **Uncertainty band.** mean ± Z95 · SD · √(1 − reliability), clipped to the scale, "
        f"where Z95 = {scoring.Z95:.2f} is the two-sided 95% normal quantile and "
        "SD · √(1 − reliability) the standard error of measurement. The defaults give a "
        f"band of the mean ± {_number(half)} points:\n"
        f"   - reliability = {_number(scoring.DEFAULT_RELIABILITY)}. "
        f"{comments['DEFAULT_RELIABILITY']}\n"
        f"   - SD = {_number(scoring.DEFAULT_SD)}. {comments['DEFAULT_SD']}\n"
        f"   - Reference: {_doc_section(scoring.score_scale, 'References')}\n"
        "6. **Mixture.** Each motive's share of the total distance above the floor, so the "
        f"four shares sum to 1: {_doc_section(scoring.mixture, 'Notes')} The mixture exists only "
        "when all four motive scales have a score (otherwise `scale_missing`) and at least one "
        "lies above the floor (otherwise `all_at_floor`).\n"
        f"7. **Leading motive.** {_prose(scoring.Mixture.leading)}\n"
        f"8. **Chosen mixture.** {_doc_section(scoring.chosen, 'Notes')} The behaviour tags of "
        "the chosen options are counted for the guidance.\n"
        "9. **Said and chosen.** For each motive, the said share minus the chosen share. "
        "The comparison is made once at least "
        f"{scoring.MIN_SCENARIOS_TO_COMPARE} scenarios are answered (MIN_SCENARIOS_TO_COMPARE; "
        "otherwise `no_scenarios` or `too_few_scenarios`), and needs the said mixture. A "
        "difference of at least "
        f"{_number(scoring.NOTABLE_GAP)} (NOTABLE_GAP) is named on the profile, with the "
        "ordinary reasons the two can differ and never a suggestion that anyone lied "
        f"({_cite(scoring.SAID_AND_CHOSEN)}).\n"
        "10. **Deeper scales** are scored by rules 1-5 with their own minimum, and never "
        "enter the mixture.",
        "### Why a score can be missing",
        missing,
        "### Caveats",
        _bullets(
            [
                "The items and scenarios are new; their reliability and validity have not "
                "been estimated, so the bands rest on the assumed defaults above, not on data "
                "from this instrument.",
                "A band describes the measurement error of one take, not a range for a "
                "population; there are no norms, and scores must not be compared between "
                "people.",
                "The construct keys of the options are the paper's predictions, not fitted "
                "weights, and they do not spread evenly over the motivations (see the "
                "scenario coverage).",
                "Self-report is shaped by social desirability and by how aware people are of "
                f"their own motives ({_cite(scoring.SAID_AND_CHOSEN)}).",
                "Motivations coexist, can conflict or complement each other, and shift over "
                "time and with context; a profile describes one moment.",
                "Translations and cause presets change the wording a person reads; a score "
                "may not mean exactly the same across languages and causes.",
            ]
        ),
    ]


def _deeper() -> list[str]:
    sensitive = [scale for scale in DEEPER.scales if scale.sensitive]
    sensitive_keys = {scale.key for scale in sensitive}
    sensitive_pages = [
        page.key
        for page in DEEPER.pages
        if any(DEEPER.item(key).scale in sensitive_keys for key in page.items)
    ]
    plural = len(sensitive_pages) > 1
    where = f"page{'s' if plural else ''} {', '.join(sensitive_pages)}"
    mixed = any(
        DEEPER.item(key).scale not in sensitive_keys
        for page in DEEPER.pages
        if page.key in sensitive_pages
        for key in page.items
    )
    if not mixed:
        where += f", which hold{'' if plural else 's'} nothing else"
    blocks = [
        "## Deeper module",
        f"`{DEEPER.key}` version {DEEPER.version}, offered after a take is finished: one scale "
        "per antecedent of the motivations in Table 1 of the paper. The profile shows each "
        "construct next to the motivation(s) Table 1 links a higher score to, with a hedged "
        "explanation; a deeper score never enters the mixture.",
        _table(
            ["Construct", "Key", "Linked motivations", "Sensitive", "Items (minimum)"],
            (
                (
                    scale.name,
                    _code(scale.key),
                    ", ".join(_label(m) for m in LINKS[scale.key]),
                    _yes(scale.sensitive),
                    f"{len(DEEPER.items_of(scale.key))} ({scale.min_items})",
                )
                for scale in DEEPER.scales
            ),
        ),
        "**By motivation**\n\n"
        + _bullets(
            f"{_label(m)}: " + _codes(scale.key for scale in DEEPER.scales if m in LINKS[scale.key])
            for m in MOTIVES
        ),
        f"**Sensitive constructs** ({_codes(scale.key for scale in sensitive)}) are optional. "
        f"Their items are on {where}. Their scores are shown only to the volunteer, on their "
        "own profile, and never enter any aggregate. The app shows this before the sensitive "
        "questions:",
        f"> {SENSITIVE_INTRO}",
    ]
    for scale in DEEPER.scales:
        blocks += [
            f"### {scale.name} (`{scale.key}`)",
            _bullets(
                [
                    f"**Sensitive:** {_yes(scale.sensitive)}",
                    "**Linked motivations:** " + ", ".join(_label(m) for m in LINKS[scale.key]),
                    f"**Explanation:** {EXPLAIN[scale.key]} ({_cite(EXPLAIN_CITES[scale.key])})",
                    f"**Definition:** {scale.definition} ({_cite(scale.cite)})",
                    f"**Items:** {_scale_counts(DEEPER, scale)}.",
                ]
            ),
            _items_table(DEEPER, scale),
        ]
    blocks += ["### Deeper page layout", _page_layout(DEEPER)]
    return blocks


def _rule(rule: Rule) -> str:
    if isinstance(rule, Emphasis):
        return (
            f"when {_label(rule.motive)} is emphasised (share ≥ {_number(rule.share)} or largest)"
        )
    keys = _option_keys(rule.tag)
    if not keys:
        carried = "no core option carries it"
    elif len(keys) <= 4:
        carried = _codes(keys)
    else:
        carried = f"{len(keys)} options carry it"
    if rule.count == 1:
        return f"when a chosen option is tagged `{rule.tag}` ({carried})"
    return f"when at least {rule.count} chosen options are tagged `{rule.tag}` ({carried})"


def _practice(practice: Practice) -> str:
    return f"#### `{practice.key}`\n\n" + _bullets(
        [
            f"**Practice:** {practice.text}",
            f"**Why:** {practice.why}",
            f"**Try this week:** {practice.try_this_week}",
            "**Offered:** " + "; or ".join(_rule(rule) for rule in practice.when),
            f"**Citation:** {_cite(practice.cite)}",
        ]
    )


def _guidance() -> list[str]:
    blocks = [
        "## Guidance",
        f"Each motivation has at least {guidance.MIN_PER_MOTIVE} practices: one concrete "
        "thing to do, why, something to try this week, and a citation, offered as an "
        "invitation. A practice is offered when any of its rules holds. A motive is "
        f"emphasised when its said share is at least {_number(guidance.EMPHASIS_SHARE)} "
        f"(an even mixture gives each {_number(1 / len(MOTIVES))}) or is the largest.",
        "**Selection** (`select_practices`):\n\n"
        "1. Motives are ordered by the said mixture, largest share first; ties, and takes "
        "without a mixture, follow the order "
        + ", ".join(_label(m) for m in MOTIVES)
        + ". Without a mixture no motive is emphasised, so only choice rules can hold.\n"
        "2. Within a motive, practices offered because of a scenario choice come first, then "
        "the others in the order listed below.\n"
        f"3. At most {guidance.MAX_PRACTICES} practices are picked, round-robin across the "
        "motives in that order: the first eligible practice of each motive, then the second "
        "of each, and so on, so that one motive does not take every slot.\n"
        "4. When no rule holds, the first practice of each motive is offered, so nobody "
        "leaves with nothing.\n"
        "5. The picked practices are shown grouped by motive, in the order of rules 1 and 2.",
    ]
    for motive in MOTIVES:
        blocks.append(f"### {_label(motive).capitalize()}")
        blocks += [_practice(p) for p in PRACTICES if p.motive is motive]
    blocks += [
        "### Reflection prompts",
        "Open questions, grouped by the motivation they are offered for.",
    ]
    for motive in MOTIVES:
        blocks.append(
            f"**{_label(motive).capitalize()}**\n\n" + _bullets(REFLECTION_PROMPTS[motive])
        )
    return blocks
