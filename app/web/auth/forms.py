"""Staff sign-in."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Length

from app.web.forms import StrictForm


class LogInForm(StrictForm):
    email = StringField(
        _l("Email"), validators=[DataRequired(_l("Enter your email.")), Length(max=254)]
    )
    password = PasswordField(
        _l("Password"), validators=[DataRequired(_l("Enter your password.")), Length(max=128)]
    )
    #: Where to go after signing in; only a path on this site is followed.
    next = HiddenField()


class LogOutForm(StrictForm):
    """Signing out is a button with a CSRF token."""
