from dataclasses import replace

import pytest

from app.domain.errors import DefinitionError
from app.domain.instrument import Behaviour, Citation, Item, Page, check, placeholders, validate
from tests.domain.small import SMALL


def test_the_small_instrument_is_valid():
    assert validate(SMALL) == []


def test_validation_reports_every_problem_at_once():
    broken = replace(
        SMALL,
        items=(
            *SMALL.items[:-1],
            Item("og1", "nowhere", "Hello {name}", Citation(0, 9999, "")),
        ),
    )
    problems = validate(broken)
    joined = "\n".join(problems)
    assert "item key 'og1' is used twice" in joined
    assert "unknown scale 'nowhere'" in joined
    assert "unknown placeholders ['name']" in joined
    assert "citation lines 0-9999" in joined
    assert "citation has no section" in joined
    assert "a page lists unknown item 'mo4'" in joined
    with pytest.raises(DefinitionError) as caught:
        check(broken)
    assert caught.value.problems == problems


def test_a_page_of_one_scale_is_refused():
    one_scale = (
        Page("p1", ("og1", "og2", "og3", "og4")),
        Page(
            "p2",
            tuple(key for page in SMALL.pages for key in page.items if not key.startswith("og")),
        ),
    )
    assert any(
        "all items are from one scale" in p for p in validate(replace(SMALL, pages=one_scale))
    )


def test_options_need_keys_tags_and_no_contradiction():
    scenario = SMALL.scenarios[0]
    bad = replace(
        scenario.options[0],
        motives={},
        tags=frozenset({Behaviour.PUBLIC, Behaviour.PRIVATE}),
    )
    broken = replace(SMALL, scenarios=(replace(scenario, options=(bad, *scenario.options[1:])),))
    joined = "\n".join(validate(broken))
    assert "has no construct key" in joined
    assert "is tagged both public and private" in joined


def test_placeholders_are_read_from_templates():
    assert placeholders("{ingroup} and {outgroup} for {cause}") == {"ingroup", "outgroup", "cause"}
    assert placeholders("no fields") == set()
