from collections import Counter

import pytest

from app.domain.guidance import Chose, Emphasis, GuidanceContext, Practice, select_practices
from app.domain.instrument import Behaviour, Citation, Motive

CITE = Citation(1904, 1920, "Behavioral outcomes")


def practice(key, motive, *when):
    return Practice(key, motive, key, "why", "this week", CITE, tuple(when))


LIBRARY = (
    *(practice(f"{m.value}{i}", m, Emphasis(m)) for m in Motive for i in range(1, 4)),
    practice("consult", Motive.MORALITY, Chose(Behaviour.NO_GUIDANCE)),
)

EVEN = dict.fromkeys(Motive, 0.25)


def context(shares, *tags):
    return GuidanceContext(shares, Counter(tags))


def test_emphasis_holds_for_the_top_motive_or_a_large_share():
    shares = {Motive.OUTGROUP: 0.5, Motive.INGROUP: 0.1, Motive.PERSONAL: 0.1, Motive.MORALITY: 0.3}
    assert Emphasis(Motive.OUTGROUP).holds(context(shares))
    assert Emphasis(Motive.MORALITY).holds(context(shares))  # 0.30 reaches the threshold
    assert not Emphasis(Motive.INGROUP).holds(context(shares))
    assert not Emphasis(Motive.INGROUP).holds(context(None))


def test_selection_follows_the_persons_own_emphasis():
    shares = {Motive.OUTGROUP: 0.1, Motive.INGROUP: 0.5, Motive.PERSONAL: 0.1, Motive.MORALITY: 0.3}
    picked = [p.key for p in select_practices(LIBRARY, context(shares))]
    # Ingroup first, then morality; both motives share the six slots.
    assert picked == ["ingroup1", "ingroup2", "ingroup3", "morality1", "morality2", "morality3"]


def test_a_choice_brings_its_practice_forward():
    shares = {Motive.OUTGROUP: 0.1, Motive.INGROUP: 0.1, Motive.PERSONAL: 0.1, Motive.MORALITY: 0.7}
    picked = [p.key for p in select_practices(LIBRARY, context(shares, Behaviour.NO_GUIDANCE))]
    assert picked[0] == "consult"


def test_even_mixture_offers_every_motive():
    picked = select_practices(LIBRARY, context(EVEN), limit=4)
    assert {p.motive for p in picked} == set(Motive)


def test_without_a_mixture_or_choices_the_first_of_each_motive_is_offered():
    picked = [p.key for p in select_practices(LIBRARY, context(None))]
    assert picked == ["outgroup1", "ingroup1", "personal1", "morality1"]


def test_limit_must_be_positive():
    with pytest.raises(ValueError):
        select_practices(LIBRARY, context(EVEN), limit=0)
