"""Organizations and staff accounts: creating them, and checking a password at sign-in.

Passwords are hashed with werkzeug.security (scrypt unless ``PASSWORD_HASH_METHOD``
says otherwise); only the hash is stored. A sign-in with an unknown email
checks a dummy hash, so that it takes as long as one with a known email and
the answer time does not tell whether an account exists. Logs name accounts
by id, never by email.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterable
from functools import cache

from flask import current_app
from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from app.extensions import db
from app.models import Account, Organization, Role
from app.services import reading, unit_of_work

log = logging.getLogger(__name__)

#: ASVS 5.0 V6.2: at least 12 characters, at most 64 accepted at minimum; we allow 128.
MIN_PASSWORD = 12
MAX_PASSWORD = 128
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")


class AccountError(ValueError):
    """An account or organization cannot be created as asked; ``kind`` says why."""

    def __init__(self, kind: str):
        self.kind = kind
        super().__init__(kind)


def normalise_email(email: str) -> str:
    return email.strip().lower()


def check_password(password: str) -> None:
    """Raise ``AccountError`` unless the password has an acceptable length."""
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise AccountError("password_length")


def create_organization(slug: str, name: str, today: dt.date) -> Organization:
    """Create an organization; its slug is how commands name it."""
    if not _SLUG.fullmatch(slug):
        raise AccountError("slug")
    if not name.strip():
        raise AccountError("name")
    organization = Organization(slug=slug, name=name.strip(), created_on=today)
    try:
        with unit_of_work():
            db.session.add(organization)
    except IntegrityError:
        raise AccountError("slug_taken") from None
    log.info("organization %s created", organization.id)
    return organization


def organization_by_slug(slug: str) -> Organization | None:
    return reading(lambda: db.session.scalar(select(Organization).where(Organization.slug == slug)))


def create_account(
    organization: Organization,
    email: str,
    name: str,
    password: str,
    roles: Iterable[Role | str],
    today: dt.date,
    actor: Account | None = None,
) -> Account:
    """Create a staff account in ``organization``; raise ``AccountError`` if it cannot be."""
    email = normalise_email(email)
    roles = {Role(role) for role in roles}
    if not _EMAIL.fullmatch(email) or len(email) > 254:
        raise AccountError("email")
    if not name.strip() or len(name) > 120:
        raise AccountError("name")
    if not roles:
        raise AccountError("roles")
    check_password(password)
    account = Account(
        organization_id=organization.id,
        email=email,
        name=name.strip(),
        password_hash=hash_password(password),
        is_facilitator=Role.FACILITATOR in roles,
        is_organizer=Role.ORGANIZER in roles,
        active=True,
        created_on=today,
    )
    try:
        with unit_of_work():
            db.session.add(account)
    except IntegrityError:
        raise AccountError("email_taken") from None
    log.info("account %s created by %s", account.id, f"account {actor.id}" if actor else "cli")
    return account


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


@cache
def _dummy_hash(method: str) -> str:
    return generate_password_hash("not a password anyone has", method=method)


def authenticate(email: str, password: str) -> Account | None:
    """Return the active account with this email and password, or None."""
    email = normalise_email(email)
    account = reading(lambda: db.session.scalar(select(Account).where(Account.email == email)))
    if account is None:
        check_password_hash(_dummy_hash(current_app.config["PASSWORD_HASH_METHOD"]), password)
        return None
    if not check_password_hash(account.password_hash, password) or not account.is_active:
        return None
    return account


def load(account_id: str) -> Account | None:
    """The active account with this id (Flask-Login's user loader), or None."""
    try:
        key = int(account_id)
    except (TypeError, ValueError):
        return None
    account = db.session.scalars(_BY_ID, {"id": key}).first()
    return account if account is not None and account.is_active else None


#: Flask-Login loads the account on every staff request: the statement is built once.
_BY_ID = select(Account).where(Account.id == bindparam("id"))


def accounts_of(organization_id: int) -> list[Account]:
    """The organization's accounts, by name."""
    return list(
        db.session.scalars(
            select(Account)
            .where(Account.organization_id == organization_id)
            .order_by(Account.name, Account.id)
        )
    )
