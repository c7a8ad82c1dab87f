"""Form behaviour shared by every audience."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, NamedTuple

from flask import request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.csrf import generate_csrf

#: Control characters nobody types: NUL cannot even be stored in PostgreSQL text.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class StrictForm(FlaskForm):
    """A form that refuses duplicated fields and fields it did not ask for.

    A field sent twice or holding a control character gets an error beside it; an
    unknown field gets a message at the top of the form. Either way nothing is
    saved, and what the person entered is shown again.
    """

    #: Names a page may post besides its fields (its submit buttons).
    extra_names: frozenset[str] = frozenset({"action"})

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        self.form_errors = list(self.form_errors)
        if not request or request.method != "POST":
            return ok
        for name in request.form:
            values = request.form.getlist(name)
            field = self._fields.get(name)
            if field is not None and len(values) > 1:
                field.errors = [*field.errors, _l("Please give one answer here, not several.")]
                ok = False
            elif field is not None and name != "csrf_token" and CONTROL.search(values[0]):
                field.errors = [
                    *field.errors,
                    _l("Please remove the control characters from this text."),
                ]
                ok = False
            elif field is None and name not in self.extra_names:
                self.form_errors.append(
                    _l("This page received an answer it did not ask for, so nothing was saved.")
                )
                ok = False
                break
        return ok

    @property
    def csrf_failed(self) -> bool:
        """True when the only trouble may be an expired or missing form token."""
        field = getattr(self, "csrf_token", None)
        return bool(field is not None and field.errors)


class ShownField(NamedTuple):
    """A field as a first view shows it: its name and saved value, no errors."""

    name: str
    data: Any = None
    errors: tuple = ()


class _Token(NamedTuple):
    current_token: str


class FirstView:
    """A form as its template reads it on a page's first view (a GET).

    The saved values, no errors, and the same CSRF token the form would carry.
    Building a WTForms form binds and processes every field only for the template
    to read three attributes of each: an eleventh of a questionnaire page. What
    is posted back is always read by the real form.
    """

    form_errors = ()

    def __init__(self, data: Mapping[str, Any]) -> None:
        self._fields = {name: ShownField(name, value) for name, value in data.items()}
        self.csrf_token = _Token(generate_csrf())

    def __getitem__(self, name: str) -> ShownField:
        return self._fields[name]

    def __getattr__(self, name: str) -> ShownField:
        try:
            return self.__dict__["_fields"][name]
        except KeyError:
            raise AttributeError(name) from None
