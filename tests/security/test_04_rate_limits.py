"""Issue line 4: rate limits with Flask-Limiter, counted in Redis as in production.

Memory is the default storage; ``REDIS_URL`` switches to Redis (as in production
and here, where ``TEST_REDIS_URL`` names the server). Join codes, private links
and staff sign-ins are limited per client and for everyone together; two
processes (two gunicorn workers) share one count; a Redis outage never fails a
page; and ``X-Forwarded-For`` moves the count only when a proxy is configured
(ASVS v5.0.0-6.3.1, 6.6.3, 2.4.1, 15.3.4).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from app import create_app
from app.config import ROOT
from app.extensions import db, limiter
from tests.conftest import settings
from tests.forms import hidden
from tests.security.support import STRONG_SECRET, build_world, production_config
from tests.workshop.factories import CHEAP_HASH, PASSWORD

GUESS = "/p/" + "g" * 43


def at(address: str) -> dict:
    return {"REMOTE_ADDR": address}


def login_token(client, address="127.0.0.1") -> str:
    return hidden(client.get("/login", environ_base=at(address)).text, "/login")["csrf_token"]


def test_memory_is_the_default_storage_and_redis_url_switches_to_redis(
    monkeypatch, redis_url, kept_logger
):
    monkeypatch.delenv("REDIS_URL", raising=False)
    default = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert default.config["RATELIMIT_STORAGE_URI"] == "memory://"
    monkeypatch.setenv("REDIS_URL", redis_url)
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    monkeypatch.setenv("SECRET_KEY", STRONG_SECRET)
    production = create_app()
    assert production.config["RATELIMIT_STORAGE_URI"] == redis_url
    assert type(limiter.storage).__name__ == "RedisStorage"
    with production.app_context():
        db.engine.dispose()


def test_production_counts_in_redis(database_url, redis_store, monkeypatch, kept_logger):
    """A failed look-up in a production app leaves its count in Redis, under the app's prefix."""
    monkeypatch.setenv("REDIS_URL", redis_store.url)
    config = production_config(database_url)
    config.pop("RATELIMIT_STORAGE_URI")
    config["RATELIMIT_STORAGE_OPTIONS"] = {"key_prefix": redis_store.prefix}
    app = create_app(config)
    try:
        assert app.config["RATELIMIT_STORAGE_URI"] == redis_store.url
        response = app.test_client().get(GUESS, base_url="https://localhost/")
        assert response.status_code == 404
        keys = [key.decode() for key in redis_store.stored_keys()]
        assert any("profile.open_link" in key or "private-link" in key for key in keys), keys
        # Counts are keyed by a keyed hash of the address, never the address itself.
        assert not any("127.0.0.1" in key for key in keys), keys
    finally:
        with app.app_context():
            db.engine.dispose()


def test_join_codes_are_limited_per_client_and_for_everyone(redis_app):
    build_world(redis_app)
    # Set before the first request: a limit's amount is part of its counter's key.
    redis_app.config["JOIN_GLOBAL_LIMIT"] = "12 per hour"
    client = redis_app.test_client()
    assert [client.get("/j/ZZZ999").status_code for _ in range(11)] == [404] * 10 + [429]
    assert client.get("/j/ABC234").status_code == 429  # once limited, even a right code waits
    assert redis_app.test_client().get("/j/ABC234", environ_base=at("10.2.0.1")).status_code == 303
    # 10 failures so far: two more from anywhere, then everyone is refused.
    spread = [
        redis_app.test_client().get("/j/ZZZ998", environ_base=at(f"10.2.1.{n}")).status_code
        for n in range(3)
    ]
    assert spread == [404, 404, 429]
    form = redis_app.test_client()
    fields = hidden(form.get("/j", environ_base=at("10.2.2.1")).text, "/j")
    posted = form.post("/j", data={**fields, "code": "ZZZ997"}, environ_base=at("10.2.2.1"))
    assert posted.status_code == 429


def test_private_links_are_limited_per_client_and_for_everyone(redis_app):
    redis_app.config["PRIVATE_LINK_GLOBAL_LIMIT"] = "7 per hour"
    client = redis_app.test_client()
    assert [client.get(GUESS).status_code for _ in range(6)] == [404] * 5 + [429]
    spread = [
        redis_app.test_client().get(GUESS, environ_base=at(f"10.3.0.{n}")).status_code
        for n in range(3)
    ]
    assert spread == [404, 404, 429]


def test_sign_ins_are_limited_per_client_per_account_and_for_everyone(redis_app):
    build_world(redis_app)
    redis_app.config["LOGIN_GLOBAL_LIMIT"] = "22 per hour"
    client = redis_app.test_client()
    token = login_token(client)
    wrong = {"csrf_token": token, "password": "not the password"}
    for number in range(10):
        response = client.post("/login", data={**wrong, "email": f"n{number}@a.example"})
        assert response.status_code == 401
    assert client.post("/login", data={**wrong, "email": "m@a.example"}).status_code == 429
    # One account tried from ten places is refused from the eleventh, right password or not.
    for number in range(10):
        other = redis_app.test_client()
        address = f"10.4.0.{number}"
        data = {"csrf_token": login_token(other, address), "email": "fb@b.example"}
        data["password"] = "still not it"
        assert other.post("/login", data=data, environ_base=at(address)).status_code == 401
    last = redis_app.test_client()
    data = {"csrf_token": login_token(last, "10.4.1.1"), "email": "fb@b.example"}
    data["password"] = PASSWORD
    assert last.post("/login", data=data, environ_base=at("10.4.1.1")).status_code == 429
    # A right password still works for someone whose client and account are not limited.
    good = redis_app.test_client()
    data = {"csrf_token": login_token(good, "10.4.3.1"), "email": "fa@a.example"}
    data["password"] = PASSWORD
    assert good.post("/login", data=data, environ_base=at("10.4.3.1")).status_code == 303
    # Spraying other accounts from other places meets the limit for everyone together.
    statuses = []
    for number in range(3):
        sprayer = redis_app.test_client()
        address = f"10.4.2.{number}"
        data = {"csrf_token": login_token(sprayer, address), "email": f"s{number}@b.example"}
        data["password"] = "a guess at it"
        statuses.append(sprayer.post("/login", data=data, environ_base=at(address)).status_code)
    assert statuses == [401, 401, 429]


WORKER = """
import json, os
from app import create_app

app = create_app({
    "TESTING": True,
    "SECRET_KEY": os.environ["WIA_SECRET"],
    "SQLALCHEMY_DATABASE_URI": os.environ["WIA_DATABASE"],
    "RATELIMIT_STORAGE_URI": os.environ["WIA_STORE"],
    "RATELIMIT_STORAGE_OPTIONS": {"key_prefix": os.environ["WIA_PREFIX"]},
    "PRIVATE_LINK_LIMIT": "3 per minute",
})
print(json.dumps(app.test_client().get("/p/" + "w" * 43).status_code))
"""


def worker_config(database: str, store: str, prefix: str) -> dict:
    return settings(
        database,
        SECRET_KEY=STRONG_SECRET,
        RATELIMIT_STORAGE_URI=store,
        RATELIMIT_STORAGE_OPTIONS={"key_prefix": prefix},
        PRIVATE_LINK_LIMIT="3 per minute",
    )


def start_worker(database: str, store: str, prefix: str) -> subprocess.Popen:
    """Another process, like a second gunicorn worker: its own app, the same secret."""
    env = {
        **os.environ,
        "WIA_SECRET": STRONG_SECRET,
        "WIA_DATABASE": database,
        "WIA_STORE": store,
        "WIA_PREFIX": prefix,
        "PYTHONPATH": str(ROOT),
    }
    return subprocess.Popen(
        [sys.executable, "-c", WORKER],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: subprocess.Popen) -> int:
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    return json.loads(out.strip().splitlines()[-1])


def test_two_workers_share_one_count_in_redis_and_not_in_memory(sqlite_url, redis_store):
    """This process spends the limit; another process then meets it only through Redis."""
    for store in (redis_store.url, "memory://"):
        app = create_app(worker_config(sqlite_url, store, redis_store.prefix))
        with app.app_context():
            limiter.reset()
        statuses = [app.test_client().get("/p/" + "w" * 43).status_code for _ in range(3)]
        assert statuses == [404, 404, 404]
        with app.app_context():
            db.engine.dispose()
        if store == "memory://":
            in_memory = start_worker(sqlite_url, store, redis_store.prefix)
        else:
            in_redis = start_worker(sqlite_url, store, redis_store.prefix)
    assert finish(in_redis) == 429
    # With memory storage each worker counts alone: limits multiply by the workers.
    assert finish(in_memory) == 404


def test_an_unreachable_redis_fails_no_page_and_still_limits(database_url, redis_store):
    app = create_app(settings(database_url, RATELIMIT_STORAGE_URI="redis://127.0.0.1:1/0"))
    try:
        client = app.test_client()
        statuses = [client.get(GUESS).status_code for _ in range(6)]
        assert 500 not in statuses
        assert statuses == [404] * 5 + [429]  # counted in this worker's memory meanwhile
        assert client.get("/").status_code == 200
    finally:
        with app.app_context():
            db.engine.dispose()


@pytest.mark.parametrize("proxies", [0, 1])
def test_forwarded_for_moves_the_count_only_behind_a_configured_proxy(database_url, proxies):
    app = create_app(
        settings(database_url, TRUSTED_PROXIES=proxies, PASSWORD_HASH_METHOD=CHEAP_HASH)
    )
    try:
        with app.app_context():
            limiter.reset()
        client = app.test_client()
        # Six guesses, each claiming another address.
        statuses = [
            client.get(GUESS, headers={"X-Forwarded-For": f"198.51.100.{n}"}).status_code
            for n in range(6)
        ]
        if proxies == 0:
            assert statuses == [404] * 5 + [429], "a spoofed header changed nothing"
        else:
            assert statuses == [404] * 6, "behind one proxy its header names the client"
            # Addresses the client adds in front of the proxy's own entry are ignored.
            spoofed = [
                client.get(
                    GUESS, headers={"X-Forwarded-For": f"203.0.113.{n}, 198.51.100.77"}
                ).status_code
                for n in range(6)
            ]
            assert spoofed == [404] * 5 + [429]
    finally:
        with app.app_context():
            db.engine.dispose()


def test_limits_are_checked_in_their_views_and_a_default_limit_before_every_page(app):
    """Without a default limit nothing is checked before a page, and the views' limits hold;
    an operator's default limit brings the check back and applies to every page."""
    hooks = app.before_request_funcs[None]
    assert not [hook for hook in hooks if getattr(hook, "__self__", None) is limiter]
    client = app.test_client()
    assert [client.get("/").status_code for _ in range(8)] == [200] * 8
    statuses = [client.get(GUESS).status_code for _ in range(6)]
    assert statuses == [404] * 5 + [429]

    url = app.config["SQLALCHEMY_DATABASE_URI"]
    limited = create_app(settings(url, RATELIMIT_DEFAULT="2/minute"))
    try:
        with limited.app_context():
            limiter.reset()
        client = limited.test_client()
        assert [client.get("/").status_code for _ in range(3)] == [200, 200, 429]
    finally:
        # The limiter is one object for every app of the process: later tests get none.
        limiter.limit_manager.set_default_limits([])
        with limited.app_context():
            db.engine.dispose()
