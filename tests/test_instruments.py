"""The shipped instrument data: valid, complete, and readable with every cause preset."""

from __future__ import annotations

import string
from collections import Counter

import pytest

from app.domain.instrument import HARMFUL, HELPFUL, MOTIVES, Behaviour
from app.instruments import CURRENT, PRACTICES, PRESETS, REFLECTION_PROMPTS, check_all


def texts_of_core():
    for item in CURRENT.items:
        yield f"item {item.key}", item.text
    for scenario in CURRENT.scenarios:
        yield f"scenario {scenario.key}", scenario.vignette
        yield f"scenario {scenario.key}", scenario.title
        yield f"scenario {scenario.key}", scenario.question
        for option in scenario.options:
            yield f"option {scenario.key}.{option.key}", option.text
            yield f"option {scenario.key}.{option.key}", option.reflection
    for practice in PRACTICES:
        for text in (practice.text, practice.why, practice.try_this_week):
            yield f"practice {practice.key}", text
    for motive, prompts in REFLECTION_PROMPTS.items():
        for prompt in prompts:
            yield f"prompt {motive}", prompt


def test_every_instrument_and_the_guidance_validate():
    assert check_all() == {"core v1": [], "deeper v1": [], "guidance v1": []}


def test_core_has_four_items_per_motive_each_with_a_reverse_key():
    for motive in MOTIVES:
        items = CURRENT.items_of(CURRENT.motive_scale(motive).key)
        assert len(items) == 4, motive
        assert any(item.reverse for item in items), motive


def test_core_pages_interleave_the_motives():
    assert len(CURRENT.pages) == 4
    for page in CURRENT.pages:
        motives = {CURRENT.item(key).scale for key in page.items}
        assert len(motives) == 4, page.key


@pytest.mark.parametrize("preset", PRESETS, ids=lambda p: p.key)
def test_every_text_fills_with_every_preset(preset):
    labels = {"ingroup": preset.ingroup, "outgroup": preset.outgroup, "cause": preset.cause}
    for where, text in texts_of_core():
        filled = text.format(**labels)
        assert "{" not in filled and "}" not in filled, where
        assert "!" not in filled, f"{where}: no exclamation marks"


def test_items_are_short():
    for item in CURRENT.items:
        longest = max(
            len(item.text.format(ingroup=p.ingroup, outgroup=p.outgroup, cause=p.cause).split())
            for p in PRESETS
        )
        assert longest <= 20, (item.key, longest)


def test_scenarios_cover_every_behaviour_and_motive():
    assert len(CURRENT.scenarios) >= 8
    tags = Counter(tag for s in CURRENT.scenarios for o in s.options for tag in o.tags)
    assert set(Behaviour) <= set(tags), set(Behaviour) - set(tags)
    assert set(tags) >= HELPFUL | HARMFUL
    for motive in MOTIVES:
        keyed = sum(1 for s in CURRENT.scenarios if any(motive in o.motives for o in s.options))
        assert keyed >= 4, motive


def test_guidance_has_five_practices_per_motive_and_prompts():
    per_motive = Counter(p.motive for p in PRACTICES)
    assert all(per_motive[m] >= 5 for m in MOTIVES), per_motive
    assert all(len(REFLECTION_PROMPTS[m]) >= 2 for m in MOTIVES)


def test_presets_are_the_five_causes():
    assert [p.key for p in PRESETS] == ["gender", "race", "refugees", "lgbtiq", "poverty"]


def test_templates_use_only_named_placeholders():
    formatter = string.Formatter()
    for where, text in texts_of_core():
        for _, name, spec, conversion in formatter.parse(text):
            if name is not None:
                assert name in {"ingroup", "outgroup", "cause"}, where
                assert not spec and not conversion, where


def test_the_check_command_passes(runner):
    result = runner.invoke(args=["instruments", "check"])
    assert result.exit_code == 0, result.output
    assert "core v1: ok" in result.output


def test_the_check_command_lists_every_problem(runner, monkeypatch):
    import app.instruments as registry

    monkeypatch.setattr(registry, "check_all", lambda: {"core v1": ["one", "two"]})
    result = runner.invoke(args=["instruments", "check"])
    assert result.exit_code == 1
    assert "one" in result.output and "two" in result.output


def test_deeper_covers_every_antecedent_of_table_1():
    from app.instruments import CURRENT_DEEPER
    from app.instruments.deeper_v1 import EXPLAIN, LINKS

    required = {
        "ingroup_identification", "disidentification", "politicized_identification",
        "personal_identification", "group_anger", "group_guilt", "sympathy",
        "positive_emotions", "moral_outrage", "low_stereotyping", "privilege_awareness",
        "zero_sum", "paternalism", "sdo", "individualism", "narcissism", "moral_conviction",
    }  # fmt: skip
    assert {s.key for s in CURRENT_DEEPER.scales} == required
    for scale in CURRENT_DEEPER.scales:
        assert len(CURRENT_DEEPER.items_of(scale.key)) >= 2, scale.key
        assert LINKS[scale.key] and EXPLAIN[scale.key]
    assert {s.key for s in CURRENT_DEEPER.scales if s.sensitive} == {"sdo", "narcissism"}


def test_sensitive_items_sit_on_their_own_last_page():
    from app.instruments import CURRENT_DEEPER

    last = CURRENT_DEEPER.pages[-1]
    for page in CURRENT_DEEPER.pages:
        sensitive = {
            CURRENT_DEEPER.scale(CURRENT_DEEPER.item(k).scale).sensitive for k in page.items
        }
        assert sensitive == ({True} if page is last else {False}), page.key
