"""The volunteer's core journey, step by step, as a phone without JavaScript walks it."""

from __future__ import annotations

import re
from collections.abc import Callable

from app.instruments import CURRENT
from bench.client import Browser, Response, UnexpectedResponse

TOKEN_LINK = re.compile(r"/p/([A-Za-z0-9_-]{43})")

#: Pages whose weight a phone pays: see ``walk(..., visit=...)``.
Visit = Callable[[str, Response], None]


def _no_pause() -> None:
    return None


def _no_visit(_name: str, _response: Response) -> None:
    return None


def page_answers(page_key: str, value: int) -> dict[str, str]:
    page = next(p for p in CURRENT.pages if p.key == page_key)
    return {f"item_{key}": str(value) for key in page.items}


def consent(browser: Browser, code: str | None, pause: Callable[[], None], visit: Visit) -> str:
    """Join by code (or open /start), consent, see the private link; return the token."""
    page = browser.get(f"/j/{code}" if code else "/start")
    visit("consent", page)
    pause()
    data = {"profile": "y", "org": "y"}
    if code:
        data["room"] = "y"
    moved = browser.submit(page, "/start", data)
    key = browser.get(moved.location)
    visit("key", key)
    found = TOKEN_LINK.search(key.text)
    if found is None:
        raise UnexpectedResponse("the key page shows no private link")
    return found.group(1)


def to_first_page(
    browser: Browser, code: str | None, cause: str, pause: Callable[[], None], visit: Visit
) -> Response:
    """From the key page to the first questionnaire page (choosing a cause without a code)."""
    pause()
    page = browser.get("/take")
    if not code:
        if not page.path.startswith("/take/cause"):
            raise UnexpectedResponse(f"expected the cause page, got {page.path}")
        visit("cause", page)
        pause()
        moved = browser.submit(page, "/take/cause", {"cause": cause})
        page = browser.get(moved.location)
    return page


def answer_pages(
    browser: Browser, page: Response, value: int, pause: Callable[[], None], visit: Visit
) -> Response:
    """Answer every questionnaire page; return the page shown after the last one."""
    for number, spec in enumerate(CURRENT.pages, start=1):
        action = f"/take/page/{spec.key}"
        if page.path != action:
            raise UnexpectedResponse(f"expected {action}, got {page.path}")
        visit(f"page {number} ({spec.key})", page)
        pause()
        moved = browser.submit(page, action, page_answers(spec.key, value))
        page = browser.get(moved.location)
    return page


def answer_scenarios(
    browser: Browser, page: Response, option: str, pause: Callable[[], None], visit: Visit
) -> Response:
    """Choose in every scenario and read each reflection; return the profile."""
    for number, scenario in enumerate(CURRENT.scenarios):
        action = f"/take/scenario/{scenario.key}"
        if page.path != action:
            raise UnexpectedResponse(f"expected {action}, got {page.path}")
        if number == 0:
            visit("scenario", page)
        pause()
        moved = browser.submit(page, action, {"option": option, "action": "choose"})
        reflection = browser.get(moved.location)
        if number == 0:
            visit("reflection", reflection)
        later = CURRENT.scenarios[number + 1 :]
        target = f"/take/scenario/{later[0].key}" if later else "/me"
        if f'href="{target}"' not in reflection.text:
            raise UnexpectedResponse(f"the reflection of {scenario.key} does not lead to {target}")
        pause()
        page = browser.get(target)
    return page


def walk(
    browser: Browser,
    code: str | None = None,
    cause: str = "gender",
    value: int = 5,
    option: str = "a",
    pause: Callable[[], None] = _no_pause,
    visit: Visit = _no_visit,
    until: str = "profile",
) -> str:
    """The whole core journey (or up to ``until`` = "first_page"); return the private token.

    ``pause`` runs before every action a person takes on a page shown to them
    (posting a form, following a link); redirects are followed at once, as a
    browser does. ``visit`` sees every distinct kind of page once.
    """
    token = consent(browser, code, pause, visit)
    page = to_first_page(browser, code, cause, pause, visit)
    if until == "first_page":
        return token
    page = answer_pages(browser, page, value, pause, visit)
    profile = answer_scenarios(browser, page, option, pause, visit)
    if profile.path != "/me":
        raise UnexpectedResponse(f"expected the profile, got {profile.path}")
    visit("profile", profile)
    return token
