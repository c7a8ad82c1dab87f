"""A take: one pass through the instrument, its answers, choices and stored scores."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    SmallInteger,
    String,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.respondent import Respondent

if TYPE_CHECKING:
    from app.models.workshop import Workshop

OPEN_TAKE = text("state <> 'finished'")


class Take(db.Model):
    """One pass through an instrument by one respondent."""

    __tablename__ = "take"
    __table_args__ = (
        CheckConstraint("state IN ('started', 'answering', 'finished')", name="state"),
        CheckConstraint("reached >= 0", name="reached_not_negative"),
        CheckConstraint("deeper_reached >= 0", name="deeper_reached_not_negative"),
        CheckConstraint("consent_profile", name="profile_consent_required"),
        # A person has at most one unfinished take, so a double tap on "start"
        # or "retake" cannot create two.
        Index(
            "uq_take_one_open_per_respondent",
            "respondent_id",
            unique=True,
            sqlite_where=OPEN_TAKE,
            postgresql_where=OPEN_TAKE,
        ),
        # The takes an organization's dashboard sync has still to look at: a short range
        # of this index, however many takes the organization has counted already.
        Index("ix_take_dashboard_epoch", "organization_id", "dashboard_epoch", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Whose take this is; deleting the respondent deletes the take.
    respondent_id: Mapped[int] = mapped_column(
        ForeignKey("respondent.id", ondelete="CASCADE"), index=True
    )
    #: The organization whose anonymous aggregates may count this take (if consented).
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organization.id", ondelete="SET NULL"), index=True
    )
    #: The workshop the person joined by code, if any; its room counts the take only
    #: with ``consent_room``.
    workshop_id: Mapped[int | None] = mapped_column(
        ForeignKey("workshop.id", ondelete="SET NULL"), index=True
    )
    #: Which instrument and version the answers belong to.
    instrument_key: Mapped[str] = mapped_column(String(32))
    instrument_version: Mapped[int]
    #: Version of the optional "go deeper" instrument, once the person opens it.
    deeper_version: Mapped[int | None]
    #: How many pages of the deeper module have been submitted at least once.
    deeper_reached: Mapped[int] = mapped_column(SmallInteger, default=0, server_default="0")
    #: Version of the scoring rules that produced the stored scores (set on finish).
    scoring_version: Mapped[int | None]
    #: Lifecycle state, see ``app.domain.take``.
    state: Mapped[str] = mapped_column(String(16), default="started")
    #: How many steps have been submitted at least once.
    reached: Mapped[int] = mapped_column(SmallInteger, default=0)
    #: Cause preset key; None until chosen.
    cause_key: Mapped[str | None] = mapped_column(String(32))
    #: Interface language the take was answered in (for per-language quality checks).
    locale: Mapped[str] = mapped_column(String(8))
    #: Consent per purpose: the private profile (required), the workshop room's
    #: aggregate, the organization's aggregates.
    consent_profile: Mapped[bool] = mapped_column(Boolean)
    consent_room: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_org: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Days, never times: when the take was started and finished.
    started_on: Mapped[dt.date]
    finished_on: Mapped[dt.date | None]
    #: The dashboard epoch at which the organization's roll-up looked at this finished take
    #: (``app.services.dashboards``): it entered then, or never will. None until then.
    dashboard_epoch: Mapped[int | None]

    respondent: Mapped[Respondent] = relationship(back_populates="takes")
    workshop: Mapped[Workshop | None] = relationship()
    answers: Mapped[list[Answer]] = relationship(cascade="all, delete-orphan", passive_deletes=True)
    choices: Mapped[list[Choice]] = relationship(cascade="all, delete-orphan", passive_deletes=True)
    results: Mapped[list[ScaleResult]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def finished(self) -> bool:
        return self.state == "finished"


class Answer(db.Model):
    """One rating of one item in one take."""

    __tablename__ = "answer"
    __table_args__ = (CheckConstraint("value BETWEEN 1 AND 7", name="value_on_scale"),)

    take_id: Mapped[int] = mapped_column(
        ForeignKey("take.id", ondelete="CASCADE"), primary_key=True
    )
    #: Stable item key of the take's instrument version.
    item_key: Mapped[str] = mapped_column(String(32), primary_key=True)
    #: The point chosen on the response scale, before any reverse keying.
    value: Mapped[int] = mapped_column(SmallInteger)


class Choice(db.Model):
    """The option chosen in one scenario of one take; the first choice counts."""

    __tablename__ = "choice"

    take_id: Mapped[int] = mapped_column(
        ForeignKey("take.id", ondelete="CASCADE"), primary_key=True
    )
    scenario_key: Mapped[str] = mapped_column(String(32), primary_key=True)
    option_key: Mapped[str] = mapped_column(String(8))


class ScaleResult(db.Model):
    """A finished take's score on one motive, stored for aggregates and history."""

    __tablename__ = "scale_result"
    __table_args__ = (
        CheckConstraint("mean IS NULL OR mean BETWEEN 1 AND 7", name="mean_on_scale"),
        CheckConstraint("share IS NULL OR share BETWEEN 0 AND 1", name="share_in_unit"),
    )

    take_id: Mapped[int] = mapped_column(
        ForeignKey("take.id", ondelete="CASCADE"), primary_key=True
    )
    #: Motive scale key (outgroup, ingroup, personal, morality).
    scale_key: Mapped[str] = mapped_column(String(32), primary_key=True)
    #: Scale mean on the 1-7 scale; None when too few items were answered.
    mean: Mapped[float | None] = mapped_column(Float)
    #: Share of the mixture; None when the mixture could not be computed.
    share: Mapped[float | None] = mapped_column(Float)
