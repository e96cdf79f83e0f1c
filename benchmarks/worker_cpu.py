#!/usr/bin/env python3
"""CPU time per request of a gunicorn worker: each load row's app request against its baseline.

    .venv/bin/python benchmarks/worker_cpu.py             # SQLite, about 1 minute
    .venv/bin/python benchmarks/worker_cpu.py -n 2000

Seeds a database as run.py does, starts the app and ``baseline_app`` under gunicorn with one
worker each, and sends each row's request one at a time, ``-n`` times per round, reading the
worker's user and system CPU time from ``/proc`` before and after (best of the rounds). This is
what a request costs the server, HTTP included, and unlike wrk's requests/s it barely changes
when other processes share the machine. Linux only.
"""

from __future__ import annotations

import argparse
import os
import sys
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import Bench, Server, best_of_rounds, print_ratios, profile  # noqa: E402
from webclient import NoRedirect, open_url  # noqa: E402


def workers_cpu_seconds(pid: int) -> float:
    """User plus system CPU time of the children (the workers) of gunicorn's master ``pid``."""
    total = 0
    for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
        fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=1000, help="requests per row and round (default 1000)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds; the best is kept (default 3)")
    args = parser.parse_args(argv)
    args.postgres, args.bench_db, args.smoke, args.duration, args.no_wrk = None, "", True, 1, True
    bench = Bench(args, profile(args))
    try:
        env = bench.environment(bench.database())
        seeded = bench.seed(env)
        app, baseline = bench.start_servers(env, workers=1)
        learner = bench.prepare_learner(app, seeded)
        paths = bench.prepare_baselines(baseline, seeded, learner)
        opener = urllib.request.build_opener(NoRedirect())
        form = {**learner["headers"], "Content-Type": "application/x-www-form-urlencoded"}
        body = learner["answer_body"].encode()
        cases = {
            "module_page": (
                (app, learner["section_path"], None, learner["headers"]),
                (baseline, paths["page"], None, learner["headers"]),
            ),
            "answer_save": ((app, learner["answer_path"], body, form), (baseline, paths["answer"], body, form)),
            "verify": (
                (app, f"/verify/{seeded['certificate']['code']}", None, {}),
                (baseline, paths["verify"], None, {}),
            ),
        }

        def cpu_ms(server: Server, path: str, data, headers, n: int) -> float:
            before = workers_cpu_seconds(server.proc.pid)
            for _ in range(n):
                open_url(opener, server.base + path, data, headers)
            return (workers_cpu_seconds(server.proc.pid) - before) * 1000 / n

        for pair in cases.values():
            for case in pair:
                cpu_ms(*case, 100)  # warm-up
        best = best_of_rounds(cases, args.rounds, lambda case: cpu_ms(*case, args.n))
        print_ratios(
            f"worker CPU time per request (gunicorn, 1 worker), best of {args.rounds} rounds of {args.n}", best
        )
        return 0
    finally:
        bench.cleanup()


if __name__ == "__main__":
    sys.exit(main())
