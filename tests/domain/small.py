"""A small instrument for domain tests, so golden values can be worked out by hand."""

from app.domain.instrument import (
    Behaviour,
    Citation,
    Instrument,
    Item,
    Motive,
    Option,
    Page,
    ResponseScale,
    Scale,
    Scenario,
)

CITE = Citation(178, 196, "Beyond allyship")
AGREE = ResponseScale("agree7", tuple(f"point {i}" for i in range(1, 8)))
PREFIX = {Motive.OUTGROUP: "og", Motive.INGROUP: "ig", Motive.PERSONAL: "pe", Motive.MORALITY: "mo"}

SCALES = tuple(
    Scale(key=m.value, name=m.value, definition="d", cite=CITE, motive=m) for m in Motive
)
#: Four items per motive; the fourth is reverse-keyed.
ITEMS = tuple(
    Item(key=f"{PREFIX[m]}{i}", scale=m.value, text=f"{m} {i} {{cause}}", cite=CITE, reverse=i == 4)
    for m in Motive
    for i in range(1, 5)
)
PAGES = (
    Page("p1", tuple(f"{PREFIX[m]}{i}" for i in (1, 2) for m in Motive)),
    Page("p2", tuple(f"{PREFIX[m]}{i}" for i in (3, 4) for m in Motive)),
)


def option(key, motives, tags):
    return Option(key, f"option {key}", motives, frozenset(tags), "reflection", CITE)


SCENARIOS = (
    Scenario(
        "march",
        "A march",
        "Vignette about {outgroup}.",
        (
            option("a", {Motive.OUTGROUP: 1.0}, {Behaviour.FOLLOWS_LEAD, Behaviour.PRIVATE}),
            option("b", {Motive.PERSONAL: 1.0}, {Behaviour.SEEKS_TO_LEAD, Behaviour.PUBLIC}),
            option("c", {Motive.INGROUP: 0.5, Motive.PERSONAL: 0.5}, {Behaviour.TAKES_OVER}),
        ),
        "What matters?",
        CITE,
    ),
    Scenario(
        "donate",
        "A fundraiser",
        "Vignette.",
        (
            option("a", {Motive.OUTGROUP: 1.0}, {Behaviour.AUTONOMY_HELP}),
            option("b", {Motive.INGROUP: 1.0}, {Behaviour.DEPENDENCY_HELP}),
            option("c", {Motive.MORALITY: 1.0}, {Behaviour.NO_GUIDANCE}),
        ),
        "Who decides?",
        CITE,
    ),
    Scenario(
        "meeting",
        "A meeting",
        "Vignette.",
        (
            option("a", {Motive.OUTGROUP: 1.0}, {Behaviour.ACCEPTS_CRITICISM}),
            option("b", {Motive.INGROUP: 1.0}, {Behaviour.UNWANTED_ADVICE}),
            option("c", {Motive.MORALITY: 1.0}, {Behaviour.NORMATIVE}),
        ),
        "What did you hear?",
        CITE,
    ),
)

SMALL = Instrument("small", 1, AGREE, SCALES, ITEMS, PAGES, SCENARIOS)
