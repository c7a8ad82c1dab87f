"""Fixtures for the real-browser tests: Debian's Chromium and a live development server.

pytest-playwright has no option for a browser's path, so its session fixtures are
overridden to launch the system Chromium (``/usr/bin/chromium`` or ``CHROMIUM_PATH``).
Never run ``playwright install``: it downloads a browser. Without Chromium the tests
skip on a laptop and fail when ``CI=true``.

The live server is ``flask run`` on a free loopback port, with a fresh SQLite database
built by the migrations and seeded with ``flask seed-demo`` (the demo organization, its
facilitator and organizer, whose password is a fresh ``WHYIACT_DEMO_PASSWORD``, and two
demo workshops), so staff pages can be signed in to. Its stderr (the request log) goes
to a file that tests read.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
VIEWPORT = {"width": 360, "height": 740}


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "browser: drives Debian's Chromium against a live server (tests/browser)"
    )


def unavailable(reason: str):
    """Skip on a laptop, fail in CI: a component the browser tests need is missing."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: the browser tests must run)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Launch Debian's Chromium, headless, never a downloaded browser."""
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        unavailable(f"Chromium not found at {CHROMIUM} (run `make browser` or set CHROMIUM_PATH)")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """Every page is a small phone: 360 x 740 CSS pixels."""
    return {**browser_context_args, "viewport": dict(VIEWPORT)}


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Screenshots for a person to look at (git-ignored)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


#: The demo staff that ``flask seed-demo`` creates (app/services/staff_demo.py).
DEMO_FACILITATOR = "facilitator@demo.example"
DEMO_ORGANIZER = "organizer@demo.example"


@dataclass(frozen=True)
class DemoStaff:
    """Who can sign in on the live server: both accounts share one password."""

    facilitator: str
    organizer: str
    password: str


@dataclass(frozen=True)
class LiveServer:
    url: str
    log_path: Path
    staff: DemoStaff

    def log(self) -> str:
        """The server's stderr so far: werkzeug's request log and any traceback."""
        return self.log_path.read_text(errors="replace")


def _refresh_compressed_static() -> None:
    """Rewrite WhiteNoise's .gz/.br copies when a static file is newer than its copy.

    WhiteNoise serves ``app.css.br`` to Chromium whenever it exists, so a copy older
    than a freshly edited ``app.css`` would test yesterday's stylesheet. ``make test``
    writes the copies (``make compile-static``); a bare ``pytest`` run does it here.
    """
    static = ROOT / "app" / "static"
    stale = [
        path
        for path in static.rglob("*")
        if path.is_file()
        and path.suffix not in (".gz", ".br")
        and any(
            copy.exists() and copy.stat().st_mtime < path.stat().st_mtime
            for copy in (path.with_name(path.name + ".gz"), path.with_name(path.name + ".br"))
        )
    ]
    if stale:
        subprocess.run(
            [sys.executable, "-m", "whitenoise.compress", "--quiet", str(static)],
            check=True,
            timeout=120,
        )


@pytest.fixture(scope="session")
def live_server(tmp_path_factory) -> LiveServer:
    _refresh_compressed_static()
    tmp = tmp_path_factory.mktemp("live")
    flask = Path(sys.executable).parent / "flask"  # the virtualenv's, next to its python
    flask_cmd = [str(flask)] if flask.exists() else [sys.executable, "-m", "flask"]
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("SECRET_KEY", "REDIS_URL", "FLASK_DEBUG", "FLASK_APP")
    }
    env.update(
        WHYIACT_ENV="development",
        WHYIACT_SECRET_KEY=secrets.token_urlsafe(48),
        DATABASE_URL=f"sqlite:///{tmp / 'browser.sqlite'}",
        PYTHONUNBUFFERED="1",
        WHYIACT_DEMO_PASSWORD=secrets.token_urlsafe(18),
    )
    for command in (["db", "upgrade"], ["seed-demo"]):
        done = subprocess.run(
            [*flask_cmd, "--app", "app", *command],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, f"flask {command[0]} failed:\n{done.stdout}\n{done.stderr}"
    assert DEMO_FACILITATOR in done.stdout, f"seed-demo made no demo staff:\n{done.stdout}"
    staff = DemoStaff(DEMO_FACILITATOR, DEMO_ORGANIZER, env["WHYIACT_DEMO_PASSWORD"])

    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log_path = tmp / "server.stderr.log"
    with open(log_path, "wb") as log, open(tmp / "server.stdout.log", "wb") as out:
        proc = subprocess.Popen(
            [*flask_cmd, "--app", "app", "run", "--host", "127.0.0.1", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=log,
        )
    try:
        deadline = time.monotonic() + 30
        while True:
            if proc.poll() is not None:
                log_text = log_path.read_text()
                raise RuntimeError(f"flask run exited with {proc.returncode}:\n{log_text}")
            try:
                with urllib.request.urlopen(url + "/healthz", timeout=1) as response:  # noqa: S310
                    if response.status == 200:
                        break
            except (urllib.error.URLError, OSError):
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"flask run did not answer /healthz:\n{log_path.read_text()}")
            time.sleep(0.1)
        yield LiveServer(url=url, log_path=log_path, staff=staff)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)
        if ARTIFACTS.exists():  # next to the screenshots, for a person to read
            shutil.copy(log_path, ARTIFACTS / "server.stderr.log")
