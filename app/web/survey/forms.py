"""Volunteer forms; questionnaire pages are generated from the instrument."""

from __future__ import annotations

from functools import cache

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, Field, HiddenField
from wtforms.validators import DataRequired, ValidationError

from app.domain.instrument import Instrument, Scenario
from app.instruments import PRESETS
from app.web.forms import StrictForm


class ChoiceField(Field):
    """One answer among fixed values; rendered by our own macros, validated here.

    Stock widget rendering costs most of a page's time (shared/BUDGETS.md), so
    templates draw the inputs and this field only parses and checks.
    """

    def __init__(self, label=None, values=(), coerce=str, required=False, **kwargs):
        super().__init__(label, **kwargs)
        self.values = tuple(values)
        self.coerce = coerce
        self.required = required

    def process_formdata(self, valuelist):
        self.raw_data = valuelist
        if not valuelist or valuelist[0] == "":
            self.data = None
            return
        try:
            self.data = self.coerce(valuelist[0])
        except ValueError:
            self.data = None
            raise ValueError(_l("Please choose one of the answers shown.")) from None

    def pre_validate(self, form):
        if self.data is None:
            if self.required:
                raise ValidationError(_l("Please choose one of the answers shown."))
            return
        if self.data not in self.values:
            raise ValidationError(_l("Please choose one of the answers shown."))


class ConsentForm(StrictForm):
    nonce = HiddenField()
    profile = BooleanField(
        _l("Keep my answers so that I can see my profile through my private link."),
        validators=[
            DataRequired(_l("Your profile needs this box: without it nothing can be kept."))
        ],
    )
    room = BooleanField(
        _l(
            "Count my answers in this workshop's anonymous room figures "
            "(shown only when enough people have taken part)."
        )
    )
    org = BooleanField(
        _l(
            "Count my answers in the organization's anonymous figures "
            "(only in groups of 10 or more people)."
        )
    )


class CauseForm(StrictForm):
    cause = ChoiceField(values=[p.key for p in PRESETS], required=True)


class PageFormBase(StrictForm):
    #: Set after a first submission with blanks: a second Continue skips them.
    confirm_skip = HiddenField()


@cache
def page_form(instrument: Instrument, page_key: str) -> type[PageFormBase]:
    """Build (once) the form class for one questionnaire page: one field per item."""
    page = next(p for p in instrument.pages if p.key == page_key)
    points = instrument.response_scale.points
    fields = {
        f"item_{item.key}": ChoiceField(values=points, coerce=int)
        for item in instrument.page_items(page)
    }
    return type(f"Page_{page_key}", (PageFormBase,), fields)


@cache
def scenario_form(scenario: Scenario) -> type[StrictForm]:
    """Build (once) the form class for one scenario."""
    return type(
        f"Scenario_{scenario.key}",
        (StrictForm,),
        {"option": ChoiceField(values=[o.key for o in scenario.options])},
    )


class DeleteForm(StrictForm):
    confirm = BooleanField(
        _l("Yes, delete my answers, my profile and my private link. This cannot be undone."),
        validators=[DataRequired(_l("Tick the box to confirm that everything should be deleted."))],
    )


class ButtonForm(StrictForm):
    """A form that is only a button (and its CSRF token)."""
