"""Persistence only: typed SQLAlchemy models, one module per aggregate."""

from app.models.account import Account, Role
from app.models.dashboard import (
    DashboardCell,
    DashboardMember,
    DashboardSet,
    DashboardState,
    DashboardView,
    PrivacySpend,
)
from app.models.organization import Organization
from app.models.respondent import Respondent
from app.models.take import Answer, Choice, ScaleResult, Take
from app.models.workshop import Release, ReleaseTake, Workshop

__all__ = [
    "Account",
    "Answer",
    "Choice",
    "DashboardCell",
    "DashboardMember",
    "DashboardSet",
    "DashboardState",
    "DashboardView",
    "Organization",
    "PrivacySpend",
    "Release",
    "ReleaseTake",
    "Respondent",
    "Role",
    "ScaleResult",
    "Take",
    "Workshop",
]
