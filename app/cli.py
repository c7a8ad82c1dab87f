"""Commands: ``flask --app app seed-demo``, ``instruments check``, ``instruments doc``."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import func, select

from app.extensions import db


def register(app: Flask) -> None:
    app.cli.add_command(seed_demo)
    app.cli.add_command(instruments_group)


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
    made = demo.seed(takes=takes)
    click.echo(f"Demo data: {made} synthetic takes added." if made else "Demo data already there.")


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
