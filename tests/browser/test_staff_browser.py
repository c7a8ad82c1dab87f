"""Staff pages in a real browser: the facilitator's workshop, projector and room view,
the organizer's accounts and dashboard.

The demo staff from ``flask seed-demo`` sign in (see conftest.py). Staff pages are
looked at on a laptop (1280 x 800), the workshop list also on a 360 px phone.
Volunteers join the new workshop by its code and finish over plain HTTP, which is much
faster than a browser each; the room view stays open in the browser meanwhile.
axe-core runs on every staff page, every request any page makes must go to the app's
own origin, and pages with charts must load without a console error under the app's
Content-Security-Policy. Screenshots land in ``test-artifacts/staff-*.png``.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.forms import hidden

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

try:
    from playwright.sync_api import Browser, BrowserContext, Page, expect

    from tests.browser.test_arabic_browser import (
        assert_keyboard_walk,
        blocking_violations,
        run_axe,
    )
    from tests.browser.test_volunteer_browser import (
        assert_same_origin,
        assert_server_saw,
        scroll_width,
    )
except ImportError:  # the dev extra is not installed
    if IN_CI:
        raise
    pytest.skip("playwright / axe-playwright-python are not installed", allow_module_level=True)

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}
#: Volunteers who finish with the room box ticked: the default k_room, so figures appear.
ROOM_VOLUNTEERS = 5
SUBMIT = "main form button[type=submit]"
ITEM = re.compile(r'name="(item_[\w-]+)" value="1"')
OPTION = re.compile(r'name="option" value="([\w-]+)"')


# --- Browser helpers ----------------------------------------------------------------------


class Watch:
    """Every request, console error and uncaught exception of a browser context."""

    def __init__(self, context: BrowserContext):
        self.urls: list[str] = []
        self.errors: list[str] = []
        context.on("request", lambda request: self.urls.append(request.url))
        context.on("page", self.attach)
        for page in context.pages:
            self.attach(page)

    def attach(self, page: Page) -> None:
        page.on("console", self.console)
        page.on("pageerror", lambda error: self.errors.append(f"pageerror: {error}"))

    def console(self, message) -> None:
        if message.type == "error":
            self.errors.append(f"console: {message.text} at {message.location.get('url')}")


@pytest.fixture
def contexts(browser: Browser):
    """Make browser contexts (a laptop by default) and close them after the test."""
    made: list[BrowserContext] = []

    def make(viewport=DESKTOP, **options) -> tuple[BrowserContext, Watch]:
        context = browser.new_context(viewport=dict(viewport), **options)
        made.append(context)
        return context, Watch(context)

    yield make
    for context in made:
        context.close()


class Axe:
    """Runs axe-core on each named page and collects what it finds."""

    def __init__(self):
        self.found: dict[str, list[dict]] = {}

    def __call__(self, page: Page, name: str) -> None:
        page.wait_for_load_state("load")
        assert name not in self.found, f"two pages named {name}"
        self.found[name] = run_axe(page)

    def assert_clean(self, artifacts, filename: str) -> None:
        (artifacts / filename).write_text(json.dumps(self.found, indent=2))
        blocking = blocking_violations(self.found)
        assert not blocking, "axe-core found serious or critical violations:\n" + "\n".join(
            blocking
        )


def log_in(page: Page, origin: str, email: str, password: str, then: str = "/staff") -> None:
    """Sign in through the form, then open ``then`` (where staff land may change)."""
    if "/login" not in page.url:
        page.goto(origin + "/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(password)
    page.locator(SUBMIT).click()
    expect(page).not_to_have_url(re.compile(r"/login"))
    if page.url != origin + then:
        page.goto(origin + then)


def assert_every_chart_has_a_table(page: Page, *, strict: bool = False) -> int:
    """Each drawn chart sits in a section (or figure) with a captioned table. ``strict``
    (the room view's own convention): the chart is hidden from screen readers, which
    read the table, and the numbers printed on the bars are the table's last column."""
    charts = page.locator(".chart, .js-plotly-plot")
    for index in range(charts.count()):
        chart = charts.nth(index)
        expect(chart.locator("svg").first).to_be_attached()
        block = chart.locator("xpath=ancestor::*[self::section or self::figure][1]")
        expect(block).to_have_count(1)
        expect(block.locator("table caption")).to_have_count(1)
        cells = block.locator("table tbody tr > :last-child").all_inner_texts()
        assert cells, f"chart {index} has a table without rows"
        if not strict:
            continue
        hidden = chart.evaluate("el => !!el.closest('[aria-hidden=true]')")
        assert hidden, f"chart {index}: the table, not the SVG, is for screen readers"
        on_bars = chart.locator(".bartext").all_text_contents()
        if on_bars:
            assert on_bars == [cell.strip() for cell in cells], (index, on_bars, cells)
    return charts.count()


# --- Volunteers over HTTP -----------------------------------------------------------------


class HttpVolunteer:
    """A phone without JavaScript: joins by code and finishes, through the real forms."""

    def __init__(self, origin: str):
        self.origin = origin
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def open(self, path: str, data: dict | None = None) -> tuple[str, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.origin + path, data=body)  # noqa: S310 - our server
        with self.opener.open(request, timeout=15) as response:  # redirects are followed
            return urllib.parse.urlsplit(response.geturl()).path, response.read().decode()

    def join_and_finish(self, code: str, number: int, room: bool = True) -> None:
        path, html = self.open(f"/j/{code}")
        assert path == "/start", path
        fields = {**hidden(html, "/start"), "profile": "y", **({"room": "y"} if room else {})}
        path, html = self.open("/start", fields)
        assert path == "/key", path
        path, html = self.open("/take")
        for _ in range(40):
            if path == "/me":
                return
            fields = hidden(html, path)
            if path.startswith("/take/page/"):
                items = ITEM.findall(html)
                assert items, path
                answers = {item: str(1 + (number * 3 + i * 5) % 7) for i, item in enumerate(items)}
                path, html = self.open(path, {**fields, **answers, "action": "save"})
            elif path.startswith("/take/scenario/"):
                options = OPTION.findall(html)
                assert options, path
                option = options[(number + len(path)) % len(options)]
                self.open(path, {**fields, "option": option, "action": "choose"})
                path, html = self.open("/take")
            else:
                raise AssertionError(f"unexpected step {path}")
        raise AssertionError("the journey never ended")


# --- Tests --------------------------------------------------------------------------------


def test_facilitator_runs_a_workshop_with_projector_and_room_view(contexts, live_server, artifacts):
    origin = live_server.url
    staff = live_server.staff
    axe = Axe()
    context, watch = contexts()
    page = context.new_page()

    page.goto(origin + "/staff")
    expect(page).to_have_url(re.compile(r"/login\?next="))
    axe(page, "login")
    assert_keyboard_walk(page, least=10)
    log_in(page, origin, staff.facilitator, staff.password)
    expect(page.get_by_role("link", name="Demo: gender equality workshop")).to_be_visible()
    axe(page, "workshop-list")
    page.screenshot(path=artifacts / "staff-list.png", full_page=True)

    page.set_viewport_size(PHONE)
    assert scroll_width(page) <= PHONE["width"], "the workshop list scrolls sideways at 360 px"
    axe(page, "workshop-list-360")
    page.screenshot(path=artifacts / "staff-list-360.png", full_page=True)
    page.set_viewport_size(DESKTOP)

    # Create a workshop through the form: first without a title, to see the error.
    page.locator("main a.button[href='/staff/workshops/new']").click()
    expect(page).to_have_url(origin + "/staff/workshops/new")
    axe(page, "create-form")
    assert_keyboard_walk(page, least=15)
    page.locator(SUBMIT).click()
    title = page.locator("#title")
    expect(page.locator("#title-error")).to_be_visible()
    expect(title).to_have_attribute("aria-invalid", "true")
    assert "title-error" in (title.get_attribute("aria-describedby") or "").split()
    axe(page, "create-form-error")
    title.fill("Browser test: Thursday evening")
    page.locator("label", has_text=re.compile("refugee", re.I)).first.click()
    expect(page.locator("#k_room")).to_have_value(str(ROOM_VOLUNTEERS))
    page.locator(SUBMIT).click()
    expect(page).to_have_url(re.compile(r"/staff/workshops/\d+$"))
    workshop = page.url
    expect(page.locator("h1")).to_have_text("Browser test: Thursday evening")
    page.get_by_role("button", name="Open the workshop").click()
    expect(page).to_have_url(workshop)
    code = re.sub(r"\s", "", page.locator("dd.code-small").inner_text())
    assert re.fullmatch(r"[A-Z0-9]{6}", code), code
    axe(page, "workshop")
    page.screenshot(path=artifacts / "staff-workshop.png", full_page=True)

    # The projector: the code and the QR code, large, above the fold of a laptop.
    page.get_by_role("link", name=re.compile("Projector page")).click()
    expect(page).to_have_url(workshop + "/projector")
    shown = page.locator(".projector-code")
    expect(shown).to_be_visible()
    assert re.sub(r"\s", "", shown.inner_text()) == code
    assert float(shown.evaluate("el => parseFloat(getComputedStyle(el).fontSize)")) >= 64
    qr = page.locator(".projector-qr svg")
    expect(qr).to_be_visible()
    expect(qr.locator("title")).to_have_count(1)
    for box in (qr.bounding_box(), shown.bounding_box()):
        assert box and box["y"] + box["height"] <= DESKTOP["height"], f"below the fold: {box}"
    assert qr.bounding_box()["width"] >= 300
    expect(page.locator(".projector-link")).to_contain_text(f"/j/{code}")
    axe(page, "projector")
    page.screenshot(path=artifacts / "staff-projector.png")

    # The room view while the round runs: only the count, kept fresh.
    page.goto(workshop + "/room")
    count = page.locator("[data-count]")
    expect(count).to_have_text("0")
    assert_only_the_count(page)
    axe(page, "room-running")

    polling, poll_watch = contexts(storage_state=context.storage_state())
    live = polling.new_page()
    live.clock.install()
    live.goto(workshop + "/room")
    expect(live.locator("[data-count]")).to_have_text("0")
    live.evaluate("() => { window.stillTheSamePage = true; }")

    volunteers = [HttpVolunteer(origin) for _ in range(ROOM_VOLUNTEERS + 1)]
    with ThreadPoolExecutor(max_workers=3) as pool:  # a room fills at once
        joined = [
            pool.submit(volunteers[0].join_and_finish, code, 0, room=False),  # never counted
            *(
                pool.submit(volunteers[number].join_and_finish, code, number)
                for number in range(1, ROOM_VOLUNTEERS)
            ),
        ]
        for future in joined:
            future.result()

    live.clock.run_for(5_000)  # the page asks for the count every 5 seconds
    expect(live.locator("[data-count]")).to_have_text(str(ROOM_VOLUNTEERS - 1))
    assert live.evaluate("() => window.stillTheSamePage === true"), "the page reloaded"
    assert_only_the_count(live)
    assert any(url.endswith("/room/count") for url in poll_watch.urls), poll_watch.urls

    without_js, nojs_watch = contexts(
        storage_state=context.storage_state(), java_script_enabled=False
    )
    still = without_js.new_page()
    still.goto(workshop + "/room")
    expect(still.locator("[data-count]")).to_have_text(str(ROOM_VOLUNTEERS - 1))
    expect(still.locator("meta[http-equiv=refresh]")).to_have_attribute("content", "10")
    assert_only_the_count(still)
    paths = [urllib.parse.urlsplit(url).path for url in nojs_watch.urls]
    assert not any(path.endswith((".js", "/room/count")) for path in paths), paths

    volunteers[-1].join_and_finish(code, ROOM_VOLUNTEERS)
    page.reload()
    expect(count).to_have_text(str(ROOM_VOLUNTEERS))

    # Close the round: the figures appear, drawn by the app's own plotly.js.
    page.get_by_role("button", name="Close the round").click()
    expect(page).to_have_url(workshop + "/room")
    expect(page.locator("[data-count]")).to_have_text(str(ROOM_VOLUNTEERS))
    charts = page.locator(".chart")
    expect(charts.first).to_be_visible()
    drawn = page.locator(".chart svg.main-svg")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.chart')].every(c => c.querySelector('.barlayer'))"
    )
    assert drawn.count() >= charts.count() >= 2
    assert assert_every_chart_has_a_table(page, strict=True) == charts.count()
    plotly = [url for url in watch.urls if "plotly" in url]
    assert any(url.startswith(origin + "/static/vendor/plotly.min.js?v=") for url in plotly), plotly
    axe(page, "room-figures")
    page.screenshot(path=artifacts / "staff-room-figures.png", full_page=True)

    page.get_by_role("link", name="Debrief with the facilitator's guide").click()
    expect(page).to_have_url(workshop + "/guide")
    axe(page, "guide")

    # The same figures in Arabic: the page mirrors, the charts still draw without errors.
    page.goto(workshop + "/room?lang=ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.chart')].every(c => c.querySelector('.barlayer'))"
    )
    assert assert_every_chart_has_a_table(page) == charts.count()
    assert scroll_width(page) <= DESKTOP["width"]
    bidi = page.locator(".chart text").evaluate_all(
        "texts => texts.map(t => getComputedStyle(t).unicodeBidi)"
    )
    assert bidi and set(bidi) == {"plaintext"}, f"chart labels keep their own direction: {bidi}"
    axe(page, "room-figures-ar")
    page.screenshot(path=artifacts / "staff-room-figures-ar.png", full_page=True)
    page.goto(workshop + "/guide?lang=en")

    axe.assert_clean(artifacts, "axe-staff-violations.json")
    assert not watch.errors, "console errors:\n" + "\n".join(watch.errors)
    assert not poll_watch.errors, "console errors:\n" + "\n".join(poll_watch.errors)
    for urls in (watch.urls, poll_watch.urls, nojs_watch.urls):
        assert_same_origin(urls, origin)
    assert_server_saw(live_server, "/login", "/staff", "/staff/workshops/new", "/j/[redacted]")


def assert_only_the_count(page: Page) -> None:
    """While a round runs the room view shows the count and nothing else about the room."""
    assert page.locator("[data-count-url]").get_attribute("data-state") == "open"
    expect(page.locator("[data-count]")).to_have_count(1)
    for figure in (".chart", "script.chart-data", "table", "svg", "progress", "meter"):
        expect(page.locator(f"main {figure}")).to_have_count(0)


def test_organizer_accounts_and_workshops(contexts, live_server, artifacts):
    origin = live_server.url
    staff = live_server.staff
    axe = Axe()
    context, watch = contexts()
    page = context.new_page()
    log_in(page, origin, staff.organizer, staff.password)
    expect(page.locator("table.staff-list tbody tr").first).to_be_visible()
    expect(page.locator("main a.button[href='/staff/workshops/new']")).to_have_count(0)
    axe(page, "organizer-workshop-list")

    page.locator("nav.staff a[href='/staff/accounts']").click()
    expect(page).to_have_url(origin + "/staff/accounts")
    expect(page.locator("table.staff-list tbody tr")).to_have_count(2)
    axe(page, "accounts")
    page.screenshot(path=artifacts / "staff-accounts.png", full_page=True)
    page.locator("main a.button[href='/staff/accounts/new']").click()
    expect(page).to_have_url(origin + "/staff/accounts/new")
    axe(page, "account-form")
    page.locator(SUBMIT).click()  # empty: every error is tied to its field
    for field in ("name", "email", "password"):
        control = page.locator(f"#{field}")
        expect(page.locator(f"#{field}-error")).to_be_visible()
        expect(control).to_have_attribute("aria-invalid", "true")
        assert f"{field}-error" in (control.get_attribute("aria-describedby") or "").split()
    axe(page, "account-form-error")

    axe.assert_clean(artifacts, "axe-organizer-violations.json")
    assert not watch.errors, "console errors:\n" + "\n".join(watch.errors)
    assert_same_origin(watch.urls, origin)


# --- The organizer's dashboard (being built alongside these tests) ------------------------


def dashboard_pages() -> list[str]:
    """The dashboard's pages (main page first) from the app's own URL map; none while
    the dashboard blueprint does not exist. Exports (.csv, .json) are not pages."""
    from app import create_app

    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "url-map-only-" + "x" * 40,
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
        }
    )
    rules = [
        rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint.split(".")[0] == "dashboard"
        and "GET" in (rule.methods or ())
        and not rule.arguments
        and not rule.rule.endswith((".csv", ".json"))
    ]
    main = [rule for rule in rules if rule.endpoint == "dashboard.show_dashboard"]
    ordered = sorted(rules, key=lambda rule: (rule not in main, len(rule.rule), rule.rule))
    return list(dict.fromkeys(rule.rule for rule in ordered))


def assert_bars_grow_from_the_right(chart) -> None:
    """In a right-to-left chart the labels stand right of the bars, which end at the axis."""
    labels = chart.locator(".ytick text")
    bars = chart.locator(".point path")
    assert labels.count() >= 4 and bars.count() >= 4, "the chart has no bars"
    for index in range(4):
        label, bar = labels.nth(index).bounding_box(), bars.nth(index).bounding_box()
        assert label and bar
        assert label["x"] >= bar["x"] + bar["width"] - 1, (index, label, bar)


def wait_for_charts(page: Page) -> None:
    page.wait_for_function(
        "() => [...document.querySelectorAll('.chart')].every(c => c.querySelector('svg'))"
    )


def test_organizer_dashboard(contexts, live_server, artifacts):
    pages = dashboard_pages()
    assert pages, "no 'dashboard.*' page in app.url_map"
    origin = live_server.url
    staff = live_server.staff
    axe = Axe()
    context, watch = contexts()
    page = context.new_page()
    log_in(page, origin, staff.organizer, staff.password)
    charts_on: dict[str, int] = {}
    for number, path in enumerate(pages):
        name = "dashboard" if number == 0 else f"dashboard-page-{number}"
        response = page.goto(origin + path)
        assert response is not None and response.status == 200, path
        expect(page.locator("h1")).to_have_count(1)
        release = page.locator(f"main form[method=post][action='{path}'] button[type=submit]")
        if release.count() == 1:  # figures are released on request
            axe(page, f"{name}-before-release")
            release.click()
            page.wait_for_load_state("load")
            assert "/login" not in page.url
        wait_for_charts(page)
        charts_on[path] = assert_every_chart_has_a_table(page)
        assert scroll_width(page) <= DESKTOP["width"], f"{path} scrolls sideways"
        axe(page, name)
        page.screenshot(path=artifacts / f"staff-{name}.png", full_page=True)

    # The demo organization has 60 finished takes that count for it: enough for figures.
    assert charts_on[pages[0]] >= 1, f"the dashboard shows no chart: {charts_on}"

    # On a phone in Arabic: nothing scrolls sideways and the bars grow from the right.
    phone, phone_watch = contexts(PHONE)
    page = phone.new_page()
    log_in(page, origin, staff.organizer, staff.password)
    page.goto(origin + pages[0] + "?lang=ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    wait_for_charts(page)
    assert scroll_width(page) <= PHONE["width"], "the Arabic dashboard scrolls sideways"
    assert_bars_grow_from_the_right(page.locator("#chart-mixture"))
    axe(page, "dashboard-arabic-phone")
    page.screenshot(path=artifacts / "staff-dashboard-arabic-phone.png", full_page=True)
    axe.assert_clean(artifacts, "axe-dashboard-violations.json")
    for seen in (watch, phone_watch):
        assert not seen.errors, "console errors:\n" + "\n".join(seen.errors)
        assert_same_origin(seen.urls, origin)
