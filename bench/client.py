"""A small browser without JavaScript: http.client, explicit cookies, forms read from HTML.

Production settings make the app's cookies ``Secure`` with ``__Host-`` names. A real
browser would not send them back over plain http; the bench talks to 127.0.0.1 over
http, so this client keeps its own cookie jar and sends every cookie back whatever
its ``Secure`` flag says. Only loopback addresses are ever contacted.
"""

from __future__ import annotations

import gzip
import html
import http.client
import re
import time
import urllib.parse
from dataclasses import dataclass, field
from html.parser import HTMLParser

LOOPBACK = ("127.0.0.1", "localhost", "::1")


class UnexpectedResponse(RuntimeError):
    """A step of the journey did not get the status it needs."""


@dataclass
class Response:
    method: str
    path: str
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    seconds: float
    #: Bytes of the body as sent over the wire (compressed when the server compressed it).
    wire_bytes: int = 0

    def header(self, name: str) -> str | None:
        name = name.lower()
        return next((v for k, v in self.headers if k.lower() == name), None)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    @property
    def location(self) -> str:
        target = self.header("Location") or ""
        parts = urllib.parse.urlsplit(target)
        return parts.path + (f"?{parts.query}" if parts.query else "")


@dataclass
class Page:
    """What a browser sees of an HTML page: its forms and the resources it loads."""

    forms: list[dict] = field(default_factory=list)
    resources: list[tuple[str, str]] = field(default_factory=list)  # (kind, url)
    links: list[str] = field(default_factory=list)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._form: dict | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._form = {"action": a.get("action", ""), "method": a.get("method", "get")}
            self._form["hidden"] = {}
            self.page.forms.append(self._form)
        elif tag == "input" and self._form is not None and a.get("type") == "hidden":
            if a.get("name"):
                self._form["hidden"][a["name"]] = a.get("value", "")
        elif tag == "link" and a.get("href"):
            rel = a.get("rel", "").lower()
            kind = "css" if "stylesheet" in rel else "icon" if "icon" in rel else rel or "link"
            self.page.resources.append((kind, a["href"]))
        elif tag == "script" and a.get("src"):
            self.page.resources.append(("js", a["src"]))
        elif tag in ("img", "iframe", "source", "video", "audio") and a.get("src"):
            self.page.resources.append((tag, a["src"]))
        elif tag == "a" and a.get("href"):
            self.page.links.append(a["href"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None


def read_page(html: str) -> Page:
    reader = _Reader()
    reader.feed(html)
    return reader.page


_FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S | re.I)
_INPUT = re.compile(r"<input\b([^>]*)>", re.I)
_ATTRIBUTE = re.compile(r"([\w-]+)\s*=\s*\"([^\"]*)\"")


def _attributes(tag: str) -> dict[str, str]:
    return {k.lower(): html.unescape(v) for k, v in _ATTRIBUTE.findall(tag)}


def hidden_fields(text: str, action: str) -> dict[str, str]:
    """The hidden fields of the first form whose action ends with ``action``.

    Regular expressions rather than HTMLParser: 500 phones parse thousands of pages
    on the same two cores as the server, and this is ten times cheaper.
    """
    for start, inner in _FORM.findall(text):
        if not _attributes(start).get("action", "").split("?")[0].endswith(action):
            continue
        fields = {}
        for tag in _INPUT.findall(inner):
            a = _attributes(tag)
            if a.get("type", "").lower() == "hidden" and a.get("name"):
                fields[a["name"]] = a.get("value", "")
        return fields
    raise UnexpectedResponse(f"no form posting to {action}")


_ROUTES = (
    (re.compile(r"^/take/page/[^/?]+"), "/take/page/<p>"),
    (re.compile(r"^/take/deeper/[^/?]+"), "/take/deeper/<p>"),
    (re.compile(r"^/take/scenario/[^/?]+"), "/take/scenario/<s>"),
    (re.compile(r"^/j/[^?]+"), "/j/<code>"),
    (re.compile(r"^/p/[^?]+"), "/p/<token>"),
    (re.compile(r"/\d+"), "/<id>"),
)


def route_of(path: str) -> str:
    """The route a path belongs to, without tokens, codes or keys: for statistics."""
    path = path.split("?")[0]
    for pattern, name in _ROUTES:
        path = pattern.sub(name, path)
    return path


def _parse_set_cookie(value: str) -> tuple[str, str, bool]:
    """(name, value, deleted) from one Set-Cookie header."""
    first, *attributes = value.split(";")
    name, _, cookie = first.strip().partition("=")
    deleted = False
    for attribute in attributes:
        key, _, arg = attribute.strip().partition("=")
        key = key.lower()
        expired = key == "max-age" and arg.strip().lstrip("-").isdigit() and int(arg) <= 0
        if expired or (key == "expires" and "1970" in arg):
            deleted = True
    return name, cookie.strip('"'), deleted


class Browser:
    """One phone or one staff browser: its own cookies, a new connection per request.

    Gunicorn's sync workers close the connection after every response, so keeping
    connections would buy nothing here.
    """

    def __init__(self, host: str, port: int, timeout: float = 30.0, language: str = "en"):
        if host not in LOOPBACK:
            raise ValueError(f"the bench only talks to loopback, not {host!r}")
        self.host, self.port, self.timeout = host, port, timeout
        self.cookies: dict[str, str] = {}
        self.language = language
        #: Send ``Accept-Encoding: gzip`` (and unpack what comes back gzipped).
        self.accept_gzip = False
        #: ("METHOD /route/<pattern>", status, seconds) of every request, for statistics.
        self.log: list[tuple[str, int, float]] = []

    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def request(
        self,
        method: str,
        path: str,
        form: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
        body: bytes | None = None,
    ) -> Response:
        send = {
            "Host": f"{self.host}:{self.port}",
            "User-Agent": "whyiact-bench/1",
            "Accept": "text/html,application/xhtml+xml",
            "Accept-Language": self.language,
        }
        if self.accept_gzip:
            send["Accept-Encoding"] = "gzip"
        if self.cookies:
            send["Cookie"] = self.cookie_header()
        if form is not None:
            body = urllib.parse.urlencode(form).encode()
            send["Content-Type"] = "application/x-www-form-urlencoded"
        send.update(headers or {})
        started = time.perf_counter()
        connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            connection.request(method, path, body=body, headers=send)
            raw = connection.getresponse()
            data = raw.read()
            got = raw.getheaders()
            status = raw.status
        finally:
            connection.close()
        seconds = time.perf_counter() - started
        wire = len(data)
        if any(k.lower() == "content-encoding" and v.lower() == "gzip" for k, v in got):
            data = gzip.decompress(data)
        for key, value in got:
            if key.lower() == "set-cookie":
                name, cookie, deleted = _parse_set_cookie(value)
                if deleted:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = cookie
        self.log.append((f"{method} {route_of(path)}", status, seconds))
        return Response(method, path, status, got, data, seconds, wire)

    def get(self, path: str, expect: int | None = 200, follow: bool = True, **kw) -> Response:
        response = self.request("GET", path, **kw)
        hops = 0
        while follow and response.status in (301, 302, 303, 307, 308) and hops < 5:
            hops += 1
            response = self.request("GET", response.location)
        return _expect(response, expect)

    def post(
        self,
        path: str,
        form: dict[str, str],
        expect: int | None = 303,
        follow: bool = False,
    ) -> Response:
        response = _expect(self.request("POST", path, form=form), expect)
        if follow and response.status in (301, 302, 303):
            return self.get(response.location)
        return response

    def submit(
        self, page: Response, action: str, data: dict[str, str], expect: int | None = 303
    ) -> Response:
        """Post the form of ``page`` going to ``action``: its hidden fields plus ``data``."""
        fields = hidden_fields(page.text, action)
        fields.update(data)
        return self.post(action, fields, expect=expect)


def _expect(response: Response, status: int | None) -> Response:
    if status is not None and response.status != status:
        snippet = response.text[:300].replace("\n", " ")
        raise UnexpectedResponse(
            f"{response.method} {response.path}: {response.status}, expected {status}: {snippet}"
        )
    return response
