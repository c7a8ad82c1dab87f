"""Static files: served by WhiteNoise, compressed ahead of time, cached for a year.

Every ``url_for("static", ...)`` gets ``?v=<first 12 hex digits of the file's
SHA-256>``, so a changed file has a new address and a browser may keep each
address forever. Compressed copies (``.gz``, and ``.br`` with the brotli
extra) are written by ``python -m whitenoise.compress app/static`` at build
time (``make run``, ``make test``, the Dockerfile); WhiteNoise picks the one the
browser accepts. WhiteNoise answers before Flask, so it adds the same
security headers the pages get.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from flask import Flask
from whitenoise import WhiteNoise

YEAR = 365 * 24 * 3600


def configure(app: Flask, headers: dict[str, str]) -> None:
    """Serve ``app.static_folder`` through WhiteNoise and version every static URL."""
    root = Path(app.static_folder)

    @cache
    def version(filename: str) -> str | None:
        path = (root / filename).resolve()
        if root not in path.parents or not path.is_file():
            return None
        return hashlib.sha256(path.read_bytes()).hexdigest()[:12]

    @app.url_defaults
    def versioned_static(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "filename" in values and "v" not in values:
            digest = version(values["filename"])
            if digest:
                values["v"] = digest

    def add_headers(response_headers, path, url) -> None:
        for name, value in headers.items():
            response_headers[name] = value

    app.wsgi_app = WhiteNoise(
        app.wsgi_app,
        root=str(root),
        prefix="static/",
        max_age=YEAR,
        add_headers_function=add_headers,
        autorefresh=bool(app.debug or app.config.get("ENV") == "development"),
    )
