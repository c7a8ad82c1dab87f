"""Read forms out of rendered HTML the way a browser without JavaScript would."""

from __future__ import annotations

from html.parser import HTMLParser


class _Forms(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._current: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._current = {
                "action": attrs.get("action"),
                "method": attrs.get("method"),
                "hidden": {},
                "names": set(),
            }
            self.forms.append(self._current)
        elif tag in ("input", "button", "select", "textarea") and self._current is not None:
            name = attrs.get("name")
            if not name:
                return
            self._current["names"].add(name)
            if attrs.get("type") == "hidden":
                self._current["hidden"][name] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None


def forms(html: str) -> list[dict]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


def form(html: str, action_contains: str = "") -> dict:
    """The first form whose action contains ``action_contains``."""
    for candidate in forms(html):
        if action_contains in (candidate["action"] or ""):
            return candidate
    raise AssertionError(f"no form with action containing {action_contains!r}")


def hidden(html: str, action_contains: str = "") -> dict[str, str]:
    """The hidden fields (CSRF token, nonce, ...) of a form, ready to post back."""
    return dict(form(html, action_contains)["hidden"])
