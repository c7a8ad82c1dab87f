"""Cause presets: the cause and the two groups that fill ``{cause}``, ``{ingroup}``, ``{outgroup}``.

Labels are plural noun phrases in lower case (except proper adjectives such as
"White") so that they read naturally inside a sentence: "I support changes that
help {outgroup}, even at a cost to {ingroup}." Keys are stable identifiers and
are not translated; every label is a message id marked with ``N_``.

The groups follow the paper's own examples of advantaged group members acting for
disadvantaged groups (Radke et al., 2020, lines 44-56 and 198-223).
"""

from __future__ import annotations

from app.domain.i18n import N_
from app.domain.instrument import CausePreset

PRESETS: tuple[CausePreset, ...] = (
    CausePreset(
        key="gender",
        cause=N_("gender equality"),
        ingroup=N_("men"),
        outgroup=N_("women"),
    ),
    CausePreset(
        key="race",
        cause=N_("racial justice"),
        ingroup=N_("White people"),
        outgroup=N_("people of colour"),
    ),
    CausePreset(
        key="refugees",
        cause=N_("refugee rights"),
        ingroup=N_("citizens of this country"),
        outgroup=N_("refugees"),
    ),
    CausePreset(
        key="lgbtiq",
        cause=N_("LGBTIQ rights"),
        ingroup=N_("straight and cisgender people"),
        outgroup=N_("LGBTIQ people"),
    ),
    CausePreset(
        key="poverty",
        cause=N_("ending global poverty"),
        ingroup=N_("people in wealthy countries"),
        outgroup=N_("people living in poverty in poorer countries"),
    ),
)


def preset(key: str) -> CausePreset:
    """Return the preset called ``key``; raise ``KeyError`` if there is none."""
    for candidate in PRESETS:
        if candidate.key == key:
            return candidate
    raise KeyError(key)
