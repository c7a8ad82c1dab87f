"""Extensions, created unbound; ``create_app`` binds them."""

import hashlib
import hmac

from flask import current_app, request
from flask_babel import Babel
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Named constraints so that migrations can drop and alter them on every database.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


db = SQLAlchemy(model_class=Base)
migrate = Migrate(render_as_batch=True)
babel = Babel()
csrf = CSRFProtect()
login_manager = LoginManager()


def client_key() -> str:
    """A keyed hash of the client address: rate limits work, no address is stored."""
    secret = current_app.config["SECRET_KEY"].encode()
    address = (request.remote_addr or "").encode()
    return hmac.new(secret, b"client:" + address, hashlib.sha256).hexdigest()[:24]


limiter = Limiter(key_func=client_key, default_limits=[])


def check_limits_in_views_only(app) -> None:
    """Drop Flask-Limiter's check before every request when it can find nothing to count.

    That check is for default and application-wide limits. This app sets neither:
    every limit sits on its view, and the view's decorator checks it. Before every
    other page the check still worked out that no limit applied, at a twentieth of a
    questionnaire page (docs/performance.md). An operator who configures a default
    or application-wide limit keeps the check.
    """
    if app.config.get("RATELIMIT_DEFAULT") or app.config.get("RATELIMIT_APPLICATION"):
        return
    hooks = app.before_request_funcs.get(None, [])
    hooks[:] = [hook for hook in hooks if getattr(hook, "__self__", None) is not limiter]
