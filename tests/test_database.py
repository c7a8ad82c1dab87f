"""SQLite writers line up behind one lock per database file, and always give it back."""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading

import pytest
from sqlalchemy import event, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError

from app import create_app
from app.database import QueuedConnection, WriterQueue, prepare
from app.extensions import db
from app.instruments import CURRENT
from tests.conftest import settings
from tests.web.volunteer import Volunteer


def held(path: str) -> bool:
    """Whether anyone holds the lock: a file opened anew is a stranger to every holder."""
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
def sqlite_app(sqlite_url):
    app = create_app(settings(sqlite_url))
    yield app
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as conn:
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())
        db.engine.dispose()


def test_a_saved_page_writes_inside_the_queue_and_leaves_it(sqlite_app, sqlite_url):
    lock = sqlite_url.removeprefix("sqlite:///") + "-writer"
    volunteer = Volunteer(sqlite_app.test_client())
    volunteer.start()
    volunteer.choose_cause()
    seen: list[tuple[str, bool]] = []

    def on_write(_conn, _cursor, statement, *_args):
        if statement.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")):
            seen.append((statement.split()[0], held(lock)))

    with sqlite_app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", on_write)
    try:
        volunteer.answer_page(CURRENT.pages[0])
    finally:
        event.remove(engine, "before_cursor_execute", on_write)
    assert seen and all(inside for _, inside in seen), seen
    assert not held(lock)


def test_a_failed_begin_gives_the_turn_back(sqlite_app, sqlite_url, monkeypatch):
    lock = sqlite_url.removeprefix("sqlite:///") + "-writer"
    real = Connection.exec_driver_sql

    def refuse(self, statement, *args, **kwargs):
        if statement == "BEGIN IMMEDIATE":
            raise OperationalError(statement, {}, Exception("disk I/O error"))
        return real(self, statement, *args, **kwargs)

    monkeypatch.setattr(Connection, "exec_driver_sql", refuse)
    with sqlite_app.test_request_context("/take/page/p1", method="POST"):
        with pytest.raises(OperationalError):
            db.session.execute(text("SELECT 1"))
        assert not held(lock)
        db.session.remove()
    monkeypatch.setattr(Connection, "exec_driver_sql", real)
    with sqlite_app.test_request_context("/take/page/p1", method="POST"):
        db.session.execute(text("SELECT 1"))
        assert held(lock)
        db.session.commit()
        assert not held(lock)
        db.session.remove()
