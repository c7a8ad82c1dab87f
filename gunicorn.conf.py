"""Gunicorn settings for Why I Act (read by `gunicorn -c gunicorn.conf.py "app:create_app()"`).

Gunicorn also picks this file up by itself when it is started from the repository root.
Everything that differs between machines comes from the environment:

- ``GUNICORN_BIND``     where to listen (default 127.0.0.1:8000; a container sets 0.0.0.0:8000)
- ``WEB_CONCURRENCY``   number of worker processes (default 2)
- ``GUNICORN_TIMEOUT``  seconds a request may take before its worker is replaced (default 30)
- ``GUNICORN_ACCESS_LOG`` a path, or ``-`` for stdout, to turn the access log on (default off)

`make bench` runs the app and a hello-world Flask app with exactly these settings
(docs/performance.md).
"""

from __future__ import annotations

import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


bind = [os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")]

# Sync workers, two by default. A sync worker serves one request at a time and
# closes the connection afterwards, so no worker can hoard keep-alive connections:
# with gthread workers one worker took most of the connections and throughput
# swung 2x between runs (shared/BUDGETS.md, "Lessons"). Slow clients (phones on a
# bad network) are the buffering reverse proxy's job, never a worker's. Each
# request is short (a page render or one small transaction), so two processes on
# two cores are enough; raise WEB_CONCURRENCY to about 2 x cores on bigger machines.
worker_class = "sync"
workers = _int("WEB_CONCURRENCY", 2)

# A request that takes longer than this is stuck: the worker is killed and replaced.
timeout = _int("GUNICORN_TIMEOUT", 30)
# On SIGTERM, let requests in flight finish for this long (a page save is short).
graceful_timeout = 30
# Only used behind a proxy that keeps connections to gunicorn open; sync workers
# close after each response anyway.
keepalive = 2

# Replace each worker after 10,000-11,000 requests, as a guard against slow memory
# growth; the jitter keeps both workers from restarting at the same moment.
max_requests = _int("GUNICORN_MAX_REQUESTS", 10_000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 1_000)

# Load the app once, in the arbiter, and fork every worker from it. A worker that
# imported the app itself spent about 0.6 s of CPU doing so, beside the worker still
# serving, and then compiled its templates and statements on its first requests: under
# load every such restart held some requests for 0.3-0.9 s, which was most of the
# questionnaire page's p99 in a bench run (docs/performance.md). A forked worker starts
# at once. Building the app opens no connection (create_app does no I/O), and
# post_fork gives each worker pools of its own all the same. New code therefore needs a
# restart of gunicorn, not a HUP (docs/deploy.md, "Upgrading").
preload_app = True

# The heartbeat file on tmpfs: on a container's overlay disk a slow fsync can make
# the arbiter think a healthy worker hangs.
if os.path.isdir("/dev/shm"):  # noqa: S108 (tmpfs on purpose, gunicorn's own advice)
    worker_tmp_dir = "/dev/shm"  # noqa: S108

# No access log by default: the app logs what it needs without personal data
# (app/logs.py). When one is turned on, its lines carry neither the client address
# (no remote-address atom) nor the path or query (a path can hold a private link /p/<token> or a
# join code /j/<code>): time, method, status, bytes and duration only.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
access_log_format = '%(t)s "%(m)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

# Gunicorn 27's control socket (for `gunicornc`) is not used; left on, every
# instance on a host would share one default path under $HOME.
control_socket_disable = True

# forwarded_allow_ips is left at gunicorn's default (local addresses only): the app
# itself decides how many proxies to trust (WHYIACT_TRUSTED_PROXIES, ProxyFix).


def pre_fork(server, worker):
    """Keep what the arbiter loaded out of the garbage collector's sight.

    Each collection would otherwise write to every object the workers share with the
    arbiter, and copy the memory pages holding them into each worker.
    """
    import gc

    gc.freeze()


def post_fork(server, worker):
    """Give the new worker database pools of its own (empty: the arbiter serves nothing)."""
    app = server.app.wsgi()
    sqlalchemy = getattr(app, "extensions", {}).get("sqlalchemy")
    if sqlalchemy is None:  # the bench's hello-world app
        return
    with app.app_context():
        for engine in sqlalchemy.engines.values():
            # close=False: a connection the arbiter held is not the worker's to close.
            engine.dispose(close=False)
