"""wrk from Debian: 2 threads, 32 connections, 3 s warm-up, then the median of 3 runs of 10 s."""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench.servers import ROOT

SCRIPT = ROOT / "bench" / "requests.lua"
THREADS = int(os.environ.get("BENCH_WRK_THREADS", "2"))
CONNECTIONS = int(os.environ.get("BENCH_WRK_CONNECTIONS", "32"))
WARMUP_S = float(os.environ.get("BENCH_WARMUP_S", "3"))
DURATION_S = float(os.environ.get("BENCH_DURATION_S", "10"))
RUNS = int(os.environ.get("BENCH_RUNS", "3"))


def ensure_wrk() -> str:
    """wrk's path; install Debian's package when it is missing and we are root."""
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        raise RuntimeError("wrk is missing; install it with `apt-get install -y wrk` (as root)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "-q", "wrk"]
    if subprocess.run(install, env=env, timeout=300, check=False).returncode != 0:
        subprocess.run(["apt-get", "update", "-q"], env=env, timeout=300, check=True)
        subprocess.run(install, env=env, timeout=300, check=True)
    found = shutil.which("wrk")
    if not found:
        raise RuntimeError("apt-get did not install wrk")
    return found


@dataclass
class Line:
    method: str
    path: str
    cookies: str = ""
    body: str = ""

    def render(self) -> str:
        for part in (self.method, self.path, self.cookies, self.body):
            if "\t" in part or "\n" in part:
                raise ValueError("a request line cannot hold a tab or a newline")
        return "\t".join((self.method, self.path, self.cookies, self.body))


def write_requests(path: Path, lines: list[Line]) -> Path:
    path.write_text("\n".join(line.render() for line in lines) + "\n")
    return path


def _one(port: int, requests: Path, seconds: float, check: bool) -> dict:
    args = [
        ensure_wrk(),
        f"--threads={THREADS}",
        f"--connections={CONNECTIONS}",
        f"--duration={seconds:g}s",
        "--timeout=10s",
        "--latency",
        f"--script={SCRIPT}",
        f"http://127.0.0.1:{port}",
        "--",
        str(requests),
    ]
    if check:
        args.append("check")
    done = subprocess.run(args, capture_output=True, text=True, timeout=seconds + 60, check=False)
    for line in done.stdout.splitlines():
        if line.startswith("BENCH_JSON "):
            result = json.loads(line[len("BENCH_JSON ") :])
            errors = result["errors"]
            result["failed"] = (
                errors["connect"]
                + errors["write"]
                + errors["status"]
                + errors["timeout"]
                + result["unexpected_status"]
            )
            return result
    raise RuntimeError(f"wrk printed no result (exit {done.returncode}): {done.stderr[-500:]}")


def warm_up(port: int, requests: Path) -> None:
    _one(port, requests, WARMUP_S, False)


def measure(
    port: int,
    requests: Path,
    check: bool = False,
    runs: int = RUNS,
    baseline: tuple[int, Path, Callable[[], float]] | None = None,
    cpu: Callable[[], float] | None = None,
) -> dict:
    """Warm up, then ``runs`` runs; the run with the median requests/s is the result.

    With ``baseline`` (the hello-world server and its request file), every run is
    paired with a baseline run just before it, and the ratio is the median of the
    per-pair ratios: the machine is shared, and its speed drifts within minutes.
    """
    _one(port, requests, WARMUP_S, check)
    results, bases = [], []
    cpu_app = cpu_base = 0.0
    for _ in range(runs):
        if baseline is not None:
            before = baseline[2]()
            bases.append(_one(baseline[0], baseline[1], DURATION_S, False))
            cpu_base += baseline[2]() - before
        before = cpu() if cpu else 0.0
        results.append(_one(port, requests, DURATION_S, check))
        cpu_app += (cpu() - before) if cpu else 0.0
    ordered = sorted(results, key=lambda r: r["rps"])
    median = ordered[len(ordered) // 2]
    out = {
        "rps": median["rps"],
        "latency_ms": median["latency_ms"],
        "failed": sum(r["failed"] for r in results),
        "read_errors": sum(r["errors"]["read"] for r in results),
        "runs": [_brief(r) for r in results],
        "rps_spread": round(ordered[-1]["rps"] / ordered[0]["rps"] - 1, 3),
        "median_of": runs,
        "warmup_s": WARMUP_S,
        "duration_s": DURATION_S,
        "threads": THREADS,
        "connections": CONNECTIONS,
        "generator": "wrk",
    }
    served = sum(r["requests"] for r in results)
    if cpu and served:
        # Server CPU per request: much steadier than req/s on a shared machine.
        out["server_cpu_ms_per_request"] = round(cpu_app * 1000 / served, 3)
    if bases:
        ratios = [r["rps"] / b["rps"] for r, b in zip(results, bases, strict=True)]
        base_sorted = sorted(bases, key=lambda r: r["rps"])
        out["ratio"] = round(statistics.median(ratios), 4)
        out["ratio_runs"] = [round(x, 4) for x in ratios]
        out["baseline"] = {
            "rps": base_sorted[len(base_sorted) // 2]["rps"],
            "latency_ms": base_sorted[len(base_sorted) // 2]["latency_ms"],
            "runs": [_brief(b) for b in bases],
            "failed": sum(b["failed"] for b in bases),
        }
        base_served = sum(b["requests"] for b in bases)
        if baseline[2] and base_served and cpu_base:
            base_ms = cpu_base * 1000 / base_served
            out["baseline"]["server_cpu_ms_per_request"] = round(base_ms, 3)
            if out.get("server_cpu_ms_per_request"):
                out["cpu_ratio"] = round(base_ms / out["server_cpu_ms_per_request"], 4)
    return out


def _brief(r: dict) -> dict:
    return {
        "rps": round(r["rps"], 1),
        "p50": r["latency_ms"]["50"],
        "p99": r["latency_ms"]["99"],
        "requests": r["requests"],
        "errors": r["errors"],
        "unexpected_status": r["unexpected_status"],
    }
