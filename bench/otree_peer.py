"""The closest peer, oTree, serving a survey page like ours: measured where it installs.

A throw-away virtual environment under /tmp gets ``pip install otree`` (kept between
runs while it works, so the second run does not install again). The project is
written here: one page of four 7-point items, the same as one page of our
questionnaire. oTree runs the way it ships for production (``otree prodserver``:
one uvicorn process), on a free loopback port, with its own SQLite database.
Anything that fails or takes too long gives "not measured: <reason>".
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import servers, wrk

VENV = Path(
    os.environ.get("BENCH_OTREE_VENV") or Path(tempfile.gettempdir()) / "whyiact-bench-otree-venv"
)
INSTALL_TIMEOUT_S = 150

SETTINGS = """
from os import environ
SESSION_CONFIGS = [dict(name="survey", app_sequence=["survey"], num_demo_participants=1)]
SESSION_CONFIG_DEFAULTS = dict(real_world_currency_per_point=1.00, participation_fee=0.00, doc="")
PARTICIPANT_FIELDS = []
SESSION_FIELDS = []
LANGUAGE_CODE = "en"
REAL_WORLD_CURRENCY_CODE = "USD"
USE_POINTS = True
ADMIN_USERNAME = "admin"
ADMIN_PASSWORD = environ.get("OTREE_ADMIN_PASSWORD")
DEMO_PAGE_INTRO_HTML = ""
SECRET_KEY = environ.get("OTREE_SECRET_KEY", "bench")
"""

APP = """
from otree.api import *


class C(BaseConstants):
    NAME_IN_URL = "survey"
    PLAYERS_PER_GROUP = None
    NUM_ROUNDS = 1


class Subsession(BaseSubsession):
    pass


class Group(BaseGroup):
    pass


def likert(label):
    return models.IntegerField(
        label=label, choices=[1, 2, 3, 4, 5, 6, 7], widget=widgets.RadioSelectHorizontal
    )


class Player(BasePlayer):
    q1 = likert("I act because the people I act for deserve better.")
    q2 = likert("I act because it is good for people like me too.")
    q3 = likert("I act because it makes me feel good about myself.")
    q4 = likert("I act because it is the right thing to do.")


class Survey(Page):
    form_model = "player"
    form_fields = ["q1", "q2", "q3", "q4"]


class Done(Page):
    pass


page_sequence = [Survey, Done]
"""

SURVEY_HTML = """{{ block title }}Why I act{{ endblock }}
{{ block content }}
    {{ formfields }}
    {{ next_button }}
{{ endblock }}
"""
DONE_HTML = """{{ block title }}Thank you{{ endblock }}
{{ block content }}<p>Done.</p>{{ endblock }}
"""


def _installed() -> str | None:
    python = VENV / "bin" / "python"
    if not python.exists():
        return None
    done = subprocess.run(
        [str(python), "-c", "import importlib.metadata as m; print(m.version('otree'))"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return done.stdout.strip() if done.returncode == 0 else None


def _install() -> str:
    version = _installed()
    if version:
        return version
    started = time.monotonic()
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(VENV)], check=True, timeout=60)
    left = INSTALL_TIMEOUT_S - (time.monotonic() - started)
    subprocess.run(
        [str(VENV / "bin" / "pip"), "install", "--quiet", "otree"],
        check=True,
        timeout=max(10.0, left),
        capture_output=True,
    )
    version = _installed()
    if not version:
        raise RuntimeError("otree did not import after pip install")
    return version


def _project(folder: Path) -> Path:
    project = folder / "otree_project"
    (project / "survey").mkdir(parents=True, exist_ok=True)
    (project / "_static" / "global").mkdir(parents=True, exist_ok=True)
    (project / "__init__.py").write_text("")
    (project / "settings.py").write_text(SETTINGS)
    (project / "survey" / "__init__.py").write_text(APP)
    (project / "survey" / "Survey.html").write_text(SURVEY_HTML)
    (project / "survey" / "Done.html").write_text(DONE_HTML)
    return project


def _group_cpu(pid: int) -> float:
    return sum(servers.cpu_seconds(p) for p in servers.group_members(pid))


def measure(folder: Path, baseline: tuple | None = None) -> dict:
    """Install, start, measure the survey page with wrk, stop. Never raises."""
    pid = None
    try:
        version = _install()
        project = _project(folder)
        env = {
            **os.environ,
            "PATH": f"{VENV / 'bin'}:{os.environ.get('PATH', '')}",
            "OTREE_PRODUCTION": "1",
            "OTREE_SECRET_KEY": os.urandom(16).hex(),
        }
        for k in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY"):
            env.pop(k, None)
        otree = str(VENV / "bin" / "otree")
        subprocess.run(
            [otree, "create_session", "survey", "1"],
            cwd=project,
            env=env,
            check=True,
            timeout=120,
            capture_output=True,
        )
        with sqlite3.connect(project / "db.sqlite3") as connection:
            code = connection.execute("SELECT code FROM otree_participant LIMIT 1").fetchone()[0]
        port = servers.free_port()
        log = folder / "otree.log"
        pid = servers.start_process(
            [otree, "prodserver", f"127.0.0.1:{port}"], env, log, cwd=project
        )
        page = f"/p/{code}/survey/Survey/1"
        servers.wait_http(port, f"/InitializeParticipant/{code}", seconds=60)
        servers.wait_http(port, page, seconds=30)
        requests = wrk.write_requests(folder / "otree.txt", [wrk.Line("GET", page)])
        result = wrk.measure(port, requests, baseline=baseline, cpu=lambda: _group_cpu(pid))
        result["otree_version"] = version
        result["server"] = "otree prodserver (one uvicorn process, as oTree ships it)"
        result["page"] = "one page of 4 seven-point radio items (the shape of our page)"
        return result
    except Exception as error:
        return {"not_measured": f"{type(error).__name__}: {error}"[:300]}
    finally:
        if pid is not None:
            servers.stop_process(pid)
