"""Translation at request time, with the request's catalog looked up once.

Flask-Babel finds the catalog again on every ``gettext``: three look-ups of its
request context and the locale turned back into a string each time. A
questionnaire page translates some forty strings, and those look-ups were about
a tenth of the page (docs/performance.md). Here the catalog Flask-Babel chose
is kept on ``g`` for the rest of the request; choosing it stays Flask-Babel's
job (``select_locale``), and the app never switches locale within a request.

Templates get plain translation callables over that catalog, and number filters
that keep what they formatted (``configure``). A constant text in a template,
``_("...")`` with nothing to fill in, is looked up in a table of that language
instead (``ConstantTexts``): a profile page has some sixty of them.
"""

from __future__ import annotations

from functools import lru_cache

from babel import numbers
from flask import Flask, current_app, g, has_app_context
from flask_babel import get_locale, get_translations
from jinja2.ext import Extension
from jinja2.lexer import Token, TokenStream
from markupsafe import Markup


def catalog():
    """This request's translations (Flask-Babel's null catalog outside an app context)."""
    if not has_app_context():
        return get_translations()
    # Straight to the dict behind ``g``: through the proxy, ``g.get`` cost about 4% of a
    # questionnaire page over its thirty calls (callgrind, docs/performance.md).
    kept = vars(g._get_current_object())
    found = kept.get("_whyiact_catalog")
    if found is None:
        found = kept["_whyiact_catalog"] = get_translations()
    return found


def locale_code() -> str:
    """This request's locale as a string such as "de", worked out once per request.

    Flask-Babel finds its request context again for every ``get_locale``; a profile
    page formats some twenty numbers in the request's locale.
    """
    kept = vars(g._get_current_object())
    found = kept.get("_whyiact_locale")
    if found is None:
        found = kept["_whyiact_locale"] = str(get_locale() or "en")
    return found


def gettext(string: str, **variables) -> str:
    """Translate ``string``; ``%(name)s`` placeholders are filled from ``variables``."""
    translated = catalog().ugettext(string)
    return translated % variables if variables else translated


def _markup(translated: str, variables: dict) -> Markup:
    """A translation as template markup, with its variables escaped into it.

    As Jinja's "newstyle" gettext: the translation is trusted, each variable is
    escaped, and the string is always formatted (so ``%%`` reads as ``%``).
    """
    # The catalogs are ours, as in Jinja's own callables; only the variables are escaped.
    if variables or "%" in translated:
        return Markup(translated) % variables  # noqa: S704
    return Markup(translated)  # noqa: S704


#: The template name a constant ``_("...")`` is rewritten to (``ConstantTexts``).
TABLE = "_translated"


class Translated(dict):
    """The constant texts of the templates in one language, each translated on first use."""

    def __init__(self, translations) -> None:
        super().__init__()
        self._translations = translations

    def __missing__(self, string: str) -> Markup:
        translated = self._translations.ugettext(string)
        try:
            value = _markup(translated, {})
        except (KeyError, TypeError, ValueError):
            # A stray "%" in a translation: shown as written, never an empty text.
            value = Markup(translated)  # noqa: S704 - our own catalog, as in _markup
        self[string] = value
        return value


def translated() -> Translated:
    """This request's table of constant texts (one per language, kept by the app)."""
    if not has_app_context():
        return Translated(get_translations())
    tables = current_app.extensions["whyiact_translated"]
    locale = locale_code()
    found = tables.get(locale)
    if found is None:
        found = tables[locale] = Translated(catalog())
    return found


class _RequestTable:
    """The table of the request's language, for templates rendered without the page's
    context (imported macros); pages get the table itself (``ConstantTexts``)."""

    def __getitem__(self, string: str) -> Markup:
        return translated()[string]


class ConstantTexts(Extension):
    """Rewrite ``_("text")`` in templates to ``_translated["text"]``.

    A call goes through Jinja's ``context.call`` and the catalog each time; an item
    of the language's table is one dictionary look-up. Only a single literal without
    a ``%`` is rewritten: a text with values to fill in stays a call, and so does
    ``x._("text")``. Message extraction reads the templates as written.
    """

    def filter_stream(self, stream: TokenStream) -> list[Token]:
        tokens = list(stream)
        out: list[Token] = []
        i = 0
        while i < len(tokens):
            if _constant_call(tokens, i):
                line, text = tokens[i].lineno, tokens[i + 2].value
                out += [
                    Token(line, "name", TABLE),
                    Token(line, "lbracket", "["),
                    Token(line, "string", text),
                    Token(line, "rbracket", "]"),
                ]
                i += 4
            else:
                out.append(tokens[i])
                i += 1
        return out


def _constant_call(tokens: list[Token], i: int) -> bool:
    window = tokens[i : i + 4]
    return (
        [t.type for t in window] == ["name", "lparen", "string", "rparen"]
        and window[0].value == "_"
        and "%" not in window[2].value
        and (i == 0 or tokens[i - 1].type != "dot")
    )


def template_gettext(string: str, **variables) -> Markup:
    return _markup(catalog().ugettext(string), variables)


def template_ngettext(singular: str, plural: str, num: int, **variables) -> Markup:
    variables.setdefault("num", num)
    return _markup(catalog().ungettext(singular, plural, num), variables)


def template_pgettext(context: str, string: str, **variables) -> Markup:
    return _markup(catalog().upgettext(context, string), variables)


def template_npgettext(context: str, singular: str, plural: str, num: int, **variables) -> Markup:
    variables.setdefault("num", num)
    return _markup(catalog().unpgettext(context, singular, plural, num), variables)


@lru_cache(maxsize=4096)
def _number(locale: str, kind: str, number, kind_of_number: type, format: str | None) -> str:
    if kind == "percent":
        return numbers.format_percent(number, format=format, locale=locale)
    return numbers.format_decimal(number, format=format, locale=locale)


def number_filter(kind: str):
    """Flask-Babel's number filter of ``kind``, with each result kept per language.

    Babel parses the pattern and rounds anew for every number; a profile page shows
    some twenty, most of them the same for many people (averages on a 1-7 scale).
    """

    def formatted(number, format: str | None = None) -> str:
        return _number(locale_code(), kind, number, type(number), format)

    return formatted


def configure(app: Flask) -> None:
    """Give templates the cached catalog; call after ``babel.init_app``, which installs its own.

    Jinja's own "newstyle" callables reach the translation through three calls
    with the template context each; a profile page translates some seventy
    strings. These plain functions do the same work in one call.
    """
    app.extensions["whyiact_translated"] = {}
    app.jinja_env.add_extension(ConstantTexts)
    app.jinja_env.globals.update(
        {TABLE: _RequestTable()},
        _=template_gettext,
        gettext=template_gettext,
        ngettext=template_ngettext,
        pgettext=template_pgettext,
        npgettext=template_npgettext,
    )
    app.jinja_env.filters.update(
        numberformat=number_filter("decimal"),
        decimalformat=number_filter("decimal"),
        percentformat=number_filter("percent"),
    )
