"""The versioned instrument, scenario, cause and guidance data.

Stored answers name an instrument by key and version; every version that ever
collected answers stays here so that old takes can still be scored.
"""

from __future__ import annotations

from app.domain.instrument import CausePreset, Instrument, check
from app.instruments.causes import PRESETS
from app.instruments.core_v1 import CORE
from app.instruments.deeper_v1 import DEEPER
from app.instruments.guidance_v1 import PRACTICES, REFLECTION_PROMPTS

INSTRUMENTS: dict[tuple[str, int], Instrument] = {
    (CORE.key, CORE.version): CORE,
    (DEEPER.key, DEEPER.version): DEEPER,
}
#: The instrument a new take uses.
CURRENT = CORE
#: The optional module offered after a take is finished.
CURRENT_DEEPER = DEEPER


def get(key: str, version: int) -> Instrument:
    """Return the instrument ``key`` at ``version``; raise KeyError if there is none."""
    return INSTRUMENTS[(key, version)]


def cause(key: str | None) -> CausePreset | None:
    """Return the cause preset called ``key``, or None."""
    return next((p for p in PRESETS if p.key == key), None)


def check_all() -> dict[str, list[str]]:
    """Validate every instrument and the guidance; map each to its problems (empty when sound)."""
    from app.domain.guidance import validate_practices
    from app.domain.instrument import MOTIVES, template_problems, validate

    results = {f"{k} v{v}": validate(i) for (k, v), i in INSTRUMENTS.items()}
    # Answers of both modules share one table, keyed by item key: keys must not collide.
    shared = {i.key for i in CORE.items} & {i.key for i in DEEPER.items}
    if shared:
        results[f"{DEEPER.key} v{DEEPER.version}"].append(
            f"item keys also in core: {sorted(shared)}"
        )
    guidance = validate_practices(PRACTICES)
    for motive in MOTIVES:
        prompts = REFLECTION_PROMPTS.get(motive, ())
        if len(prompts) < 2:
            guidance.append(f"motive {motive}: needs at least 2 reflection prompts")
        for prompt in prompts:
            guidance += template_problems(f"reflection prompt for {motive}", prompt)
    results["guidance v1"] = guidance
    return results


__all__ = [
    "CURRENT",
    "CURRENT_DEEPER",
    "PRACTICES",
    "PRESETS",
    "REFLECTION_PROMPTS",
    "cause",
    "check",
    "get",
]
