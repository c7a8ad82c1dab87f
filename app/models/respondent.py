"""A volunteer, known only by the hash of their private link."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db

if TYPE_CHECKING:
    from app.models.take import Take


class Respondent(db.Model):
    """One person's private space: nothing about them but their takes."""

    __tablename__ = "respondent"
    __table_args__ = (CheckConstraint("length(token_hash) = 64", name="token_hash_length"),)

    #: Surrogate key; never shown and never part of a link.
    id: Mapped[int] = mapped_column(primary_key=True)
    #: SHA-256 (hex) of the private-link token; the token itself is never stored.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: Day the private link was made; a date, never a time (data minimisation).
    created_on: Mapped[dt.date]

    takes: Mapped[list[Take]] = relationship(
        back_populates="respondent",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Take.id",
    )
