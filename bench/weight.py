"""Weight on a phone: every volunteer page, with the CSS and scripts it loads, gzipped.

Each page is fetched with ``Accept-Encoding: gzip``. When the app sends a body
uncompressed (Flask does not compress, and its static route serves files as they
are), the size that a compressing reverse proxy would send is estimated with
gzip level 6, the usual proxy default. A first visit is counted: nothing cached.
"""

from __future__ import annotations

import gzip
import urllib.parse

from bench.client import Browser, Response, read_page
from bench.journey import walk

BUDGET_BYTES = 25_000  # "25 KB", counted as 25,000 bytes to stay on the safe side


def gzip_size(body: bytes) -> int:
    return len(gzip.compress(body, compresslevel=6, mtime=0))


def transferred(response: Response) -> tuple[int, bool]:
    """(bytes a phone receives for this body, whether that size is our own estimate)."""
    if (response.header("Content-Encoding") or "").lower() == "gzip":
        return response.wire_bytes, False
    return gzip_size(response.body), True


def _local(url: str) -> str | None:
    """The path of a same-site URL; None for a URL that names another host."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme or parts.netloc:
        host = parts.hostname or ""
        if host not in ("127.0.0.1", "localhost"):
            return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def weigh(browser: Browser, name: str, page: Response, cache: dict[str, dict]) -> dict:
    html_bytes, html_estimated = transferred(page)
    entry = {
        "html_estimated": html_estimated,
        "page": name,
        "path": _public(page.path),
        "html_raw": len(page.body),
        "html_gzip": html_bytes,
        "estimated": html_estimated,
        "assets": [],
        "other_hosts": [],
        "not_counted": [],
    }
    total = html_bytes
    for kind, url in read_page(page.text).resources:
        path = _local(url)
        if path is None:
            entry["other_hosts"].append(url)
            continue
        if kind not in ("css", "js"):
            entry["not_counted"].append({"kind": kind, "path": path})
            continue
        if path not in cache:
            asset = browser.get(path)
            size, estimated = transferred(asset)
            cache[path] = {"raw": len(asset.body), "gzip": size, "estimated": estimated}
        info = cache[path]
        entry["assets"].append({"kind": kind, "path": path, **info})
        entry["estimated"] = entry["estimated"] or info["estimated"]
        total += info["gzip"]
    entry["total_gzip"] = total
    entry["ok"] = total <= BUDGET_BYTES and not entry["other_hosts"]
    return entry


def _html_estimated(page: dict) -> bool:
    return page["html_estimated"]


def _public(path: str) -> str:
    """Keep tokens and codes out of the report."""
    from bench.client import route_of

    return route_of(path)


def measure(port: int, code: str | None) -> dict:
    """Walk the journey once (with and without a workshop code) and weigh every page."""
    cache: dict[str, dict] = {}
    pages: list[dict] = []
    seen: set[str] = set()

    def visit(name: str, response: Response) -> None:
        if name not in seen:
            seen.add(name)
            pages.append(weigh(browser, name, response, cache))

    browser = Browser("127.0.0.1", port)
    browser.accept_gzip = True
    visit("landing", browser.get("/"))
    walk(browser, code=None, visit=visit)
    visit("delete confirmation", browser.get("/me/delete"))
    if code:
        joiner = Browser("127.0.0.1", port)
        joiner.accept_gzip = True
        visit("enter a code", joiner.get("/j"))
        walk(joiner, code=code, visit=lambda n, r: visit(f"{n} (workshop)", r))
    heaviest = max(pages, key=lambda p: p["total_gzip"])
    return {
        "budget_bytes": BUDGET_BYTES,
        "pages": pages,
        "assets": cache,
        "heaviest": {"page": heaviest["page"], "total_gzip": heaviest["total_gzip"]},
        "app_compresses_html": not any(_html_estimated(p) for p in pages),
        "app_compresses_assets": not any(a["estimated"] for a in cache.values()),
        "ok": all(p["ok"] for p in pages),
    }
