"""A workshop burst: many phones walk the whole core journey at once (shared/BUDGETS.md).

Each phone is a thread with its own cookies (a plain thread per phone: they sleep
most of the time, and http.client blocks). Phones arrive at random moments within
``arrive_within`` seconds; before every action a person takes on a page (posting
a form, following a link) the phone pauses 0-``pause_max`` seconds; redirects are
followed at once, as a browser does. A projector polls the room's count every
5 s, as the room page's script does. Everything is bounded: request time-outs,
a hard deadline for the whole burst, and daemon threads.
"""

from __future__ import annotations

import hashlib
import random
import resource
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

from bench.client import Browser
from bench.journey import walk
from bench.servers import Server
from bench.stats import percentiles


@dataclass
class Phone:
    number: int
    arrival: float
    token: str | None = None
    started: float = 0.0
    finished: float | None = None
    paused: float = 0.0
    error: str | None = None
    log: list = field(default_factory=list)


def run(
    server: Server,
    code: str | None,
    phones: int = 500,
    arrive_within: float = 30.0,
    pause_max: float = 2.0,
    deadline_s: float = 120.0,
    seed: int | None = None,
    room: tuple[str, dict[str, str]] | None = None,
) -> dict:
    rng = random.Random(seed)
    crowd = [Phone(i, rng.uniform(0, arrive_within)) for i in range(phones)]
    crowd.sort(key=lambda p: p.arrival)
    stop = threading.Event()
    rss_peak: dict[int, float] = {}
    rss_samples = 0
    projector_log: list = []

    def walk_phone(phone: Phone) -> None:
        own = random.Random(rng.random() + phone.number)
        browser = Browser("127.0.0.1", server.port, timeout=30)

        def pause() -> None:
            wait = own.uniform(0, pause_max)
            phone.paused += wait
            if stop.wait(wait):
                raise TimeoutError("the burst ran past its deadline")

        phone.started = time.monotonic()
        try:
            walk(browser, code=code, pause=pause)
            phone.finished = time.monotonic()
        except Exception as error:
            phone.error = f"{type(error).__name__}: {error}"[:300]
        # The private link lives in the key cookie, whatever step the phone reached.
        phone.token = next((v for k, v in browser.cookies.items() if k.endswith("wia_key")), None)
        phone.log = browser.log

    def sample_memory() -> None:
        nonlocal rss_samples
        while not stop.wait(0.5):
            for pid, mb in server.worker_rss().items():
                rss_peak[pid] = max(rss_peak.get(pid, 0.0), mb)
            rss_samples += 1

    def projector() -> None:
        if room is None:
            return
        path, cookies = room
        browser = Browser("127.0.0.1", server.port, timeout=30)
        browser.cookies.update(cookies)
        while not stop.wait(5.0):
            try:
                browser.request("GET", path, headers={"Accept": "application/json"})
            except Exception as error:
                projector_log.append(str(error)[:100])
        projector_log.extend(browser.log)

    helpers = [
        threading.Thread(target=sample_memory, daemon=True),
        threading.Thread(target=projector, daemon=True),
    ]
    for helper in helpers:
        helper.start()
    cpu_before = resource.getrusage(resource.RUSAGE_SELF)
    server_cpu_before = server.cpu_seconds()
    began = time.monotonic()
    threads = []
    for phone in crowd:
        delay = began + phone.arrival - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        thread = threading.Thread(target=walk_phone, args=(phone,), daemon=True)
        thread.start()
        threads.append(thread)
    hard_stop = began + deadline_s
    for thread in threads:
        thread.join(max(0.0, hard_stop - time.monotonic()))
    unfinished = sum(1 for t in threads if t.is_alive())
    stop.set()
    for thread in [*threads, *helpers]:
        thread.join(35)
    ended = time.monotonic()
    cpu_after = resource.getrusage(resource.RUSAGE_SELF)
    client_cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (
        cpu_after.ru_stime - cpu_before.ru_stime
    )
    server_cpu = server.cpu_seconds() - server_cpu_before

    requests = [entry for phone in crowd for entry in phone.log]
    latencies = [seconds for _, _, seconds in requests]
    by_route: dict[str, list[float]] = {}
    statuses = Counter()
    for route, status, seconds in requests:
        by_route.setdefault(route, []).append(seconds)
        statuses[status] += 1
    done = [p for p in crowd if p.finished is not None]
    journeys = [p.finished - p.started for p in done]
    working = [p.finished - p.started - p.paused for p in done]
    errors = Counter(p.error[:160] for p in crowd if p.error)
    last_finish = max((p.finished for p in done), default=ended)
    return {
        "phones": phones,
        "arrive_within_s": arrive_within,
        "pause_s": [0, pause_max],
        "finished": len(done),
        "failed_phones": phones - len(done),
        "unfinished_at_deadline": unfinished,
        "errors": dict(errors.most_common(10)),
        "requests": len(requests),
        "served_per_s": round(len(requests) / max(0.001, ended - began), 1),
        "status_counts": {str(k): v for k, v in sorted(statuses.items())},
        "error_responses": sum(v for k, v in statuses.items() if k >= 400),
        "latency_ms": percentiles([s * 1000 for s in latencies]),
        "latency_ms_by_route": {
            route: {**percentiles([s * 1000 for s in values]), "n": len(values)}
            for route, values in sorted(by_route.items())
        },
        "total_s": round(last_finish - began, 2),
        "journey_s": percentiles(journeys, digits=2),
        "journey_without_pauses_s": percentiles(working, digits=2),
        "pauses_per_phone_s": percentiles([p.paused for p in done], digits=2),
        "worker_rss_peak_mb": {str(pid): round(mb, 1) for pid, mb in sorted(rss_peak.items())},
        "rss_samples": rss_samples,
        "projector_polls": len([e for e in projector_log if isinstance(e, tuple)]),
        "projector_errors": [e for e in projector_log if not isinstance(e, tuple)][:5]
        + [e for e in projector_log if isinstance(e, tuple) and e[1] != 200][:5],
        "deadline_s": deadline_s,
        "client_cpu_s": round(client_cpu, 1),
        "server_cpu_s": round(server_cpu, 1),
        "server_cpu_ms_per_request": round(server_cpu * 1000 / max(1, len(requests)), 2),
        "finished_hashes": [_hash(p.token) for p in done if p.token],
        "started_hashes": [_hash(p.token) for p in crowd if p.token],
    }


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def count_rows(database_url: str, finished: list[str], started: list[str]) -> dict:
    """Count what the burst left in the database: 0 lost and 0 duplicated is the budget.

    ``finished`` and ``started`` are the token hashes of the phones that finished
    the journey and of every phone that got a private link. A finished phone's take
    is lost unless its respondent exists exactly once with one finished take holding
    every answer, every choice and every motive's scale result. A duplicate is a
    second take of one respondent, or a respondent no phone has a link for.
    """
    from sqlalchemy import create_engine, text

    from app.config import normalise_database_url
    from app.domain.instrument import MOTIVES
    from app.instruments import CURRENT

    items, scenarios, motives = len(CURRENT.items), len(CURRENT.scenarios), len(MOTIVES)
    engine = create_engine(normalise_database_url(database_url))
    try:
        with engine.connect() as connection:
            totals = {
                # Table names from the tuple below only.
                table: int(connection.execute(text(f"SELECT count(*) FROM {table}")).scalar())  # noqa: S608
                for table in ("respondent", "take", "answer", "choice", "scale_result")
            }
            rows = connection.execute(
                text(
                    "SELECT r.token_hash, t.id, t.state, "
                    "(SELECT count(*) FROM answer a WHERE a.take_id = t.id), "
                    "(SELECT count(*) FROM choice c WHERE c.take_id = t.id), "
                    "(SELECT count(*) FROM scale_result s WHERE s.take_id = t.id) "
                    "FROM respondent r LEFT JOIN take t ON t.respondent_id = r.id"
                )
            ).all()
    finally:
        engine.dispose()
    takes: dict[str, list[tuple]] = {}
    for token_hash, take_id, state, answers, choices, results in rows:
        takes.setdefault(token_hash, [])
        if take_id is not None:
            takes[token_hash].append((state, answers, choices, results))
    complete = ("finished", items, scenarios, motives)
    lost = sum(1 for h in finished if takes.get(h) != [complete])
    known = set(started)
    second_takes = sum(max(0, len(t) - 1) for t in takes.values())
    strangers = sum(1 for h in takes if h not in known)
    return {
        **totals,
        "expected_for_finished_phones": {
            "respondent": len(finished),
            "take": len(finished),
            "answer": len(finished) * items,
            "choice": len(finished) * scenarios,
            "scale_result": len(finished) * motives,
        },
        "phones_finished": len(finished),
        "phones_with_a_link": len(started),
        "lost": lost,
        "duplicated": second_takes + strangers,
        "second_takes": second_takes,
        "respondents_without_a_phone": strangers,
    }
