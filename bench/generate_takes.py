# ruff: noqa: S608 - every name and fragment in this SQL is a constant of this file.
"""Synthetic finished takes at scale, and the bare SQL aggregates a dashboard will show.

    python -m bench.generate_takes --database-url URL --takes 10000 [--time]

The database must already have the app's schema (``flask --app app db upgrade``).
One organization gets ``--workshops`` closed workshops spread over 8 quarters and
the takes spread over those workshops: per take one respondent, one finished take
(consented to the organization's figures), one scale result per motive (means on
1-7, shares summing to 1) and one choice per scenario. No answer rows: dashboards
read stored scale results, never items. Rows go in with executemany (SQLite, one
transaction per chunk, ``synchronous=OFF`` while loading: this is throw-away data)
or COPY (PostgreSQL); ids are assigned here and PostgreSQL's sequences are moved
past them afterwards. Calling it again appends more takes to the same organization.

The timed queries are the reference that the organizer dashboard will be compared
against (shared/BUDGETS.md, "Dashboards at scale"): same figures, same database,
same run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import statistics
import sys
import time
from collections.abc import Iterator

from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import Engine
from sqlalchemy.pool import NullPool

from app.config import normalise_database_url

QUARTERS = 8
FIRST_QUARTER = dt.date(2025, 1, 1)
MOTIVES = ("outgroup", "ingroup", "personal", "morality")
SCENARIOS = (
    "march",
    "community_centre",
    "petition",
    "fundraiser",
    "criticised",
    "step_back",
    "press",
    "sit_in",
    "outrage_video",
    "slow_meeting",
)
CAUSES = ("gender", "race", "refugees", "lgbtiq", "poverty")
CHUNK = 20_000
ORG_SLUG = "bench-scale"


def _quarter_start(index: int) -> dt.date:
    month = FIRST_QUARTER.month - 1 + 3 * index
    return dt.date(FIRST_QUARTER.year + month // 12, month % 12 + 1, 1)


def _columns(engine: Engine, table: str) -> list[dict]:
    return inspect(engine).get_columns(table)


def _row(columns: list[dict], known: dict, table: str) -> tuple:
    out = []
    for column in columns:
        name = column["name"]
        if name in known:
            out.append(known[name])
        elif column.get("nullable", True) or column.get("default") is not None:
            out.append(None)
        else:
            raise RuntimeError(f"{table}.{name} is required and the generator does not know it")
    return tuple(out)


class Loader:
    """Bulk insert in the fastest way each database offers."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self.kind = engine.dialect.name
        self.raw = engine.raw_connection()
        if self.kind == "sqlite":
            cursor = self.raw.cursor()
            cursor.execute("PRAGMA synchronous=OFF")
            cursor.execute("PRAGMA foreign_keys=OFF")
            cursor.close()

    def insert(self, table: str, names: list[str], rows: list[tuple]) -> None:
        if not rows:
            return
        cursor = self.raw.cursor()
        if self.kind == "postgresql":
            columns = ", ".join(f'"{n}"' for n in names)
            with cursor.copy(f'COPY "{table}" ({columns}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join("?" for _ in names)
            columns = ", ".join(f'"{n}"' for n in names)
            sql = f'INSERT INTO "{table}" ({columns}) VALUES ({marks})'
            cursor.executemany(sql, rows)
        cursor.close()

    def commit(self) -> None:
        self.raw.commit()

    def close(self) -> None:
        self.raw.close()


def _scalar(engine: Engine, sql: str, **params) -> object:
    with engine.connect() as connection:
        return connection.execute(text(sql), params).scalar()


def _ensure_org_and_workshops(engine: Engine, workshops: int, rng: random.Random) -> dict:
    """The scale organization and its workshops; made once, found after that."""
    org_id = _scalar(engine, "SELECT id FROM organization WHERE slug = :s", s=ORG_SLUG)
    has_workshops = inspect(engine).has_table("workshop")
    if org_id is None:
        with engine.begin() as connection:
            connection.execute(
                text("INSERT INTO organization (slug, name, created_on) VALUES (:s, :n, :d)"),
                {"s": ORG_SLUG, "n": "Scale organization", "d": FIRST_QUARTER},
            )
        org_id = _scalar(engine, "SELECT id FROM organization WHERE slug = :s", s=ORG_SLUG)
    plan = []  # (workshop id or None, quarter index)
    if has_workshops:
        existing = _scalar(
            engine, "SELECT count(*) FROM workshop WHERE organization_id = :o", o=org_id
        )
        if not existing:
            columns = _columns(engine, "workshop")
            names = [c["name"] for c in columns]
            first = int(_scalar(engine, "SELECT coalesce(max(id), 0) FROM workshop")) + 1
            rows = []
            for i in range(workshops):
                quarter = i % QUARTERS
                day = _quarter_start(quarter) + dt.timedelta(days=rng.randrange(85))
                known = {
                    "id": first + i,
                    "organization_id": org_id,
                    "owner_id": None,
                    "title": f"Workshop {i + 1}",
                    "cause_key": CAUSES[i % len(CAUSES)],
                    "locale": "en",
                    "with_deeper": False,
                    "with_scenarios": True,
                    "k_room": 5,
                    "state": "closed",
                    "round": 1,
                    "join_code": None,
                    "created_on": day,
                    "closed_on": day,
                }
                rows.append(_row(columns, known, "workshop"))
            loader = Loader(engine)
            loader.insert("workshop", names, rows)
            loader.commit()
            loader.close()
            _move_sequence(engine, "workshop")
        with engine.connect() as connection:
            found = connection.execute(
                text("SELECT id, created_on FROM workshop WHERE organization_id = :o ORDER BY id"),
                {"o": org_id},
            ).all()
        for workshop_id, created in found:
            created = (
                created if isinstance(created, dt.date) else dt.date.fromisoformat(str(created))
            )
            quarter = (created.year - FIRST_QUARTER.year) * 4 + (created.month - 1) // 3
            plan.append((workshop_id, created, quarter))
    else:
        for i in range(workshops):
            quarter = i % QUARTERS
            day = _quarter_start(quarter) + dt.timedelta(days=rng.randrange(85))
            plan.append((None, day, quarter))
    return {"organization_id": org_id, "workshops": plan, "workshop_table": has_workshops}


def _move_sequence(engine: Engine, table: str) -> None:
    if engine.dialect.name != "postgresql":
        return
    with engine.begin() as connection:
        connection.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f'(SELECT coalesce(max(id), 1) FROM "{table}"))'
            )
        )


def _shares(rng: random.Random) -> tuple[list[float], list[float]]:
    means = [round(rng.uniform(1.5, 6.8), 2) for _ in MOTIVES]
    total = sum(m - 1 for m in means) or 1.0
    shares = [round((m - 1) / total, 4) for m in means]
    shares[-1] = round(1 - sum(shares[:-1]), 4)
    shares[-1] = min(1.0, max(0.0, shares[-1]))
    return means, shares


def _chunks(count: int) -> Iterator[range]:
    for start in range(0, count, CHUNK):
        yield range(start, min(count, start + CHUNK))


def generate(database_url: str, takes: int, workshops: int = 2000, seed: int = 7) -> dict:
    """Add ``takes`` synthetic finished takes; return counts and timings."""
    engine = create_engine(normalise_database_url(database_url))
    rng = random.Random(seed + int(time.time()))
    started = time.perf_counter()
    try:
        setup = _ensure_org_and_workshops(engine, workshops, rng)
        org_id, plan = setup["organization_id"], setup["workshops"]
        take_columns = _columns(engine, "take")
        take_names = [c["name"] for c in take_columns]
        first_respondent = int(_scalar(engine, "SELECT coalesce(max(id), 0) FROM respondent")) + 1
        first_take = int(_scalar(engine, "SELECT coalesce(max(id), 0) FROM take")) + 1
        loader = Loader(engine)
        for chunk in _chunks(takes):
            respondents, take_rows, results, choices = [], [], [], []
            for i in chunk:
                respondent_id, take_id = first_respondent + i, first_take + i
                workshop_id, day, _quarter = plan[i % len(plan)]
                respondents.append((respondent_id, f"{respondent_id:064x}", day))
                known = {
                    "id": take_id,
                    "respondent_id": respondent_id,
                    "organization_id": org_id,
                    "workshop_id": workshop_id,
                    "instrument_key": "core",
                    "instrument_version": 1,
                    "deeper_version": None,
                    "deeper_reached": 0,
                    "scoring_version": 1,
                    "state": "finished",
                    "reached": 4 + len(SCENARIOS),
                    "cause_key": CAUSES[i % len(CAUSES)],
                    "locale": "en",
                    "consent_profile": True,
                    "consent_room": True,
                    "consent_org": True,
                    "started_on": day,
                    "finished_on": day,
                }
                take_rows.append(_row(take_columns, known, "take"))
                means, shares = _shares(rng)
                for motive, mean, share in zip(MOTIVES, means, shares, strict=True):
                    results.append((take_id, motive, mean, share))
                for scenario in SCENARIOS:
                    choices.append((take_id, scenario, "abcd"[rng.randrange(4)]))
            loader.insert("respondent", ["id", "token_hash", "created_on"], respondents)
            loader.insert("take", take_names, take_rows)
            loader.insert("scale_result", ["take_id", "scale_key", "mean", "share"], results)
            loader.insert("choice", ["take_id", "scenario_key", "option_key"], choices)
            loader.commit()
        loader.close()
        for table in ("respondent", "take"):
            _move_sequence(engine, table)
        analyze_started = time.perf_counter()
        with engine.begin() as connection:
            connection.execute(text("ANALYZE"))
        analyze_s = time.perf_counter() - analyze_started
        sql = "SELECT count(*) FROM take WHERE organization_id = :o"
        total = int(_scalar(engine, sql, o=org_id))
    finally:
        engine.dispose()
    return {
        "added": takes,
        "takes_in_organization": total,
        "workshops": len(plan),
        "workshop_table": setup["workshop_table"],
        "quarters": QUARTERS,
        "insert_s": round(time.perf_counter() - started - analyze_s, 2),
        "analyze_s": round(analyze_s, 2),
        "organization_id": org_id,
    }


def _quarter_sql(kind: str, column: str) -> str:
    if kind == "postgresql":
        return f"to_char({column}, 'YYYY-\"Q\"Q')"
    return (
        f"strftime('%Y', {column}) || '-Q' || ((CAST(strftime('%m', {column}) AS INTEGER) + 2) / 3)"
    )


def queries(kind: str) -> dict[str, str]:
    """The figures of an organizer dashboard, as bare SQL over stored scale results."""
    counted = "t.organization_id = :org AND t.consent_org AND t.state = 'finished'"
    quarter = _quarter_sql(kind, "t.finished_on")
    return {
        "mean share and score per motive": (
            "SELECT r.scale_key, count(*), avg(r.share), avg(r.mean) "
            f"FROM scale_result r JOIN take t ON t.id = r.take_id WHERE {counted} "
            "GROUP BY r.scale_key"
        ),
        "takes per quarter": (
            f"SELECT {quarter} AS q, count(*) FROM take t WHERE {counted} GROUP BY q ORDER BY q"
        ),
        "mean share per motive per quarter": (
            f"SELECT {quarter} AS q, r.scale_key, avg(r.share) "
            f"FROM scale_result r JOIN take t ON t.id = r.take_id WHERE {counted} "
            "GROUP BY q, r.scale_key ORDER BY q"
        ),
        "choices per scenario and option": (
            "SELECT c.scenario_key, c.option_key, count(*) "
            f"FROM choice c JOIN take t ON t.id = c.take_id WHERE {counted} "
            "GROUP BY c.scenario_key, c.option_key"
        ),
        "takes per workshop": (
            f"SELECT t.workshop_id, count(*) FROM take t WHERE {counted} GROUP BY t.workshop_id"
        ),
    }


def time_aggregates(database_url: str, repeats: int = 3) -> dict:
    """Median wall time of each query (after one warm-up run) and their sum."""
    engine = create_engine(normalise_database_url(database_url))
    try:
        org_id = _scalar(engine, "SELECT id FROM organization WHERE slug = :s", s=ORG_SLUG)
        out: dict[str, dict] = {}
        with engine.connect() as connection:
            for name, sql in queries(engine.dialect.name).items():
                timings = []
                rows = 0
                for attempt in range(repeats + 1):
                    started = time.perf_counter()
                    rows = len(connection.execute(text(sql), {"org": org_id}).all())
                    if attempt:
                        timings.append((time.perf_counter() - started) * 1000)
                out[name] = {"ms": round(statistics.median(timings), 1), "rows": rows}
    finally:
        engine.dispose()
    return {"queries": out, "total_ms": round(sum(q["ms"] for q in out.values()), 1)}


def _maintain(engine: Engine) -> float | None:
    """On PostgreSQL, what autovacuum does on a default server soon after a large change.

    The first update marks every take it reads and adds them to the roll-up: at
    1,000,000 takes that leaves a million dead row versions in ``take`` and its
    indexes until a vacuum, and statistics from before. A default server's
    autovacuum deals with both within a minute or two; a server run with it off (as
    test machines often are) never does, and the updates that follow would be timed
    against a table no production server keeps. SQLite needs neither.
    """
    if engine.dialect.name != "postgresql":
        return None
    started = time.perf_counter()
    # An engine of its own: the app's engine begins a transaction around every statement
    # outside a request, and VACUUM cannot run inside one.
    own = create_engine(engine.url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        with own.connect() as connection:
            connection.execute(text("VACUUM ANALYZE"))
    finally:
        own.dispose()
    return round(time.perf_counter() - started, 2)


def time_dashboard(database_url: str, repeats: int = 3) -> dict:
    """Wall time of the organizer dashboard's update (every figure, guarded, logged).

    ``first`` brings the roll-up up to date with every take added since the last update
    and releases the page; ``again`` is the median of repeated updates with nothing new,
    which is what an organizer waits for on every later visit, timed after the
    maintenance a default PostgreSQL server does by itself (``_maintain``);
    ``filtered`` is a first update under one filter (its sets are checked against
    every earlier release).
    """
    import secrets
    from types import SimpleNamespace

    from app import create_app
    from app.extensions import db
    from app.services import dashboards

    app = create_app(
        {
            "ENV": "development",
            "SECRET_KEY": secrets.token_urlsafe(48),
            "SQLALCHEMY_DATABASE_URI": normalise_database_url(database_url),
            "RATELIMIT_STORAGE_URI": "memory://",
        }
    )
    today = dt.date.today()
    with app.app_context():
        try:
            org_id = db.session.scalar(
                text("SELECT id FROM organization WHERE slug = :s"), {"s": ORG_SLUG}
            )
            organizer = SimpleNamespace(organization_id=org_id, id=0)

            def update(given: dict) -> tuple[float, str]:
                started = time.perf_counter()
                outcome = dashboards.update(organizer, given, today)
                return (time.perf_counter() - started) * 1000, outcome.status

            first_ms, first_status = update({})
            vacuum_s = _maintain(db.engine)
            again = [update({})[0] for _ in range(repeats)]
            quarter = dashboards.quarter_label(
                db.session.scalar(text("SELECT max(quarter) FROM dashboard_member"))
            )
            filtered_ms, filtered_status = update({"quarter": quarter})
        finally:
            db.session.remove()
            db.engine.dispose()
    return {
        "first_ms": round(first_ms, 1),
        "first_status": first_status,
        "vacuum_s": vacuum_s,
        "again_ms": round(statistics.median(again), 1),
        "filtered_ms": round(filtered_ms, 1),
        "filtered_status": filtered_status,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--takes", type=int, default=10_000)
    parser.add_argument("--workshops", type=int, default=2000)
    parser.add_argument("--time", action="store_true", help="time the aggregates afterwards")
    args = parser.parse_args(argv)
    if not 0 < args.takes <= 5_000_000:
        parser.error("--takes must be between 1 and 5,000,000")
    out = {"generated": generate(args.database_url, args.takes, args.workshops)}
    if args.time:
        out["aggregates"] = time_aggregates(args.database_url)
    sys.stdout.write(json.dumps(out, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
