"""What the security tests share: every route, a world of two organizations, every role.

``ROUTES`` is read from ``app.url_map`` of a freshly built app, so a route added
anywhere is in every "every route" test without anyone listing it. Its URL
arguments are filled from the world (workshop ids, join codes, page keys); an
argument no one has seen before gets a plain guess, which is enough to prove
that the route answers with the headers and never with a 500.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from flask import Flask
from sqlalchemy import event, select
from werkzeug.routing import IntegerConverter, Rule

from app import create_app
from app.domain.workshop import WorkshopEvent
from app.extensions import db
from app.instruments import CURRENT
from app.models import Answer, Choice, Respondent, Role, Take, Workshop
from app.services import workshops
from app.services.takes import hash_token
from tests.forms import hidden
from tests.workshop.factories import (
    CHEAP_HASH,
    PASSWORD,
    TODAY,
    make_account,
    make_organization,
    make_take,
    make_workshop,
)

#: A secret key as ``secrets.token_urlsafe(48)`` makes them.
STRONG_SECRET = "q8Vd2_Lk5Rz0Xw7Hn3Tb9Jf1Mc6Ys4Pa-Ue2Gi8Ko0Wr5Nx7Bt3Zl9Qv1Ds6Ej4H"
CODE_A, CODE_B = "ABC234", "XYZ789"
STAFF_ROLES = ("facilitator_a", "facilitator_a2", "organizer_a", "facilitator_b", "organizer_b")
VOLUNTEER_ROLES = ("volunteer_a", "volunteer_b")
ROLES = ("anonymous", *VOLUNTEER_ROLES, *STAFF_ROLES)
EMAILS = {
    "facilitator_a": "fa@a.example",
    "facilitator_a2": "fa2@a.example",
    "organizer_a": "oa@a.example",
    "facilitator_b": "fb@b.example",
    "organizer_b": "ob@b.example",
}
#: Statuses a request may get when it is wrong: never 500, never 503 for bad input.
REFUSALS = frozenset({200, 302, 303, 308, 400, 401, 404, 405, 413, 415, 429})


def production_config(database_url: str, **extra) -> dict:
    """Production settings (the default environment) over ``database_url``."""
    return {
        "ENV": "production",
        "SECRET_KEY": STRONG_SECRET,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "DATABASE_EXPLICIT": True,
        "RATELIMIT_STORAGE_URI": "memory://",
        "PASSWORD_HASH_METHOD": CHEAP_HASH,
        **extra,
    }


# Every route -----------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    rule: str
    endpoint: str
    methods: frozenset[str]
    #: URL argument name -> True for an integer argument.
    arguments: tuple[tuple[str, bool], ...]
    #: The staff roles ``role_required`` lets in; None for a route without it.
    roles: tuple[Role, ...] | None

    @property
    def id(self) -> str:
        return self.rule

    @property
    def static(self) -> bool:
        return self.rule.startswith("/static/")

    @property
    def staff(self) -> bool:
        return self.roles is not None

    @property
    def volunteer(self) -> bool:
        return self.endpoint.startswith(("survey.", "profile."))


def _routes() -> tuple[Route, ...]:
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    out = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        out.append(_route(app, rule))
    return tuple(out)


def _route(app: Flask, rule: Rule) -> Route:
    view = app.view_functions[rule.endpoint]
    converters = rule._converters
    return Route(
        rule=rule.rule,
        endpoint=rule.endpoint,
        methods=frozenset(rule.methods - {"HEAD", "OPTIONS"}),
        arguments=tuple(
            (name, isinstance(converter, IntegerConverter))
            for name, converter in converters.items()
        ),
        roles=getattr(view, "roles", None),
    )


ROUTES = _routes()
GET_ROUTES = tuple(r for r in ROUTES if "GET" in r.methods)
POST_ROUTES = tuple(r for r in ROUTES if "POST" in r.methods)

#: Values for URL arguments the app has today; anything else gets a guess.
KNOWN_ARGUMENTS = {
    "event": WorkshopEvent.OPEN.value,
    "page_key": CURRENT.pages[0].key,
    "scenario_key": CURRENT.scenarios[0].key,
    "filename": "app.css",
}


def url_for_route(route: Route, world: World, other_organization: bool = False, **given) -> str:
    """The route's URL, filled from ``world`` (workshop B's when ``other_organization``)."""
    values = {}
    for name, integer in route.arguments:
        if name in given:
            values[name] = given[name]
        elif name == "workshop_id":
            values[name] = world.workshop_b if other_organization else world.workshop_a
        elif name == "code":
            values[name] = CODE_B if other_organization else CODE_A
        elif name == "token":
            values[name] = world.tokens["volunteer_b" if other_organization else "volunteer_a"]
        elif name in KNOWN_ARGUMENTS:
            values[name] = KNOWN_ARGUMENTS[name]
        else:
            # A route added since: an id of the world, or a word.
            values[name] = world.workshop_a if integer else "x"
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", lambda m: str(values[m.group(1)]), route.rule)


def owner_role(route: Route) -> str:
    """The role that uses ``route`` as intended."""
    if route.roles:
        return "facilitator_a" if Role.FACILITATOR in route.roles else "organizer_a"
    if route.volunteer:
        return "volunteer_a"
    return "anonymous"


# The world ------------------------------------------------------------------------


@dataclass
class World:
    """Two organizations, their staff, a workshop each, and two volunteers."""

    workshop_a: int
    workshop_b: int
    organization_a: int
    organization_b: int
    accounts: dict[str, int]
    tokens: dict[str, str]
    take_ids: dict[str, list[int]] = field(default_factory=dict)


def answered_take(workshop: Workshop | None, respondent: Respondent, **extra) -> Take:
    """A finished take with an answer to every core item and a choice in every scenario."""
    if workshop is not None:
        take = make_take(workshop, respondent=respondent, **extra)
    else:
        take = Take(
            respondent=respondent,
            instrument_key=CURRENT.key,
            instrument_version=CURRENT.version,
            scoring_version=1,
            state="finished",
            reached=len(CURRENT.pages) + len(CURRENT.scenarios) + 1,
            cause_key="gender",
            locale="en",
            consent_profile=True,
            consent_room=False,
            consent_org=True,
            started_on=TODAY,
            finished_on=TODAY,
        )
        db.session.add(take)
        db.session.flush()
    for number, item in enumerate(CURRENT.items):
        db.session.add(Answer(take_id=take.id, item_key=item.key, value=1 + number % 7))
    if workshop is None:
        for scenario in CURRENT.scenarios:
            db.session.add(
                Choice(
                    take_id=take.id,
                    scenario_key=scenario.key,
                    option_key=scenario.options[0].key,
                )
            )
    db.session.flush()
    return take


def build_world(app: Flask) -> World:
    """Create the world in ``app``'s database (which must be empty)."""
    app.config["PASSWORD_HASH_METHOD"] = CHEAP_HASH
    with app.app_context():
        a = make_organization("org-a")
        b = make_organization("org-b")
        people = {
            "facilitator_a": make_account(a, EMAILS["facilitator_a"], facilitator=True),
            "facilitator_a2": make_account(a, EMAILS["facilitator_a2"], facilitator=True),
            "organizer_a": make_account(a, EMAILS["organizer_a"], organizer=True),
            "facilitator_b": make_account(b, EMAILS["facilitator_b"], facilitator=True),
            "organizer_b": make_account(b, EMAILS["organizer_b"], organizer=True),
        }
        workshop_a = make_workshop(people["facilitator_a"], code=CODE_A, title="Workshop A")
        workshop_b = make_workshop(people["facilitator_b"], code=CODE_B, title="Workshop B")
        for workshop in (workshop_a, workshop_b):
            for number in range(6):
                share = 0.1 + 0.05 * number
                rest = (1 - share) / 3
                make_take(workshop, shares=(share, rest, rest, rest), choices={"march": "a"})
        tokens = {role: secrets.token_urlsafe(32) for role in VOLUNTEER_ROLES}
        respondents = {
            role: Respondent(token_hash=hash_token(token), created_on=TODAY)
            for role, token in tokens.items()
        }
        db.session.add_all(respondents.values())
        db.session.flush()
        # Volunteer A joined workshop A: one finished take, and a second one under way.
        finished_a = answered_take(workshop_a, respondents["volunteer_a"])
        open_a = make_take(workshop_a, respondent=respondents["volunteer_a"], state="answering")
        # Volunteer B took the questionnaire alone, and counts for the organization.
        finished_b = answered_take(None, respondents["volunteer_b"])
        db.session.commit()
        for workshop, owner in ((workshop_a, "facilitator_a"), (workshop_b, "facilitator_b")):
            workshops.advance(workshop, WorkshopEvent.CLOSE_ROUND, people[owner], TODAY)
        return World(
            workshop_a=workshop_a.id,
            workshop_b=workshop_b.id,
            organization_a=a.id,
            organization_b=b.id,
            accounts={role: account.id for role, account in people.items()},
            tokens=tokens,
            take_ids={"volunteer_a": [finished_a.id, open_a.id], "volunteer_b": [finished_b.id]},
        )


def wipe(app: Flask) -> None:
    """Delete every row, children first."""
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as conn:
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())


# Clients for every role -------------------------------------------------------------


def referer(client) -> dict[str, str]:
    """A same-origin Referer, which Flask-WTF asks of every form posted over HTTPS."""
    base = getattr(client, "base_url", None) or "http://localhost/"
    return {"Referer": base.rstrip("/") + "/"}


def sign_in(app: Flask, role: str, world: World, base_url: str = "http://localhost/"):
    """A new test client acting as ``role``."""
    client = app.test_client()
    client.base_url = base_url
    if role in world.tokens:
        client.set_cookie(app.config["KEY_COOKIE_NAME"], world.tokens[role])
    elif role in EMAILS:
        page = client.get("/login", base_url=base_url)
        fields = {**hidden(page.text, "/login"), "email": EMAILS[role], "password": PASSWORD}
        response = client.post("/login", data=fields, base_url=base_url, headers=referer(client))
        assert response.status_code == 303, (role, response.status_code)
    return client


def fetch(client, method: str, url: str, **kwargs):
    """One request, its body read and the response closed (static files hold a file open)."""
    kwargs.setdefault("base_url", getattr(client, "base_url", None) or "http://localhost/")
    if method not in ("GET", "HEAD"):
        kwargs.setdefault("headers", referer(client))
    response = client.open(url, method=method, **kwargs)
    response.get_data()
    response.close()
    return response


def cookies_of(client) -> dict[str, str]:
    return {cookie.key: cookie.value for cookie in client._cookies.values()}


def clone(app: Flask, cookies: dict[str, str], base_url: str = "http://localhost/"):
    """A fresh client holding ``cookies``: one role, without another test's leftovers."""
    client = app.test_client()
    client.base_url = base_url
    for name, value in cookies.items():
        client.set_cookie(name, value)
    return client


def csrf_of(client) -> str:
    """This client's CSRF token, from a page that carries one."""
    base_url = getattr(client, "base_url", None) or "http://localhost/"
    page = client.get("/login", base_url=base_url)
    token = hidden(page.text, "/login").get("csrf_token") if page.status_code == 200 else None
    if token is None:
        page = client.get("/j", base_url=base_url)
        token = hidden(page.text, "/j")["csrf_token"]
    return token


# The database, before and after -------------------------------------------------------


def snapshot(app: Flask) -> dict[str, list]:
    """Every row of every table, in a stable order."""
    with app.app_context(), db.engine.connect() as conn:
        return {
            table.name: sorted((tuple(row) for row in conn.execute(select(table))), key=repr)
            for table in db.metadata.sorted_tables
        }


def row_counts(app: Flask) -> dict[str, int]:
    """The number of rows in every table, in one query."""
    names = [table.name for table in db.metadata.sorted_tables]
    with app.app_context(), db.engine.connect() as conn:
        quote = conn.dialect.identifier_preparer.quote
        # Table names come from the models, quoted by the dialect.
        counts = ", ".join(f"(SELECT count(*) FROM {quote(name)})" for name in names)  # noqa: S608
        return dict(zip(names, conn.exec_driver_sql(f"SELECT {counts}").one(), strict=True))


def changed_tables(before: dict, after: dict) -> list[str]:
    return [name for name in before if before[name] != after.get(name)]


WRITING = ("INSERT", "UPDATE", "DELETE", "CREATE", "DROP", "ALTER", "TRUNCATE")


@contextmanager
def writes(app: Flask) -> Iterator[list[str]]:
    """Collect every statement that writes, while the block runs."""
    watched = app.extensions.get("test_writes")
    if watched is None:
        watched = app.extensions["test_writes"] = []
        with app.app_context():
            engine = db.engine

        @event.listens_for(engine, "before_cursor_execute")
        def watch(conn, cursor, statement, parameters, context, executemany):
            if statement.lstrip()[:8].upper().startswith(WRITING):
                watched.append(statement)

    watched.clear()
    seen: list[str] = []
    try:
        yield seen
    finally:
        seen.extend(watched)
        watched.clear()


def today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()
