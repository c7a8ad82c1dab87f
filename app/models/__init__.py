"""Persistence only: typed SQLAlchemy models, one module per aggregate."""

from app.models.organization import Organization
from app.models.respondent import Respondent
from app.models.take import Answer, Choice, ScaleResult, Take

__all__ = ["Answer", "Choice", "Organization", "Respondent", "ScaleResult", "Take"]
