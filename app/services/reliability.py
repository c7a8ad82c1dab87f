"""How precisely each core scale measures, from the answers the app holds.

The uncertainty band of a profile is ``mean ± 1.96 · SD · sqrt(1 − reliability)``.
Until ``RELIABILITY_MIN_TAKES`` complete takes exist (every item of the scale
answered), the conservative defaults of ``app.domain.scoring`` are used: a
reliability of 0.70 and an SD of 1.25. From then on Cronbach's alpha and the SD
of the scale means are estimated from the whole database, with two aggregate
queries per scale (never by loading answers one by one), and kept for a few
minutes per process.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import case, func, select

from app.domain.instrument import MOTIVES, Instrument, Motive
from app.domain.psychometrics import UnusableData, alpha_from_variances
from app.domain.scoring import DEFAULT_RELIABILITY, DEFAULT_SD
from app.extensions import db
from app.models import Answer, Take

#: Seconds an estimate is reused before the database is asked again.
CACHE_SECONDS = 600
_cache: dict[tuple[str, str, int], tuple[float, dict[Motive, Precision]]] = {}


@dataclass(frozen=True)
class Precision:
    """The reliability and SD used for one scale's band, and where they come from."""

    reliability: float
    sd: float
    n: int
    estimated: bool


def precision(instrument: Instrument) -> dict[Motive, Precision]:
    """Each motive scale's reliability and SD: estimated when enough takes exist."""
    minimum = int(current_app.config.get("RELIABILITY_MIN_TAKES", 200))
    key = (str(db.engine.url), f"{instrument.key}:{instrument.version}", minimum)
    cached = _cache.get(key)
    if cached and time.monotonic() - cached[0] < CACHE_SECONDS:
        return cached[1]
    result = {m: _estimate(instrument, m, minimum) for m in MOTIVES}
    _cache[key] = (time.monotonic(), result)
    return result


def forget() -> None:
    """Drop cached estimates (after seeding, in tests)."""
    _cache.clear()


def _estimate(instrument: Instrument, motive: Motive, minimum: int) -> Precision:
    items = instrument.items_of(instrument.motive_scale(motive).key)
    keys = [item.key for item in items]
    reverse = [item.key for item in items if item.reverse]
    rs = instrument.response_scale
    complete = (
        select(Answer.take_id)
        .join(Take, Take.id == Answer.take_id)
        .where(
            Take.state == "finished",
            Take.instrument_key == instrument.key,
            Take.instrument_version == instrument.version,
            Answer.item_key.in_(keys),
        )
        .group_by(Answer.take_id)
        .having(func.count() == len(keys))
        .subquery()
    )
    per_item = db.session.execute(
        select(
            Answer.item_key,
            func.count(),
            func.sum(Answer.value),
            func.sum(Answer.value * Answer.value),
        )
        .join(complete, complete.c.take_id == Answer.take_id)
        .where(Answer.item_key.in_(keys))
        .group_by(Answer.item_key)
    ).all()
    scored = case(
        (Answer.item_key.in_(reverse), rs.floor + rs.ceiling - Answer.value),
        else_=Answer.value,
    )
    totals = (
        select(func.sum(scored).label("total"))
        .join(complete, complete.c.take_id == Answer.take_id)
        .where(Answer.item_key.in_(keys))
        .group_by(Answer.take_id)
        .subquery()
    )
    n, s1, s2 = db.session.execute(
        select(func.count(), func.sum(totals.c.total), func.sum(totals.c.total * totals.c.total))
    ).one()
    if not n or n < minimum:
        return Precision(DEFAULT_RELIABILITY, DEFAULT_SD, int(n or 0), estimated=False)
    try:
        alpha = alpha_from_variances(
            [_variance(count, a, b) for _, count, a, b in per_item], _variance(n, s1, s2)
        )
    except UnusableData:
        return Precision(DEFAULT_RELIABILITY, DEFAULT_SD, int(n), estimated=False)
    sd = math.sqrt(_variance(n, s1, s2)) / len(keys)
    return Precision(min(max(alpha, 0.0), 1.0), sd, int(n), estimated=True)


def _variance(n: int, total: float, squares: float) -> float:
    """Sample variance from a count, a sum and a sum of squares."""
    n, total, squares = int(n), float(total), float(squares)
    return (squares - total * total / n) / (n - 1) if n > 1 else 0.0
