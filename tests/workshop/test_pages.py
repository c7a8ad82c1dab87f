"""Staff pages: headers, no other host, the projector, charts and the app's own plotly.js."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import plotly

from app import charts
from app.extensions import db
from app.models import Workshop
from tests.workshop.conftest import log_in
from tests.workshop.factories import make_takes

ATTRIBUTE_URL = re.compile(r"""(?:src|href|action|formaction)\s*=\s*["']([^"']+)""")


def staff_pages(app, client, staff) -> dict[str, str]:
    token = log_in(client, staff.emails["facilitator_a"])
    with app.app_context():
        workshop = db.session.get(Workshop, staff.workshop_id)
        make_takes(workshop, 6, choices={"march": "a", "press": "b"})
        make_takes(workshop, 2, shares=(0.5, 0.1, 0.2, 0.2), choices={"march": "c"})
    base = f"/staff/workshops/{staff.workshop_id}"
    client.post(f"{base}/close_round", data={"csrf_token": token})
    urls = ["/staff", "/staff/workshops/new", base, f"{base}/projector", f"{base}/room"]
    urls += [f"{base}/guide", "/j"]
    pages = {url: client.get(url) for url in urls}
    pages["/login"] = app.test_client().get("/login")
    return pages


def test_staff_pages_send_the_strict_headers_and_refer_to_no_other_host(app, client, staff):
    for url, response in staff_pages(app, client, staff).items():
        assert response.status_code == 200, url
        csp = response.headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "unsafe" not in csp
        assert response.headers["Cache-Control"] == "no-store"
        assert "style=" not in response.text, url  # the CSP would refuse inline styles
        assert not re.search(r"<script(?![^>]*\b(src|type=\"application/json\"))", response.text)
        for found in ATTRIBUTE_URL.findall(response.text):
            assert not found.startswith(("http://", "https://", "//")), (url, found)


def test_the_room_draws_its_charts_with_the_apps_own_plotly(app, client, staff):
    room = staff_pages(app, client, staff)[f"/staff/workshops/{staff.workshop_id}/room"].text
    sources = re.findall(r'<script src="([^"]+)"', room)
    assert sources[0].startswith("/static/vendor/plotly.min.js?v=")
    assert sources[1].split("?v=")[0] == "/static/room.js"
    figures = re.findall(r'<script type="application/json"[^>]*>(.*?)</script>', room, re.S)
    assert len(figures) >= 3
    for figure in map(json.loads, figures):
        assert figure["layout"]["template"] == {"data": {"scatter": [{"type": "scatter"}]}}
    tables = room.count('<table class="numbers">')
    assert tables == len(figures)  # a table beside every chart


def test_plotly_is_served_compressed_and_cached_for_a_year(client):
    raw = (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_bytes()
    packed = client.get("/static/vendor/plotly.min.js?v=1", headers={"Accept-Encoding": "gzip"})
    assert packed.status_code == 200
    assert packed.headers["Content-Encoding"] == "gzip"
    assert packed.headers["Content-Type"].startswith("text/javascript")
    assert "immutable" in packed.headers["Cache-Control"]
    assert "max-age=31536000" in packed.headers["Cache-Control"]
    assert len(packed.data) <= 1_600_000  # shared/BUDGETS.md: first load of a chart page
    assert gzip.decompress(packed.data) == raw
    with client.get(
        "/static/vendor/plotly.min.js?v=1", headers={"Accept-Encoding": "identity"}
    ) as plain:
        assert plain.data == raw and "Content-Encoding" not in plain.headers
    again = client.get(
        "/static/vendor/plotly.min.js?v=1", headers={"If-None-Match": packed.headers["ETag"]}
    )
    assert again.status_code == 304


def test_the_projector_shows_the_code_and_a_qr_code_made_here(app, client, staff):
    response = staff_pages(app, client, staff)[f"/staff/workshops/{staff.workshop_id}/projector"]
    page = response.text
    assert '<p class="projector-code">ABC 234</p>' in page
    assert "localhost/j/ABC234" in page
    assert '<svg viewBox="0 0' in page and "<title>QR code to join the workshop</title>" in page


def test_chart_builders_are_pure_and_escape_labels():
    mixture = charts.mixture([("<b>bold</b>", 0.4), ("plain", 0.6)])
    assert mixture["data"][0]["y"] == ["&lt;b&gt;bold&lt;/b&gt;", "plain"]
    assert mixture["layout"]["xaxis"]["range"] == [0, 0.6]
    spread = charts.distribution([("a", (1, 2, 2))], ["low", "even", "high"])
    assert [trace["x"] for trace in spread["data"]] == [[0.2], [0.4], [0.4]]
    picked = charts.choices([("A", 3), ("B", 2)])
    assert picked["data"][0]["x"] == [3, 2]
    long = charts.label("A label that is much longer than a phone can show on one line")
    assert "<br>" in long
    json.dumps([mixture, spread, picked])  # plain data, ready for the page


def test_charts_mirror_for_right_to_left_pages():
    mixture = charts.mixture([("a", 0.4), ("b", 0.6)])
    assert charts.oriented(mixture, right_to_left=False) is mixture
    mirrored = charts.oriented(mixture, right_to_left=True)
    assert mirrored["layout"]["xaxis"]["range"] == [0.6, 0]  # bars grow from the right
    assert mirrored["layout"]["yaxis"]["side"] == "right"  # labels stand on the right
    assert mixture["layout"]["xaxis"]["range"] == [0, 0.6]  # the original is untouched
    trend = charts.trend(["2026-Q1", "2026-Q2"], [("a", [0.2, 0.3]), ("b", [0.8, 0.7])])
    mirrored = charts.oriented(trend, right_to_left=True)
    assert mirrored["layout"]["xaxis"]["autorange"] == "reversed"  # time runs right to left
    spread = charts.distribution([("a", (1, 2, 2))], ["low", "even", "high"])
    assert charts.oriented(spread, right_to_left=True)["layout"]["legend"]["xanchor"] == "right"


def test_the_room_in_arabic_draws_mirrored_charts(app, client, staff):
    client.get("/?lang=ar")
    room = staff_pages(app, client, staff)[f"/staff/workshops/{staff.workshop_id}/room"].text
    assert 'dir="rtl"' in room
    figures = re.findall(r'<script type="application/json"[^>]*>(.*?)</script>', room, re.S)
    assert figures
    for figure in map(json.loads, figures):
        assert figure["layout"]["yaxis"]["side"] == "right"
