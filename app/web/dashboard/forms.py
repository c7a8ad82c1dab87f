"""The organizer's filter form: one group of radio buttons per coarse dimension."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField

from app.domain.privacy import DIMENSIONS, Dimension
from app.web.forms import StrictForm


class FilterForm(StrictForm):
    """Filters for a dashboard page; an empty value means "all".

    The values are not checked here: the service checks them against the
    organization's own categories (anything else is "not found"), and refuses
    more than two at once.
    """

    quarter = RadioField(_l("Quarter"), choices=[], validate_choice=False, default="")
    cause = RadioField(_l("Cause"), choices=[], validate_choice=False, default="")
    language = RadioField(_l("Language"), choices=[], validate_choice=False, default="")
    workshop = RadioField(_l("Workshop"), choices=[], validate_choice=False, default="")

    def chosen(self) -> dict[str, str]:
        return {str(d): (self[str(d)].data or "") for d in DIMENSIONS}


def filter_values(args) -> dict[str, str]:
    """The filters in a page's address; other parameters (such as ``lang``) are not filters."""
    return {str(d): args.get(str(d), "") for d in Dimension}
