"""What a volunteer's profile page shows: the latest take, guidance, and history."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.domain.guidance import GuidanceContext, Practice, select_practices
from app.domain.instrument import MOTIVES, Motive
from app.domain.scoring import Profile
from app.instruments import CURRENT, PRACTICES, REFLECTION_PROMPTS
from app.models import Respondent, Take
from app.services import reading, takes


@dataclass(frozen=True)
class Earlier:
    """One finished take's mixture, for the history of change."""

    finished_on: dt.date
    shares: dict[Motive, float] | None


@dataclass(frozen=True)
class ProfileView:
    latest: Take | None
    open_take: Take | None
    profile: Profile | None
    practices: tuple[Practice, ...]
    prompts: tuple[str, ...]
    history: tuple[Earlier, ...]
    names: dict[Motive, str]


def view(respondent: Respondent) -> ProfileView:
    """Assemble the profile page of ``respondent`` from their stored takes."""
    return reading(lambda: _view(respondent))


def _view(respondent: Respondent) -> ProfileView:
    finished = takes.finished_takes(respondent)
    open_take = takes.open_take(respondent)
    if not finished:
        return ProfileView(None, open_take, None, (), (), (), _names())
    latest = finished[-1]
    profile = takes.profile_of(latest)
    shares = profile.mixture.shares if profile.mixture else None
    practices = select_practices(PRACTICES, GuidanceContext(shares, profile.chosen.tags))
    return ProfileView(
        latest=latest,
        open_take=open_take,
        profile=profile,
        practices=practices,
        prompts=_prompts(profile),
        history=tuple(_earlier(t) for t in finished),
        names=_names(),
    )


def _names() -> dict[Motive, str]:
    """Each motive's display name (a message id), from the current instrument."""
    return {m: CURRENT.motive_scale(m).name for m in MOTIVES}


def _prompts(profile: Profile) -> tuple[str, ...]:
    """Two questions for the most emphasised motive, one for the next."""
    order = profile.mixture.ordered() if profile.mixture else list(MOTIVES)
    first, second = REFLECTION_PROMPTS[order[0]], REFLECTION_PROMPTS[order[1]]
    return (*first[:2], *second[:1])


def _earlier(take: Take) -> Earlier:
    shares = {Motive(r.scale_key): r.share for r in take.results if r.share is not None}
    return Earlier(take.finished_on, shares if len(shares) == len(MOTIVES) else None)
