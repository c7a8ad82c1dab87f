"""Servers and databases for one bench run: started here, always stopped and dropped here.

Every process the bench starts is remembered by its pid and stopped by that pid
(its own process group), at the end of its block, at exit and on SIGTERM/SIGINT.
Every database it creates is dropped (PostgreSQL) or deleted with its folder (SQLite).
"""

from __future__ import annotations

import atexit
import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
GUNICORN_CONF = ROOT / "gunicorn.conf.py"
PG_ADMIN_URL = os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")

_started: dict[int, str] = {}
_databases: list[str] = []
_folders: list[Path] = []


def _cleanup() -> None:
    for pid in list(_started):
        stop_process(pid)
    for name in list(_databases):
        with contextlib.suppress(Exception):
            drop_postgres(name)
    for folder in list(_folders):
        _remove_tree(folder)


def _on_signal(signum, _frame):
    raise SystemExit(128 + signum)


atexit.register(_cleanup)
signal.signal(signal.SIGTERM, _on_signal)


def _remove_tree(folder: Path) -> None:
    import shutil

    shutil.rmtree(folder, ignore_errors=True)
    with contextlib.suppress(ValueError):
        _folders.remove(folder)


def scratch_folder(prefix: str = "whyiact-bench-") -> Path:
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    _folders.append(folder)
    return folder


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_process(args: list[str], env: dict[str, str], log: Path, cwd: Path = ROOT) -> int:
    """Start ``args`` in a process group of its own; return its pid."""
    handle = log.open("ab")
    process = subprocess.Popen(
        args,
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=handle,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    handle.close()
    _started[process.pid] = " ".join(args[:3])
    return process.pid


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def stop_process(pid: int, grace: float = 10.0) -> None:
    """SIGTERM the process group we started, then SIGKILL what is left after ``grace``."""
    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 2.0)):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, sig)
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, os.WNOHANG)
            if not _alive(pid) and not group_members(pid):
                break
            time.sleep(0.05)
        else:
            continue
        break
    _started.pop(pid, None)


def _live(field: int, value: int) -> list[int]:
    """Live processes whose ``field`` of /proc/<pid>/stat (0 is the state) is ``value``."""
    out = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z" and int(fields[field]) == value:
            out.append(int(entry.name))
    return out


def group_members(pgid: int) -> list[int]:
    """Live processes of the process group ``pgid`` (the one we started)."""
    return _live(2, pgid)


def children(pid: int) -> list[int]:
    return sorted(_live(1, pid))


_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """user + system time of ``pid`` and of its children that it has reaped."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    # utime, stime, cutime, cstime are fields 14-17 of stat(5); fields[0] is field 3.
    return sum(int(x) for x in fields[11:15]) / _TICKS


def rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def wait_http(port: int, path: str, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    last: Exception | None = None
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=2) as r:
                if r.status == 200:
                    return
        except Exception as error:  # still starting
            last = error
        time.sleep(0.2)
    raise RuntimeError(f"nothing answered on 127.0.0.1:{port}{path} after {seconds} s: {last}")


# The app's environment ----------------------------------------------------------


def production_env(database_url: str, redis_url: str | None) -> dict[str, str]:
    """The production configuration: no WHYIACT_* from the caller, a fresh random secret."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("WHYIACT_", "FLASK_", "GUNICORN_", "WEB_CONCURRENCY"))
        and k not in ("SECRET_KEY", "DATABASE_URL", "REDIS_URL")
    }
    env["SECRET_KEY"] = secrets.token_urlsafe(48)
    env["DATABASE_URL"] = database_url
    if redis_url:
        env["REDIS_URL"] = redis_url
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def migrate(env: dict[str, str], log: Path) -> float:
    started = time.perf_counter()
    with log.open("ab") as handle:
        subprocess.run(
            [str(VENV_BIN / "flask"), "--app", "app", "db", "upgrade"],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=handle,
            stderr=subprocess.STDOUT,
            timeout=180,
        )
    return time.perf_counter() - started


def redis_available(url: str = REDIS_URL) -> bool:
    try:
        import redis

        client = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
        return bool(client.ping())
    except Exception:
        return False


def flush_redis(url: str = REDIS_URL) -> None:
    """Empty the bench's own Redis database (number 15 by default), never another one."""
    import redis

    client = redis.Redis.from_url(url, socket_timeout=2)
    if client.connection_pool.connection_kwargs.get("db", 0) == 0:
        raise RuntimeError("refusing to flush Redis database 0")
    client.flushdb()


# Databases ------------------------------------------------------------------------


@dataclass
class Database:
    kind: str  # "sqlite" or "postgresql"
    url: str  # for DATABASE_URL
    name: str = ""
    path: Path | None = None
    extra: dict = field(default_factory=dict)


def new_sqlite(folder: Path, name: str) -> Database:
    path = folder / f"{name}.sqlite"
    return Database("sqlite", f"sqlite:///{path}", name=name, path=path)


def postgres_available() -> bool:
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, connect_timeout=3) as connection:
            connection.execute("SELECT 1")
        return True
    except Exception:
        return False


def new_postgres(label: str) -> Database:
    import psycopg

    name = f"whyiact_bench_{label}_{secrets.token_hex(4)}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=5) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    _databases.append(name)
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    return Database("postgresql", f"{base}/{name}", name=name)


def drop_postgres(name: str, attempts: int = 5) -> None:
    """Drop our database; a server that is restarting gets a few seconds to come back."""
    import psycopg

    for attempt in range(attempts):
        try:
            with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=5) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            break
        except psycopg.OperationalError:
            if attempt == attempts - 1:
                raise
            time.sleep(2)
    with contextlib.suppress(ValueError):
        _databases.remove(name)


def drop(database: Database) -> None:
    if database.kind == "postgresql":
        drop_postgres(database.name)
    elif database.path is not None:
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                Path(str(database.path) + suffix).unlink()


# Gunicorn ---------------------------------------------------------------------------


@dataclass
class Server:
    name: str
    pid: int
    port: int
    log: Path

    def workers(self) -> list[int]:
        return children(self.pid)

    def worker_rss(self) -> dict[int, float]:
        return {pid: mb for pid in self.workers() if (mb := rss_mb(pid)) is not None}

    def cpu_seconds(self) -> float:
        """CPU time of the master and all its workers, live and already replaced."""
        return sum(cpu_seconds(pid) for pid in [self.pid, *self.workers()])


@contextlib.contextmanager
def gunicorn(
    name: str, target: str, env: dict[str, str], folder: Path, health: str = "/"
) -> Iterator[Server]:
    """Run ``target`` under gunicorn.conf.py on a free loopback port for the block."""
    port = free_port()
    env = dict(env)
    env["GUNICORN_BIND"] = f"127.0.0.1:{port}"
    log = folder / f"gunicorn-{name}.log"
    pid = start_process(
        [str(VENV_BIN / "gunicorn"), "--config", str(GUNICORN_CONF), target], env, log
    )
    try:
        wait_http(port, health)
        deadline = time.monotonic() + 20
        while len(children(pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        yield Server(name, pid, port, log)
    finally:
        stop_process(pid)
