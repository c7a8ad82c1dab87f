"""An organization: the tenant whose staff and aggregates belong together."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db


class Organization(db.Model):
    """A movement organization using the app; staff and aggregates never cross it."""

    __tablename__ = "organization"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Short unique name used on the command line (``create-org``).
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    #: Display name, entered by staff: always escaped, never trusted.
    name: Mapped[str] = mapped_column(String(200))
    #: Day the organization was created.
    created_on: Mapped[dt.date]
