"""The facilitator's guide: complete, cited, fillable, and chosen by the room's shown pattern."""

from __future__ import annotations

import pytest

from app.domain.debrief import (
    Always,
    RoomChose,
    RoomLeans,
    RoomPattern,
    SaidDiffersFromChosen,
    chosen_shares,
    select_prompts,
    tag_share,
    validate_guide,
)
from app.domain.instrument import MOTIVES, Behaviour, Motive
from app.domain.room import RoomFigures
from app.domain.workshop import Module
from app.instruments import CURRENT, PRESETS, guide_v1

SCENARIOS = {s.key: s for s in CURRENT.scenarios}
EVEN = {m: 0.25 for m in MOTIVES}


def figures(mixture=None, choices=None) -> RoomFigures:
    return RoomFigures(
        n=10,
        mixture_n=10,
        mixture=mixture,
        distributions={m: None for m in MOTIVES},
        choices=choices or {},
    )


def keys(pattern) -> list[str]:
    return [p.key for p in select_prompts(guide_v1.PROMPTS, pattern)]


def test_the_guide_validates():
    assert validate_guide(guide_v1.SCRIPTS, guide_v1.PROMPTS) == []


def test_each_module_has_a_timed_script():
    assert [s.module for s in guide_v1.SCRIPTS] == list(Module)
    for script in guide_v1.SCRIPTS:
        assert 10 <= script.minutes <= 45, script.module
        assert all(step.say and step.frame for step in script.steps)


@pytest.mark.parametrize(
    "labels",
    [{"cause": p.cause, "ingroup": p.ingroup, "outgroup": p.outgroup} for p in PRESETS]
    + [{"cause": "{x}", "ingroup": "<b>", "outgroup": "people"}],
)
def test_every_text_fills_with_every_cause(labels):
    texts = [guide_v1.HARM_AVOIDANCE[0], *guide_v1.HARM_AVOIDANCE[1:]]
    for script in guide_v1.SCRIPTS:
        texts += [script.title] + [t for s in script.steps for t in (s.title, s.say, s.frame)]
    for prompt in guide_v1.PROMPTS:
        texts += [prompt.title, prompt.ask, prompt.note]
    for text in texts:
        filled = text.format(**labels, k_room=5)
        assert "!" not in filled
        assert "{k_room}" not in filled


def test_the_harm_note_forbids_asking_for_anyones_profile():
    note = " ".join(guide_v1.HARM_AVOIDANCE)
    assert "Never ask anyone to show, read out or describe their profile" in note
    assert guide_v1.HARM_CITE.first == 2024


def test_without_figures_only_the_general_prompts_are_offered():
    assert keys(RoomPattern(None, SCENARIOS)) == ["mixture_not_types", "reasons_change"]


@pytest.mark.parametrize("motive", list(Motive))
def test_a_room_leaning_to_a_motive_gets_its_prompt_first(motive):
    mixture = {**EVEN, motive: 0.4}
    chosen = keys(RoomPattern(figures(mixture=mixture), SCENARIOS))
    assert chosen[0] == f"leans_{motive}"
    assert chosen[-2:] == ["mixture_not_types", "reasons_change"]


def test_dependency_help_in_the_refugee_scenario():
    leaning = figures(choices={"community_centre": {"a": 3, "b": 1, "c": 1, "d": 2}})
    other = figures(choices={"community_centre": {"a": 1, "b": 3, "c": 2, "d": 1}})
    assert (
        tag_share(RoomPattern(leaning, SCENARIOS), frozenset({Behaviour.DEPENDENCY_HELP})) == 5 / 7
    )
    assert "dependency_help" in keys(RoomPattern(leaning, SCENARIOS))
    assert "dependency_help" not in keys(RoomPattern(other, SCENARIOS))


def test_hidden_scenarios_trigger_nothing():
    hidden = figures(choices={"community_centre": None, "sit_in": None})
    assert keys(RoomPattern(hidden, SCENARIOS)) == ["mixture_not_types", "reasons_change"]


def test_said_and_chosen_compares_the_room_not_people():
    # Everyone chose outgroup-heavy options, while the said mixture is even.
    choices = {
        "step_back": {"a": 6, "b": 2, "c": 1, "d": 1},
        "press": {"a": 7, "b": 1, "c": 1, "d": 1},
    }
    pattern = RoomPattern(figures(mixture=EVEN, choices=choices), SCENARIOS)
    chosen = chosen_shares(pattern)
    assert chosen is not None and sum(chosen.values()) == pytest.approx(1)
    assert chosen[Motive.OUTGROUP] > 0.4
    assert SaidDiffersFromChosen().holds(pattern)
    assert "said_and_chosen" in keys(pattern)
    assert not SaidDiffersFromChosen().holds(RoomPattern(figures(mixture=EVEN), SCENARIOS))


def test_rules_are_plain_data():
    assert Always().holds(RoomPattern(None, {}))
    assert not RoomLeans(Motive.MORALITY).holds(RoomPattern(None, {}))
    assert not RoomChose(frozenset({Behaviour.PUBLIC}), 0.1).holds(RoomPattern(figures(), {}))
