"""Pages for everyone: the landing page and the health check."""

from __future__ import annotations

from functools import cache

from flask import jsonify, render_template
from sqlalchemy import text

from app.extensions import db
from app.web.main import bp


@bp.get("/")
def index():
    return render_template("main/index.html")


@bp.get("/healthz")
def health():
    """Liveness, with the database's state: 200 as long as the app itself runs."""
    try:
        db.session.execute(text("SELECT 1"))
        database = "ok"
    except Exception:
        db.session.rollback()
        database = "unavailable"
    return jsonify(status="ok", database=database)


@bp.get("/readyz")
def ready():
    """Readiness: 200 only when the database answers and its schema is at the newest migration."""
    expected = _migration_head()
    try:
        current = db.session.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except Exception:
        db.session.rollback()
        return jsonify(status="unavailable", database="unavailable"), 503
    if current != expected:
        return jsonify(status="unavailable", database="ok", migrations="behind"), 503
    return jsonify(status="ok", database="ok", migrations="head")


@cache
def _migration_head() -> str | None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from app.config import ROOT

    config = Config()
    config.set_main_option("script_location", str(ROOT / "migrations"))
    return ScriptDirectory.from_config(config).get_current_head()
