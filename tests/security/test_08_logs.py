"""Issue line 8: what the logs hold after every role's journey in production.

The app runs as it does in production: gunicorn with ``gunicorn.conf.py``, the
production settings (JSON logs), one worker, and the access log switched on, at
debug level so that even gunicorn's most talkative lines are read. A volunteer
alone, a volunteer who joins by code, a facilitator, an organizer and an
attacker then use it over HTTP, every request carrying a recognizable user agent
and a forwarded address. Afterwards no line of the server's output holds an IP
address, a private-link token, a join code, an answer, a user agent, an email or
a password; staff sign-ins are logged by account id (ASVS v5.0.0-16.2.5, 16.3.1,
16.3.2, 16.4.1; v4.0.3-8.3.5).
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from urllib.parse import urlencode

import pytest

from app.config import ROOT
from app.instruments import CURRENT
from tests.forms import hidden
from tests.security.support import CODE_A, EMAILS, STRONG_SECRET, build_world
from tests.workshop.factories import PASSWORD

AGENT = "Mozilla/5.0 (LogProbe; AgentMarker-7731)"
FORWARDED = "203.0.113.77"
TITLE = "TitleMarker-5512"
NEW_EMAIL = "newcomer.marker@a.example"
NEW_PASSWORD = "PasswordMarker-8841-long"
WRONG_EMAIL = "nobody.marker@a.example"
IPV4 = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])")
HEX = r"[0-9a-fA-F]{1,4}"
IPV6 = re.compile(
    rf"(?<![\w:])(?:{HEX}:){{7}}{HEX}(?![\w:])"
    rf"|(?<![\w:])(?:{HEX}(?::{HEX})*)?::(?:{HEX}(?::{HEX})*)?(?![\w:])"
)
#: Requests come from this loopback address, the server listens on 127.0.0.1.
CLIENT = "127.0.0.9"
#: gunicorn's start-up lines: its settings (at debug level) and where it listens.
STARTUP = re.compile(r"^  [a-z_]+: |.*Listening at: http://127\.0\.0\.1:")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Browser:
    """A browser without JavaScript: keeps its cookies (Secure ones too, over plain HTTP)."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, data=None, headers=None):
        conn = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=20, source_address=(CLIENT, 0)
        )
        sent = {"User-Agent": AGENT, "X-Forwarded-For": FORWARDED, **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body, sent)
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            value = rest.split(";", 1)[0]
            if "Max-Age=0" in header or "1970" in header:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        conn.close()
        return response.status, response.headers, text

    def get(self, path: str):
        return self.request("GET", path)

    def post(self, path: str, data: dict, page: str | None = None):
        status, _, shown = self.get(page or path)
        assert status == 200, (page or path, status)
        return self.request("POST", path, {**hidden(shown, path), **data})


@pytest.fixture
def server(app, database_url, tmp_path):
    """gunicorn serving the production app over this test's database."""
    config = ROOT / "gunicorn.conf.py"
    assert config.exists(), "gunicorn.conf.py is the production server configuration"
    world = build_world(app)
    port = free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("WHYIACT_", "GUNICORN_", "FLASK_"))
        and k not in ("SECRET_KEY", "DATABASE_URL", "REDIS_URL", "WEB_CONCURRENCY")
    }
    env.update(
        SECRET_KEY=STRONG_SECRET,
        DATABASE_URL=database_url,
        GUNICORN_BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="1",
        GUNICORN_ACCESS_LOG="-",
        GUNICORN_LOG_LEVEL="debug",
        WHYIACT_PASSWORD_HASH_METHOD="pbkdf2:sha256:1",
        PYTHONUNBUFFERED="1",
    )
    out, err = tmp_path / "stdout.log", tmp_path / "stderr.log"
    with out.open("wb") as stdout, err.open("wb") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(config), "app:create_app()"],
            cwd=ROOT,
            env=env,
            stdout=stdout,
            stderr=stderr,
        )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if Browser(port).get("/healthz")[0] == 200:
                    break
            except OSError:
                pass
            assert process.poll() is None, err.read_text()
            assert time.monotonic() < deadline, err.read_text()
            time.sleep(0.1)
        yield port, world, process, (out, err)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def volunteer_alone(port: int) -> tuple[str, list[str]]:
    me = Browser(port)
    me.get("/")
    assert me.post("/start", {"profile": "y", "org": "y"})[0] == 303
    token = re.search(r"/p/([A-Za-z0-9_-]{43})", me.get("/key")[2]).group(1)
    assert me.post("/take/cause", {"cause": "refugees"})[0] == 303
    for page in CURRENT.pages:
        answers = {f"item_{item.key}": "7" for item in CURRENT.page_items(page)}
        assert me.post(f"/take/page/{page.key}", answers)[0] == 303
    for scenario in CURRENT.scenarios:
        data = {"option": scenario.options[-1].key, "action": "choose"}
        assert me.post(f"/take/scenario/{scenario.key}", data)[0] == 303
    assert me.get("/me")[0] == 200
    elsewhere = Browser(port)
    assert elsewhere.get(f"/p/{token}")[0] == 303
    assert elsewhere.request("GET", "/me", headers={"Referer": f"http://x/p/{token}"})[0] == 200
    assert elsewhere.post("/me/delete", {"confirm": "y"})[0] == 303
    return token, [f"item_{item.key}" for item in CURRENT.items]


def volunteer_in_workshop(port: int) -> str:
    me = Browser(port)
    assert me.get(f"/j/{CODE_A}")[0] == 303
    assert me.post("/start", {"profile": "y", "room": "y"})[0] == 303
    token = re.search(r"/p/([A-Za-z0-9_-]{43})", me.get("/key")[2]).group(1)
    page = CURRENT.pages[0]
    answers = {f"item_{item.key}": "1" for item in CURRENT.page_items(page)}
    assert me.post(f"/take/page/{page.key}", answers)[0] == 303
    return token


def facilitator(port: int, world) -> None:
    me = Browser(port)
    assert me.post("/login", {"email": EMAILS["facilitator_a"], "password": PASSWORD})[0] == 303
    me.get("/staff")
    data = {"title": TITLE, "cause": "gender", "locale": "en", "k_room": "5", "scenarios": "y"}
    status, headers, _ = me.post("/staff/workshops/new", data)
    assert status == 303
    base = headers["Location"]
    me.post(f"{base}/open", {}, page=base)
    me.get(f"{base}/projector")
    me.get(f"{base}/room")
    me.get(f"{base}/room/count")
    me.post(f"{base}/close_round", {}, page=base)
    me.get(f"{base}/guide")
    me.get(f"/staff/workshops/{world.workshop_a}/room")
    me.post("/logout", {}, page="/staff")


def organizer(port: int) -> None:
    me = Browser(port)
    assert me.post("/login", {"email": EMAILS["organizer_a"], "password": PASSWORD})[0] == 303
    me.get("/staff/accounts")
    account = {
        "name": "Name Marker",
        "email": NEW_EMAIL,
        "password": NEW_PASSWORD,
        "facilitator": "y",
    }
    assert me.post("/staff/accounts/new", account)[0] == 303
    for path in ("/staff/dashboard", "/staff"):
        me.get(path)
    me.post("/logout", {}, page="/staff")


def attacker(port: int, token: str) -> list[str]:
    me = Browser(port)
    me.post("/login", {"email": WRONG_EMAIL, "password": "guessing-marker"})
    me.post("/login", {"email": EMAILS["facilitator_b"], "password": "guessing-marker"})
    codes = ["QQQ777", "WWW888", CODE_A.lower()]
    for code in codes:
        me.get(f"/j/{code}")
    me.post("/j", {"code": "RRR999"})
    for guess in (token[:-1] + "A", "z" * 43, token):
        me.get(f"/p/{guess}")
    me.request("GET", f"/p/{token}?lang={token}", headers={"Referer": f"http://x/p/{token}"})
    me.request("TRACE", f"/p/{token}")
    # A request gunicorn itself cannot parse: it logs a warning naming the client.
    with socket.create_connection(("127.0.0.1", port), 5, (CLIENT, 0)) as raw:
        raw.sendall(f"GARBAGE /p/{token} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        raw.recv(1024)
    return [*codes, "RRR999"]


def test_a_journey_of_every_role_leaves_nothing_personal_in_the_logs(server):
    port, world, process, (out, err) = server
    token, answer_fields = volunteer_alone(port)
    joined_token = volunteer_in_workshop(port)
    facilitator(port, world)
    organizer(port)
    codes = attacker(port, token)
    server_header = Browser(port).get("/")[1].get("Server", "")
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=20)
    log = out.read_text(errors="replace") + err.read_text(errors="replace")
    lines = log.splitlines()
    assert len(lines) > 100, "the access log and debug lines were written"
    assert any('"POST" 303' in line for line in lines), "the access log was on"
    assert re.search(rf"login by account {world.accounts['facilitator_a']}\b", log)
    assert re.search(rf"login by account {world.accounts['organizer_a']}\b", log)
    assert "failed login" in log
    assert "take finished" in log
    secrets_ = [token, token[:-1], joined_token, CODE_A, CODE_A.lower(), *codes]
    personal = [AGENT, "AgentMarker", FORWARDED, TITLE, NEW_EMAIL, NEW_PASSWORD, WRONG_EMAIL]
    personal += [*EMAILS.values(), PASSWORD, "guessing-marker", "Name Marker", *answer_fields]
    for line in lines:
        for value in secrets_ + personal:
            assert value not in line, (value, line)
        assert CLIENT not in line, line
        if STARTUP.match(line):
            continue  # gunicorn's settings and bind address, printed once at start
        assert not IPV4.search(line), line
        assert not IPV6.search(line), line
    # No version in gunicorn's own Server header either.
    assert not re.search(r"\d", server_header), server_header


def test_the_access_log_format_names_no_address_path_referer_or_agent():
    """gunicorn.conf.py: time, method, status, size and duration only."""
    namespace: dict = {}
    source = (ROOT / "gunicorn.conf.py").read_text()
    exec(compile(source, "gunicorn.conf.py", "exec"), namespace)  # noqa: S102 - our own file
    fmt = namespace["access_log_format"]
    for atom in ("%(h)s", "%(r)s", "%(U)s", "%(q)s", "%(f)s", "%(a)s", "%(u)s", "%({"):
        assert atom not in fmt, atom


def test_production_logs_an_error_without_its_traceback_or_values(prod_app):
    """An unexpected error is logged as such: no traceback, no message, no values in it."""
    import io
    import logging

    stream = io.StringIO()
    from app.logs import JsonFormatter

    for handler in logging.getLogger("app").handlers:
        if isinstance(handler.formatter, JsonFormatter):
            handler.setStream(stream)
    secret = "ValueMarker-" + "q" * 43

    @prod_app.get("/boom-for-log-test")
    def boom():
        raise RuntimeError(f"failed while holding {secret}")

    response = prod_app.test_client().get("/boom-for-log-test", base_url="https://localhost/")
    assert response.status_code == 500
    written = stream.getvalue()
    assert '"message": "unexpected error"' in written
    assert (
        "Traceback" not in written
        and "ValueMarker" not in written
        and "RuntimeError" not in written
    )
