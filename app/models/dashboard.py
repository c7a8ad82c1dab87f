"""The organizer dashboards' roll-up, their logged sets and shown pages, and the DP ledger.

Released figures themselves live in ``release`` (surface 'dashboard'), in the
same log as the rooms' releases, so that one minimum-difference rule covers both.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    SmallInteger,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db


class DashboardMember(db.Model):
    """One take as the organization's dashboards count it: its coarse attributes and scores.

    A take enters when it is finished with the organization box ticked, has a
    mixture, and its workshop (if any) is closed; it is replaced when a later take of
    the same person enters. Rows are never rewritten, except that ``replaced`` is set
    once: so the members of a set released at epoch ``e`` are exactly the rows
    with ``entered <= e`` and no ``replaced`` at or before ``e`` that meet its
    conditions, plus those deleted since. Deleting the take deletes the row.
    """

    __tablename__ = "dashboard_member"
    __table_args__ = (
        CheckConstraint("replaced IS NULL OR replaced > entered", name="replaced_after_entering"),
        CheckConstraint(
            "share_outgroup BETWEEN 0 AND 1 AND share_ingroup BETWEEN 0 AND 1 "
            "AND share_personal BETWEEN 0 AND 1 AND share_morality BETWEEN 0 AND 1",
            name="shares_in_unit",
        ),
        CheckConstraint(
            "lean_help IN (-1, 0, 1) AND lean_action IN (-1, 0, 1) "
            "AND lean_visibility IN (-1, 0, 1) AND lean_ally IN (-1, 0, 1)",
            name="leanings_are_signs",
        ),
        Index("ix_dashboard_member_current", "organization_id", "replaced"),
        Index("ix_dashboard_member_entered", "organization_id", "entered"),
    )

    #: The take counted; deleting it deletes this row (and so the person leaves every later set).
    take_id: Mapped[int] = mapped_column(
        ForeignKey("take.id", ondelete="CASCADE"), primary_key=True
    )
    #: The organization whose figures count it.
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id", ondelete="CASCADE"))
    #: Whose take it is: a person is counted once, with their latest take.
    respondent_id: Mapped[int] = mapped_column(
        ForeignKey("respondent.id", ondelete="CASCADE"), index=True
    )
    #: The organization's epoch at which the take entered, and at which a later take replaced it.
    entered: Mapped[int]
    replaced: Mapped[int | None]
    #: Coarse attributes, copied once: cause preset key or 'custom', quarter as year * 10 + q,
    #: interface language, workshop id (0 for none; no foreign key, so that a set's
    #: definition never changes under it).
    cause: Mapped[str] = mapped_column(String(32))
    quarter: Mapped[int]
    locale: Mapped[str] = mapped_column(String(8))
    workshop_id: Mapped[int]
    #: The mixture: each motive's share (they add up to 1).
    share_outgroup: Mapped[float] = mapped_column(Float)
    share_ingroup: Mapped[float] = mapped_column(Float)
    share_personal: Mapped[float] = mapped_column(Float)
    share_morality: Mapped[float] = mapped_column(Float)
    #: Which side of each pair of behaviours the choices lean to: 1 first, -1 second, 0 neither.
    lean_help: Mapped[int] = mapped_column(SmallInteger)
    lean_action: Mapped[int] = mapped_column(SmallInteger)
    lean_visibility: Mapped[int] = mapped_column(SmallInteger)
    lean_ally: Mapped[int] = mapped_column(SmallInteger)
    #: Every core item answered (the instrument-quality figures use only such takes).
    complete: Mapped[bool] = mapped_column(Boolean)


class DashboardState(db.Model):
    """An organization's roll-up epoch and the filter categories decided at the last update."""

    __tablename__ = "dashboard_state"
    __table_args__ = (CheckConstraint("epoch >= 0", name="epoch_not_negative"),)

    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE"), primary_key=True
    )
    #: Raised by one each time a sync looks at takes no sync has looked at (they may enter
    #: the roll-up, and replace rows in it, only then).
    epoch: Mapped[int]
    #: ``app.domain.privacy.Categories.to_json``: the cells each dimension has.
    categories: Mapped[dict[str, Any]] = mapped_column(JSON)
    #: Day of the last update.
    updated_on: Mapped[dt.date]
    #: The epoch at which the stored cube (``DashboardCell``) was brought up to date, and how
    #: many current roll-up rows it adds up; None before the first update.
    cube_epoch: Mapped[int | None]
    cube_members: Mapped[int | None]


class DashboardCell(db.Model):
    """One cell of an organization's stored cube: the current roll-up rows of one group, summed.

    Every figure of an update is folded from the cube. An update brings the stored
    cube forward by the rows that entered the roll-up or were replaced since its
    epoch, so its work grows with what changed, not with the takes counted. Rows
    leave the roll-up otherwise only when a take is deleted, and the deletion drops
    the organization's cells in the same transaction (``dashboards.drop_cubes``): a
    group of one holds that person's shares. Should a deletion reach the roll-up
    another way, it holds fewer current rows than the cube adds up
    (``DashboardState.cube_members``), and the next update adds the cube up afresh.
    """

    __tablename__ = "dashboard_cell"

    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE"), primary_key=True
    )
    #: The group: the roll-up's coarse attributes (``DashboardMember``) and completeness.
    cause: Mapped[str] = mapped_column(String(32), primary_key=True)
    quarter: Mapped[int] = mapped_column(primary_key=True)
    locale: Mapped[str] = mapped_column(String(8), primary_key=True)
    workshop_id: Mapped[int] = mapped_column(primary_key=True)
    complete: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    #: ``app.domain.privacy.Tally.to_json``: the group's count and sums.
    tally: Mapped[list[Any]] = mapped_column(JSON)


class DashboardSet(db.Model):
    """The definition of a set behind a dashboard release: conditions and epoch, not a list.

    Its members are the roll-up rows that met ``conditions`` at ``epoch``
    (``DashboardMember``); the release's ``n`` counts them as released.
    """

    __tablename__ = "dashboard_set"
    __table_args__ = (
        CheckConstraint("kind IN ('figures', 'derived', 'quality')", name="kind"),
        Index("ix_dashboard_set_lookup", "organization_id", "kind", "fingerprint"),
    )

    release_id: Mapped[int] = mapped_column(
        ForeignKey("release.id", ondelete="CASCADE"), primary_key=True
    )
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id", ondelete="CASCADE"))
    #: figures (shown), derived (the hidden cells of a breakdown, which can be worked out),
    #: quality (instrument quality figures).
    kind: Mapped[str] = mapped_column(String(16))
    #: ``app.domain.privacy.Predicate.to_json``.
    conditions: Mapped[dict[str, Any]] = mapped_column(JSON)
    epoch: Mapped[int]
    #: ``app.domain.privacy.Tally.fingerprint``: equal sets have equal fingerprints.
    fingerprint: Mapped[str] = mapped_column(String(64))


class DashboardView(db.Model):
    """A dashboard page exactly as released for one choice of filters; shown until replaced."""

    __tablename__ = "dashboard_view"
    __table_args__ = (
        CheckConstraint("kind IN ('dashboard', 'quality')", name="kind"),
        Index("ix_dashboard_view_lookup", "organization_id", "kind", "context", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id", ondelete="CASCADE"))
    #: dashboard or quality.
    kind: Mapped[str] = mapped_column(String(16))
    #: The filters (``app.domain.privacy.Filters.key``); empty for the whole organization.
    context: Mapped[str] = mapped_column(String(200))
    #: The page's figures and notes as shown (``app.services.dashboards``).
    figures: Mapped[dict[str, Any]] = mapped_column(JSON)
    epoch: Mapped[int]
    created_on: Mapped[dt.date]


class PrivacySpend(db.Model):
    """The DP budget ledger: privacy loss spent by an organization, per calendar quarter."""

    __tablename__ = "privacy_spend"
    __table_args__ = (
        CheckConstraint("epsilon > 0", name="epsilon_positive"),
        Index("ix_privacy_spend_quarter", "organization_id", "quarter"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id", ondelete="CASCADE"))
    #: Calendar quarter of the spend, such as 2026-Q4.
    quarter: Mapped[str] = mapped_column(String(7))
    epsilon: Mapped[float] = mapped_column(Float)
    #: The page whose release spent it.
    view_id: Mapped[int | None] = mapped_column(
        ForeignKey("dashboard_view.id", ondelete="SET NULL")
    )
    created_on: Mapped[dt.date]
