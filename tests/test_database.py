"""A request's transaction begins at its first write; SQLite writers line up behind one
lock per database file, and always give it back."""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
import sqlite3
import threading

import pytest
from psycopg.pq import TransactionStatus
from sqlalchemy import event, select, text
from sqlalchemy.exc import OperationalError

from app import create_app
from app.database import QueuedConnection, WriterQueue, prepare, write_alone
from app.extensions import db
from app.instruments import CURRENT
from app.models import DashboardState
from app.services import accounts, takes, unit_of_work
from tests.conftest import settings
from tests.forms import hidden
from tests.security.support import wipe
from tests.web.volunteer import Volunteer


def held(path: str) -> bool:
    """Whether anyone holds the lock: a file opened anew is a stranger to every holder."""
    if not os.path.exists(path):
        return False  # no writer has queued yet
    fd = os.open(path, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)


@pytest.fixture
def sqlite_file(tmp_path) -> str:
    return str(tmp_path / "queue.sqlite")


def test_the_queue_is_a_file_beside_the_database_that_only_its_owner_reads(sqlite_file):
    queue = WriterQueue.for_database(sqlite_file)
    assert queue is WriterQueue.for_database(sqlite_file)
    assert queue.acquire()
    try:
        assert queue.path == sqlite_file + "-writer"
        assert held(queue.path)
        assert os.stat(queue.path).st_mode & 0o777 == 0o600
    finally:
        queue.release()
    assert not held(queue.path)


def test_a_second_writer_waits_for_the_first_to_finish(sqlite_file):
    queue = WriterQueue.for_database(sqlite_file)
    order: list[str] = []
    second_has_it = threading.Event()

    def second():
        queue.acquire()
        order.append("second")
        second_has_it.set()
        queue.release()

    assert queue.acquire()
    waiting = threading.Thread(target=second)
    waiting.start()
    assert not second_has_it.wait(0.2)
    order.append("first done")
    queue.release()
    assert second_has_it.wait(10)
    waiting.join(10)
    assert order == ["first done", "second"]


def test_a_thread_that_holds_the_queue_is_not_made_to_wait_for_itself(sqlite_file):
    queue = WriterQueue.for_database(sqlite_file)
    assert queue.acquire()
    try:
        assert queue.acquire() is False
    finally:
        queue.release()
    assert not held(queue.path)


@pytest.mark.parametrize("end", ["commit", "rollback", "close"])
def test_the_connection_gives_its_turn_back_however_the_transaction_ends(sqlite_file, end):
    connection = sqlite3.connect(sqlite_file, factory=QueuedConnection, isolation_level=None)
    connection.execute("CREATE TABLE t (x)")
    connection.queue()
    connection.execute("BEGIN IMMEDIATE")
    connection.execute("INSERT INTO t VALUES (1)")
    assert held(sqlite_file + "-writer")
    getattr(connection, end)()
    assert not held(sqlite_file + "-writer")
    if end != "close":
        connection.queue()
        connection.leave()
        assert not held(sqlite_file + "-writer")
        connection.close()


def test_only_a_sqlite_file_gets_the_queue():
    for url in ("sqlite://", "sqlite:///:memory:", "postgresql://postgres@127.0.0.1/test"):
        config = {"SQLALCHEMY_DATABASE_URI": url, "SQLALCHEMY_ENGINE_OPTIONS": {}}
        prepare(config)
        assert "connect_args" not in config["SQLALCHEMY_ENGINE_OPTIONS"], url
    config = {"SQLALCHEMY_DATABASE_URI": "sqlite:////srv/whyiact.sqlite"}
    prepare(config)
    assert config["SQLALCHEMY_ENGINE_OPTIONS"]["connect_args"]["factory"] is QueuedConnection


@pytest.fixture
def lock(sqlite_url) -> str:
    """The queue's file beside the suite's SQLite database."""
    return sqlite_url.removeprefix("sqlite:///") + "-writer"


@contextlib.contextmanager
def running(url: str):
    """The app on ``url``, its rows wiped and its connections closed afterwards."""
    app = create_app(settings(url))
    try:
        yield app
    finally:
        wipe(app)
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def sqlite_app(sqlite_url):
    with running(sqlite_url) as app:
        yield app


def in_transaction(dbapi_connection) -> bool:
    if isinstance(dbapi_connection, sqlite3.Connection):
        return dbapi_connection.in_transaction
    return dbapi_connection.info.transaction_status != TransactionStatus.IDLE


@contextlib.contextmanager
def statements(app, extra=None):
    """Each statement the app runs, after it ran: (verb, inside a transaction[, extra])."""
    seen: list[tuple] = []

    def after(_conn, cursor, statement, *_args):
        row = (statement.split()[0].upper(), in_transaction(cursor.connection))
        seen.append(row + ((extra(cursor.connection),) if extra else ()))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "after_cursor_execute", after)
    try:
        yield seen
    finally:
        event.remove(engine, "after_cursor_execute", after)


def on_first_page(app) -> tuple[Volunteer, str, dict]:
    """A volunteer on the first page, and that page's form filled in."""
    volunteer = Volunteer(app.test_client())
    volunteer.start()
    volunteer.choose_cause()
    url = f"/take/page/{CURRENT.pages[0].key}"
    fields = hidden(volunteer.client.get(url).text, url)
    fields.update({f"item_{item.key}": "5" for item in CURRENT.page_items(CURRENT.pages[0])})
    return volunteer, url, fields


def test_a_saved_page_reads_outside_the_queue_and_writes_inside_it(sqlite_app, lock):
    volunteer, url, fields = on_first_page(sqlite_app)
    with statements(sqlite_app, lambda _connection: held(lock)) as seen:
        assert volunteer.client.post(url, data=fields).status_code == 303
    first_write = next(i for i, (verb, _, _) in enumerate(seen) if verb != "SELECT")
    assert first_write > 0, seen
    assert not any(queued for _, _, queued in seen[:first_write]), seen
    assert all(queued for _, _, queued in seen[first_write:]), seen
    assert not held(lock)


def test_a_select_for_update_in_a_post_takes_the_turn(sqlite_app, lock):
    with sqlite_app.test_request_context("/staff/dashboard", method="POST"):
        db.session.execute(select(DashboardState))
        assert not held(lock)
        db.session.execute(select(DashboardState).with_for_update())
        assert held(lock)
        db.session.rollback()
        assert not held(lock)
        db.session.remove()


def test_a_request_queues_at_its_first_write_whatever_its_method(sqlite_app, lock):
    with sqlite_app.test_request_context("/me"):
        db.session.execute(select(DashboardState))
        assert not held(lock)
        db.session.execute(text("DELETE FROM dashboard_state WHERE organization_id = -1"))
        assert held(lock)
        db.session.rollback()
        assert not held(lock)
        db.session.remove()


def test_a_failed_begin_gives_the_turn_back(sqlite_app, lock, monkeypatch):
    write = text("DELETE FROM dashboard_state WHERE organization_id = -1")

    def refuse(self, sql, *args):
        if sql == "BEGIN IMMEDIATE":
            raise sqlite3.OperationalError("disk I/O error")
        return sqlite3.Connection.execute(self, sql, *args)

    monkeypatch.setattr(QueuedConnection, "execute", refuse, raising=False)
    with sqlite_app.test_request_context("/take/page/p1", method="POST"):
        with pytest.raises(OperationalError):
            db.session.execute(write)
        assert not held(lock)
        db.session.remove()
    monkeypatch.delattr(QueuedConnection, "execute")
    with sqlite_app.test_request_context("/take/page/p1", method="POST"):
        db.session.execute(write)
        assert held(lock)
        db.session.commit()
        assert not held(lock)
        db.session.remove()


def test_a_job_outside_a_request_takes_the_write_lock_at_its_first_write(sqlite_app, lock):
    """A command-line job reads, then writes. Begun with a plain BEGIN at its read, a
    page saved in between left it reading a stale snapshot, and SQLite refused its
    write at once ("database is locked"; no busy timeout helps). Its read now runs on
    its own, and its first write takes the lock, without the requests' queue: a page
    saved meanwhile waits for the job (here it is not willing to wait at all)."""
    add = "INSERT INTO organization (slug, name, created_on) VALUES (?, 'A', '2026-01-01')"
    path = sqlite_app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    page = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        with sqlite_app.app_context():
            db.session.execute(select(DashboardState))  # the job reads ...
            page.execute(add, ("page 1",))  # ... a page is saved ...
            db.session.execute(text(add.replace("?", ":slug")), {"slug": "job"})  # ... it writes
            assert not held(lock)
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                page.execute(add, ("page 2",))
            db.session.commit()
            db.session.remove()
        page.execute(add, ("page 2",))
        saved = page.execute("SELECT slug FROM organization ORDER BY slug").fetchall()
    finally:
        page.close()
    assert saved == [("job",), ("page 1",), ("page 2",)]


def test_the_nightly_sync_is_not_refused_when_a_page_is_saved_as_it_starts(sqlite_app):
    """``flask sync-dashboards`` reads the organizations, then writes each one's roll-up.
    A page saved between the two made SQLite refuse the whole job, when it began at
    its read."""
    with sqlite_app.app_context():
        organization = accounts.create_organization("nightly", "Nightly", dt.date(2026, 11, 30))
        organization_id, engine = organization.id, db.engine
    path = sqlite_app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    page = sqlite3.connect(path, timeout=5, isolation_level=None)
    saved: list[str] = []

    def a_page_is_saved(_connection, _cursor, statement, *_args):
        if "FROM organization" in statement and not saved:
            saved.append(statement)
            page.execute(
                "INSERT INTO respondent (token_hash, created_on) VALUES (?, '2026-11-30')",
                (os.urandom(32).hex(),),
            )

    event.listen(engine, "after_cursor_execute", a_page_is_saved)
    try:
        result = sqlite_app.test_cli_runner().invoke(args=["sync-dashboards"])
    finally:
        event.remove(engine, "after_cursor_execute", a_page_is_saved)
        page.close()
    assert saved and result.exit_code == 0, result.output
    with sqlite_app.app_context():
        synced = db.session.get(DashboardState, organization_id)
        assert synced is not None and synced.updated_on is not None
        assert db.session.scalar(text("SELECT count(*) FROM respondent")) == 1


# Both databases: where a request's transaction begins -----------------------------


@pytest.fixture
def any_app(database_url):
    with running(database_url) as app:
        yield app


def test_a_page_that_only_reads_begins_no_transaction(any_app):
    volunteer, url, _fields = on_first_page(any_app)
    with statements(any_app) as seen:
        assert volunteer.client.get(url).status_code == 200
    assert seen and all(verb == "SELECT" for verb, _ in seen), seen
    assert not any(inside for _, inside in seen), seen


def test_a_saved_page_reads_on_its_own_and_writes_in_one_transaction(any_app):
    """SQLite: the reads, then one transaction for the writes. PostgreSQL: the reads, then
    the page's one statement, which is a transaction by itself (no BEGIN, no COMMIT)."""
    volunteer, url, fields = on_first_page(any_app)
    with statements(any_app) as seen:
        assert volunteer.client.post(url, data=fields).status_code == 303
    first_write = next(i for i, (verb, _) in enumerate(seen) if verb != "SELECT")
    assert first_write > 0, seen
    assert not any(inside for _, inside in seen[:first_write]), seen
    if any_app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        assert seen[first_write:] == [("WITH", False)], seen
    else:
        assert all(inside for _, inside in seen[first_write:]), seen
    with any_app.app_context():
        saved = db.session.scalar(text("SELECT count(*) FROM answer"))
    assert saved == len(CURRENT.page_items(CURRENT.pages[0]))


def test_a_write_meant_to_run_alone_cannot_be_followed_by_another(any_app):
    """On PostgreSQL a second write would not be atomic with the first: it is refused (the
    first, a transaction by itself, stands). SQLite writes both in one transaction."""
    add = "INSERT INTO organization (slug, name, created_on) VALUES (:slug, 'A', '2026-01-01')"
    postgresql = any_app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql")
    refused = pytest.raises(RuntimeError) if postgresql else contextlib.nullcontext()
    with any_app.test_request_context("/take/page/p1", method="POST"):
        with refused, unit_of_work():
            write_alone(db.session)
            db.session.execute(text(add), {"slug": "a"})
            db.session.execute(text(add), {"slug": "b"})
        kept = db.session.scalar(text("SELECT count(*) FROM organization"))
        db.session.remove()
    assert kept == (1 if postgresql else 2)


def test_outside_a_request_postgresql_begins_at_the_first_read_and_sqlite_at_a_write(any_app):
    sqlite = any_app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")
    with any_app.app_context():
        db.session.execute(select(DashboardState))
        dbapi_connection = db.session.connection().connection.dbapi_connection
        assert in_transaction(dbapi_connection) is not sqlite
        db.session.execute(text("DELETE FROM dashboard_state WHERE organization_id = -1"))
        assert in_transaction(dbapi_connection)
        db.session.rollback()
        db.session.remove()


def _synchronous_commit(dbapi_connection) -> str:
    return dbapi_connection.execute("SHOW synchronous_commit").fetchone()[0]


@pytest.mark.postgres
def test_only_a_volunteers_progress_commits_without_waiting_for_the_disk(postgresql_url):
    with running(postgresql_url) as app:
        with statements(app, _synchronous_commit) as seen:
            volunteer, url, fields = on_first_page(app)
        # Consenting (a new person and take) and choosing the cause wait for the disk.
        assert {mode for verb, inside, mode in seen if inside} == {"on"}, seen
        sent: list[str] = []
        with app.app_context():
            engine = db.engine
        record = lambda *args: sent.append(args[2])  # noqa: E731 - (conn, cursor, statement, ...)
        event.listen(engine, "before_cursor_execute", record)
        try:
            assert volunteer.client.post(url, data=fields).status_code == 303
        finally:
            event.remove(engine, "before_cursor_execute", record)
        # The page is one statement run alone, which says itself not to wait.
        (write,) = [statement for statement in sent if not statement.startswith("SELECT")]
        assert "set_config('synchronous_commit', 'off', true)" in write, write
        fields = hidden(volunteer.client.get("/me/delete").text, "/me/delete")
        with statements(app, _synchronous_commit) as seen:
            deleted = volunteer.client.post("/me/delete", data={**fields, "confirm": "y"})
        assert deleted.status_code == 303
        assert any(verb == "DELETE" for verb, _, _ in seen), seen
        assert {mode for _, inside, mode in seen if inside} == {"on"}, seen


@pytest.mark.postgres
def test_a_page_saved_alone_sets_its_own_commit_not_to_wait(postgresql_url):
    """What the statement asks for holds for the transaction it runs in, up to its commit
    (and PostgreSQL reads synchronous_commit at the commit)."""
    with running(postgresql_url) as app:
        on_first_page(app)
        with app.app_context():
            take_id = db.session.scalar(text("SELECT id FROM take"))
            statement = takes._save_page_at_once(("reached",), unless_finished=True)
            params = {"take_id": take_id, "reached": 1, "keys": ["og1"], "values": [4]}
            db.session.execute(statement, {**params, "blanked": []}).close()
            assert _synchronous_commit(db.session.connection().connection.dbapi_connection) == "off"
            db.session.rollback()
            assert _synchronous_commit(db.session.connection().connection.dbapi_connection) == "on"
            db.session.rollback()


@pytest.mark.postgres
def test_a_choice_saved_alone_keeps_the_first_and_leaves_a_finished_take_alone(postgresql_url):
    with running(postgresql_url) as app:
        on_first_page(app)
        with app.app_context():
            take_id = db.session.scalar(text("SELECT id FROM take"))

            def choose(scenario: str, option: str | None) -> str:
                """Save the choice; how its transaction was set to commit."""
                statement = takes._save_choice_at_once(with_choice=option is not None)
                params = {"take_id": take_id, "state": "answering", "reached": 6}
                chosen = {"scenario_key": scenario, "option_key": option}
                db.session.execute(statement, {**params, **chosen}).close()
                mode = _synchronous_commit(db.session.connection().connection.dbapi_connection)
                db.session.commit()
                return mode

            def stored() -> dict:
                rows = db.session.execute(text("SELECT scenario_key, option_key FROM choice"))
                return dict(rows.all())

            assert choose("march", "a") == "off"
            choose("march", "b")  # a second post of the same scenario
            assert choose("petition", None) == "off"  # skipped: progress only
            assert stored() == {"march": "a"}
            assert db.session.scalar(text("SELECT reached FROM take")) == 6
            db.session.execute(text("UPDATE take SET state = 'finished', reached = 7"))
            db.session.commit()
            assert choose("press", "a") == "on"  # nothing was written
            assert stored() == {"march": "a"}
            assert db.session.execute(text("SELECT state, reached FROM take")).one() == (
                "finished",
                7,
            )
