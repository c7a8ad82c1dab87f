"""Why I Act: private reflection on why we act for a cause."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app: settings, extensions, blueprints and commands. No I/O happens here."""
    import os

    from app import config as settings
    from app.extensions import (
        babel,
        check_limits_in_views_only,
        csrf,
        db,
        limiter,
        login_manager,
        migrate,
    )

    app = Flask(__name__, instance_relative_config=False)
    app.config.update(settings.defaults(app.instance_path))
    app.config.from_prefixed_env("WHYIACT")
    app.config.update(settings.from_environment(os.environ))
    if config:
        app.config.update(config)
    if settings.is_production(app.config):
        app.config.update(
            {k: v for k, v in settings.production_overrides().items() if k not in (config or {})}
        )
    settings.check(app.config)
    if not app.config.get("SECRET_KEY"):
        # Debug and test runs only (check() refuses production without a key).
        import secrets

        app.config["SECRET_KEY"] = secrets.token_urlsafe(48)

    from app import database, logs, web
    from app.web import i18n

    logs.configure(app)
    database.prepare(app.config)
    db.init_app(app)
    database.configure(app)
    migrate.init_app(app, db, directory=str(settings.ROOT / "migrations"))
    web.configure(app)
    babel.init_app(app, locale_selector=web.select_locale)
    i18n.configure(app)
    csrf.init_app(app)
    limiter.init_app(app)
    check_limits_in_views_only(app)
    login_manager.init_app(app)

    from app.web import access

    access.configure(app, login_manager)

    from app.web.auth import bp as auth_bp
    from app.web.dashboard import bp as dashboard_bp
    from app.web.main import bp as main_bp
    from app.web.profile import bp as profile_bp
    from app.web.survey import bp as survey_bp
    from app.web.workshop import bp as workshop_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(survey_bp)
    app.register_blueprint(profile_bp)
    # Staff and join forms keep the global CSRF check: a stale token is a plain 400.
    app.register_blueprint(auth_bp)
    app.register_blueprint(workshop_bp)
    app.register_blueprint(dashboard_bp)
    # Volunteer forms check their own CSRF token so that a stale token re-renders
    # the page with the answers instead of a bare 400.
    csrf.exempt(survey_bp)
    csrf.exempt(profile_bp)

    from app import cli

    cli.register(app)
    return app
