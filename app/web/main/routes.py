"""Pages for everyone: the landing page and the health check."""

from __future__ import annotations

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
