"""Staff forms: a workshop, an account, a lifecycle button; and the volunteer's join code."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.domain import room
from app.instruments import PRESETS
from app.services.accounts import MAX_PASSWORD, MIN_PASSWORD
from app.web.forms import StrictForm

CUSTOM = "custom"
#: A room larger than this is a conference, not a workshop; the form stops there.
MAX_K_ROOM = 100


class WorkshopForm(StrictForm):
    title = StringField(
        _l("Title"),
        validators=[DataRequired(_l("Give the workshop a title.")), Length(max=200)],
        description=_l("Shown to you and your organization, not to the people who join."),
    )
    cause = RadioField(
        _l("Cause and groups"),
        choices=[SelectChoice(p.key, _l(p.cause)) for p in PRESETS]
        + [SelectChoice(CUSTOM, _l("Another cause, with groups I name"))],
        default=PRESETS[0].key,
        validators=[InputRequired(_l("Choose a cause."))],
    )
    cause_label = StringField(
        _l("The cause"),
        validators=[Optional(), Length(max=120)],
        description=_l("For example: housing for all"),
    )
    ingroup_label = StringField(
        _l("The group most people in the room belong to"),
        validators=[Optional(), Length(max=120)],
        description=_l("Plural, in lower case: for example, homeowners"),
    )
    outgroup_label = StringField(
        _l("The group the room acts for"),
        validators=[Optional(), Length(max=120)],
        description=_l("Plural, in lower case: for example, people without a home"),
    )
    locale = SelectField(_l("Language"), choices=[])
    deeper = BooleanField(_l("Going deeper: identities, feelings and beliefs (about 10 minutes)"))
    scenarios = BooleanField(_l("Situations from movement life (about 15 minutes)"), default=True)
    k_room = IntegerField(
        _l("Fewest people before the room sees figures"),
        default=room.DEFAULT_K_ROOM,
        validators=[
            InputRequired(_l("Give a number.")),
            NumberRange(
                min=room.MIN_K_ROOM,
                max=MAX_K_ROOM,
                message=_l("Give a number from %(min)s to %(max)s."),
            ),
        ],
        description=_l("At least 5. A larger number protects people better in a large room."),
    )

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.cause.data == CUSTOM:
            for field in (self.cause_label, self.ingroup_label, self.outgroup_label):
                if not (field.data or "").strip():
                    field.errors = [*field.errors, _l("Fill this in for a cause of your own.")]
                    ok = False
        return ok


class AccountForm(StrictForm):
    name = StringField(_l("Name"), validators=[DataRequired(_l("Give a name.")), Length(max=120)])
    email = StringField(
        _l("Email"), validators=[DataRequired(_l("Give an email.")), Length(max=254)]
    )
    password = PasswordField(
        _l("First password"),
        validators=[
            DataRequired(_l("Give a first password.")),
            Length(
                min=MIN_PASSWORD,
                max=MAX_PASSWORD,
                message=_l("Use %(min)s to %(max)s characters."),
            ),
        ],
        description=_l("Give it to the person yourself, not by email."),
    )
    facilitator = BooleanField(_l("Facilitator: runs workshops"))
    organizer = BooleanField(_l("Organizer: manages the organization's workshops and staff"))

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if not (self.facilitator.data or self.organizer.data):
            self.facilitator.errors = [*self.facilitator.errors, _l("Choose at least one role.")]
            ok = False
        return ok


class ButtonForm(StrictForm):
    """A form that is only a button (and its CSRF token)."""


class JoinForm(StrictForm):
    code = StringField(
        _l("Code"),
        validators=[DataRequired(_l("Type the code shown in the room.")), Length(max=24)],
        description=_l("Six letters and digits, for example ABC 234."),
    )
