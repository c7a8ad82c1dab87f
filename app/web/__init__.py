"""The web layer: request-wide behaviour shared by every blueprint."""

from __future__ import annotations

from functools import cache, lru_cache

from flask import Flask, abort, current_app, render_template, request
from jinja2 import pass_context
from jinja2.utils import htmlsafe_json_dumps
from sqlalchemy.exc import DBAPIError
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from app import charts
from app.config import RTL_LOCALES, TRANSLATIONS
from app.extensions import db
from app.services import DatabaseUnavailable
from app.web.i18n import TABLE, locale_code, translated
from app.web.i18n import gettext as _

#: The language cookie's name outside production (``LANG_COOKIE_NAME`` gives the real one).
LANG_COOKIE = "wia_lang"
HSTS = "max-age=63072000; includeSubDomains"
CSP = (
    "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'"
)


#: The largest id an integer column holds on every database (PostgreSQL's ``integer``).
MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """``<int:...>`` in an address: a number that no id column can hold is simply not found."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def offered_locales() -> tuple[str, ...]:
    """The configured locales that have a compiled catalog (English always)."""
    return current_app.extensions["whyiact_locales"]


def _available(locales: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(
        code
        for code in locales
        if code == "en" or (TRANSLATIONS / code / "LC_MESSAGES" / "messages.mo").exists()
    )


def lang_cookie_name() -> str:
    """The language cookie's name: ``__Host-`` prefixed in production."""
    return current_app.config.get("LANG_COOKIE_NAME", LANG_COOKIE)


def chosen_language() -> str | None:
    """The language asked for in the address (``?lang=``), if any."""
    # Most addresses have no query. Reading request.args for them would still parse an
    # empty one, then raise and catch a KeyError to say that "lang" is not in it.
    return request.args.get("lang") if request.query_string else None


def select_locale() -> str:
    """Explicit choice, then the cookie, then Accept-Language, then English."""
    offered = offered_locales()
    for candidate in (chosen_language(), request.cookies.get(lang_cookie_name())):
        if candidate in offered:
            return candidate
    if "Accept-Language" not in request.headers:
        return "en"
    try:
        best = request.accept_languages.best_match(offered)
    except ValueError:  # a malformed header is no reason to fail the page
        best = None
    return best or "en"


def configure(app: Flask) -> None:
    """Install proxy handling, headers, locale, template helpers and error pages."""
    proxies = int(app.config.get("TRUSTED_PROXIES") or 0)
    if proxies:
        # X-Forwarded-* is believed only from the configured number of proxies.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    app.extensions["whyiact_locales"] = _available(tuple(app.config["LOCALES"]))
    app.url_map.converters["int"] = IdConverter
    from app.web import assets, context

    static_headers = {
        "Content-Security-Policy": CSP,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
    }
    if app.config.get("COOKIE_SECURE"):
        static_headers["Strict-Transport-Security"] = HSTS
    assets.configure(app, static_headers)

    @app.before_request
    def refuse_unexpected_bodies():
        # Werkzeug refuses a large body only when a view reads the form; refuse it on
        # every route before anything runs, so every page answers 413 alike.
        limit = request.max_content_length
        if limit is not None and (request.content_length or 0) > limit:
            abort(413)
        # Every page posts a plain HTML form. Flask-WTF would also read a JSON body or
        # uploaded files as the form, with values that are not even text.
        if request.method == "POST" and (request.is_json or request.files):
            abort(415)

    @app.after_request
    def security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CSP)
        headers["X-Content-Type-Options"] = "nosniff"
        headers["Referrer-Policy"] = "same-origin"
        headers["Cross-Origin-Opener-Policy"] = "same-origin"
        headers["Permissions-Policy"] = (
            "camera=(), microphone=(), geolocation=(), interest-cohort=()"
        )
        if app.config.get("COOKIE_SECURE"):
            headers["Strict-Transport-Security"] = HSTS
        if not request.path.startswith("/static/"):
            # Pages may hold answers or a profile: never keep them in a shared cache.
            headers["Cache-Control"] = "no-store"
        _drop_cookie(response, app.config.get("REMEMBER_COOKIE_NAME", "remember_token"))
        chosen = chosen_language()
        if chosen in offered_locales() and request.cookies.get(lang_cookie_name()) != chosen:
            remember_language(response, chosen)
        return response

    @app.context_processor
    def page_globals():
        locale = locale_code()
        return {
            "locale": locale,
            "text_direction": "rtl" if locale in RTL_LOCALES else "ltr",
            "offered_locales": offered_locales(),
            "language_path": _language_path(),
            # The page's constant texts, for ``_("...")`` as i18n.ConstantTexts rewrites it.
            TABLE: translated(),
        }

    app.jinja_env.globals["locale_name"] = _locale_name
    app.jinja_env.globals["remembered"] = remembered
    app.jinja_env.globals["fill_labels"] = context.fill_labels
    app.jinja_env.policies["ext.i18n.trimmed"] = True

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        return render_template("errors/http.html", error=error), error.code

    @app.errorhandler(DBAPIError)
    def database_error(error: DBAPIError):
        db.session.rollback()
        app.logger.warning("database error: %s", type(error.orig).__name__)
        return render_template("errors/unavailable.html"), 503

    @app.errorhandler(DatabaseUnavailable)
    def database_unavailable(error: DatabaseUnavailable):
        app.logger.warning("database unavailable")
        return render_template("errors/unavailable.html"), 503

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        db.session.rollback()
        app.logger.exception("unexpected error")
        return render_template("errors/http.html", error=None), 500

    @app.template_filter("chart")
    @pass_context
    def chart_json(context, figure):
        """A figure as JSON for room.js, laid out for the page's reading direction."""
        right_to_left = context.get("text_direction") == "rtl"
        return htmlsafe_json_dumps(
            charts.oriented(figure, right_to_left), dumps=current_app.json.dumps
        )

    app.jinja_env.filters["upper_first"] = lambda text: str(text)[:1].upper() + str(text)[1:]


def _drop_cookie(response, name: str) -> None:
    """Remove ``Set-Cookie`` headers for ``name``.

    Staff are never remembered beyond the browser session, yet Flask-Login clears its
    remember-me cookie on every page of a visitor whose session is not signed in: a
    header for a cookie that never exists, without Secure or HttpOnly.
    """
    cookies = response.headers.getlist("Set-Cookie")
    kept = [cookie for cookie in cookies if not cookie.startswith(f"{name}=")]
    if len(kept) != len(cookies):
        response.headers.setlist("Set-Cookie", kept)


def remember_language(response, code: str) -> None:
    """Keep the interface language ``code`` for a year in this browser."""
    response.set_cookie(
        lang_cookie_name(),
        code,
        max_age=365 * 24 * 3600,
        httponly=True,
        samesite="Lax",
        secure=current_app.config.get("COOKIE_SECURE", False),
    )


def _language_path() -> str:
    """The address the language links keep: this page's, or the landing page's for a
    path that carries a secret (a private link or a join code)."""
    path = request.path
    return "/" if path.startswith(("/p/", "/j/")) else path


#: Markup kept by ``remembered``: each page's top bar, the scales of the questionnaire
#: pages (per answer, item, labels and language), the practices and citations of the
#: profile. Entries are one to two kilobytes, so a full cache is a few megabytes.
@lru_cache(maxsize=4096)
def _remember(macro, args: tuple) -> str:
    return macro(*args)


#: The longest text argument ``remembered`` keeps markup for. The top bar is kept per
#: address, and made-up addresses (every 404) must not fill a worker's memory.
LONGEST_KEPT = 100


def remembered(macro, *args):
    """``macro(*args)``, rendered once and then kept: for markup that depends on its
    arguments alone (each scale's radios, the top bar of each page and language).

    A questionnaire page draws 28 radios with their labels; drawing them again on
    every view was about a twentieth of the page's time (docs/performance.md). An
    argument that is long text is drawn each time and not kept.
    """
    if any(isinstance(arg, str) and len(arg) > LONGEST_KEPT for arg in args):
        return macro(*args)
    try:
        return _remember(macro, args)
    except TypeError:  # an argument that cannot be a key (a list): draw it each time
        return macro(*args)


@cache
def _locale_name(code: str) -> str:
    """A language's name in that language, for the language switch (parsed once per code)."""
    from babel import Locale

    return Locale.parse(code).get_display_name(code).capitalize()


__all__ = ["_", "configure", "select_locale"]
