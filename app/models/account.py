"""Staff accounts: facilitators and organizers of one organization. Volunteers have none."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import Boolean, CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db

if TYPE_CHECKING:
    from app.models.organization import Organization


class Role(StrEnum):
    """What an account may do; one account can hold both roles."""

    FACILITATOR = "facilitator"
    ORGANIZER = "organizer"


class Account(UserMixin, db.Model):
    """A person on an organization's staff who signs in with an email and a password."""

    __tablename__ = "account"
    __table_args__ = (
        CheckConstraint("is_facilitator OR is_organizer", name="has_a_role"),
        CheckConstraint("email = lower(email)", name="email_lower_case"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The organization the account works for; staff never see another organization.
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE"), index=True
    )
    #: Sign-in name, stored in lower case; unique across organizations.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    #: Display name, entered by staff: always escaped, never trusted.
    name: Mapped[str] = mapped_column(String(120))
    #: Password hash from werkzeug.security (scrypt by default); never the password.
    password_hash: Mapped[str] = mapped_column(String(255))
    #: Runs workshops: creates them, shows the join code, sees its own rooms.
    is_facilitator: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Manages the organization: its workshops and its staff accounts.
    is_organizer: Mapped[bool] = mapped_column(Boolean, default=False)
    #: A deactivated account cannot sign in; its workshops stay with the organization.
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: Day the account was made.
    created_on: Mapped[dt.date]

    organization: Mapped[Organization] = relationship()

    @property
    def is_active(self) -> bool:  # Flask-Login refuses to sign in inactive accounts
        return bool(self.active)

    def has_role(self, role: Role | str) -> bool:
        return {
            Role.FACILITATOR: bool(self.is_facilitator),
            Role.ORGANIZER: bool(self.is_organizer),
        }[Role(role)]

    @property
    def roles(self) -> tuple[Role, ...]:
        return tuple(role for role in Role if self.has_role(role))
