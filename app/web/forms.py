"""Form behaviour shared by every audience."""

from __future__ import annotations

import re

from flask import request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm

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
