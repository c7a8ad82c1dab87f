"""A facilitator and an open workshop in the bench's fresh database.

Run as ``python -m bench.fixtures`` with the same environment as the server
(SECRET_KEY, DATABASE_URL). Prints one JSON line: the workshop's id and join
code and the facilitator's email and password, or ``{"error": ...}`` when the
workshop code cannot do it (the bench then measures what exists and says so).
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
import sys


def make() -> dict:
    from app import create_app

    app = create_app()
    with app.app_context():
        from app.domain.workshop import WorkshopEvent
        from app.models import Role
        from app.services import accounts, workshops

        today = dt.date.today()
        organization = accounts.create_organization(
            f"bench-{secrets.token_hex(3)}", "Bench organization", today
        )
        password = secrets.token_urlsafe(18)
        email = f"facilitator-{secrets.token_hex(3)}@bench.example"
        facilitator = accounts.create_account(
            organization, email, "Bench facilitator", password, [Role.FACILITATOR], today
        )
        spec = workshops.WorkshopSpec(
            title="Bench workshop", locale="en", cause_key="gender", with_scenarios=True
        )
        workshop = workshops.create(facilitator, spec, today)
        workshops.advance(workshop, WorkshopEvent.OPEN, facilitator, today)
        return {
            "workshop_id": workshop.id,
            "code": workshop.join_code,
            "email": email,
            "password": password,
            "state": workshop.state,
        }


def main() -> int:
    try:
        out = make()
    except Exception as error:
        out = {"error": f"{type(error).__name__}: {error}"[:500]}
    sys.stdout.write("FIXTURES " + json.dumps(out) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
