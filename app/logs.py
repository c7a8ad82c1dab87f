"""Logging that never carries personal data.

Log lines name pseudonymous actors and counts only. The request logs of the
development server and of gunicorn are filtered so that no token, join code or
address reaches them.
"""

from __future__ import annotations

import json
import logging
import re

from flask import Flask

#: Private-link and join-code paths, and anything that looks like a long random token.
_TOKEN = re.compile(r"(/[pj]/)[^\s\"?]+|[A-Za-z0-9_-]{40,}")
#: IPv4 and IPv6 addresses, as the development server puts them first on a line.
_IP = re.compile(
    r"(?<!://)\b\d{1,3}(?:\.\d{1,3}){3}\b"
    r"|\b(?:[0-9a-fA-F]{1,4}:){5,7}[0-9a-fA-F]{1,4}\b"
    r"|(?<![\w:])[0-9a-fA-F:]*::[0-9a-fA-F:]*(?![\w:])"
)


def scrub(text: str) -> str:
    """Replace private-link tokens, join codes and IP addresses in ``text`` with markers."""
    text = _TOKEN.sub(lambda m: (m.group(1) or "") + "[redacted]", text)
    return _IP.sub("[ip]", text)


class ScrubFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = scrub(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return json.dumps(
            {
                "level": record.levelname,
                "logger": record.name,
                "message": scrub(record.getMessage()),
            }
        )


def configure(app: Flask) -> None:
    """Scrub tokens from every handler's output; log JSON in production."""
    scrubber = ScrubFilter()
    # gunicorn's own lines can carry a path (its debug-level request line, a failed
    # request) or an address (a malformed request), whatever format is configured.
    for name in ("werkzeug", "gunicorn.error", "gunicorn.access"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, ScrubFilter) for f in logger.filters):
            logger.addFilter(scrubber)
    app.logger.addFilter(scrubber)
    if app.config.get("JSON_LOGS"):
        handler = logging.StreamHandler()
        handler.setFormatter(JsonFormatter())
        handler.addFilter(scrubber)
        app.logger.handlers[:] = [handler]
        app.logger.setLevel(logging.INFO)
        app.logger.propagate = False
