"""Issue line 2: cookie flags in production, and a session that holds nothing personal.

Every ``Set-Cookie`` the app sends on the journeys of a volunteer (alone and
through a workshop), a facilitator and an organizer, including deletions, is
``__Host-`` prefixed, ``Secure``, ``HttpOnly``, ``SameSite`` and ``Path=/``
without a ``Domain`` (ASVS v5.0.0-3.3.1 to 3.3.4). Flask's session is signed,
not encrypted, so anyone holding the phone can read it: it is decoded at every
step and holds only allowed keys, never an answer, a score or a token
(v5.0.0-14.3.3).
"""

from __future__ import annotations

import json

from app.instruments import CURRENT
from tests.forms import hidden
from tests.security.support import CODE_A, EMAILS, build_world, referer
from tests.workshop.factories import PASSWORD

HTTPS = "https://localhost/"
#: What the session may hold: the CSRF secret, the joined workshop and its labels or the
#: chosen cause (to re-render a page while the database is away), flashed messages, and
#: Flask-Login's account id, freshness flag and session-protection hash.
ALLOWED_SESSION_KEYS = {
    "csrf_token",
    "workshop_id",
    "labels",
    "cause",
    "_flashes",
    "_user_id",
    "_fresh",
    "_id",
}


def parse_cookie(header: str) -> tuple[str, dict[str, str]]:
    first, *attributes = (part.strip() for part in header.split(";"))
    name = first.split("=", 1)[0]
    parsed = {}
    for attribute in attributes:
        key, _, value = attribute.partition("=")
        parsed[key.lower()] = value
    return name, parsed


class Recorder:
    """A client over HTTPS that keeps every Set-Cookie it was sent."""

    def __init__(self, app):
        self.app = app
        self.client = app.test_client()
        self.client.base_url = HTTPS
        self.set_cookies: list[tuple[str, str]] = []
        self.sessions: list[dict] = []

    def _keep(self, response, where):
        for header in response.headers.getlist("Set-Cookie"):
            self.set_cookies.append((where, header))
        self.sessions.append(self.session())
        return response

    def get(self, url, **kw):
        return self._keep(self.client.get(url, base_url=HTTPS, **kw), f"GET {url}")

    def post_form(self, url, data, page=None):
        """Post ``data`` with the hidden fields of the form for ``url`` on ``page``."""
        shown = self.get(page or url)
        fields = {**hidden(shown.text, url), **data}
        response = self.client.post(url, data=fields, base_url=HTTPS, headers={"Referer": HTTPS})
        return self._keep(response, f"POST {url}")

    def session(self) -> dict:
        cookie = self.client.get_cookie(self.app.config["SESSION_COOKIE_NAME"])
        if cookie is None or not cookie.value:
            return {}
        serializer = self.app.session_interface.get_signing_serializer(self.app)
        return serializer.loads(cookie.value)


def volunteer_journey(recorder: Recorder) -> str:
    """Start through a workshop's code, answer everything, open the link elsewhere, delete."""
    recorder.get("/", query_string={"lang": "de"})
    recorder.get("/", query_string={"lang": "en"})
    assert recorder.get(f"/j/{CODE_A}").status_code == 303
    assert recorder.post_form("/start", {"profile": "y", "room": "y"}).status_code == 303
    key = recorder.get("/key")
    token = key.text.split("/p/", 1)[1][:43]
    for page in CURRENT.pages:
        answers = {f"item_{item.key}": "6" for item in CURRENT.page_items(page)}
        assert recorder.post_form(f"/take/page/{page.key}", answers).status_code == 303
    for scenario in CURRENT.scenarios:
        url = f"/take/scenario/{scenario.key}"
        data = {"option": scenario.options[1].key, "action": "choose"}
        assert recorder.post_form(url, data).status_code == 303
    assert recorder.get("/me").status_code == 200
    recorder.post_form("/me/forget", {}, page="/me")
    assert recorder.get(f"/p/{token}").status_code == 303
    deleted = recorder.post_form("/me/delete", {"confirm": "y"})
    assert deleted.status_code == 303
    return token


def staff_journey(recorder: Recorder, role: str, world) -> None:
    response = recorder.post_form("/login", {"email": EMAILS[role], "password": PASSWORD})
    assert response.status_code == 303
    recorder.get("/staff")
    recorder.get(f"/staff/workshops/{world.workshop_a}/room")
    recorder.post_form("/logout", {}, page="/staff")
    wrong = recorder.post_form("/login", {"email": EMAILS[role], "password": "not it at all"})
    assert wrong.status_code == 401


def test_every_cookie_is_host_prefixed_secure_httponly_and_samesite(prod_app):
    world = build_world(prod_app)
    recorders = [Recorder(prod_app) for _ in range(3)]
    volunteer_journey(recorders[0])
    staff_journey(recorders[1], "facilitator_a", world)
    staff_journey(recorders[2], "organizer_a", world)
    seen = [item for recorder in recorders for item in recorder.set_cookies]
    names = set()
    for where, header in seen:
        name, attributes = parse_cookie(header)
        names.add(name)
        assert name.startswith("__Host-"), (where, header)
        assert "secure" in attributes, (where, header)
        assert "httponly" in attributes, (where, header)
        assert attributes.get("samesite", "").lower() in ("lax", "strict"), (where, header)
        assert attributes.get("path") == "/", (where, header)
        assert "domain" not in attributes, (where, header)
    # The session, the private link and the language: nothing else is ever set.
    assert names == {"__Host-wia_session", "__Host-wia_key", "__Host-wia_lang"}


def test_the_session_never_holds_answers_scores_or_tokens(prod_app):
    build_world(prod_app)
    recorder = Recorder(prod_app)
    token = volunteer_journey(recorder)
    item_keys = {item.key for item in CURRENT.items}
    for session in recorder.sessions:
        assert set(session) <= ALLOWED_SESSION_KEYS, set(session)
        text = json.dumps(session, default=str)
        assert token not in text
        assert not item_keys & set(session), session
        assert "item_" not in text and "share" not in text and "mean" not in text
    # "Delete everything" leaves no cause, labels or workshop behind in the browser.
    assert set(recorder.session()) <= {"csrf_token", "_flashes"}


def test_a_signed_in_staff_session_is_refused_from_another_browser(prod_app):
    """Flask-Login's strong protection: a stolen cookie used elsewhere signs the session out."""
    build_world(prod_app)
    client = prod_app.test_client()
    client.base_url = HTTPS
    page = client.get("/login", base_url=HTTPS)
    fields = {
        **hidden(page.text, "/login"),
        "email": EMAILS["facilitator_a"],
        "password": PASSWORD,
    }
    assert (
        client.post("/login", data=fields, base_url=HTTPS, headers=referer(client)).status_code
        == 303
    )
    assert client.get("/staff", base_url=HTTPS).status_code == 200
    stolen = client.get("/staff", base_url=HTTPS, headers={"User-Agent": "Someone else"})
    assert stolen.status_code == 302


def test_looking_at_a_page_again_sets_no_cookie(prod_app):
    """A view that changes nothing sends no ``Set-Cookie``: the session is not rewritten
    (nor a remember-me cookie cleared) on every page a volunteer opens."""
    build_world(prod_app)
    recorder = Recorder(prod_app)
    assert recorder.post_form("/start", {"profile": "y"}).status_code == 303
    recorder.get("/key")
    assert recorder.post_form("/take/cause", {"cause": "gender"}).status_code == 303
    first = CURRENT.pages[0].key
    recorder.get(f"/take/page/{first}")
    recorder.set_cookies.clear()
    for url in (f"/take/page/{first}", "/take/cause", "/key", "/", "/me"):
        assert recorder.get(url).status_code == 200, url
    assert recorder.set_cookies == []
