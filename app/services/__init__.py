"""The seam between the web and the rest: load rows, call the domain, persist.

Services own the commit. A database that cannot be reached surfaces as
``DatabaseUnavailable``, so that a view can re-render the volunteer's answers
with a friendly 503 instead of losing them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from sqlalchemy.exc import DBAPIError

from app.extensions import db

T = TypeVar("T")


class DatabaseUnavailable(Exception):
    """The database could not be reached or refused the write; nothing was saved."""


@contextmanager
def unit_of_work() -> Iterator[None]:
    """Commit what the block did, or roll it all back; map outages to DatabaseUnavailable."""
    try:
        yield
        db.session.commit()
    except DBAPIError as exc:
        db.session.rollback()
        if exc.connection_invalidated or _is_operational(exc):
            raise DatabaseUnavailable from exc
        raise
    except BaseException:
        db.session.rollback()
        raise


def reading(fn: Callable[[], T]) -> T:
    """Run a read, mapping an unreachable database to DatabaseUnavailable."""
    try:
        return fn()
    except DBAPIError as exc:
        db.session.rollback()
        raise DatabaseUnavailable from exc


def _is_operational(exc: DBAPIError) -> bool:
    from sqlalchemy.exc import InterfaceError, OperationalError

    return isinstance(exc, OperationalError | InterfaceError)
