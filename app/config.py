"""Settings from the environment.

Every setting can be given as ``WHYIACT_<NAME>`` (``from_prefixed_env``); the
plain names ``SECRET_KEY``, ``DATABASE_URL`` and ``REDIS_URL`` are read too,
since that is what hosting platforms set. Outside debug and testing the app
refuses to start without a strong secret key and an explicit database.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "translations"
#: Locales the interface is offered in; a locale is only offered when its catalog exists.
LOCALES = ("en", "de", "es", "fr", "ar")
RTL_LOCALES = frozenset({"ar"})
#: Fewest different characters a secret key may have: random keys have many more (even 32
#: hex digits almost never have fewer), a placeholder such as "x" * 40 has one.
MIN_SECRET_VARIETY = 8


class ConfigError(RuntimeError):
    """The app cannot start with these settings."""


def defaults(instance_path: str) -> dict[str, Any]:
    """Settings that are safe everywhere; secrets are never among them."""
    return {
        #: "production" (the default: strict), or "development" for `make run` on a laptop.
        "ENV": "production",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(instance_path) / 'whyiact.sqlite'}",
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_TRANSLATION_DIRECTORIES": str(TRANSLATIONS),
        "LOCALES": LOCALES,
        # Answers fit in a few KB; anything much larger is not a survey page.
        "MAX_CONTENT_LENGTH": 64 * 1024,
        "MAX_FORM_MEMORY_SIZE": 64 * 1024,
        "MAX_FORM_PARTS": 200,
        "WTF_CSRF_TIME_LIMIT": 3600,
        # Our forms carry their own translated messages; loading WTForms' catalog for
        # every form cost a measurable share of each page (docs/performance.md).
        "WTF_I18N_ENABLED": False,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_NAME": "wia_session",
        "KEY_COOKIE_NAME": "wia_key",
        "LANG_COOKIE_NAME": "wia_lang",
        "COOKIE_SECURE": False,
        "RATELIMIT_STORAGE_URI": "memory://",
        # If Redis cannot be reached, count in this worker's memory instead of failing
        # the page; Flask-Limiter goes back to Redis once it answers again.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        # A moving window: no burst of twice the limit across the edge of a fixed window.
        "RATELIMIT_STRATEGY": "moving-window",
        "RATELIMIT_HEADERS_ENABLED": True,
        "RATELIMIT_KEY_PREFIX": "whyiact",
        "PRIVATE_LINK_LIMIT": "20 per hour;5 per minute",
        "PRIVATE_LINK_GLOBAL_LIMIT": "2000 per hour",
        # Failed join-code look-ups, per client and for everyone together.
        "JOIN_LIMIT": "10 per minute;30 per hour",
        "JOIN_GLOBAL_LIMIT": "1000 per hour",
        # Failed staff sign-ins, per client, per account name tried, and for everyone together.
        "LOGIN_LIMIT": "10 per minute;50 per hour",
        "LOGIN_ACCOUNT_LIMIT": "10 per hour",
        "LOGIN_GLOBAL_LIMIT": "500 per hour",
        "PASSWORD_HASH_METHOD": "scrypt",
        "TRUSTED_PROXIES": 0,
        "RETENTION_MONTHS": 24,
        "JSON_LOGS": False,
        # Organizer figures (docs/privacy.md): the smallest group any figure describes,
        # and the fewest people by which two released groups may differ. Never lower.
        "K_ORG": 10,
        "MIN_DIFFERENCE": 10,
        # Optional differential privacy (needs `pip install 'whyiact[dp]'`): epsilon per
        # figure group released, and the budget per organization and calendar quarter.
        "DP_ENABLED": False,
        "DP_EPSILON": 0.5,
        "DP_BUDGET": 10.0,
    }


def from_environment(env: Mapping[str, str]) -> dict[str, Any]:
    """Read the unprefixed names that platforms commonly set."""
    out: dict[str, Any] = {}
    if env.get("SECRET_KEY"):
        out["SECRET_KEY"] = env["SECRET_KEY"]
    if env.get("DATABASE_URL"):
        out["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(env["DATABASE_URL"])
    if env.get("REDIS_URL"):
        out["RATELIMIT_STORAGE_URI"] = env["REDIS_URL"]
    return out


def normalise_database_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL whatever scheme the platform gives."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def production_overrides() -> dict[str, Any]:
    """Settings that follow from serving real people over HTTPS."""
    return {
        "COOKIE_SECURE": True,
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_NAME": "__Host-wia_session",
        "KEY_COOKIE_NAME": "__Host-wia_key",
        "LANG_COOKIE_NAME": "__Host-wia_lang",
        "JSON_LOGS": True,
    }


def check_privacy(config: Mapping[str, Any]) -> None:
    """Refuse thresholds below the design's, and DP settings that cannot work (in every mode)."""
    from app.domain import dp, privacy

    problems = []
    for name, floor in (("K_ORG", privacy.K_ORG), ("MIN_DIFFERENCE", privacy.MIN_DIFFERENCE)):
        value = config.get(name, floor)
        if isinstance(value, bool) or not isinstance(value, int) or value < floor:
            problems.append(f"WHYIACT_{name} must be a whole number of at least {floor}")
    if config.get("DP_ENABLED"):
        if not dp.available():
            problems.append(
                "WHYIACT_DP_ENABLED is set, but differential privacy needs the OpenDP "
                "library: pip install 'whyiact[dp]' (or unset WHYIACT_DP_ENABLED)"
            )
        try:
            dp.Settings(config.get("DP_EPSILON"), config.get("DP_BUDGET"))
        except dp.BudgetError as error:
            problems.append(f"WHYIACT_DP_EPSILON / WHYIACT_DP_BUDGET: {error}")
    if problems:
        raise ConfigError("Why I Act cannot start: " + "; ".join(problems))


def is_production(config: Mapping[str, Any]) -> bool:
    return not (config.get("TESTING") or config.get("DEBUG")) and config.get("ENV") != "development"


def check(config: Mapping[str, Any], env: Mapping[str, str] = os.environ) -> None:
    """Refuse to run without a strong secret, and in production without an explicit database."""
    check_privacy(config)
    if config.get("TESTING") or config.get("DEBUG"):
        return
    problems = []
    if config.get("ENV") not in ("production", "development"):
        problems.append("WHYIACT_ENV must be production or development")
    secret = config.get("SECRET_KEY") or ""
    if len(secret) < 32 or len(set(secret)) < MIN_SECRET_VARIETY:
        problems.append(
            "SECRET_KEY must be set to a random value of at least 32 characters "
            '(python -c "import secrets; print(secrets.token_urlsafe(48))")'
        )
    explicit = env.get("DATABASE_URL") or env.get("WHYIACT_SQLALCHEMY_DATABASE_URI")
    if is_production(config) and not (explicit or config.get("DATABASE_EXPLICIT")):
        problems.append("DATABASE_URL must be set (for example postgresql://user@host/db)")
    if problems:
        raise ConfigError("Why I Act cannot start: " + "; ".join(problems))
