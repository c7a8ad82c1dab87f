"""Staff sign-in and sign-out. Volunteers never sign in: they have no accounts."""

from __future__ import annotations

import hashlib
import hmac
import logging
from urllib.parse import urlsplit

from flask import current_app, flash, g, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user

from app.extensions import limiter
from app.services import accounts
from app.web.auth import bp
from app.web.auth.forms import LogInForm, LogOutForm
from app.web.i18n import gettext as _

log = logging.getLogger(__name__)


def _login_limit() -> str:
    return current_app.config["LOGIN_LIMIT"]


def _account_limit() -> str:
    return current_app.config["LOGIN_ACCOUNT_LIMIT"]


def _global_limit() -> str:
    return current_app.config["LOGIN_GLOBAL_LIMIT"]


def _everyone() -> str:
    return "all"


def _account_key() -> str:
    """A keyed hash of the email tried: one account cannot be guessed at from many places."""
    email = accounts.normalise_email(request.form.get("email", ""))
    secret = current_app.config["SECRET_KEY"].encode()
    return "account:" + hmac.new(secret, email.encode(), hashlib.sha256).hexdigest()[:24]


def _failed(_response) -> bool:
    return bool(g.get("login_failed"))


def _safe_next(target: str | None) -> str:
    """Follow ``next`` only to a path on this site."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("workshop.list_workshops")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"], deduct_when=_failed)
@limiter.limit(_account_limit, methods=["POST"], key_func=_account_key, deduct_when=_failed)
@limiter.shared_limit(
    _global_limit, scope="login-all", key_func=_everyone, methods=["POST"], deduct_when=_failed
)
def log_in():
    if current_user.is_authenticated:
        return redirect(url_for("workshop.list_workshops"), code=303)
    form = LogInForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
        return render_template("auth/log_in.html", form=form)
    if not form.validate():
        return render_template("auth/log_in.html", form=form)
    account = accounts.authenticate(form.email.data, form.password.data)
    if account is None:
        g.login_failed = True
        log.info("failed login")
        form.form_errors.append(_("That email and password do not match an account."))
        return render_template("auth/log_in.html", form=form), 401
    login_user(account)
    log.info("login by account %s", account.id)
    return redirect(_safe_next(form.next.data), code=303)


@bp.post("/logout")
def log_out():
    if LogOutForm().validate() and current_user.is_authenticated:
        log.info("logout by account %s", current_user.id)
        logout_user()
        flash(_("You are signed out."))
    return redirect(url_for("auth.log_in"), code=303)
