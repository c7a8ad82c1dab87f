"""Database connection behaviour that differs between SQLite and PostgreSQL.

A request's transaction begins at its first write. Its reads before that run
each on its own, as every statement does on PostgreSQL under READ COMMITTED, and
a request that only reads (most pages) sends no BEGIN and no ROLLBACK at all.
The first INSERT, UPDATE or DELETE, or a ``SELECT ... FOR UPDATE``, begins the
transaction, and everything from there to the commit is one transaction as
usual. Outside a request (command-line jobs, migrations) a PostgreSQL transaction
begins with its first statement, as the driver begins it; on SQLite, as in a
request, with its first write (below).

SQLite is the embedded default: write-ahead logging so readers never wait for
the writer, a busy timeout so writers queue instead of failing, foreign keys on
so that deleting a person cascades, and ``BEGIN IMMEDIATE`` at the first write,
so a transaction that writes cannot fail half-way when another writer got there
first. That holds for command-line jobs too: a job that began with a plain
``BEGIN`` and read before it wrote was refused its write at once ("database is
locked", its snapshot being stale) whenever a page was saved in between, and no
busy timeout helps with that. The jobs that write from what they read (a
dashboard sync, the retention purge) take their lock with their first statement.

Writers of one database file also line up behind an operating-system lock
(:class:`WriterQueue`) before they ask SQLite for its write lock. SQLite's own
busy handler polls: a writer that finds the lock taken sleeps 1 ms, then 2, then
5, whatever is left of the other's transaction. With two workers saving pages
that was most requests' wait (docs/performance.md); a blocked ``flock`` wakes the
moment the lock is let go.

On PostgreSQL (psycopg 3) each statement is a round trip to the server. Reading
in autocommit mode saves a page two of its four: BEGIN and ROLLBACK. A request
that writes sends BEGIN at its first write. A write that is one statement can
instead run as a transaction by itself (:func:`write_alone`): no BEGIN and no
COMMIT at all.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import MutableMapping
from typing import Any, ClassVar

from flask import Flask, has_request_context
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.orm import Session

from app.extensions import db

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: SQLite's busy timeout alone
    fcntl = None

MEMORY = (None, "", ":memory:")

#: The statement that will begin a request's transaction at its first write, kept in
#: the connection's ``info`` from the transaction's first statement until then.
BEGIN_AT_FIRST_WRITE = "whyiact.begin_at_first_write"
_BEGIN = "BEGIN"
#: SQLite: the write lock at the first write; a request waits for its turn first.
_IMMEDIATE = "BEGIN IMMEDIATE"
_QUEUED = "queued"
#: In place of a BEGIN statement: the next write runs on its own (``write_alone``) ...
_ALONE = "alone"
#: ... and once it has, no other write may follow it in the same transaction.
_WRITTEN_ALONE = "written alone"


def prepare(config: MutableMapping[str, Any]) -> None:
    """Engine options that must be in place before the engine is made."""
    url = make_url(config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() != "sqlite" or url.database in MEMORY or fcntl is None:
        return
    if url.query.get("uri"):  # "file:" names: leave them to SQLite alone
        return
    options = dict(config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    connect_args = dict(options.get("connect_args") or {})
    connect_args.setdefault("factory", QueuedConnection)
    options["connect_args"] = connect_args
    config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def configure(app: Flask) -> None:
    """Attach SQLite connection settings to the app's engine, when it is SQLite."""
    with app.app_context():
        engine = db.engine
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine)
    elif engine.dialect.driver == "psycopg":
        _configure_postgresql(engine)


def write_alone(session: Session) -> None:
    """Let this transaction's one write run as a transaction of its own, on PostgreSQL.

    For a write that is a single statement, which PostgreSQL makes atomic by itself:
    it is sent in autocommit mode, with no BEGIN before it and no COMMIT after, two
    of a page save's five round trips. A second write in the same transaction would
    not be atomic with the first, so it raises instead. No ``SET LOCAL`` can come
    before such a statement: it carries any setting itself (``set_config(..., true)``
    applies to its own transaction). Elsewhere (SQLite, outside a request, after the
    first write) the transaction goes on as usual.
    """
    connection = session.connection()
    if connection.info.get(BEGIN_AT_FIRST_WRITE) == _BEGIN:
        connection.info[BEGIN_AT_FIRST_WRITE] = _ALONE


def _configure_sqlite(engine: Engine) -> None:
    memory = engine.url.database in MEMORY

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):  # pragma: no cover - driver glue
        # Let SQLAlchemy, not the driver, decide when a transaction begins.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        if not memory:
            cursor.execute("PRAGMA journal_mode=WAL")
            # In WAL mode NORMAL cannot corrupt the database; a power cut may lose
            # the last commits, an application crash loses nothing. Inserts are
            # about 1.5x faster than with FULL (shared/BUDGETS.md).
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        connection.info[BEGIN_AT_FIRST_WRITE] = _QUEUED if has_request_context() else _IMMEDIATE

    @event.listens_for(engine, "before_cursor_execute")
    def before_statement(connection, cursor, statement, _parameters, context, _many):
        if BEGIN_AT_FIRST_WRITE in connection.info and _writes(statement, context):
            begin = connection.info.pop(BEGIN_AT_FIRST_WRITE)
            dbapi_connection = cursor.connection
            if begin == _QUEUED and isinstance(dbapi_connection, QueuedConnection):
                dbapi_connection.begin_writing()  # the queue, then the same BEGIN IMMEDIATE
            else:
                dbapi_connection.execute(_IMMEDIATE)


def _configure_postgresql(engine: Engine) -> None:
    from psycopg.pq import TransactionStatus

    @event.listens_for(engine, "begin")
    def on_begin(connection: Connection):
        dbapi_connection = connection.connection.dbapi_connection
        idle = dbapi_connection.info.transaction_status == TransactionStatus.IDLE
        lazy = has_request_context() and idle
        if idle and dbapi_connection.autocommit is not lazy:
            dbapi_connection.autocommit = lazy
        if lazy:
            connection.info[BEGIN_AT_FIRST_WRITE] = _BEGIN
        else:
            connection.info.pop(BEGIN_AT_FIRST_WRITE, None)

    @event.listens_for(engine, "before_cursor_execute")
    def before_statement(connection, cursor, statement, _parameters, context, _many):
        if BEGIN_AT_FIRST_WRITE in connection.info and _writes(statement, context):
            begin = connection.info.pop(BEGIN_AT_FIRST_WRITE)
            if begin == _ALONE:
                # Autocommit mode: the statement is its own transaction.
                connection.info[BEGIN_AT_FIRST_WRITE] = _WRITTEN_ALONE
            elif begin == _WRITTEN_ALONE:
                connection.info[BEGIN_AT_FIRST_WRITE] = _WRITTEN_ALONE
                raise RuntimeError("a write meant to run alone was followed by another")
            else:
                # psycopg commits and rolls back by the server's state, not by its
                # autocommit flag, so the usual commit ends what this begins.
                cursor.connection.execute(begin)


def _writes(statement: str, context) -> bool:
    """Whether a statement needs the write transaction: anything but a plain SELECT.

    ``SELECT ... FOR UPDATE`` counts as a write: SQLite has no row locks, and the
    caller means to write what it reads.
    """
    if statement.lstrip()[:6].upper() != "SELECT":
        return True
    compiled = getattr(context, "compiled", None)
    return getattr(getattr(compiled, "statement", None), "_for_update_arg", None) is not None


class WriterQueue:
    """One writer at a time per database file, across the processes of one machine.

    An exclusive ``flock`` on a file beside the database, taken before ``BEGIN
    IMMEDIATE`` and given back after ``COMMIT`` or ``ROLLBACK``. The lock belongs
    to the open file, so every process opens its own; threads of one process also
    take a mutex first. A thread that already holds the queue (a second connection
    in the same request) does not queue again: SQLite's busy timeout answers it.

    Only requests queue. A command-line job waits for SQLite's lock through the busy
    timeout, and a page saved meanwhile waits for the job the same way: a job that
    runs long sends the page back after five seconds, answers in place, with a
    notice to try again, rather than holding it until the worker's timeout.
    """

    _by_path: ClassVar[dict[str, WriterQueue]] = {}
    _guard: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, path: str) -> None:
        self.path = path
        self._mutex = threading.Lock()
        self._owner: int | None = None
        self._fd: int | None = None
        self._pid: int | None = None

    @classmethod
    def for_database(cls, database: str) -> WriterQueue:
        path = os.path.abspath(database) + "-writer"
        with cls._guard:
            queue = cls._by_path.get(path)
            if queue is None:
                queue = cls._by_path[path] = cls(path)
            return queue

    def acquire(self) -> bool:
        """Wait for the turn to write; False when this thread already has it."""
        me = threading.get_ident()
        if self._owner == me:
            return False
        self._mutex.acquire()
        try:
            fcntl.flock(self._file(), fcntl.LOCK_EX)
        except OSError:
            # No lock file (a read-only folder, say): SQLite's busy timeout alone.
            self._mutex.release()
            return False
        self._owner = me
        return True

    def release(self) -> None:
        self._owner = None
        try:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            self._mutex.release()

    def _file(self) -> int:
        # A file opened before a fork is shared with the parent, and so is its lock.
        if self._fd is None or self._pid != os.getpid():
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
            self._pid = os.getpid()
        return self._fd


class QueuedConnection(sqlite3.Connection):
    """A SQLite connection that gives its turn in the :class:`WriterQueue` back on
    commit, rollback and close, whichever comes first."""

    def __init__(self, database, *args, **kwargs) -> None:
        super().__init__(database, *args, **kwargs)
        self._queue = WriterQueue.for_database(os.fsdecode(database))
        self._queued = False

    def begin_writing(self) -> None:
        """Wait for the turn, then take SQLite's write lock: ``BEGIN IMMEDIATE``."""
        self.queue()
        try:
            self.execute(_IMMEDIATE)
        except BaseException:
            self.leave()
            raise

    def queue(self) -> None:
        self._queued = self._queue.acquire()

    def leave(self) -> None:
        if self._queued:
            self._queued = False
            self._queue.release()

    def commit(self) -> None:
        try:
            super().commit()
        finally:
            self.leave()

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self.leave()

    def close(self) -> None:
        try:
            super().close()
        finally:
            self.leave()
