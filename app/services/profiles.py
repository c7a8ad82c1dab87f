"""What a volunteer's profile page shows: the latest take, guidance, and history."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.domain.guidance import GuidanceContext, Practice, select_practices
from app.domain.instrument import MOTIVES, Citation, Motive
from app.domain.scoring import Profile, ScaleScore, score_scales
from app.instruments import CURRENT, PRACTICES, REFLECTION_PROMPTS
from app.instruments import deeper_v1 as deeper_data
from app.models import Respondent, Take
from app.services import reading, takes
from app.services.reliability import Precision, precision

#: A change in share this large between two takes is named on the profile.
MOVE = 0.05


@dataclass(frozen=True)
class Earlier:
    """One finished take's mixture, for the history of change."""

    finished_on: dt.date
    shares: dict[Motive, float] | None


@dataclass(frozen=True)
class Antecedent:
    """One construct of the deeper module, as the person answered it."""

    key: str
    name: str
    score: ScaleScore
    explain: str
    cite: Citation
    sensitive: bool


@dataclass(frozen=True)
class Deeper:
    """Where the person stands with the optional deeper module."""

    #: "offer" (not opened), "open" (pages left) or "done".
    status: str
    next_page: str | None
    by_motive: tuple[tuple[Motive, tuple[Antecedent, ...]], ...]


@dataclass(frozen=True)
class ProfileView:
    latest: Take | None
    open_take: Take | None
    profile: Profile | None
    practices: tuple[Practice, ...]
    prompts: tuple[str, ...]
    history: tuple[Earlier, ...]
    names: dict[Motive, str]
    deeper: Deeper | None = None
    precision: dict[Motive, Precision] | None = None

    @property
    def moves(self) -> list[tuple[Motive, float, float]]:
        """Motives whose share moved by at least 5 points since the previous take."""
        complete = [e for e in self.history if e.shares]
        if len(complete) < 2:
            return []
        before, after = complete[-2].shares, complete[-1].shares
        return [(m, before[m], after[m]) for m in MOTIVES if abs(after[m] - before[m]) >= MOVE]

    @property
    def said_bars(self) -> dict[Motive, float]:
        """The mixture's shares, the largest first: the order of both sets of bars."""
        mixture = self.profile.mixture if self.profile else None
        if mixture is None:
            return {}
        return {m: mixture.shares[m] for m in mixture.ordered()}

    @property
    def chosen_bars(self) -> dict[Motive, float]:
        """What the choices suggest, in the order of the mixture's bars."""
        chosen = self.profile.chosen.shares if self.profile else None
        if chosen is None:
            return {}
        return {m: chosen[m] for m in (self.said_bars or MOTIVES)}

    @property
    def previous(self) -> Earlier | None:
        complete = [e for e in self.history if e.shares]
        return complete[-2] if len(complete) >= 2 else None


def view(respondent: Respondent) -> ProfileView:
    """Assemble the profile page of ``respondent`` from their stored takes."""
    return reading(lambda: _view(respondent))


def _view(respondent: Respondent) -> ProfileView:
    finished = takes.finished_takes(respondent)
    open_take = takes.open_take(respondent)
    if not finished:
        return ProfileView(None, open_take, None, (), (), (), _names())
    latest = finished[-1]
    responses = takes.responses_of(latest)
    profile = takes.profile_of(latest, responses)
    shares = profile.mixture.shares if profile.mixture else None
    practices = select_practices(PRACTICES, GuidanceContext(shares, profile.chosen.tags))
    return ProfileView(
        latest=latest,
        open_take=open_take,
        profile=profile,
        practices=practices,
        prompts=_prompts(profile),
        # The latest take's mixture was just worked out: reading its stored results
        # back as well cost a query on every view of the page.
        history=(*(_earlier(t) for t in finished[:-1]), Earlier(latest.finished_on, shares)),
        names=_names(),
        deeper=_deeper(latest, profile, responses),
        precision=precision(takes.instrument_of(latest)),
    )


def _deeper(take: Take, profile: Profile, responses: takes.Responses) -> Deeper:
    instrument = takes.deeper_instrument(take)
    if instrument is None:
        return Deeper("offer" if takes.offers_deeper(take) else "none", None, ())
    next_page = takes.deeper_next_page(take)
    scores = score_scales(instrument, responses.answers_to(instrument))
    order = profile.mixture.ordered() if profile.mixture else list(MOTIVES)
    by_motive = []
    for motive in order:
        linked = tuple(
            Antecedent(
                key=scale.key,
                name=scale.name,
                score=scores[scale.key],
                explain=deeper_data.EXPLAIN[scale.key],
                cite=deeper_data.EXPLAIN_CITES[scale.key],
                sensitive=scale.sensitive,
            )
            for scale in instrument.scales
            if motive in deeper_data.LINKS[scale.key]
        )
        if linked:
            by_motive.append((motive, linked))
    return Deeper("open" if next_page else "done", next_page, tuple(by_motive))


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
