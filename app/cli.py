"""Commands: ``flask --app app seed-demo``, ``instruments check``, ``instruments doc``."""

from __future__ import annotations

import datetime as dt
import os

import click
from flask import Flask
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import func, select

from app.extensions import db


def register(app: Flask) -> None:
    app.cli.add_command(seed_demo)
    app.cli.add_command(create_org)
    app.cli.add_command(create_user)
    app.cli.add_command(instruments_group)
    app.cli.add_command(purge_command)
    app.cli.add_command(sync_dashboards)


@click.command("seed-demo")
@with_appcontext
@click.option("--takes", default=60, show_default=True, help="Synthetic takes to create.")
@click.option("--if-empty", is_flag=True, help="Seed only when the database has no takes yet.")
def seed_demo(takes: int, if_empty: bool) -> None:
    """Create the demo organization and synthetic takes (safe to run twice)."""
    from app.models import Take
    from app.services import demo

    if if_empty and db.session.scalar(select(func.count()).select_from(Take)):
        click.echo("The database already holds takes; no demo data added.")
        return
    from app.services import staff_demo
    from app.services.accounts import AccountError

    made = demo.seed(takes=takes)
    click.echo(f"Demo data: {made} synthetic takes added." if made else "Demo data already there.")
    given = os.environ.get("WHYIACT_DEMO_PASSWORD") or None
    try:
        staff = staff_demo.seed(password=given)
    except AccountError as error:
        raise click.ClickException(_ACCOUNT_ERRORS.get(error.kind, error.kind)) from None
    if staff is None:
        return
    click.echo(f"Demo staff: {staff.facilitator} (facilitator), {staff.organizer} (organizer).")
    if given:
        click.echo("Their password is the one in WHYIACT_DEMO_PASSWORD.")
    else:
        click.echo(f"Their password, shown only this once: {staff.password}")


@click.command("create-org")
@with_appcontext
@click.argument("slug")
@click.argument("name")
def create_org(slug: str, name: str) -> None:
    """Create an organization: SLUG names it in commands, NAME is shown to its staff."""
    from app.services import accounts

    try:
        organization = accounts.create_organization(slug, name, dt.date.today())
    except accounts.AccountError as error:
        raise click.ClickException(_ACCOUNT_ERRORS.get(error.kind, error.kind)) from None
    click.echo(f"Organization {organization.slug} created.")


@click.command("create-user")
@with_appcontext
@click.option("--org", "slug", required=True, help="The organization's slug.")
@click.option("--email", required=True, help="The email the person signs in with.")
@click.option("--name", required=True, help="The name shown to other staff.")
@click.option(
    "--role",
    "roles",
    multiple=True,
    required=True,
    type=click.Choice(["facilitator", "organizer"]),
    help="facilitator and/or organizer (repeat for both).",
)
@click.password_option(help="Prompted for (twice) when not given.")
def create_user(slug: str, email: str, name: str, roles: tuple[str, ...], password: str) -> None:
    """Create a staff account in an organization."""
    from app.services import accounts

    organization = accounts.organization_by_slug(slug)
    if organization is None:
        raise click.ClickException(f"There is no organization {slug!r}.")
    try:
        account = accounts.create_account(
            organization, email, name, password, roles, dt.date.today()
        )
    except accounts.AccountError as error:
        raise click.ClickException(_ACCOUNT_ERRORS.get(error.kind, error.kind)) from None
    click.echo(f"Account {account.id} created in {organization.slug}.")


_ACCOUNT_ERRORS = {
    "slug": "The slug must be lower-case letters, digits and dashes (at most 64).",
    "slug_taken": "That slug is taken.",
    "name": "Give a name of at most 120 characters.",
    "email": "That does not look like an email address.",
    "email_taken": "That email already has an account.",
    "password_length": "The password needs 12 to 128 characters.",
    "roles": "Give at least one role.",
}


@click.group("instruments", cls=AppGroup)
def instruments_group() -> None:
    """Work with the instrument definitions."""


@instruments_group.command("check")
def check_instruments() -> None:
    """Validate every instrument; exit 1 listing every problem found."""
    from app.instruments import check_all

    failed = False
    for name, problems in check_all().items():
        if problems:
            failed = True
            click.echo(f"{name}: {len(problems)} problem(s)", err=True)
            for problem in problems:
                click.echo(f"  - {problem}", err=True)
        else:
            click.echo(f"{name}: ok")
    if failed:
        raise SystemExit(1)


@instruments_group.command("doc")
def document_instruments() -> None:
    """Write docs/instrument.md from the instrument data."""
    from app.config import ROOT
    from app.instruments.document import write

    path = ROOT / "docs" / "instrument.md"
    write(path)
    click.echo(f"Wrote {path.relative_to(ROOT)}")


@click.command("purge")
@with_appcontext
def purge_command() -> None:
    """Delete takes older than the retention period (RETENTION_MONTHS, default 24)."""
    import datetime as dt

    from flask import current_app

    from app.services import retention

    months = int(current_app.config["RETENTION_MONTHS"])
    takes, respondents = retention.purge(dt.datetime.now(dt.UTC).date(), months)
    click.echo(f"Purged {takes} takes and {respondents} respondents older than {months} months.")


@click.command("sync-dashboards")
@with_appcontext
def sync_dashboards() -> None:
    """Add the takes finished since the last dashboard update to each organization's roll-up.

    Nothing is released: organizers still choose when figures are shown. Run it
    nightly beside ``flask purge`` so that no dashboard update has a backlog to add.
    """
    from app.models import Organization
    from app.services import dashboards

    today = dt.datetime.now(dt.UTC).date()
    added = 0
    for organization_id in db.session.scalars(select(Organization.id).order_by(Organization.id)):
        added += dashboards.sync(organization_id, today)
    click.echo(f"Dashboard roll-ups: {added} takes added.")
