"""Database connection behaviour that differs between SQLite and PostgreSQL.

SQLite is the embedded default: write-ahead logging so readers never wait for
the writer, a busy timeout so writers queue instead of failing, foreign keys on
so that deleting a person cascades, and ``BEGIN IMMEDIATE`` for every
transaction of a POST request, so a transaction that reads and then writes
cannot fail half-way when another writer got there first.
"""

from __future__ import annotations

from flask import Flask, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

from app.extensions import db


def configure(app: Flask) -> None:
    """Attach SQLite connection settings to the app's engine, when it is SQLite."""
    with app.app_context():
        engine = db.engine
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine)


def _configure_sqlite(engine: Engine) -> None:
    memory = engine.url.database in (None, "", ":memory:")

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
        writing = has_request_context() and request.method == "POST"
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")
