"""Retention: takes are kept for a configured number of months, then deleted.

Deleting a take deletes its answers, choices and scale results (ON DELETE
CASCADE); a respondent left without takes is deleted too, so their private
link stops working. Only counts are logged.
"""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import delete, exists, select

from app.extensions import db
from app.models import Respondent, Take
from app.services import dashboards, unit_of_work

log = logging.getLogger(__name__)


def cutoff(today: dt.date, months: int) -> dt.date:
    """The first day that is still kept: ``months`` calendar months before ``today``."""
    if months < 1:
        raise ValueError("retention must be at least one month")
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    month += 1
    day = min(today.day, _days_in(year, month))
    return dt.date(year, month, day)


def _days_in(year: int, month: int) -> int:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return (following - dt.timedelta(days=1)).day


def purge(today: dt.date, months: int) -> tuple[int, int]:
    """Delete takes started before the cutoff and respondents left with none.

    Returns the numbers of takes and respondents deleted; a second run the same
    day deletes nothing.
    """
    first_kept = cutoff(today, months)
    with unit_of_work():
        dashboards.drop_cubes(select(Take.id).where(Take.started_on < first_kept))
        takes = db.session.execute(delete(Take).where(Take.started_on < first_kept)).rowcount
        orphans = db.session.execute(
            delete(Respondent).where(
                ~exists(select(Take.id).where(Take.respondent_id == Respondent.id))
            )
        ).rowcount
    log.info("purge removed %d takes and %d respondents", takes, orphans)
    return takes, orphans
