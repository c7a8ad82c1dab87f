"""Issue line 6: bad input never gets a 500, and invalid input changes nothing.

Every form (every POST route in ``app.url_map``; a route added since gets the
generic treatment) is posted complete but for one field, which takes each value
of ``bad_inputs.BAD`` in turn: SQL fragments, markup, NUL bytes, 10,000
characters, wrong types. Then duplicated and unexpected fields, JSON and plain
bodies, and a 1 MB body. Every GET route gets the bad values in its URL
arguments, its ``lang`` parameter and its Accept-Language header. Hypothesis
adds what nobody thought of. The answer is never 500 or 503, and when the input
is invalid nothing is written (ASVS v5.0.0-2.2.1, 2.2.2, 1.2.4, 15.3.3, 15.3.7).
"""

from __future__ import annotations

import io
import secrets
from dataclasses import dataclass, field

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from app.extensions import db
from app.instruments import CURRENT
from app.models import Respondent
from app.services.takes import hash_token
from app.web.forms import CONTROL
from tests.forms import hidden
from tests.security.bad_inputs import ACCEPT_LANGUAGE, BAD, UNEXPECTED
from tests.security.support import (
    GET_ROUTES,
    POST_ROUTES,
    REFUSALS,
    answered_take,
    csrf_of,
    fetch,
    owner_role,
    row_counts,
    sign_in,
    url_for_route,
    writes,
)
from tests.web.volunteer import Volunteer
from tests.workshop.factories import TODAY

POINTS = {str(n) for n in range(1, 8)}
FIRST_PAGE, FIRST_SCENARIO = CURRENT.pages[0], CURRENT.scenarios[0]
CAUSES = {"gender", "race", "refugees", "lgbtiq", "poverty"}
LIMITS = {
    "LOGIN_LIMIT": "100000 per minute",
    "LOGIN_ACCOUNT_LIMIT": "100000 per minute",
    "JOIN_LIMIT": "100000 per minute",
    "PRIVATE_LINK_LIMIT": "100000 per minute",
}


@dataclass(frozen=True)
class FormSpec:
    """A form as its user posts it: who, the page it sits on, and a complete answer."""

    rule: str
    role: str
    page: str | None = None
    base: dict[str, str] = field(default_factory=dict)
    #: Fields that accept only these values; anything else must change nothing.
    strict: dict[str, set[str]] = field(default_factory=dict)
    #: Fields with a maximum length; anything longer must change nothing.
    limits: dict[str, int] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.rule


KNOWN = {
    "/start": FormSpec("/start", "anonymous", "/start", {"profile": "y", "org": "y"}),
    "/take/cause": FormSpec("/take/cause", "started", None, {"cause": "race"}, {"cause": CAUSES}),
    "/take/page/<page_key>": FormSpec(
        "/take/page/<page_key>",
        "answering",
        None,
        {f"item_{key}": "5" for key in FIRST_PAGE.items},
        {f"item_{key}": POINTS for key in FIRST_PAGE.items},
    ),
    "/take/scenario/<scenario_key>": FormSpec(
        "/take/scenario/<scenario_key>",
        "answering",
        None,
        {"option": FIRST_SCENARIO.options[0].key, "action": "choose"},
        {"option": {option.key for option in FIRST_SCENARIO.options}},
    ),
    "/take/deeper/<page_key>": FormSpec("/take/deeper/<page_key>", "deeper", None, {}),
    "/me/deeper": FormSpec("/me/deeper", "volunteer_b"),
    "/me/retake": FormSpec("/me/retake", "volunteer_b"),
    "/me/forget": FormSpec("/me/forget", "volunteer_b"),
    "/me/delete": FormSpec("/me/delete", "volunteer_b", None, {"confirm": "y"}),
    "/login": FormSpec(
        "/login",
        "anonymous",
        "/login",
        {"email": "fa@a.example", "password": "correct horse battery staple"},
        limits={"email": 254, "password": 128},
    ),
    "/logout": FormSpec("/logout", "facilitator_a"),
    "/j": FormSpec("/j", "anonymous", "/j", {"code": "ABC234"}, limits={"code": 24}),
    "/staff/workshops/new": FormSpec(
        "/staff/workshops/new",
        "facilitator_a",
        "/staff/workshops/new",
        {
            "title": "Bad input evening",
            "cause": "custom",
            "cause_label": "housing",
            "ingroup_label": "homeowners",
            "outgroup_label": "people without a home",
            "locale": "en",
            "scenarios": "y",
            "k_room": "5",
        },
        {"cause": {*CAUSES, "custom"}, "locale": {"en", "de", "es", "fr", "ar"}},
        {"title": 200, "cause_label": 120, "ingroup_label": 120, "outgroup_label": 120},
    ),
    "/staff/accounts/new": FormSpec(
        "/staff/accounts/new",
        "organizer_a",
        "/staff/accounts/new",
        {
            "name": "New colleague",
            "email": "colleague@a.example",
            "password": "a long first password",
            "facilitator": "y",
        },
        limits={"name": 120, "email": 254, "password": 128},
    ),
}
#: Every POST route: the known forms, and the route's own user for any route added since.
FORMS = [KNOWN.get(r.rule) or FormSpec(r.rule, owner_role(r)) for r in POST_ROUTES]
# Destructive forms go last, so the others still find their user there.
FORMS.sort(key=lambda f: f.rule in ("/me/delete", "/logout", "/me/forget"))


def integer_fields(spec: FormSpec) -> dict[str, set[str]]:
    """k_room takes whole numbers from 5 to 100."""
    return {"k_room": {str(n) for n in range(5, 101)}} if "k_room" in spec.base else {}


def refused(spec: FormSpec, name: str, value: str) -> bool:
    """True when posting ``value`` in ``name`` must change nothing."""
    if name == "csrf_token":
        return True
    if CONTROL.search(value):
        return True
    strict = {**spec.strict, **integer_fields(spec)}
    if name in strict:
        return value.strip() not in strict[name]
    return name in spec.limits and len(value) > spec.limits[name]


class Bench:
    """The module's world, with fresh clients for the roles the forms need.

    Volunteers are made anew for every test, and staff sign in anew, so a form that
    deletes a person or signs someone out leaves the next test its own user.
    """

    def __init__(self, site):
        self.app = site.app
        self.world = site.world
        self.clients = {}
        #: Row counts as of the last post known to have written nothing.
        self.counts: dict[str, int] | None = None

    def client(self, role: str):
        if role not in self.clients:
            self.counts = None  # making a volunteer writes rows
            if role in ("started", "answering", "deeper", "volunteer_b"):
                self.clients[role] = self._volunteer(role)
            else:
                self.clients[role] = sign_in(self.app, role, self.world)
        return self.clients[role]

    def _volunteer(self, role: str):
        if role in ("deeper", "volunteer_b"):
            token = secrets.token_urlsafe(32)
            with self.app.app_context():
                respondent = Respondent(token_hash=hash_token(token), created_on=TODAY)
                db.session.add(respondent)
                answered_take(None, respondent)
                db.session.commit()
            client = self.app.test_client()
            client.set_cookie(self.app.config["KEY_COOKIE_NAME"], token)
            if role == "deeper":
                page = client.get("/me").text
                opened = client.post("/me/deeper", data=hidden(page, "/me/deeper"))
                assert opened.status_code == 303, opened.status_code
            return client
        volunteer = Volunteer(self.app.test_client())
        volunteer.start()
        if role == "answering":
            volunteer.choose_cause()
        return volunteer.client

    def fields(self, spec: FormSpec) -> dict[str, str]:
        """The form's hidden fields (CSRF token, nonce) and its complete answer."""
        client = self.client(spec.role)
        found = {}
        if spec.page:
            page = client.get(spec.page)
            if page.status_code == 200:
                found = hidden(page.text, spec.rule.split("<")[0].rstrip("/"))
        if "csrf_token" not in found:
            found["csrf_token"] = csrf_of(client)
        return {**found, **spec.base}

    def url(self, spec: FormSpec) -> str:
        route = next(r for r in POST_ROUTES if r.rule == spec.rule)
        given = {"page_key": FIRST_PAGE.key, "scenario_key": FIRST_SCENARIO.key, "event": "open"}
        return url_for_route(route, self.world, **given)

    def post(self, spec: FormSpec, data, where: str, must_refuse: bool, **kwargs):
        client = self.client(spec.role)
        if must_refuse and self.counts is None:
            self.counts = row_counts(self.app)
        with writes(self.app) as written:
            response = fetch(client, "POST", self.url(spec), data=data, **kwargs)
        assert response.status_code in REFUSALS, (where, response.status_code)
        if must_refuse:
            assert not written, (where, written[:3])
            assert row_counts(self.app) == self.counts, where
        else:
            self.counts = None  # an accepted post may have written
        return response


@pytest.fixture
def bench(site):
    site.app.config.update(LIMITS)
    return Bench(site)


@pytest.mark.parametrize("spec", FORMS, ids=[f.id for f in FORMS])
def test_every_field_of_every_form_survives_every_bad_value(bench, spec):
    base = bench.fields(spec)
    names = sorted({*base, "csrf_token"})
    for name in names:
        for value in BAD:
            data = {**base, name: value}
            bench.post(spec, data, f"{spec.rule} {name}={value[:20]!r}", refused(spec, name, value))


@pytest.mark.parametrize("spec", FORMS, ids=[f.id for f in FORMS])
def test_duplicated_unexpected_and_malformed_bodies_change_nothing(bench, spec):
    base = bench.fields(spec)
    for name in sorted(set(base) - {"csrf_token", "action"}):
        pairs = [*base.items(), (name, base[name])]
        bench.post(spec, MultiDict(pairs), f"{spec.rule} twice {name}", must_refuse=True)
    for name, value in UNEXPECTED.items():
        bench.post(spec, {**base, name: value}, f"{spec.rule} +{name}", must_refuse=True)
    # JSON bodies, with values of every type: no page reads them.
    for value in ("text", 5, 1.5, True, None, [1, 2], {"a": 1}):
        body = {**base, **dict.fromkeys(set(base) - {"csrf_token"}, value)}
        bench.post(spec, None, f"{spec.rule} JSON {value!r}", must_refuse=True, json=body)
    for body in ([1, 2], "text", 5, None):
        bench.post(spec, None, f"{spec.rule} JSON {body!r}", must_refuse=True, json=body)
    # Files where text is expected.
    for name in sorted(set(base) - {"csrf_token"}) or ["x"]:
        upload = {**base, name: (io.BytesIO(b"%PDF-1.4"), "answers.pdf")}
        bench.post(spec, upload, f"{spec.rule} file in {name}", must_refuse=True)
    bench.post(spec, "a=1&b=2", f"{spec.rule} text", must_refuse=True, content_type="text/plain")
    big = bench.post(spec, {**base, "x": "y" * 1_000_000}, f"{spec.rule} 1 MB", must_refuse=True)
    assert big.status_code == 413, spec.rule


@pytest.mark.parametrize("route", GET_ROUTES, ids=[r.id for r in GET_ROUTES])
def test_every_url_argument_language_and_accept_language(site, route):
    """Every bad value in each text argument of the address; a share of them (all of
    them across the routes) as ``lang`` and Accept-Language, which every page reads alike."""
    role = owner_role(route)
    number = GET_ROUTES.index(route)
    texts = [name for name, integer in route.arguments if not integer]
    requests = [
        (url_for_route(route, site.world, **dict.fromkeys(texts, value)), {}, {})
        for value in (BAD if texts else [])
    ]
    plain = url_for_route(route, site.world)
    for value in BAD[number % 5 :: 5]:
        requests.append((plain, {"lang": value}, {}))
    for header in ACCEPT_LANGUAGE[number % 4 :: 4]:
        requests.append((plain, {}, {"Accept-Language": header}))
    before = row_counts(site.app)
    for url, query, headers in requests:
        with writes(site.app) as written:
            response = fetch(
                site.client(role),
                "GET",
                url.replace("%", "%25"),
                query_string=query,
                headers=headers,
            )
        where = (url[:60], query, headers)
        assert response.status_code in REFUSALS, (where, response.status_code)
        assert not written and row_counts(site.app) == before, where


@pytest.mark.parametrize("path", ["/staff/workshops/99999999999999999999", "/staff/workshops/-1"])
def test_out_of_range_ids_are_not_found(site, path):
    response = fetch(site.client("facilitator_a"), "GET", path)
    assert response.status_code == 404


TEXT_FORMS = [KNOWN[rule] for rule in ("/start", "/login", "/j", "/staff/workshops/new")]


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    index=st.integers(0, len(TEXT_FORMS) - 1),
    extra=st.dictionaries(
        st.sampled_from(["title", "cause", "k_room", "email", "code", "profile", "nonce", "x"]),
        st.text(max_size=300),
        max_size=3,
    ),
)
def test_hypothesis_forms_never_fail(bench, index, extra):
    spec = TEXT_FORMS[index]
    data = {**bench.fields(spec), **extra}
    must_refuse = any(refused(spec, k, v) for k, v in extra.items()) or bool(
        set(extra) - set(data) - {"x"}
    )
    must_refuse = must_refuse or "x" in extra
    bench.post(spec, data, f"{spec.rule} {extra!r:.80}", must_refuse)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    segment=st.text(min_size=1, max_size=80).filter(lambda s: s not in (".", "..")),
    lang=st.text(max_size=40),
    # Header values are Latin-1 text on one line; a client cannot send anything else.
    accept=st.text(st.characters(max_codepoint=255, exclude_characters="\r\n"), max_size=80),
)
def test_hypothesis_addresses_and_languages_never_fail(app, segment, lang, accept):
    from urllib.parse import quote

    client = app.test_client()
    for prefix in ("/p/", "/j/", "/take/page/", "/take/scenario/", "/staff/workshops/1/"):
        response = fetch(
            client,
            "GET",
            prefix + quote(segment, safe=""),
            query_string={"lang": lang},
            headers={"Accept-Language": accept},
        )
        assert response.status_code in REFUSALS, (prefix, segment, response.status_code)
