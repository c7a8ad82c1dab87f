"""The volunteer journey in Arabic, right to left, on a 360 x 740 phone screen.

A person chooses Arabic with the language switch and walks to the profile, once with
JavaScript and once without. With JavaScript every page is checked for its direction,
for sideways scrolling and by axe-core, and the parts that must mirror are measured:
the Likert scale runs from 1 at the right to 7 at the left, its anchors read right to
left, and the progress bar and the profile's bars fill from the right. The keyboard
walks the consent page and a page of scales forward with a visible focus at every stop;
errors and blank answers are tied to their fields. axe-core runs with its rule for
24 px targets switched on. Screenshots (``test-artifacts/ar-*.png``) are for a person
to look at.

Buttons and links are found by their place in the page, never by their English names.
"""

from __future__ import annotations

import json
import os
import re
import struct
import zlib
from collections.abc import Callable
from urllib.parse import urlsplit

import pytest

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

try:
    from playwright.sync_api import Browser, Page, expect

    from tests.browser.test_volunteer_browser import (
        AXE_SOURCE,
        BLOCKING_IMPACTS,
        assert_same_origin,
        assert_server_saw,
        scroll_width,
        track_requests,
    )
except ImportError:  # the dev extra is not installed
    if IN_CI:
        raise
    pytest.skip("playwright / axe-playwright-python are not installed", allow_module_level=True)

pytestmark = pytest.mark.browser

VIEWPORT = {"width": 360, "height": 740}
SCREENSHOTS = {"landing", "consent-error", "key", "cause", "page-1-blanks", "page-1-answered"}
SCREENSHOTS |= {"scenario-1", "reflection-1", "profile"}
LIKERT_PATTERN = (2, 6, 4, 7, 1, 5, 3, 6)
SUBMIT = "main form button[type=submit]"

Visit = Callable[[str], None]


# --- axe-core and the keyboard ---------------------------------------------------------


def run_axe(page: Page) -> list[dict]:
    """axe-core's violations for the page as users get it (its CSP still applies), with
    the rule for target sizes (24 x 24 px, WCAG 2.2), which axe leaves off by default."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_SOURCE)
    return page.evaluate(
        """async () => {
            const result = await axe.run(document, {
                resultTypes: ['violations'],
                rules: {'target-size': {enabled: true}},
            });
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary})),
            }));
        }"""
    )


def blocking_violations(found: dict[str, list[dict]]) -> list[str]:
    return [
        f"{name}: {v['id']} ({v['impact']}) {v['help']} -> "
        + "; ".join(n["target"] for n in v["nodes"])
        for name, violations in found.items()
        for v in violations
        if v["impact"] in BLOCKING_IMPACTS
    ]


FOCUSED = """() => {
    const el = document.activeElement;
    if (!el || el === document.body || el === document.documentElement) { return null; }
    const walk = window.focusWalk;
    const previous = walk[walk.length - 1];
    const again = walk.includes(el);
    walk.push(el);
    // A Likert radio is invisible over its numbered box, which shows the focus.
    const shown = el.matches('.point input') ? el.nextElementSibling : el;
    const style = getComputedStyle(shown);
    const box = shown.getBoundingClientRect();
    return {
        name: el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
            + (el.name ? '[name=' + el.name + ']' : '')
            + ' ' + (el.textContent || '').trim().slice(0, 30),
        again: again,
        forward: !previous
            || !!(previous.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING),
        focusVisible: el.matches(':focus-visible'),
        outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
        inView: box.width > 0 && box.height > 0 && box.bottom > 0 && box.top < innerHeight
            && box.right > 0 && box.left < innerWidth,
    };
}"""


def assert_keyboard_walk(page: Page, least: int) -> list[str]:
    """Tab from the top to the end: focus moves forward through the page in document
    order, every stop shows a visible outline of 2 px or more, and is on the screen."""
    page.evaluate(
        "() => { window.focusWalk = []; document.activeElement?.blur(); scrollTo(0, 0); }"
    )
    stops: list[dict] = []
    for _ in range(120):
        page.keyboard.press("Tab")
        stop = page.evaluate(FOCUSED)
        if stop is None or stop["again"]:
            break
        stops.append(stop)
    names = [stop["name"] for stop in stops]
    assert len(stops) >= least, f"only {len(stops)} keyboard stops: {names}"
    assert stops[0]["name"].startswith("a "), f"the skip link is not first: {names[0]}"
    backwards = [stop["name"] for stop in stops if not stop["forward"]]
    assert not backwards, f"focus jumps back in the page at: {backwards}"
    hidden = [stop["name"] for stop in stops if not (stop["focusVisible"] and stop["outline"])]
    assert not hidden, f"no visible focus on: {hidden}"
    offscreen = [stop["name"] for stop in stops if not stop["inView"]]
    assert not offscreen, f"focused but off the screen: {offscreen}"
    return names


# --- Reading pixels: a tiny PNG decoder for Chromium's screenshots ------------------------


def png_rows(data: bytes) -> list[list[tuple[int, int, int]]]:
    """The RGB pixels of an 8-bit, non-interlaced RGB or RGBA PNG, row by row."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
    assert header is not None
    width, height, depth, colour, _, _, interlace = header
    assert depth == 8 and colour in (2, 6) and interlace == 0, header
    step = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * step
    rows, previous = [], bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - step] if i >= step else 0
            b = previous[i]
            c = previous[i - step] if i >= step else 0
            if kind == 1:
                line[i] = (line[i] + a) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + b) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 0xFF
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else b if pb <= pc else c
                line[i] = (line[i] + pred) & 0xFF
        rows.append([tuple(line[x : x + 3]) for x in range(0, stride, step)])
        previous = line
    return rows


def darkness(pixels: list[tuple[int, int, int]]) -> float:
    """How dark a run of pixels is on average: 0 for white, 255 for black."""
    return 255 - sum(sum(p) / 3 for p in pixels) / len(pixels)


# --- Checks -------------------------------------------------------------------------------


def assert_right_to_left(page: Page) -> None:
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    assert page.evaluate("() => getComputedStyle(document.body).direction") == "rtl"
    assert page.evaluate("() => getComputedStyle(document.querySelector('main')).direction") == (
        "rtl"
    )


def centre(box: dict) -> float:
    return box["x"] + box["width"] / 2


def assert_likert_mirrors(page: Page) -> None:
    """Point 1 sits at the right, 7 at the left; the anchors read the same way."""
    for index in range(page.locator("fieldset.likert").count()):
        item = page.locator("fieldset.likert").nth(index)
        points = [item.locator(".num").nth(n).bounding_box() for n in range(7)]
        assert all(points), "a Likert point is not rendered"
        xs = [centre(box) for box in points]
        assert xs == sorted(xs, reverse=True), f"points are not in right-to-left order: {xs}"
        assert points[0]["x"] > points[6]["x"]
        assert points[0]["x"] + points[0]["width"] <= VIEWPORT["width"]
        assert points[6]["x"] >= 0
        # The anchors: "strongly disagree" under point 1 (right), "strongly agree" under 7.
        anchors = item.locator(".anchors span")
        first, middle, last = (anchors.nth(n).bounding_box() for n in range(3))
        assert first and middle and last
        assert first["x"] > middle["x"] > last["x"], (first, middle, last)
        first_text = anchors.nth(0).evaluate(
            "el => { const r = document.createRange(); r.selectNodeContents(el);"
            " const b = r.getBoundingClientRect(); return [b.left, b.right]; }"
        )
        # The first anchor's text hugs the right edge, under point 1.
        point_one_right = points[0]["x"] + points[0]["width"]
        assert abs(first_text[1] - point_one_right) < 4, (first_text, point_one_right)


def assert_progress_fills_from_the_right(page: Page) -> None:
    """At step 1 of many, only the bar's right end is filled."""
    bar = page.locator(".progress progress")
    expect(bar).to_be_visible()
    value, total = bar.evaluate("el => [el.value, el.max]")
    assert 0 < value / total < 0.5, (value, total)
    rows = png_rows(bar.screenshot())
    middle = rows[len(rows) // 2]
    tenth = max(2, len(middle) // 10)
    right, left = darkness(middle[-tenth:]), darkness(middle[:tenth])
    assert right > left + 40, (
        f"progress fill is not at the right: right {right:.0f}, left {left:.0f}"
    )


def assert_bars_fill_from_the_right(page: Page) -> None:
    """Each profile bar's fill is anchored at the bar's right edge (mirrored with CSS)."""
    bars = page.locator("svg.bar")
    assert bars.count() >= 4, "the profile shows no bars"
    for index in range(bars.count()):
        svg = bars.nth(index).bounding_box()
        fill = bars.nth(index).locator("rect.fill").bounding_box()
        assert svg and fill
        share = fill["width"] / svg["width"]
        assert 0.02 < share < 0.98, f"bar {index}: a share of {share:.2f} shows no direction"
        assert abs((fill["x"] + fill["width"]) - (svg["x"] + svg["width"])) < 1, (index, fill, svg)
        assert fill["x"] > svg["x"] + 1, (index, fill, svg)


# --- The journey --------------------------------------------------------------------------


def assert_blanks_are_tied_to_their_statements(page: Page) -> None:
    """Continue with nothing answered: one alert, and each scale points to its own note."""
    page.locator("button[name=action][value=save]").click()
    expect(page.locator("main p.notice[role=alert]")).to_have_count(1)
    items = page.locator("fieldset.likert")
    for index in range(items.count()):
        item = items.nth(index)
        described = item.get_attribute("aria-describedby")
        assert described, f"scale {index} has no description of its blank"
        expect(item.locator(f"[id='{described}']")).to_be_visible()
        expect(item.locator("legend")).to_have_count(1)


def walk_arabic_journey(page: Page, origin: str, visit: Visit, *, check_layout: bool) -> None:
    """Landing to profile in Arabic, chosen with the language switch; ``visit`` every page."""

    def seen(name: str) -> None:
        page.wait_for_load_state("load")
        assert_right_to_left(page)
        visit(name)

    page.goto(origin + "/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    switch = page.locator("nav.langs a[hreflang=ar]")
    expect(switch).to_have_attribute("lang", "ar")
    switch.click()
    expect(page).to_have_url(origin + "/?lang=ar")
    seen("landing")
    page.locator("main a.button[href='/start']").click()
    expect(page).to_have_url(origin + "/start")
    seen("consent")

    if check_layout:
        assert_keyboard_walk(page, least=10)
    page.locator(SUBMIT).click()  # nothing ticked: the error is tied to its box
    expect(page.locator("#profile-error")).to_be_visible()
    expect(page.locator("#profile")).to_have_attribute("aria-describedby", "profile-error")
    expect(page.locator("#profile")).to_have_attribute("aria-invalid", "true")
    seen("consent-error")
    page.locator("label[for=profile]").click()
    expect(page.locator("#profile")).to_be_checked()
    page.locator(SUBMIT).click()

    expect(page).to_have_url(origin + "/key")
    seen("key")
    page.locator("main a.button[href='/take']").click()

    expect(page).to_have_url(origin + "/take/cause")
    seen("cause")
    page.locator("label.choice", has=page.locator("input[value=refugees]")).click()
    expect(page.locator("input[name=cause][value=refugees]")).to_be_checked()
    page.locator(SUBMIT).click()

    for number in range(1, 5):
        expect(page).to_have_url(f"{origin}/take/page/p{number}")
        if check_layout and number == 1:
            assert_progress_fills_from_the_right(page)
        seen(f"page-{number}")
        items = page.locator("fieldset.likert")
        expect(items).to_have_count(4)
        if check_layout:
            assert_likert_mirrors(page)
        if check_layout and number == 1:
            assert_keyboard_walk(page, least=12)
            assert_blanks_are_tied_to_their_statements(page)
            seen("page-1-blanks")
        for index in range(items.count()):
            item = items.nth(index)
            value = LIKERT_PATTERN[(index + number) % len(LIKERT_PATTERN)]
            item.locator("label.point").nth(value - 1).click()
            expect(item.locator(f"input[value='{value}']")).to_be_checked()
        seen(f"page-{number}-answered")
        page.locator("button[name=action][value=save]").click()

    expect(page).to_have_url(re.compile(r"/take/scenario/[\w-]+$"))
    scenario = 0
    while "/take/scenario/" in page.url:
        scenario += 1
        assert scenario <= 20, "the scenarios never end"
        seen(f"scenario-{scenario}")
        choices = page.locator("label.choice")
        choices.nth(scenario % choices.count()).click()
        page.locator("button[name=action][value=choose]").click()
        expect(page.locator("section.reflection")).to_be_visible()
        seen(f"reflection-{scenario}")
        before = page.url
        page.locator("main a.button").click()
        page.wait_for_url(lambda url, before=before: url != before)

    expect(page).to_have_url(origin + "/me")
    expect(page.locator("h2#mix")).to_be_visible()
    if check_layout:
        assert_bars_fill_from_the_right(page)
    seen("profile")


# --- Tests --------------------------------------------------------------------------------


def test_arabic_journey_mirrors_with_javascript(page: Page, live_server, artifacts):
    origin = live_server.url
    urls = track_requests(page)
    assert page.viewport_size == VIEWPORT
    visited: list[str] = []
    too_wide: dict[str, int] = {}
    found: dict[str, list[dict]] = {}

    def visit(name: str) -> None:
        visited.append(name)
        if (width := scroll_width(page)) > VIEWPORT["width"]:
            too_wide[name] = width
        found[name] = run_axe(page)
        if name in SCREENSHOTS:
            page.screenshot(path=artifacts / f"ar-{name}.png", full_page=True)

    walk_arabic_journey(page, origin, visit, check_layout=True)

    (artifacts / "axe-ar-violations.json").write_text(json.dumps(found, indent=2))
    assert {"consent-error", "page-1-blanks", "reflection-1", "profile"} <= set(found)
    assert len([n for n in visited if n.startswith("scenario-")]) >= 3, visited
    assert not too_wide, f"Arabic pages that scroll sideways at 360 px: {too_wide}"
    blocking = blocking_violations(found)
    assert not blocking, "axe-core found serious or critical violations:\n" + "\n".join(blocking)
    assert_same_origin(urls, origin)
    assert_server_saw(live_server, "/?lang=ar", "/start", "/key", "/take/cause", "/me")


def test_arabic_journey_without_javascript(browser: Browser, live_server, artifacts):
    origin = live_server.url
    context = browser.new_context(java_script_enabled=False, viewport=dict(VIEWPORT))
    try:
        page = context.new_page()
        urls = track_requests(page)
        visited: list[str] = []
        too_wide: dict[str, int] = {}

        def visit(name: str) -> None:
            visited.append(name)
            if (width := scroll_width(page)) > VIEWPORT["width"]:
                too_wide[name] = width
            if name in ("page-1-answered", "profile"):
                page.screenshot(path=artifacts / f"ar-nojs-{name}.png", full_page=True)

        walk_arabic_journey(page, origin, visit, check_layout=False)

        assert visited[-1] == "profile"
        assert not too_wide, f"Arabic pages that scroll sideways at 360 px: {too_wide}"
        assert_same_origin(urls, origin)
        assert not any(urlsplit(url).path.endswith(".js") for url in urls), urls
    finally:
        context.close()
