"""A workshop, and the log of figures released from it (and from dashboards)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    SmallInteger,
    String,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.account import Account

CUSTOM_OR_PRESET = text(
    "(cause_key IS NOT NULL AND cause_label IS NULL AND ingroup_label IS NULL "
    "AND outgroup_label IS NULL) OR (cause_key IS NULL AND cause_label IS NOT NULL "
    "AND ingroup_label IS NOT NULL AND outgroup_label IS NOT NULL)"
)


class Workshop(db.Model):
    """One session with a room of volunteers, run by a facilitator of an organization."""

    __tablename__ = "workshop"
    __table_args__ = (
        CheckConstraint("state IN ('created', 'open', 'round_closed', 'closed')", name="state"),
        CheckConstraint("k_room >= 5", name="k_room_at_least_5"),
        CheckConstraint("round BETWEEN 1 AND 2", name="round_1_or_2"),
        CheckConstraint(CUSTOM_OR_PRESET, name="preset_or_custom_labels"),
        CheckConstraint("state <> 'closed' OR join_code IS NULL", name="closed_has_no_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The organization the workshop belongs to; its organizers may manage it.
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE"), index=True
    )
    #: The facilitator who runs it; only they see its room. None once the account is gone.
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("account.id", ondelete="SET NULL"), index=True
    )
    #: Title entered by the facilitator: always escaped, never trusted.
    title: Mapped[str] = mapped_column(String(200))
    #: Cause preset key, or None when the facilitator gave labels of their own.
    cause_key: Mapped[str | None] = mapped_column(String(32))
    #: Custom cause and group labels (all three, or none): escaped everywhere.
    cause_label: Mapped[str | None] = mapped_column(String(120))
    ingroup_label: Mapped[str | None] = mapped_column(String(120))
    outgroup_label: Mapped[str | None] = mapped_column(String(120))
    #: Interface language offered to volunteers who join.
    locale: Mapped[str] = mapped_column(String(8))
    #: Optional modules; the core questionnaire is always part of a workshop.
    with_deeper: Mapped[bool] = mapped_column(Boolean, default=False)
    with_scenarios: Mapped[bool] = mapped_column(Boolean, default=True)
    #: The room sees figures only from this many counted people on (never below 5).
    k_room: Mapped[int] = mapped_column(SmallInteger, default=5)
    #: Lifecycle state, see ``app.domain.workshop``.
    state: Mapped[str] = mapped_column(String(16), default="created")
    #: The round running or last run (1, or 2 after a reopening).
    round: Mapped[int] = mapped_column(SmallInteger, default=1)
    #: Six characters to join with; None once the workshop is closed.
    join_code: Mapped[str | None] = mapped_column(String(6), unique=True)
    #: Days, never times.
    created_on: Mapped[dt.date]
    closed_on: Mapped[dt.date | None]

    owner: Mapped[Account | None] = relationship()


class Release(db.Model):
    """Figures shown to someone, stored exactly as shown, with the set of takes behind them.

    The figures never change after release. The membership list lets later
    releases keep any two released sets apart by 0 or enough people, and lets a
    deleted person drop out of it (their rows go; the stored figures stay).
    """

    __tablename__ = "release"
    __table_args__ = (
        CheckConstraint("surface IN ('room', 'dashboard')", name="surface"),
        CheckConstraint("n >= 0", name="n_not_negative"),
        Index("ix_release_workshop_surface", "workshop_id", "surface", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Whose figures these are.
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE"), index=True
    )
    #: The workshop whose room saw them (room releases only).
    workshop_id: Mapped[int | None] = mapped_column(ForeignKey("workshop.id", ondelete="SET NULL"))
    #: Where they were shown: a workshop room or an organizer dashboard.
    surface: Mapped[str] = mapped_column(String(16))
    #: The workshop round that was closed (room releases only).
    round: Mapped[int | None] = mapped_column(SmallInteger)
    #: How many people the figures describe.
    n: Mapped[int]
    #: The aggregate exactly as shown (``app.domain.room.RoomFigures.to_json``).
    figures: Mapped[dict[str, Any]] = mapped_column(JSON)
    #: Day of release.
    created_on: Mapped[dt.date]

    workshop: Mapped[Workshop | None] = relationship()


class ReleaseTake(db.Model):
    """One take in the set behind a release; deleting the take deletes this row only."""

    __tablename__ = "release_take"

    release_id: Mapped[int] = mapped_column(
        ForeignKey("release.id", ondelete="CASCADE"), primary_key=True
    )
    take_id: Mapped[int] = mapped_column(
        ForeignKey("take.id", ondelete="CASCADE"), primary_key=True, index=True
    )
