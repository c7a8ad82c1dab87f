"""The volunteer journey in a real browser, on a 360 x 740 phone screen.

Debian's Chromium (see conftest.py) walks the whole journey with JavaScript on and
off, runs axe-core on every page, checks that nothing is fetched from another
origin and that the Likert scale can be used with a keyboard. Screenshots for a
person to look at land in ``test-artifacts/``.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import pytest

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

try:
    import axe_playwright_python
    from playwright.sync_api import Browser, Page, expect
except ImportError:  # the dev extra is not installed
    if IN_CI:
        raise
    pytest.skip("playwright / axe-playwright-python are not installed", allow_module_level=True)

pytestmark = pytest.mark.browser

VIEWPORT = {"width": 360, "height": 740}  # as in conftest.browser_context_args
#: axe-core as bundled by axe-playwright-python; read once, injected into each page.
AXE_SOURCE = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()
BLOCKING_IMPACTS = ("serious", "critical")
#: Pages that get a screenshot in the JavaScript run.
SCREENSHOTS = {
    "consent",
    "key",
    "page-1",
    "page-1-answered",
    "scenario-1",
    "reflection-1",
    "profile",
}
LIKERT_PATTERN = (5, 6, 3, 7, 2, 4, 6, 5)
REQUEST_LINE = re.compile(r'"([A-Z]+) (\S+) HTTP/[\d.]+" (\d{3})')
ANSI = re.compile(r"\x1b\[[0-9;]*m")  # werkzeug colours non-200 lines even in a file

Visit = Callable[[str], None]


# --- Helpers ----------------------------------------------------------------------------


def track_requests(page: Page) -> list[str]:
    """Every URL the page asks for, in order (Chromium's own background traffic is not seen)."""
    urls: list[str] = []
    page.on("request", lambda request: urls.append(request.url))
    return urls


def assert_same_origin(urls: list[str], origin: str) -> None:
    assert urls, "the page made no requests at all"
    foreign = [url for url in urls if not url.startswith(origin + "/")]
    assert not foreign, f"requests outside {origin}: {foreign}"


def scroll_width(page: Page) -> int:
    """The page's settled width: a wide reading is taken again once, after a pause,
    since a page can be briefly wider mid-layout (seen once in about 40 runs)."""
    width = page.evaluate("() => document.documentElement.scrollWidth")
    if width > VIEWPORT["width"]:
        page.wait_for_timeout(300)
        width = page.evaluate("() => document.documentElement.scrollWidth")
    return width


def run_axe(page: Page) -> list[dict]:
    """axe-core's violations for the page as users get it (its CSP still applies)."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_SOURCE)
    return page.evaluate(
        """async () => {
            const result = await axe.run(document, {resultTypes: ['violations']});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary})),
            }));
        }"""
    )


def server_requests(log: str) -> list[tuple[str, str, int]]:
    """(method, path, status) for each request line in the development server's log."""
    return [(m[1], m[2], int(m[3])) for m in REQUEST_LINE.finditer(ANSI.sub("", log))]


def assert_server_saw(live_server, *paths: str) -> None:
    """The server log lists ``paths`` (it also shows requests that page.on misses,
    such as the favicon) and not a single 5xx or traceback."""
    log = live_server.log()
    lines = server_requests(log)
    seen = {path for _, path, _ in lines} | {path.split("?", 1)[0] for _, path, _ in lines}
    assert set(paths) <= seen, f"not in the server log: {set(paths) - seen}"
    failed = [line for line in lines if line[2] >= 500]
    assert not failed, failed
    assert "Traceback" not in log, log[-3000:]


def loaded(page: Page, visit: Visit) -> Visit:
    """``visit`` once the page has its stylesheet: a URL change alone is too early."""

    def after_load(name: str) -> None:
        page.wait_for_load_state("load")
        visit(name)

    return after_load


def walk_journey(page: Page, origin: str, visit: Visit, *, empty_consent_first=False) -> None:
    """Landing to profile as a volunteer would, calling ``visit(name)`` on every page."""
    visit = loaded(page, visit)
    page.goto(origin + "/")
    visit("landing")
    page.get_by_role("link", name="Begin").click()
    expect(page).to_have_url(origin + "/start")
    visit("consent")
    if empty_consent_first:
        page.get_by_role("button", name="Agree and continue").click()
        expect(page.locator("#profile-error")).to_be_visible()
        visit("consent-error")
    page.locator("label[for=profile]").click()
    page.locator("label[for=org]").click()
    expect(page.locator("#profile")).to_be_checked()
    page.get_by_role("button", name="Agree and continue").click()

    expect(page).to_have_url(origin + "/key")
    expect(page.locator(".key a")).to_have_attribute("href", re.compile(r"/p/[A-Za-z0-9_-]{43}$"))
    visit("key")
    page.get_by_role("link", name="I have saved it. Continue").click()

    expect(page).to_have_url(origin + "/take/cause")
    visit("cause")
    page.locator("label.choice", has=page.locator("input[value=gender]")).click()
    expect(page.locator("input[name=cause][value=gender]")).to_be_checked()
    page.get_by_role("button", name="Continue").click()

    for number in range(1, 5):
        expect(page).to_have_url(f"{origin}/take/page/p{number}")
        visit(f"page-{number}")
        items = page.locator("fieldset.likert")
        expect(items).to_have_count(4)
        for index in range(items.count()):
            item = items.nth(index)
            value = LIKERT_PATTERN[(index + number) % len(LIKERT_PATTERN)]
            # Click the numbered box a person sees (the radio lies invisibly over it).
            item.locator("label.point").nth(value - 1).click()
            expect(item.locator(f"input[value='{value}']")).to_be_checked()
        visit(f"page-{number}-answered")
        page.get_by_role("button", name="Continue").click()

    expect(page).to_have_url(re.compile(r"/take/scenario/[\w-]+$"))
    scenario = 0
    while "/take/scenario/" in page.url:
        scenario += 1
        assert scenario <= 20, "the scenarios never end"
        expect(page.get_by_role("button", name="Choose")).to_be_visible()
        visit(f"scenario-{scenario}")
        page.locator("label.choice").first.click()
        expect(page.locator("input[name=option]").first).to_be_checked()
        page.get_by_role("button", name="Choose").click()
        expect(page.get_by_role("heading", name="You chose")).to_be_visible()
        visit(f"reflection-{scenario}")
        before = page.url
        page.get_by_role("link", name=re.compile(r"^(Continue|See my profile)$")).click()
        page.wait_for_url(lambda url, before=before: url != before)

    expect(page).to_have_url(origin + "/me")
    expect(page.get_by_role("heading", name="Your mix of reasons")).to_be_visible()
    visit("profile")


def delete_everything(page: Page, origin: str, visit: Visit) -> None:
    visit = loaded(page, visit)
    page.get_by_role("link", name="Delete everything").click()
    expect(page).to_have_url(origin + "/me/delete")
    visit("delete")
    page.locator("label[for=confirm]").click()
    expect(page.locator("#confirm")).to_be_checked()
    page.get_by_role("button", name="Delete everything").click()
    expect(page).to_have_url(origin + "/me/deleted")
    expect(page.get_by_role("heading", name="Everything is deleted")).to_be_visible()
    visit("deleted")


# --- Tests ------------------------------------------------------------------------------


def test_whole_journey_with_javascript(page: Page, live_server, artifacts):
    origin = live_server.url
    urls = track_requests(page)
    assert page.viewport_size == VIEWPORT
    visited: list[str] = []
    too_wide: dict[str, int] = {}

    def visit(name: str) -> None:
        visited.append(name)
        width = scroll_width(page)
        if width > VIEWPORT["width"]:
            too_wide[name] = width
        if name in SCREENSHOTS:
            page.screenshot(path=artifacts / f"js-{name}.png", full_page=True)

    walk_journey(page, origin, visit)

    assert len([name for name in visited if name.startswith("scenario-")]) >= 3, visited
    assert not too_wide, f"pages that scroll sideways at 360 px (scrollWidth): {too_wide}"
    assert_same_origin(urls, origin)
    assert any(urlsplit(url).path == "/static/app.css" for url in urls), urls
    assert_server_saw(live_server, "/", "/start", "/key", "/take/cause", "/me")
    assert_server_saw(live_server, "/static/app.css", "/static/favicon.svg")


def test_journey_without_javascript_then_delete_everything(
    browser: Browser, live_server, artifacts
):
    origin = live_server.url
    context = browser.new_context(java_script_enabled=False, viewport=dict(VIEWPORT))
    try:
        page = context.new_page()
        urls = track_requests(page)
        visited: list[str] = []
        too_wide: dict[str, int] = {}

        def visit(name: str) -> None:
            visited.append(name)
            # page.evaluate runs in Playwright's own world even with the page's JS off.
            if (width := scroll_width(page)) > VIEWPORT["width"]:
                too_wide[name] = width
            if name in ("page-1-answered", "delete", "deleted"):
                page.screenshot(path=artifacts / f"nojs-{name}.png", full_page=True)

        walk_journey(page, origin, visit)
        delete_everything(page, origin, visit)

        assert visited[-2:] == ["delete", "deleted"]
        assert not too_wide, f"pages that scroll sideways at 360 px (scrollWidth): {too_wide}"
        gone = page.goto(origin + "/me")
        assert gone is not None and gone.status == 404
        assert_same_origin(urls, origin)
        assert not any(url.endswith(".js") for url in urls), urls
        assert_server_saw(live_server, "/me/delete", "/me/deleted")
    finally:
        context.close()


def test_axe_finds_no_serious_violations_on_any_page(page: Page, live_server, artifacts):
    origin = live_server.url
    urls = track_requests(page)
    found: dict[str, list[dict]] = {}

    def visit(name: str) -> None:
        found[name] = run_axe(page)

    walk_journey(page, origin, visit, empty_consent_first=True)
    delete_everything(page, origin, visit)
    missing = page.goto(origin + "/p/not-a-token")
    assert missing is not None and missing.status == 404
    visit("not-found")

    (artifacts / "axe-violations.json").write_text(json.dumps(found, indent=2))
    assert {"consent-error", "page-4", "reflection-1", "profile", "deleted", "not-found"} <= set(
        found
    )
    blocking = [
        f"{name}: {v['id']} ({v['impact']}) {v['help']} -> "
        + "; ".join(n["target"] for n in v["nodes"])
        for name, violations in found.items()
        for v in violations
        if v["impact"] in BLOCKING_IMPACTS
    ]
    assert not blocking, "axe-core found serious or critical violations:\n" + "\n".join(blocking)
    assert_same_origin(urls, origin)
    assert_server_saw(live_server, "/p/[redacted]")


def test_keyboard_reaches_the_likert_scale_with_a_visible_focus(page: Page, live_server, artifacts):
    origin = live_server.url
    page.goto(origin + "/start")
    page.locator("label[for=profile]").click()
    page.get_by_role("button", name="Agree and continue").click()
    page.get_by_role("link", name="I have saved it. Continue").click()
    page.locator("label.choice").first.click()
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(origin + "/take/page/p1")

    first = page.locator("fieldset.likert").first
    radio = first.locator("input[type=radio]").first
    box = first.locator(".num").first
    outline = "el => { const s = getComputedStyle(el); return [s.outlineStyle, s.outlineWidth]; }"
    assert box.evaluate(outline)[0] == "none"

    page.keyboard.press("Tab")
    skip = page.locator("a.skip")
    expect(skip).to_be_focused()
    skip_box = skip.bounding_box()
    assert skip_box and 0 <= skip_box["x"] < VIEWPORT["width"], "skip link stays off screen"

    for _ in range(30):
        if radio.evaluate("el => el === document.activeElement"):
            break
        page.keyboard.press("Tab")
    expect(radio).to_be_focused()
    assert radio.evaluate("el => el.matches(':focus-visible')")
    style, width = box.evaluate(outline)
    assert style != "none" and float(width.removesuffix("px")) >= 2, (style, width)
    first.screenshot(path=artifacts / "js-keyboard-focus.png")

    page.keyboard.press("Space")
    expect(radio).to_be_checked()
    page.keyboard.press("ArrowRight")
    second = first.locator("input[type=radio]").nth(1)
    expect(second).to_be_checked()
    expect(second).to_be_focused()
    assert first.locator(".num").nth(1).evaluate(outline)[0] != "none"
