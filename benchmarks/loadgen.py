"""HTTP load: wrk when it is installed, else a bounded Python loop with urllib (clearly labelled).

Both return a ``Load``: requests per second, p50 and p99 latency, and how many responses had a
status other than the one expected (a 302 to the login page must not pass for a page view).
"""

from __future__ import annotations

import math
import re
import shutil
import subprocess
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from webclient import USER_AGENT, NoRedirect, open_url

LUA_SCRIPT = Path(__file__).resolve().parent / "wrk_request.lua"
#: the Python fallback stops after this many requests per connection, whatever the duration
FALLBACK_MAX_PER_CONNECTION = 20_000


@dataclass
class Load:
    tool: str  # "wrk" or "python"
    requests: int
    seconds: float
    rps: float
    p50_ms: float | None
    p99_ms: float | None
    unexpected: int = 0  # responses with another status than expected
    first_bad: int = 0  # the first such status
    socket_errors: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.requests > 0 and self.unexpected == 0


@dataclass
class Target:
    """One URL to load; ``body`` (url-encoded form) makes it a POST."""

    url: str
    expected: int = 200
    method: str = "GET"
    body: str = ""
    headers: dict = field(default_factory=dict)


def wrk_path() -> str | None:
    return shutil.which("wrk")


def wrk_version(path: str) -> str:
    out = subprocess.run([path, "-v"], capture_output=True, text=True, timeout=10)
    first = (out.stdout or out.stderr).splitlines()[:1]
    match = re.search(r"wrk\s+(\S+)", first[0]) if first else None
    return match.group(1) if match else "unknown"


_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3, "h": 3600e3}


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text.strip())
    if not match:
        raise ValueError(f"not a wrk duration: {text!r}")
    return float(match.group(1)) * _UNITS[match.group(2)]


def parse_wrk(output: str) -> Load:
    """Requests/s, p50/p99 (from ``--latency``), socket errors and the Lua script's status count."""

    def find(pattern, cast=float, default=None):
        match = re.search(pattern, output, re.M)
        return cast(match.group(1)) if match else default

    requests = find(r"^\s*(\d+) requests in", int, 0)
    seconds = find(r"requests in ([\d.]+\w+),", _ms, 0.0) / 1000
    errors = {}
    match = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    if match:
        errors = {k: int(v) for k, v in zip(("connect", "read", "write", "timeout"), match.groups()) if int(v)}
    bench = re.search(r"BENCH unexpected=(\d+) first_bad=(\d+)", output)
    if bench is None:
        raise RuntimeError("wrk output lacks the BENCH line of wrk_request.lua:\n" + output)
    return Load(
        "wrk",
        requests,
        seconds,
        find(r"^Requests/sec:\s+([\d.]+)", float, 0.0),
        find(r"^\s+50%\s+(\S+)", _ms),
        find(r"^\s+99%\s+(\S+)", _ms),
        int(bench.group(1)),
        int(bench.group(2)),
        errors,
    )


def run_wrk(wrk: str, target: Target, *, connections: int, threads: int, seconds: float) -> tuple[Load, str]:
    command = [
        wrk,
        f"-t{threads}",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        "--timeout",
        "10s",
        "--latency",
        "-s",
        str(LUA_SCRIPT),
    ]
    for name, value in {"User-Agent": USER_AGENT, **target.headers}.items():
        command += ["-H", f"{name}: {value}"]
    command += [target.url, "--", target.method, str(target.expected)] + ([target.body] if target.body else [])
    out = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)
    if out.returncode != 0:
        raise RuntimeError(f"wrk exited with {out.returncode}: {out.stderr or out.stdout}")
    return parse_wrk(out.stdout), out.stdout


def percentile(values: list[float], q: float) -> float | None:
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(q / 100 * len(ordered))))
    return ordered[rank - 1]


def run_python(target: Target, *, connections: int, seconds: float) -> Load:
    """The fallback without wrk: ``connections`` threads send requests one after another until the
    time is up (or FALLBACK_MAX_PER_CONNECTION each). Python's client is far slower than wrk and
    shares the CPU with the servers, so its numbers are only comparable with each other."""
    opener = urllib.request.build_opener(NoRedirect())
    data = target.body.encode() if target.body else None
    headers = dict(target.headers)
    if data is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    latencies: list[float] = []
    bad: list[int] = []
    errors = {"socket": 0}
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def worker():
        mine, wrong, failed = [], [], 0
        for _ in range(FALLBACK_MAX_PER_CONNECTION):
            if time.perf_counter() >= deadline:
                break
            try:
                reply = open_url(opener, target.url, data, headers)
            except OSError:
                failed += 1
                continue
            mine.append(reply.seconds * 1000)
            if reply.status != target.expected:
                wrong.append(reply.status)
        with lock:
            latencies.extend(mine)
            bad.extend(wrong)
            errors["socket"] += failed

    start = time.perf_counter()
    workers = [threading.Thread(target=worker, daemon=True) for _ in range(connections)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(seconds + 60)
    elapsed = time.perf_counter() - start
    return Load(
        "python",
        len(latencies),
        elapsed,
        len(latencies) / elapsed if elapsed else 0.0,
        percentile(latencies, 50),
        percentile(latencies, 99),
        len(bad),
        bad[0] if bad else 0,
        {k: v for k, v in errors.items() if v},
    )
