"""Who may open a staff page: signed-in accounts with a role, decided on the route.

``role_required`` sends a visitor who is not signed in to the sign-in page,
and answers 404 to an account without any of the roles, exactly as for a page
that does not exist: a staff URL never confirms that something is there.
Whose workshop it is is decided by the services (``workshops.find``), which
also answer "not found".
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Flask, abort, current_app
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, current_user

from app.models import Role


def role_required(*roles: Role | str) -> Callable:
    """Let the view run only for a signed-in account holding one of ``roles``."""
    wanted = tuple(Role(role) for role in roles)

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any):
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()
            if not any(current_user.has_role(role) for role in wanted):
                abort(404)
            return view(*args, **kwargs)

        guarded.roles = wanted  # type: ignore[attr-defined]  # read by the access test
        return guarded

    return decorator


def configure(app: Flask, manager: LoginManager) -> None:
    """Load accounts by id, protect sessions strongly, and send strangers to sign in."""
    from app.services import accounts

    manager.user_loader(accounts.load)
    manager.login_view = "auth.log_in"
    manager.login_message = _l("Please sign in to see this page.")
    # A session cookie used from another address or browser is signed out at once.
    manager.session_protection = "strong"
    # Flask-Login's context processor loads the account on every page rendered, also for
    # volunteers, who never have one: the session check then rewrote their session
    # cookie on every page and cost about a tenth of it. Templates get the lazy proxy
    # instead, which loads the account only where a template reads it (staff pages).
    processors = app.template_context_processors[None]
    processors[:] = [p for p in processors if p.__module__ != "flask_login.utils"]
    app.jinja_env.globals["current_user"] = current_user
