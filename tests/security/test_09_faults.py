"""Issue line 9: faults lose nothing and store nothing twice.

- The real PostgreSQL server stops between a page's GET and its POST: a friendly
  503 with the answers filled in again; once it is back, the retry stores one take,
  and the same app serves on without a restart (``pool_pre_ping``).
- A commit that fails (SQLite and PostgreSQL alike): the same.
- The same final form posted by two workers at once: one take, one set of choices.
- A form token that expired while the page was open: the answers stay on the page.

(ASVS v5.0.0-16.5.2, 16.5.3, 2.3.3, 2.3.4, 15.4.2.)
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
import time
import types
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from app import create_app
from app.extensions import db
from app.instruments import CURRENT
from app.models import Answer, Choice, Respondent, ScaleResult, Take
from tests.conftest import IN_CI, settings
from tests.forms import hidden
from tests.security.support import wipe
from tests.web.volunteer import Volunteer

FIRST, LAST = CURRENT.pages[0], CURRENT.scenarios[-1]


def count(app, model, **where) -> int:
    with app.app_context():
        query = select(func.count()).select_from(model)
        for name, value in where.items():
            query = query.where(getattr(model, name) == value)
        return db.session.scalar(query)


def checked(html: str, value: str) -> int:
    return html.count(f'value="{value}" checked')


def page_answers(value: str) -> dict[str, str]:
    return {f"item_{key}": value for key in FIRST.items}


# The real server stops ---------------------------------------------------------------


def cluster() -> tuple[str, str] | None:
    """The local cluster that serves TEST_DATABASE_URL, when this run may stop it."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url or shutil.which("pg_ctlcluster") is None or os.geteuid() != 0:
        return None
    parsed = make_url(url)
    if parsed.host not in ("127.0.0.1", "localhost") or (parsed.port or 5432) != 5432:
        return None
    versions = sorted(p.name for p in Path("/etc/postgresql").glob("*") if p.is_dir())
    if len(versions) != 1 or not (Path("/etc/postgresql") / versions[0] / "main").is_dir():
        return None
    return versions[0], "main"


def pg_ctl(version: str, name: str, action: str) -> None:
    command = ["pg_ctlcluster", "--skip-systemctl-redirect", version, name, action]
    if action == "stop":
        command += ["-m", "fast"]
    subprocess.run(command, check=True, capture_output=True, timeout=60)


def wait_until_accepting(url: str, timeout: float = 60) -> None:
    engine = create_engine(url, pool_pre_ping=True)
    deadline = time.monotonic() + timeout
    try:
        while True:
            try:
                with engine.connect() as conn:
                    conn.execute(text("SELECT 1"))
                return
            except OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
    finally:
        engine.dispose()


@pytest.fixture
def stoppable(postgresql_url, postgres_server_url):
    """The PostgreSQL cluster and an app on the session's database; always started again."""
    found = cluster()
    if found is None:
        reason = "stopping PostgreSQL needs root, pg_ctlcluster and TEST_DATABASE_URL at :5432"
        if IN_CI:
            pytest.fail(f"{reason} (CI=true: this test must run)")
        pytest.skip(reason)
    app = create_app(settings(postgresql_url))
    state = {"stopped": False}

    def stop():
        pg_ctl(*found, "stop")
        state["stopped"] = True

    def start():
        pg_ctl(*found, "start")
        state["stopped"] = False
        wait_until_accepting(postgres_server_url)

    try:
        yield app, stop, start
    finally:
        if state["stopped"]:
            start()
        wait_until_accepting(postgresql_url)
        wipe(app)
        with app.app_context():
            db.engine.dispose()


def test_postgresql_stops_between_get_and_post_and_nothing_is_lost(stoppable):
    app, stop, start = stoppable
    answering = Volunteer(app.test_client())
    answering.start()
    answering.choose_cause()
    page_url = f"/take/page/{FIRST.key}"
    page_fields = hidden(answering.client.get(page_url).text, page_url)
    newcomer = app.test_client()
    consent_fields = hidden(newcomer.get("/start").text, "/start")
    assert count(app, Respondent) == 1

    stop()
    try:
        down = answering.client.post(page_url, data={**page_fields, **page_answers("6")})
        assert down.status_code == 503
        assert "We could not save this page just now" in down.text
        assert checked(down.text, "6") == len(FIRST.items)
        consent = {**consent_fields, "profile": "y", "org": "y"}
        refused = newcomer.post("/start", data=consent)
        assert refused.status_code == 503
        assert refused.text.count("checked") >= 2  # both boxes are still ticked
    finally:
        start()

    # The same app, no restart: pooled connections to the old server are replaced.
    retry = answering.client.post(
        page_url, data={**hidden(down.text, page_url), **page_answers("6")}
    )
    assert retry.status_code == 303
    again = newcomer.post("/start", data={**hidden(refused.text, "/start"), **consent})
    assert again.status_code == 303
    assert count(app, Answer) == len(FIRST.items)
    assert count(app, Respondent) == 2
    assert count(app, Take) == 2
    assert answering.client.get("/me").status_code in (200, 404)
    assert app.test_client().get("/healthz").get_json()["database"] == "ok"


# A commit fails -------------------------------------------------------------------------


def volunteer_at_last_scenario(app) -> tuple[Volunteer, str, dict]:
    volunteer = Volunteer(app.test_client())
    volunteer.start()
    volunteer.choose_cause()
    for page in CURRENT.pages:
        volunteer.answer_page(page)
    for scenario in CURRENT.scenarios[:-1]:
        volunteer.answer_scenario(scenario)
    url = f"/take/scenario/{LAST.key}"
    fields = {**hidden(volunteer.client.get(url).text, url), "option": LAST.options[1].key}
    return volunteer, url, fields


def test_a_failing_commit_on_the_last_step_gives_a_503_then_one_take(app, monkeypatch):
    volunteer, url, fields = volunteer_at_last_scenario(app)
    real_commit = db.session.commit
    calls = {"n": 0}

    def failing_commit():
        calls["n"] += 1
        raise OperationalError("COMMIT", {}, Exception("database is locked"))

    monkeypatch.setattr(db.session, "commit", failing_commit)
    down = volunteer.client.post(url, data=fields)
    assert down.status_code == 503
    assert calls["n"] == 1
    assert f'value="{LAST.options[1].key}" checked' in down.text
    monkeypatch.setattr(db.session, "commit", real_commit)
    retry = volunteer.client.post(url, data={**hidden(down.text, url), "option": fields["option"]})
    assert retry.status_code == 303
    assert count(app, Take, state="finished") == 1
    assert count(app, Choice) == len(CURRENT.scenarios)
    assert count(app, ScaleResult) == 4


def test_a_take_whose_finishing_was_lost_is_finished_when_the_person_comes_back(app, monkeypatch):
    """The last choice was saved, then the database went away before finishing: the
    next visit of /take (or the same post again) finishes the take, once."""
    from app.services import DatabaseUnavailable, takes

    volunteer, url, fields = volunteer_at_last_scenario(app)

    def unreachable(take, today):
        raise DatabaseUnavailable

    monkeypatch.setattr(takes, "finish", unreachable)
    assert volunteer.client.post(url, data=fields).status_code == 503
    monkeypatch.undo()
    assert count(app, Choice) == len(CURRENT.scenarios)
    assert count(app, Take, state="finished") == 0
    resumed = volunteer.client.get("/take")
    assert resumed.headers["Location"].endswith("/me")
    assert count(app, Take, state="finished") == 1
    assert count(app, ScaleResult) == 4
    again = volunteer.client.post(url, data=fields)  # the first post, sent once more
    assert again.status_code == 303
    assert count(app, Take, state="finished") == 1


# Two workers, one form ------------------------------------------------------------------


def together(app, cookies, url: str, data: dict, times: int = 2) -> list[int]:
    """Post ``data`` from ``times`` clients holding the same cookies, at the same moment."""
    barrier = threading.Barrier(times)
    statuses: list[int] = []
    errors: list[BaseException] = []

    def post():
        client = app.test_client()
        for cookie in cookies:
            client.set_cookie(cookie.key, cookie.value)
        try:
            barrier.wait(timeout=10)
            statuses.append(client.post(url, data=data).status_code)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=post) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return statuses


def test_the_same_last_step_from_two_workers_at_once_finishes_one_take(app):
    for _ in range(3):
        volunteer, url, fields = volunteer_at_last_scenario(app)
        cookies = list(volunteer.client._cookies.values())
        statuses = together(app, cookies, url, fields)
        assert statuses == [303, 303], statuses
    assert count(app, Take, state="finished") == 3
    assert count(app, Choice) == 3 * len(CURRENT.scenarios)
    assert count(app, ScaleResult) == 3 * 4


@pytest.mark.parametrize("step", ["last scenario", "a page"])
def test_a_post_that_read_the_take_before_another_finished_it_leaves_it_finished(app, step):
    """The slower of two posts read the take before the faster one finished it."""
    import datetime as dt

    from app.services import takes

    volunteer, url, fields = volunteer_at_last_scenario(app)
    with app.test_request_context(url, method="POST"):
        stale = takes.open_take(takes.respondent_for(volunteer.token))
        assert stale is not None and not stale.finished
        # The faster post, in a thread of its own: its own app context and session.
        statuses: list[int] = []
        faster = threading.Thread(
            target=lambda: statuses.append(volunteer.client.post(url, data=fields).status_code)
        )
        faster.start()
        faster.join(60)
        assert statuses == [303]
        assert not stale.finished
        if step == "a page":
            takes.save_page(stale, FIRST.key, {k: 2 for k in FIRST.items}, dt.date.today())
        else:
            takes.save_choice(stale, LAST.key, LAST.options[0].key, dt.date.today())
        db.session.remove()
    assert count(app, Take, state="finished") == 1
    assert count(app, ScaleResult) == 4
    assert count(app, Choice) == len(CURRENT.scenarios)
    with app.app_context():
        values = db.session.scalars(select(Answer.value).where(Answer.item_key.in_(FIRST.items)))
        assert set(values) == {5}, "a finished take's answers are read-only"


def test_the_same_consent_from_two_workers_at_once_makes_one_person(app):
    client = app.test_client()
    fields = {**hidden(client.get("/start").text, "/start"), "profile": "y"}
    cookies = list(client._cookies.values())
    assert together(app, cookies, "/start", fields) == [303, 303]
    assert count(app, Respondent) == 1
    assert count(app, Take) == 1


def test_the_same_page_from_two_workers_at_once_stores_each_answer_once(app):
    volunteer = Volunteer(app.test_client())
    volunteer.start()
    volunteer.choose_cause()
    url = f"/take/page/{FIRST.key}"
    fields = {**hidden(volunteer.client.get(url).text, url), **page_answers("3")}
    cookies = list(volunteer.client._cookies.values())
    assert together(app, cookies, url, fields) == [303, 303]
    assert count(app, Answer) == len(FIRST.items)


# A form token expires -------------------------------------------------------------------


@pytest.fixture
def two_hours_later(monkeypatch):
    """Make form tokens check against a clock two hours ahead (WTF_CSRF_TIME_LIMIT is 1 h)."""

    def later():
        monkeypatch.setattr(
            "itsdangerous.timed.time", types.SimpleNamespace(time=lambda: time.time() + 7200)
        )

    return later


def test_an_expired_form_token_keeps_the_answers(app, two_hours_later):
    volunteer = Volunteer(app.test_client())
    volunteer.start()
    volunteer.choose_cause()
    url = f"/take/page/{FIRST.key}"
    fields = hidden(volunteer.client.get(url).text, url)
    two_hours_later()
    response = volunteer.client.post(url, data={**fields, **page_answers("2")})
    assert response.status_code == 200
    assert "press the button once more" in response.text
    assert checked(response.text, "2") == len(FIRST.items)
    assert count(app, Answer) == 0
    retry = volunteer.client.post(url, data={**hidden(response.text, url), **page_answers("2")})
    assert retry.status_code == 303
    assert count(app, Answer) == len(FIRST.items)


def test_an_expired_token_on_the_consent_page_keeps_the_ticks(app, two_hours_later):
    client = app.test_client()
    fields = {**hidden(client.get("/start").text, "/start"), "profile": "y", "org": "y"}
    two_hours_later()
    response = client.post("/start", data=fields)
    assert response.status_code == 200
    assert "press the button once more" in response.text
    assert response.text.count("checked") >= 2
    assert count(app, Respondent) == 0
    retry = client.post("/start", data={**hidden(response.text, "/start"), "profile": "y"})
    assert retry.status_code == 303
    assert count(app, Respondent) == 1
