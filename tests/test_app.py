"""The factory, settings, commands and logs."""

from __future__ import annotations

import logging

import pytest
from markupsafe import Markup
from sqlalchemy import func, select

from app import create_app
from app.config import ConfigError, normalise_database_url
from app.extensions import db
from app.logs import scrub
from app.models import Organization, Take
from tests.web.volunteer import Volunteer

#: What ``secrets.token_urlsafe(48)`` gives: long and varied enough for production.
STRONG_SECRET = "k3Jf9_Qe2Lr7Vx0Zp5Tn8Wb1Yc4Hs6Ud-Mg0Aq2Rz9Ei7Ko5Pw3Nt1Xv8By6Ca4D"


def test_production_refuses_to_start_without_secrets(monkeypatch):
    for name in ("SECRET_KEY", "DATABASE_URL", "WHYIACT_SECRET_KEY", "WHYIACT_ENV"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(ConfigError, match="SECRET_KEY") as caught:
        create_app()
    assert "DATABASE_URL" in str(caught.value)


def test_production_refuses_a_weak_secret(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://db/whyiact")
    monkeypatch.setenv("SECRET_KEY", "dev")
    with pytest.raises(ConfigError, match="at least 32"):
        create_app()


def test_production_settings_harden_cookies(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    monkeypatch.setenv("SECRET_KEY", STRONG_SECRET)
    app = create_app()
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["KEY_COOKIE_NAME"] == "__Host-wia_key"
    assert app.config["SESSION_COOKIE_NAME"] == "__Host-wia_session"
    assert not app.debug
    with app.test_client() as client:
        assert "Strict-Transport-Security" in client.get("/healthz").headers


def test_development_needs_a_secret_but_not_a_database(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("WHYIACT_ENV", "development")
    monkeypatch.setenv("WHYIACT_SECRET_KEY", STRONG_SECRET)
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("whyiact.sqlite")
    assert app.config["COOKIE_SECURE"] is False


def test_platform_database_urls_use_psycopg_3():
    assert normalise_database_url("postgres://u@h/d") == "postgresql+psycopg://u@h/d"
    assert normalise_database_url("postgresql://u@h/d") == "postgresql+psycopg://u@h/d"
    assert normalise_database_url("sqlite:///x") == "sqlite:///x"


def test_seed_demo_is_idempotent(app, runner):
    first = runner.invoke(args=["seed-demo", "--takes", "12"])
    assert first.exit_code == 0, first.output
    second = runner.invoke(args=["seed-demo", "--takes", "12"])
    assert "already" in second.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Take)) == 12
        assert db.session.scalar(select(func.count()).select_from(Organization)) == 1
        finished = db.session.scalars(select(Take.state)).all()
        assert set(finished) == {"finished"}
    only_if_empty = runner.invoke(args=["seed-demo", "--if-empty"])
    assert "already holds takes" in only_if_empty.output


def test_scrub_removes_tokens_and_addresses():
    line = '127.0.0.1 - - [29/Nov/2026 12:59:27] "GET /p/AbC_def-123 HTTP/1.1" 303 -'
    cleaned = scrub(line)
    assert "127.0.0.1" not in cleaned and "AbC_def-123" not in cleaned
    assert "12:59:27" in cleaned
    assert "::1" not in scrub("::1 - - GET /")
    assert scrub("2001:db8:85a3:0:0:8a2e:370:7334 x") == "[ip] x"


def test_a_whole_journey_logs_no_token_answer_or_address(app, client, caplog):
    caplog.set_level(logging.DEBUG)
    volunteer = Volunteer(client)
    volunteer.whole_journey()
    app.test_client().get(f"/p/{volunteer.token}")
    text = "\n".join(record.getMessage() for record in caplog.records)
    assert volunteer.token not in text
    assert "127.0.0.1" not in text
    assert "take finished" in text


def test_remembered_markup_is_the_macro_s_own(app):
    """``remembered`` gives what the macro gives, also for arguments that cannot be kept."""
    template = app.jinja_env.from_string(
        "{% macro box(name, values) %}<b>{{ name }}:{{ values|join(',') }}</b>{% endmacro %}"
        "{{ remembered(box, name, values) }}|{{ box(name, values) }}"
    )
    with app.test_request_context():
        for values in ((1, 2), [3, 4]):
            kept, drawn = template.render(name="<x>", values=values).split("|")
            assert kept == drawn == f"<b>&lt;x&gt;:{','.join(map(str, values))}</b>"


def test_made_up_addresses_are_not_kept(app):
    """Each page's top bar is kept per address, but not for a long made-up one."""
    from app.web import LONGEST_KEPT, _remember

    # Every app of the suite keeps its own markup in the same cache: start it empty, so
    # that a full cache (which drops an old entry for each new one) cannot hide growth.
    _remember.cache_clear()
    client = app.test_client()
    client.get("/no-such-page")  # keeps what every page shares (the head's links)
    for length in (10, LONGEST_KEPT + 1, 5000):
        path = "/no-such-page-" + "x" * length
        kept = _remember.cache_info().currsize
        response = client.get(path)
        assert response.status_code == 404
        assert f'href="{path}?lang=en"' in response.text  # the bar is drawn either way
        grew = _remember.cache_info().currsize - kept
        assert grew == (1 if len(path) <= LONGEST_KEPT else 0), length


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('{{ _("Why I Act") }}', "Warum ich mich engagiere"),
        ('{{ _("<%(who)s>", who="<b>&") }}', "<&lt;b&gt;&amp;>"),
        ('{{ _("100%% sure") }}', "100% sure"),
        ('{{ ngettext("%(num)d apple", "%(num)d apples", 3) }}', "3 apples"),
        ('{{ ngettext("%(num)d apple", "%(num)d apples", 1) }}', "1 apple"),
        ('{{ pgettext("fruit", "%(n)s pear", n="<i>") }}', "&lt;i&gt; pear"),
    ],
)
def test_template_translations_behave_as_jinja_s_own(app, source, expected):
    """The plain template callables translate, escape variables and format like Jinja's."""
    from jinja2 import Environment

    from app.web.i18n import catalog

    with app.test_request_context(headers={"Accept-Language": "de"}):
        rendered = app.jinja_env.from_string(source).render()
        german = catalog()
        jinja = Environment(extensions=["jinja2.ext.i18n"], autoescape=True)
        jinja.install_gettext_callables(  # type: ignore[attr-defined]
            german.ugettext,
            german.ungettext,
            newstyle=True,
            pgettext=german.upgettext,
            npgettext=german.unpgettext,
        )
        assert rendered == jinja.from_string(source).render() == expected


def test_constant_texts_are_looked_up_and_the_rest_stay_calls(app):
    """Only ``_("text")`` with a single literal and no ``%`` becomes a table item."""
    from app.web.i18n import TABLE

    def compiled(source: str) -> str:
        return app.jinja_env.compile(source, raw=True)

    assert TABLE in compiled('{{ _("Why I Act") }}')
    assert "Why I Act" in compiled('{{ _("Why I Act") }}')
    for stays_a_call in (
        '{{ _("Hello %(who)s", who=name) }}',
        '{{ _("100%% sure") }}',
        "{{ _(name) }}",
        '{{ x._("Why I Act") }}',
        '{{ _("Why" ~ " I Act") }}',
    ):
        assert TABLE not in compiled(stays_a_call), stays_a_call


def test_a_table_shows_a_translation_with_a_stray_percent_as_written():
    """A translator's lone "%" would break formatting: the text is shown, never lost."""
    from app.web.i18n import Translated

    class Catalog:
        def ugettext(self, string):
            return {"More": "50% mehr", "Sure": "100%% sicher", "<b>": "<b>"}[string]

    table = Translated(Catalog())
    assert table["More"] == "50% mehr"
    assert table["Sure"] == "100% sicher"  # formatted, as Jinja's newstyle gettext does
    assert table["<b>"] == Markup("<b>")  # the catalog is trusted, as for ``_``
    assert set(table) == {"More", "Sure", "<b>"}  # each worked out once


@pytest.mark.parametrize("language", ["en", "de", "ar"])
def test_kept_number_formats_are_flask_babel_s(app, language):
    """The number filters keep each result, and give what Flask-Babel's own give."""
    import flask_babel

    numbers = [0, 1, 1.0, 0.3127, 0.5, 4.25, 2.45, 1234.5, 1e-9]
    with app.test_request_context(headers={"Accept-Language": language}):
        for number in numbers * 2:  # the second round reads what was kept
            filters = app.jinja_env.filters
            assert filters["percentformat"](number) == flask_babel.format_percent(number)
            assert filters["decimalformat"](number, "0.0") == flask_babel.format_decimal(
                number, "0.0"
            )
            assert filters["numberformat"](number) == flask_babel.format_number(number)


def test_templates_and_views_translate_with_the_request_s_language(client):
    """The catalog kept per request follows each request's own language."""
    german = client.get("/start", headers={"Accept-Language": "de"}).text
    english = client.get("/start", headers={"Accept-Language": "en"}).text
    assert "Zum Inhalt springen" in german and "Skip to the content" not in german
    assert "Skip to the content" in english and "Zum Inhalt springen" not in english
    # The page's own texts come from the table in its context, the top bar's from an
    # imported macro, which has no page context: both follow the request's language.
    brand = '<a class="brand" href="/">{}</a>'
    assert brand.format("Warum ich mich engagiere") in german
    assert brand.format("Why I Act") in english


def test_a_forked_worker_starts_with_database_pools_of_its_own(app):
    """gunicorn loads the app before forking (preload_app): post_fork drops what the
    arbiter's pool holds, so no two processes share a database connection."""
    import runpy
    from types import SimpleNamespace

    from app.config import ROOT

    hooks = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert hooks["preload_app"] is True
    with app.app_context():
        db.session.execute(select(func.count()).select_from(Take))
        db.session.remove()
        pool = db.engine.pool
        held = pool.checkedin()
    assert held == 1
    server = SimpleNamespace(app=SimpleNamespace(wsgi=lambda: app))
    hooks["post_fork"](server, None)
    with app.app_context():
        assert db.engine.pool is not pool
        assert db.engine.pool.checkedin() == 0
    pool.dispose()  # here the "arbiter" is this process, which closes what it held
    hooks["post_fork"](SimpleNamespace(app=SimpleNamespace(wsgi=lambda: object())), None)
