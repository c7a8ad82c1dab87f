"""Translation at request time, with the request's catalog looked up once.

Flask-Babel finds the catalog again on every ``gettext``: three look-ups of its
request context and the locale turned back into a string each time. A
questionnaire page translates some forty strings, and those look-ups were about
a tenth of the page (docs/performance.md). Here the catalog Flask-Babel chose
is kept on ``g`` for the rest of the request; choosing it stays Flask-Babel's
job (``select_locale``), and the app never switches locale within a request.
"""

from __future__ import annotations

from flask import Flask, g, has_app_context
from flask_babel import get_translations


def catalog():
    """This request's translations (Flask-Babel's null catalog outside an app context)."""
    if not has_app_context():
        return get_translations()
    found = g.get("_whyiact_catalog")
    if found is None:
        found = g._whyiact_catalog = get_translations()
    return found


def gettext(string: str, **variables) -> str:
    """Translate ``string``; ``%(name)s`` placeholders are filled from ``variables``."""
    translated = catalog().ugettext(string)
    return translated % variables if variables else translated


def configure(app: Flask) -> None:
    """Give templates the cached catalog; call after ``babel.init_app``, which installs its own."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda string: catalog().ugettext(string),
        ngettext=lambda singular, plural, num: catalog().ungettext(singular, plural, num),
        newstyle=True,
        pgettext=lambda context, string: catalog().upgettext(context, string),
        npgettext=lambda context, singular, plural, num: catalog().unpgettext(
            context, singular, plural, num
        ),
    )
