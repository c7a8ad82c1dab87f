"""`make bench`: every budget of shared/BUDGETS.md, measured in one run on this machine.

    .venv/bin/python -m bench.run [--scale] [--quick] [--phones N] [--no-otree]

Writes bench/results/latest.json and the results section of docs/performance.md,
prints a table, and exits 1 when a budget fails (saying which). Only 127.0.0.1 is
contacted; every server and database made here is stopped and dropped at the end,
also on failure.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import datetime as dt
import importlib.metadata
import json
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

from bench import burst, otree_peer, servers, weight, wrk
from bench.client import Browser, hidden_fields
from bench.journey import page_answers, walk
from bench.servers import ROOT

RESULTS = ROOT / "bench" / "results" / "latest.json"
PARTS_ALL = ("wrk", "burst", "scale")
DOC = ROOT / "docs" / "performance.md"
BEGIN, END = "<!-- bench:results:begin -->", "<!-- bench:results:end -->"
APP = "app:create_app()"
PAGE = "p1"
PAGE_VOLUNTEERS = 32
PROFILE_VOLUNTEERS = 16
PACKAGES = (
    "flask",
    "werkzeug",
    "jinja2",
    "flask-wtf",
    "wtforms",
    "flask-babel",
    "flask-sqlalchemy",
    "sqlalchemy",
    "psycopg",
    "flask-limiter",
    "redis",
    "gunicorn",
    "segno",
    "plotly",
)


def say(message: str) -> None:
    sys.stdout.write(f"[bench {time.strftime('%H:%M:%S')}] {message}\n")
    sys.stdout.flush()


# The machine ------------------------------------------------------------------------


def machine() -> dict:
    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory_kb = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal:")
    )
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = None
    wrk_version = subprocess.run(
        [wrk.ensure_wrk(), "--version"], capture_output=True, text=True, check=False
    )
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout.strip()
    return {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "nproc": len(os.sched_getaffinity(0)),
        "memory_gb": round(memory_kb / 1024 / 1024, 1),
        "cpu": cpu,
        "kernel": platform.release(),
        "os": _os_name(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "packages": versions,
        "wrk": (wrk_version.stdout + wrk_version.stderr).split("Copyright")[0].strip(),
        "git": commit + (" (with uncommitted changes)" if dirty else ""),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }


def _os_name() -> str:
    try:
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                return line.split("=", 1)[1].strip('"')
    except OSError:
        pass
    return platform.system()


def _postgres_version(url: str) -> str | None:
    try:
        import psycopg

        with psycopg.connect(url, connect_timeout=3) as connection:
            return connection.execute("SHOW server_version").fetchone()[0]
    except Exception:
        return None


def _redis_version(url: str) -> str | None:
    try:
        import redis

        return redis.Redis.from_url(url, socket_timeout=1).info("server")["redis_version"]
    except Exception:
        return None


# Preparing what wrk replays -------------------------------------------------------


def _cookies(browser: Browser) -> str:
    return browser.cookie_header()


def _fixtures(env: dict[str, str], log: Path) -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "bench.fixtures"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    with log.open("a") as handle:
        handle.write(done.stderr)
    for line in done.stdout.splitlines():
        if line.startswith("FIXTURES "):
            return json.loads(line[len("FIXTURES ") :])
    return {"error": f"bench.fixtures printed nothing (exit {done.returncode})"}


def _staff(port: int, fixtures: dict) -> Browser:
    browser = Browser("127.0.0.1", port)
    page = browser.get("/login")
    browser.submit(page, "/login", {"email": fixtures["email"], "password": fixtures["password"]})
    return browser


def _prepare(port: int, code: str | None) -> dict:
    """Volunteers on the first page (for page GET and POST) and finished ones (profile)."""

    def on_first_page(_i: int) -> Browser:
        browser = Browser("127.0.0.1", port)
        walk(browser, code=None, until="first_page")
        return browser

    def finished(_i: int) -> Browser:
        browser = Browser("127.0.0.1", port)
        walk(browser, code=code)
        return browser

    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        first = list(pool.map(on_first_page, range(PAGE_VOLUNTEERS)))
        done = list(pool.map(finished, range(PROFILE_VOLUNTEERS)))
    page_path = f"/take/page/{PAGE}"
    gets, posts = [], []
    for value in (3, 5):
        for browser in first:
            form = browser.get(page_path)
            fields = hidden_fields(form.text, page_path)
            fields.update(page_answers(PAGE, value))
            # Each prepared post is checked once here: it must save and redirect.
            browser.post(page_path, fields, expect=303)
            body = urllib.parse.urlencode(fields)
            posts.append(wrk.Line("POST", page_path, _cookies(browser), body))
    for browser in first:
        gets.append(wrk.Line("GET", page_path, _cookies(browser)))
    profiles = [wrk.Line("GET", "/me", _cookies(b)) for b in done]
    for browser in done:
        browser.get("/me")
    return {"page_get": gets, "answer_post": posts, "profile_get": profiles}


def _check_lines(port: int, lines: list[wrk.Line], expect: int) -> None:
    """Replay each prepared line once with Python: wrk must measure the real thing."""
    for line in lines[:8]:
        browser = Browser("127.0.0.1", port)
        headers = {"Cookie": line.cookies} if line.cookies else {}
        if line.method == "POST":
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        response = browser.request(
            line.method, line.path, headers=headers, body=line.body.encode() or None
        )
        if response.status != expect:
            raise RuntimeError(
                f"{line.method} {line.path} answered {response.status}, expected {expect}"
            )


def _count(database_url: str, sql: str) -> int:
    from sqlalchemy import create_engine, text

    from app.config import normalise_database_url

    engine = create_engine(normalise_database_url(database_url))
    try:
        with engine.connect() as connection:
            return int(connection.execute(text(sql)).scalar() or 0)
    finally:
        engine.dispose()


# The measurements --------------------------------------------------------------------


def baseline_summary(results: dict) -> dict:
    """The hello-world runs paired with every measurement, taken together."""
    runs, per = [], {}
    for key in ("sqlite", "postgresql"):
        for name, m in (results.get(key) or {}).items():
            if isinstance(m, dict) and "baseline" in m:
                runs += m["baseline"]["runs"]
                per[f"{key} {name}"] = round(m["baseline"]["rps"], 1)
    peer = results.get("otree") or {}
    if "baseline" in peer:
        runs += peer["baseline"]["runs"]
        per["otree"] = round(peer["baseline"]["rps"], 1)
    ordered = sorted(runs, key=lambda r: r["rps"])
    if not ordered:
        return {}
    middle = ordered[len(ordered) // 2]
    cpu = [
        m["baseline"]["server_cpu_ms_per_request"]
        for key in ("sqlite", "postgresql")
        for m in (results.get(key) or {}).values()
        if isinstance(m, dict) and "server_cpu_ms_per_request" in m.get("baseline", {})
    ]
    return {
        "rps": middle["rps"],
        "server_cpu_ms_per_request": round(statistics.median(cpu), 3) if cpu else None,
        "p50_ms": middle["p50"],
        "p99_ms": middle["p99"],
        "runs": len(ordered),
        "min_rps": ordered[0]["rps"],
        "max_rps": ordered[-1]["rps"],
        "per_measurement_rps": per,
        "failed": sum(r["errors"]["status"] + r["errors"]["connect"] for r in ordered),
    }


def _rss(server: servers.Server) -> dict[str, float]:
    return {str(pid): round(mb, 1) for pid, mb in server.worker_rss().items()}


def measure_app(
    kind: str,
    folder: Path,
    redis_url: str | None,
    which: tuple[str, ...],
    baseline: tuple,
) -> dict:
    """The app on a fresh database of ``kind``: the wrk measurements named in ``which``."""
    database = (
        servers.new_sqlite(folder, "wrk") if kind == "sqlite" else servers.new_postgres("wrk")
    )
    out: dict = {"database": kind}
    log = folder / f"setup-{kind}.log"
    try:
        env = servers.production_env(database.url, redis_url)
        out["migrate_s"] = round(servers.migrate(env, log), 2)
        fixtures = _fixtures(env, log)
        out["workshop"] = {k: v for k, v in fixtures.items() if k in ("state", "error")}
        code = fixtures.get("code")
        with servers.gunicorn(f"app-{kind}", APP, env, folder, health="/healthz") as server:
            say(f"{kind}: preparing {PAGE_VOLUNTEERS + PROFILE_VOLUNTEERS} volunteers")
            lines = _prepare(server.port, code)
            if "error" not in fixtures:
                staff = _staff(server.port, fixtures)
                room = f"/staff/workshops/{fixtures['workshop_id']}/room"
                lines["room_page"] = [wrk.Line("GET", room, _cookies(staff))]
                lines["room_count"] = [wrk.Line("GET", room + "/count", _cookies(staff))]
            answers_before = _count(database.url, "SELECT count(*) FROM answer")
            for name in which:
                if name not in lines:
                    out[name] = {"not_measured": f"no workshop: {fixtures.get('error')}"}
                    continue
                expect = 303 if name == "answer_post" else 200
                _check_lines(server.port, lines[name], expect)
                path = wrk.write_requests(folder / f"{kind}-{name}.txt", lines[name])
                say(f"{kind}: {name} with wrk")
                out[name] = wrk.measure(
                    server.port,
                    path,
                    check=name == "answer_post",
                    baseline=baseline,
                    cpu=server.cpu_seconds,
                )
                out[name]["prepared_requests"] = len(lines[name])
                out[name]["worker_rss_mb"] = _rss(server)
            if "answer_post" in which:
                after = _count(database.url, "SELECT count(*) FROM answer")
                out["answer_post"]["answer_rows_before_after"] = [answers_before, after]
            if kind == "sqlite":
                say("page weight")
                out["weight"] = weight.measure(server.port, code)
            out["worker_rss_mb_end"] = _rss(server)
        out["worker_restarts"] = _restarts(server)
    finally:
        servers.drop(database)
    return out


def measure_burst(kind: str, folder: Path, redis_url: str | None, phones: int) -> dict:
    database = (
        servers.new_sqlite(folder, "burst") if kind == "sqlite" else servers.new_postgres("burst")
    )
    log = folder / f"setup-burst-{kind}.log"
    try:
        env = servers.production_env(database.url, redis_url)
        servers.migrate(env, log)
        fixtures = _fixtures(env, log)
        code = fixtures.get("code")
        with servers.gunicorn(f"burst-{kind}", APP, env, folder, health="/healthz") as server:
            room = None
            if code:
                staff = _staff(server.port, fixtures)
                room = (f"/staff/workshops/{fixtures['workshop_id']}/room/count", staff.cookies)
            say(f"{kind}: burst of {phones} phones")
            result = burst.run(server, code, phones=phones, room=room)
            result["joined_by_code"] = bool(code)
            if not code:
                result["todo"] = f"no workshop to join ({fixtures.get('error')}): chose a cause"
            result["worker_rss_mb_end"] = _rss(server)
            result["worker_restarts"] = _restarts(server)
        finished, started = result.pop("finished_hashes"), result.pop("started_hashes")
        result["rows"] = burst.count_rows(database.url, finished, started)
        result["database"] = kind
        return result
    finally:
        servers.drop(database)


def _restarts(server: servers.Server) -> int:
    try:
        booted = server.log.read_text().count("Booting worker")
    except OSError:
        return 0
    return max(0, booted - 2)


def measure_scale(folder: Path, kinds: list[str], big: bool) -> dict:
    from bench import generate_takes

    out: dict = {}
    for kind in kinds:
        runs: list[dict] = []
        out[kind] = runs
        try:
            database = (
                servers.new_sqlite(folder, "scale")
                if kind == "sqlite"
                else servers.new_postgres("scale")
            )
        except Exception as error:
            out[kind] = {"error": f"{type(error).__name__}: {error}"[:300]}
            continue
        try:
            env = servers.production_env(database.url, None)
            servers.migrate(env, folder / f"setup-scale-{kind}.log")
            for added in [10_000] + ([990_000] if big else []):
                say(f"{kind}: generating {added:,} takes")
                generated = generate_takes.generate(database.url, added)
                timed = generate_takes.time_aggregates(database.url)
                say(f"{kind}: timing the dashboard over {added:,} more takes")
                dashboard = generate_takes.time_dashboard(database.url)
                runs.append({"generated": generated, "aggregates": timed, "dashboard": dashboard})
        except Exception as error:
            # Keep what was measured before the failure (a server restarted under us, ...).
            say(f"{kind}: scale run stopped: {type(error).__name__}: {error}")
            if not runs:
                out[kind] = {"error": f"{type(error).__name__}: {error}"[:300]}
        finally:
            try:
                servers.drop(database)
            except Exception as error:
                say(f"could not drop {database.name} now ({type(error).__name__}); retried at exit")
    return out


# Budgets -----------------------------------------------------------------------------


def _ratio(measurement: dict | None) -> float | None:
    if not measurement or "ratio" not in measurement:
        return None
    return round(measurement["ratio"], 3)


def budgets(results: dict, parts: set[str] = frozenset(PARTS_ALL)) -> list[dict]:
    sqlite_app = results.get("sqlite", {})
    pg = results.get("postgresql", {})
    rows = []

    def add(number, what, measured, ratio_min=None, p99_max=None, note=""):
        row = {"budget": number, "what": what, "note": note}
        if not measured or "rps" not in measured:
            default = "not measured" if "wrk" in parts else "not run (--parts)"
            reason = (measured or {}).get("not_measured") or default
            row.update(status="TODO", reason=reason)
            rows.append(row)
            return
        ratio = _ratio(measured)
        exact = measured["ratio"]  # compared unrounded: 0.1996 is not 0.2
        p99 = measured["latency_ms"]["99"]
        row.update(
            rps=round(measured["rps"], 1),
            ratio=ratio,
            p99_ms=p99,
            cpu_ratio=measured.get("cpu_ratio"),
        )
        problems = []
        if ratio_min is not None and exact < ratio_min:
            problems.append(f"ratio {exact:.4f} < {ratio_min}")
        if p99_max is not None and p99 > p99_max:
            problems.append(f"p99 {p99:.1f} ms > {p99_max} ms")
        if measured.get("failed"):
            problems.append(f"{measured['failed']} failed requests")
        row["target"] = " and ".join(
            t
            for t in (
                f"ratio >= {ratio_min}" if ratio_min is not None else "",
                f"p99 <= {p99_max} ms" if p99_max is not None else "",
            )
            if t
        )
        row["status"] = "fail" if problems else "pass"
        row["problems"] = problems
        rows.append(row)

    add(1, "questionnaire page GET (SQLite)", sqlite_app.get("page_get"), 0.20, 50)
    add(2, "answer POST, SQLite WAL", sqlite_app.get("answer_post"), 0.15, 100)
    add(3, "answer POST, PostgreSQL", pg.get("answer_post"), 0.12, 100)
    add(4, "profile page GET (SQLite)", sqlite_app.get("profile_get"), 0.15)
    add(5, "room view while a round runs (page)", sqlite_app.get("room_page"), 0.30)
    add("5b", "room count poll (JSON the room page polls)", sqlite_app.get("room_count"), 0.30)
    peer = results.get("otree", {})
    ours = sqlite_app.get("page_get")
    row = {"budget": 6, "what": "ours vs oTree survey page", "target": "ours >= 10x theirs"}
    if "rps" in peer and ours and "rps" in ours:
        times = ours["rps"] / peer["rps"]
        row.update(
            rps=round(peer["rps"], 1),
            p99_ms=peer["latency_ms"]["99"],
            ratio=_ratio(peer),
            times=round(times, 1),
            status="pass" if times >= 10 else "fail",
            problems=[] if times >= 10 else [f"only {times:.1f}x oTree"],
        )
    else:
        default = "not measured" if "wrk" in parts else "not run (--parts)"
        row.update(status="TODO", reason=peer.get("not_measured", default))
    rows.append(row)

    page_weight = sqlite_app.get("weight")
    if page_weight:
        heavy = [p for p in page_weight["pages"] if not p["ok"]]
        rows.append(
            {
                "budget": "weight",
                "what": "every volunteer page <= 25 KB gzip, no other hosts",
                "target": "<= 25,000 bytes",
                "heaviest": page_weight["heaviest"],
                "status": "fail" if heavy else "pass",
                "problems": [f"{p['page']}: {p['total_gzip']} B" for p in heavy],
            }
        )
    for kind in ("sqlite", "postgresql"):
        if "burst" not in parts:
            continue
        result = results.get("burst", {}).get(kind)
        if not result or "error" in result:
            rows.append(
                {
                    "budget": f"burst {kind}",
                    "what": "workshop burst",
                    "status": "TODO",
                    "reason": (result or {}).get("error", "not measured"),
                }
            )
            continue
        problems = []
        if result["failed_phones"]:
            late = result["unfinished_at_deadline"]
            problems.append(
                f"{result['finished']} of {result['phones']} phones finished"
                + (
                    f" ({late} still walking at the {result['deadline_s']:g} s deadline)"
                    if late
                    else ""
                )
            )
        if result["error_responses"]:
            problems.append(f"{result['error_responses']} error responses")
        if result["rows"]["lost"] or result["rows"]["duplicated"]:
            problems.append(
                f"lost {result['rows']['lost']}, duplicated {result['rows']['duplicated']}"
            )
        if result["latency_ms"].get("95", 0) > 500:
            problems.append(f"p95 {result['latency_ms']['95']} ms > 500 ms")
        slowest = result["journey_s"].get("max")
        if slowest is not None and slowest > 60:
            problems.append(f"slowest phone took {slowest} s > 60 s")
        peak = max(result["worker_rss_peak_mb"].values(), default=0)
        if peak > 150:
            problems.append(f"worker RSS {peak} MB > 150 MB")
        rows.append(
            {
                "budget": f"burst {kind}",
                "what": f"{result['phones']} phones, whole journey",
                "target": "0 errors, 0 lost/duplicated, p95 <= 500 ms, each phone <= 60 s, "
                "RSS <= 150 MB",
                "p95_ms": result["latency_ms"].get("95"),
                "total_s": result["total_s"],
                "slowest_phone_s": slowest,
                "rss_peak_mb": peak,
                "status": "fail" if problems else "pass",
                "problems": problems,
            }
        )
    return rows


# Report ----------------------------------------------------------------------------


def _fmt(value, digits=1) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def _wrk_row(name: str, m: dict | None) -> str:
    if not m or "rps" not in m:
        reason = (m or {}).get("not_measured", "not measured")
        return f"| {name} | not measured: {reason} | | | | | | | |"
    lat = m["latency_ms"]
    hello = m.get("baseline", {}).get("rps")
    return (
        f"| {name} | {m['rps']:,.0f} | {_fmt(hello and round(hello), 0)} | "
        f"{_fmt(_ratio(m), 3)} | {lat['50']:.1f} | {lat['95']:.1f} | "
        f"{lat['99']:.1f} | {_fmt(m.get('server_cpu_ms_per_request'), 2)} | {m['failed']} |"
    )


def markdown(results: dict) -> str:
    m = results["machine"]
    w = results["settings"]["wrk"]
    base = results["baseline"]
    lines = [
        f"Run of {m['date']} on {m['nproc']} cores ({m['cpu']}), {m['memory_gb']} GB, "
        f"{m['os']}, kernel {m['kernel']}, Python {m['python']}, SQLite {m['sqlite']}, "
        f"PostgreSQL {results['settings'].get('postgresql') or '-'}, "
        f"gunicorn {m['packages'].get('gunicorn')}, Flask {m['packages'].get('flask')}, "
        f"{m['wrk']}; commit {m['git']}. Rate limits in "
        f"{results['settings']['rate_limit_storage']}.",
        "",
        "### Throughput and latency",
        "",
        f"wrk, {w['threads']} threads, {w['connections']} connections, {w['warmup_s']:g} s "
        f"warm-up, then {w['runs']} runs of {w['duration_s']:g} s, each right after a run "
        "of the same length of the hello-world app (same gunicorn settings); req/s and "
        "latencies are from the median run, the ratio is the median of the paired ratios. "
        "CPU ms/req is the server's own CPU time (master and workers) per request served.",
        "",
        "| what | req/s | hello req/s (paired) | ratio | p50 ms | p95 ms | p99 ms "
        "| CPU ms/req | failed |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    if base:
        lines.append(
            f"| hello-world Flask, all {base['runs']} paired runs | {base['rps']:,.0f} | "
            f"{base['min_rps']:,.0f}-{base['max_rps']:,.0f} | 1 | {base['p50_ms']:.1f} | | "
            f"{base['p99_ms']:.1f} | {_fmt(base.get('server_cpu_ms_per_request'), 2)} | "
            f"{base['failed']} |"
        )
    for kind, label in (("sqlite", "SQLite"), ("postgresql", "PostgreSQL")):
        app = results.get(kind) or {}
        for name, what in (
            ("page_get", "questionnaire page GET"),
            ("answer_post", "answer POST (validate, save, 303)"),
            ("profile_get", "profile page GET"),
            ("room_page", "room page while a round runs"),
            ("room_count", "room count poll (JSON)"),
        ):
            if name in app:
                lines.append(_wrk_row(f"{what}, {label}", app[name]))
    if results.get("otree"):
        peer = results["otree"]
        label = f"oTree {peer.get('otree_version', '')} survey page".replace("  ", " ")
        lines.append(_wrk_row(label, peer))
    lines += ["", "### Budgets", "", "| # | what | target | measured | status |"]
    lines.append("|---|---|---|---|---|")
    for row in results["budgets"]:
        if row["status"] == "TODO":
            measured = f"TODO: {row.get('reason', '')}"
        elif "ratio" in row and "times" not in row:
            measured = f"{row['ratio']:.3f} x hello, p99 {row['p99_ms']:.1f} ms"
            if row.get("cpu_ratio"):
                measured += f" (CPU per request: {row['cpu_ratio']:.3f} x hello)"
        elif "times" in row:
            measured = (
                f"ours {row['times']:.1f}x oTree "
                f"(oTree {row['rps']:,.0f} req/s, p99 {row['p99_ms']:.0f} ms)"
            )
        elif "heaviest" in row:
            measured = f"heaviest: {row['heaviest']['page']}, {row['heaviest']['total_gzip']:,} B"
        else:
            measured = (
                f"p95 {row['p95_ms']} ms, all done in {row['total_s']} s, slowest phone "
                f"{_fmt(row['slowest_phone_s'])} s, RSS peak {row['rss_peak_mb']} MB"
            )
        status = row["status"].upper() if row["status"] != "pass" else "pass"
        if row.get("problems"):
            status += ": " + "; ".join(row["problems"])
        lines.append(
            f"| {row['budget']} | {row['what']} | {row.get('target', '')} | {measured} | {status} |"
        )
    page_weight = (results.get("sqlite") or {}).get("weight")
    if page_weight:
        lines += [
            "",
            "### Weight of each volunteer page (first visit, gzip)",
            "",
            "HTML plus every stylesheet and script the page links, fetched with "
            "`Accept-Encoding: gzip`. " + _compression_note(page_weight),
            "",
            "| page | HTML raw B | HTML gzip B | CSS + JS gzip B | total B | ok |",
            "|---|---:|---:|---:|---:|---|",
        ]
        for p in page_weight["pages"]:
            assets = sum(a["gzip"] for a in p["assets"])
            lines.append(
                f"| {p['page']} | {p['html_raw']:,} | {p['html_gzip']:,} | {assets:,} | "
                f"{p['total_gzip']:,} | {'yes' if p['ok'] else 'NO'} |"
            )
    bursts = results.get("burst") or {}
    if bursts:
        lines += [
            "",
            "### Workshop burst",
            "",
            "| database | phones | finished | error responses | requests | p50 / p95 / p99 ms "
            "| all done after | slowest phone (without its pauses) | rows lost / duplicated "
            "| worker RSS peak MB | server CPU ms/req | client CPU s |",
            "|---|---:|---:|---:|---:|---|---:|---|---|---|---:|---:|",
        ]
        for kind, b in bursts.items():
            if "error" in b:
                lines.append(f"| {kind} | error: {b['error']} | | | | | | | | | | |")
                continue
            lat = b["latency_ms"]
            rss = ", ".join(f"{v:.0f}" for v in b["worker_rss_peak_mb"].values())
            lines.append(
                f"| {kind} | {b['phones']} | {b['finished']} | {b['error_responses']} | "
                f"{b['requests']:,} ({b.get('served_per_s', 0):,.0f}/s) | "
                f"{lat.get('50')} / {lat.get('95')} / {lat.get('99')} | "
                f"{b['total_s']} s | {_fmt(b['journey_s'].get('max'))} s "
                f"({_fmt(b['journey_without_pauses_s'].get('max'))} s) | "
                f"{b['rows']['lost']} / {b['rows']['duplicated']} | {rss} | "
                f"{b['server_cpu_ms_per_request']} | {b['client_cpu_s']} |"
            )
    scale = results.get("scale") or {}
    if scale:
        lines += ["", "### Dashboard reference: bare SQL aggregates (median of 3, ms)", ""]
        lines.append(scale_table(scale))
    failed = [r for r in results["budgets"] if r["status"] == "fail"]
    lines += [
        "",
        f"Budgets failed in this run: {len(failed)}"
        + (": " + ", ".join(str(r["budget"]) for r in failed) if failed else "")
        + f". Whole run: {results['elapsed_s']:.0f} s.",
    ]
    return "\n".join(lines)


def _compression_note(page_weight: dict) -> str:
    def part(what: str, compressed: bool) -> str:
        if compressed:
            return f"{what}: gzip as sent by the app."
        return (
            f"{what}: sent uncompressed by the app, so the size is gzip level 6 computed "
            "here (what a compressing reverse proxy would send)."
        )

    return " ".join(
        (
            part("HTML", page_weight["app_compresses_html"]),
            part("CSS and scripts", page_weight.get("app_compresses_assets", False)),
        )
    )


def scale_table(scale: dict) -> str:
    names = _query_names(scale)
    lines = [
        "| database | takes | " + " | ".join(_short(q) for q in names) + " | total ms | insert s "
        "| dashboard: first update ms | again ms | again / SQL | again / first row's again "
        "| one filter ms |",
        "|---|---:|" + "---:|" * (len(names) + 7),
    ]
    for kind, runs in scale.items():
        if isinstance(runs, dict):
            lines.append(f"| {kind} | error: {runs.get('error')} |")
            continue
        smallest = runs[0].get("dashboard") if runs else None
        for run in runs:
            q = run["aggregates"]["queries"]
            lines.append(
                f"| {kind} | {run['generated']['takes_in_organization']:,} | "
                + " | ".join(f"{q[name]['ms']:,.1f}" for name in names)
                + f" | {run['aggregates']['total_ms']:,.1f} | {run['generated']['insert_s']} | "
                + _dashboard_cells(run.get("dashboard"), run["aggregates"]["total_ms"], smallest)
            )
    return "\n".join(lines)


def _dashboard_cells(dashboard: dict | None, sql_ms: float, smallest: dict | None) -> str:
    """The update's times; against the bare SQL (the budget: <= 2) and against the same
    database's first, smallest run (the goal: <= 2 at 1,000,000 takes against 10,000)."""
    if not dashboard:
        return "not measured | | | | |"
    ratio = dashboard["again_ms"] / sql_ms if sql_ms else float("nan")
    growth = (
        f"{dashboard['again_ms'] / smallest['again_ms']:.2f}"
        if smallest and smallest is not dashboard and smallest.get("again_ms")
        else "-"
    )
    return (
        f"{dashboard['first_ms']:,.1f} | {dashboard['again_ms']:,.1f} | {ratio:.2f} | "
        f"{growth} | {dashboard['filtered_ms']:,.1f} |"
    )


def _query_names(scale: dict) -> list[str]:
    for runs in scale.values():
        if isinstance(runs, list) and runs:
            return list(runs[0]["aggregates"]["queries"])
    return []


def _short(name: str) -> str:
    return name.replace("mean share and score per motive", "means per motive").replace(
        "mean share per motive per quarter", "means per motive and quarter"
    )


def write_doc(section: str, begin: str = BEGIN, end: str = END) -> None:
    """Replace what lies between ``begin`` and ``end`` in docs/performance.md."""
    text = DOC.read_text() if DOC.exists() else "# Performance\n"
    if begin not in text or end not in text:
        text += f"\n{begin}\n{end}\n"
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    DOC.write_text(f"{head}{begin}\n{section}\n{end}{tail}")


# Main --------------------------------------------------------------------------------


PARTS = ("wrk", "burst", "scale")
SCALE_RESULTS = ROOT / "bench" / "results" / "scale.json"
SCALE_BEGIN, SCALE_END = "<!-- bench:scale:begin -->", "<!-- bench:scale:end -->"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Measure every budget of shared/BUDGETS.md.")
    parser.add_argument("--scale", action="store_true", help="also 1,000,000 synthetic takes")
    parser.add_argument("--quick", action="store_true", help="short runs, for trying the bench")
    parser.add_argument("--phones", type=int, default=500)
    parser.add_argument("--no-otree", action="store_true")
    parser.add_argument("--no-doc", action="store_true", help="do not rewrite docs/performance.md")
    parser.add_argument(
        "--parts",
        default=",".join(PARTS),
        help="comma-separated subset of wrk,burst,scale; a subset run leaves "
        "bench/results/latest.json alone (scale-only runs write bench/results/scale.json)",
    )
    args = parser.parse_args(argv)
    parts = {p.strip() for p in args.parts.split(",") if p.strip()}
    if not parts or parts - set(PARTS):
        parser.error(f"--parts takes a subset of {','.join(PARTS)}")
    if args.quick:
        wrk.WARMUP_S, wrk.DURATION_S, wrk.RUNS = 1.0, 2.0, 1
        args.phones = min(args.phones, 50)
    if not 1 <= args.phones <= 2000:
        parser.error("--phones must be between 1 and 2000")
    complete = parts == set(PARTS) and not args.quick
    started = time.monotonic()
    wrk.ensure_wrk()
    folder = servers.scratch_folder()
    redis_url = servers.REDIS_URL if servers.redis_available() else None
    if redis_url:
        servers.flush_redis(redis_url)
    postgres = servers.postgres_available()
    kinds = ["sqlite", "postgresql"] if postgres else ["sqlite"]
    results: dict = {
        "machine": machine(),
        "settings": {
            "gunicorn_config": "gunicorn.conf.py (sync, 2 workers)",
            "rate_limit_storage": (
                f"Redis {_redis_version(redis_url)} ({redis_url})"
                if redis_url
                else "memory (no Redis on 127.0.0.1:6379)"
            ),
            "postgresql": _postgres_version(servers.PG_ADMIN_URL) if postgres else None,
            "wrk": {
                "threads": wrk.THREADS,
                "connections": wrk.CONNECTIONS,
                "warmup_s": wrk.WARMUP_S,
                "duration_s": wrk.DURATION_S,
                "runs": wrk.RUNS,
            },
            "quick": args.quick,
            "parts": sorted(parts),
            "phones": args.phones,
        },
    }
    say(f"machine: {results['machine']['nproc']} cores, {results['machine']['cpu']}")
    try:
        if "wrk" in parts:
            measure_wrk_part(results, folder, redis_url, postgres, otree=not args.no_otree)
        if "burst" in parts:
            results["burst"] = {}
            for kind in kinds:
                try:
                    results["burst"][kind] = measure_burst(kind, folder, redis_url, args.phones)
                except Exception as error:
                    results["burst"][kind] = {"error": f"{type(error).__name__}: {error}"[:300]}
        if "scale" in parts:
            results["scale"] = measure_scale(folder, kinds, big=args.scale)
            results["scale_note"] = (
                "Bare SQL aggregates over synthetic takes: the reference for the future "
                "organizer dashboard. "
                + ("" if args.scale else "1,000,000 takes only with `make bench SCALE=1`.")
            )
        results["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    finally:
        results["elapsed_s"] = round(time.monotonic() - started, 1)
        results.setdefault("baseline", baseline_summary(results))
        results["budgets"] = budgets(results, parts)
        report(results, complete, write_docs=not args.no_doc, big=args.scale)
    failed = [r for r in results["budgets"] if r["status"] == "fail"]
    for row in results["budgets"]:
        if row["status"] == "TODO":
            say(f"TODO budget {row['budget']} ({row['what']}): {row.get('reason')}")
    for row in failed:
        say(f"FAILED budget {row['budget']} ({row['what']}): {'; '.join(row['problems'])}")
    return 1 if failed else 0


def measure_wrk_part(
    results: dict, folder: Path, redis_url: str | None, postgres: bool, otree: bool
) -> None:
    """Every wrk measurement, each paired with the hello-world app kept running beside it."""
    with contextlib.ExitStack() as stack:
        say("baseline: hello-world Flask under gunicorn.conf.py, kept running for pairing")
        hello_env = servers.production_env("sqlite:////nonexistent/unused.sqlite", None)
        hello_server = stack.enter_context(
            servers.gunicorn("hello", "bench.hello:app", hello_env, folder)
        )
        hello_requests = wrk.write_requests(folder / "hello.txt", [wrk.Line("GET", "/")])
        baseline = (hello_server.port, hello_requests, hello_server.cpu_seconds)
        wrk.warm_up(hello_server.port, hello_requests)
        results["sqlite"] = measure_app(
            "sqlite",
            folder,
            redis_url,
            ("page_get", "answer_post", "profile_get", "room_page", "room_count"),
            baseline,
        )
        if postgres:
            results["postgresql"] = measure_app(
                "postgresql", folder, redis_url, ("answer_post",), baseline
            )
        else:
            results["postgresql"] = {"answer_post": {"not_measured": "no PostgreSQL server"}}
        if otree:
            say("oTree: install (once) and measure its survey page")
            results["otree"] = otree_peer.measure(folder, baseline)
        else:
            results["otree"] = {"not_measured": "--no-otree"}
        results["hello_worker_rss_mb"] = _rss(hello_server)
        results["hello_worker_restarts"] = _restarts(hello_server)
    results["baseline"] = baseline_summary(results)


def report(results: dict, complete: bool, write_docs: bool, big: bool) -> None:
    """Write the JSON and the doc sections this run is entitled to, and print the tables."""
    section = markdown(results)
    sys.stdout.write("\n" + section + "\n")
    if complete:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(json.dumps(results, indent=2, default=str) + "\n")
        say(f"wrote {RESULTS.relative_to(ROOT)}")
        if write_docs:
            write_doc(section)
            say(f"wrote the results section of {DOC.relative_to(ROOT)}")
    else:
        partial = RESULTS.with_name("partial.json")
        partial.write_text(json.dumps(results, indent=2, default=str) + "\n")
        say(f"a partial or quick run: wrote {partial.relative_to(ROOT)} only")
    if big and results.get("scale"):
        scale = {k: results[k] for k in ("machine", "settings", "scale", "elapsed_s")}
        SCALE_RESULTS.write_text(json.dumps(scale, indent=2, default=str) + "\n")
        say(f"wrote {SCALE_RESULTS.relative_to(ROOT)}")
        if write_docs:
            m = results["machine"]
            head = (
                f"Run of {m['date']} on {m['nproc']} cores ({m['cpu']}), SQLite {m['sqlite']}, "
                f'PostgreSQL {results["settings"].get("postgresql") or "-"}. "again" is the '
                "median of three updates with nothing new, after the first; on PostgreSQL after "
                "a VACUUM ANALYZE, what autovacuum does on a default server soon after the "
                "first update's million row changes."
            )
            write_doc(head + "\n\n" + scale_table(results["scale"]), SCALE_BEGIN, SCALE_END)
            say(f"wrote the scale section of {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    raise SystemExit(main())
