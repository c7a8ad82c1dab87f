"""Two organizations with an organizer each, and an attacker who asks for every figure.

``Attacker`` releases every filter combination the dashboard offers (as an
organizer may, by choosing filters) and collects every figure shown: the
overview and each breakdown cell, with its count and mean shares. Differencing
attacks then try to recover one person's shares from any two of them.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import pytest
from sqlalchemy import select

from app.domain.instrument import MOTIVES
from app.domain.privacy import DIMENSIONS, MAX_FILTERS, Categories
from app.extensions import db
from app.models import Account, DashboardView, Organization
from app.services import dashboards
from tests.workshop.factories import CHEAP_HASH, TODAY, make_account, make_organization


@dataclass
class Orgs:
    x: int
    y: int
    organizer_x: str = "ox@x.example"
    organizer_y: str = "oy@y.example"
    facilitator_x: str = "fx@x.example"


@pytest.fixture
def orgs(app) -> Orgs:
    app.config["PASSWORD_HASH_METHOD"] = CHEAP_HASH
    with app.app_context():
        x = make_organization("org-x")
        y = make_organization("org-y")
        make_account(x, "ox@x.example", organizer=True)
        make_account(x, "fx@x.example", facilitator=True)
        make_account(y, "oy@y.example", organizer=True)
        db.session.commit()
        return Orgs(x.id, y.id)


def account(email: str) -> Account:
    return db.session.scalar(select(Account).where(Account.email == email))


def organization(organization_id: int) -> Organization:
    return db.session.get(Organization, organization_id)


def update(email: str, filters: dict[str, str] | None = None, today=TODAY):
    """Release (as an organizer choosing filters would) and return the outcome."""
    return dashboards.update(account(email), filters or {}, today)


def view_of(email: str, filters: dict[str, str] | None = None) -> dict | None:
    page = dashboards.page(account(email), filters or {})
    return page.figures


def categories(organization_id: int) -> Categories:
    return dashboards._categories(organization_id)


@dataclass(frozen=True)
class Shown:
    """One figure set as displayed: where it came from, its count, its mean shares."""

    where: str
    n: int | None
    shares: tuple[float, ...] | None


@dataclass
class Attacker:
    """An organizer who releases every filter combination and keeps everything shown."""

    email: str
    organization_id: int
    seen: list[Shown] = field(default_factory=list)

    def contexts(self) -> list[dict[str, str]]:
        cats = categories(self.organization_id)
        out: list[dict[str, str]] = [{}]
        for size in range(1, MAX_FILTERS + 1):
            for dims in itertools.combinations(DIMENSIONS, size):
                for values in itertools.product(*(cats.cells(d) for d in dims)):
                    out.append({str(d): v for d, v in zip(dims, values, strict=True)})
        return out

    def harvest(self, today=TODAY) -> list[Shown]:
        """Release every context (twice over, as categories may change) and record it all."""
        update(self.email, {}, today)
        for context in self.contexts():
            update(self.email, context, today)
        for view in db.session.scalars(
            select(DashboardView).where(
                DashboardView.organization_id == self.organization_id,
                DashboardView.kind == "dashboard",
            )
        ):
            self.seen.extend(shown_in(view.figures, view.context))
        return self.seen


def shown_in(figures: dict, where: str) -> list[Shown]:
    out = []
    overview = figures.get("overview")
    if overview:
        out.append(Shown(where, overview["n"], _shares(overview["mean_shares"])))
    for breakdown in figures.get("breakdowns", ()):
        for cell in breakdown["cells"]:
            out.append(
                Shown(f"{where}/{breakdown['dimension']}={cell['value']}", cell["n"],
                      _shares(cell["mean_shares"]))
            )  # fmt: skip
    return out


def _shares(mean_shares: dict | None) -> tuple[float, ...] | None:
    if not mean_shares:
        return None
    return tuple(mean_shares[str(m)] for m in MOTIVES)


def recovers(seen: list[Shown], target: tuple[float, ...], tolerance: float = 1e-6) -> list:
    """Pairs of shown figures whose difference gives back ``target`` (one person's shares)."""
    found = []
    for a, b in itertools.permutations(seen, 2):
        if a.n is None or b.n is None or a.shares is None or b.shares is None:
            continue
        if a.n - b.n != 1:
            continue
        person = [a.n * sa - b.n * sb for sa, sb in zip(a.shares, b.shares, strict=True)]
        if all(abs(p - t) < tolerance for p, t in zip(person, target, strict=True)):
            found.append((a.where, b.where))
    return found


def displayed_counts(figures: dict) -> list[int]:
    """Every count a page shows (a hidden one is None and not listed)."""
    counts = []
    overview = figures.get("overview")
    if overview:
        counts.append(overview["n"])
        for group in ("distributions", "leanings"):
            for data in overview[group].values():
                counts.extend(data["counts"])
    for breakdown in figures.get("breakdowns", ()):
        counts.extend(cell["n"] for cell in breakdown["cells"])
    return [c for c in counts if c is not None]
