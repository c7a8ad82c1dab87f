"""The generated instrument documentation: complete, committed, and deterministic."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.domain.instrument import Behaviour
from app.instruments.causes import PRESETS
from app.instruments.core_v1 import CORE
from app.instruments.deeper_v1 import DEEPER
from app.instruments.document import render
from app.instruments.guidance_v1 import PRACTICES

DOC = Path(__file__).resolve().parent.parent / "docs" / "instrument.md"


@pytest.fixture(scope="module")
def text() -> str:
    return render()


def keys_to_mention():
    for instrument in (CORE, DEEPER):
        for scale in instrument.scales:
            yield f"`{scale.key}`"
        for item in instrument.items:
            yield f"`{item.key}`"
        for page in instrument.pages:
            yield f"| {page.key} |"
    for scenario in CORE.scenarios:
        yield f"`{scenario.key}`"
        for option in scenario.options:
            yield f"`{scenario.key}.{option.key}`"
    for practice in PRACTICES:
        yield f"`{practice.key}`"
    for tag in Behaviour:
        yield f"`{tag}`"
    for preset in PRESETS:
        yield f"`{preset.key}`"
        yield f"| {preset.cause} | {preset.ingroup} | {preset.outgroup} |"


def test_every_key_tag_and_preset_is_documented(text):
    missing = [key for key in keys_to_mention() if key not in text]
    assert not missing, f"not in the documentation: {missing}"


def test_the_committed_file_is_current(text):
    committed = DOC.read_text(encoding="utf-8") if DOC.exists() else ""
    assert committed == text, "docs/instrument.md is stale: run `flask --app app instruments doc`"


def test_rendering_is_deterministic(text):
    assert render() == text
    assert text.endswith("\n") and not text.endswith("\n\n")
