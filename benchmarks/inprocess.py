#!/usr/bin/env python3
"""The three load rows in-process: each app request against its same-work baseline, interleaved.

    .venv/bin/python benchmarks/inprocess.py                      # SQLite
    .venv/bin/python benchmarks/inprocess.py --postgres postgresql://postgres@127.0.0.1:5432/postgres
    .venv/bin/python benchmarks/inprocess.py --profile module_page   # cProfile of one row

Seeds a database as run.py does, then builds the app and ``baseline_app`` in this process and
sends each row's request through Flask's test client: the module page, the answer save and the
verify page, each followed by its baseline, round after round. The best round of each is kept,
so another process taking the CPU for a moment does not count; by default the time is this
process's CPU time (``--wall`` for wall-clock time, which on PostgreSQL includes the round
trips). Unlike wrk's requests/s, these times hold up on a shared machine; they leave out HTTP
parsing and the load generator, which both sides of a row pay alike under gunicorn.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import urllib.parse
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(1, str(HERE.parent))

from run import BENCH_DATABASE, Bench, best_of_rounds, print_ratios, profile  # noqa: E402
from webclient import parse_form, valid_answer  # noqa: E402

ROWS = ("module_page", "answer_save", "verify")


def login(client, email: str, password: str) -> None:
    token = parse_form(client.get("/login").get_data(as_text=True)).csrf_token
    reply = client.post("/login", data={"csrf_token": token, "email": email, "password": password})
    if reply.status_code != 302:
        raise SystemExit(f"log-in failed: {reply.status_code}")


def requests(app, baseline, seeded: dict, learner: tuple[str, str]) -> dict:
    """Per row: (app request, baseline request), each a function sending one request."""
    client = app.test_client()
    login(client, *learner)
    quiz = parse_form(client.get(f"/quiz/{seeded['quiz']}").get_data(as_text=True))
    started = client.post(f"/quiz/{seeded['quiz']}/start", data={"csrf_token": quiz.csrf_token})
    attempt_path = started.headers["Location"]
    attempt_id = attempt_path.rstrip("/").split("/")[-2]
    form = parse_form(client.get(attempt_path).get_data(as_text=True))
    body = urllib.parse.urlencode({"csrf_token": form.csrf_token, **valid_answer(form), "go": "next"})
    cookie = client.get_cookie("session").value
    base_client = baseline.test_client()
    base_client.set_cookie("session", cookie)
    verify_client = app.test_client()  # no cookie, like someone scanning the QR code
    form_type = "application/x-www-form-urlencoded"
    section = f"/modules/{seeded['module']}/{seeded['section_id']}"
    code = seeded["certificate"]["code"]

    def check(expected: int, send):
        status = send().status_code
        if status != expected:
            raise SystemExit(f"{send.__name__} answered {status}, expected {expected}")
        return send

    return {
        "module_page": (
            check(200, lambda: client.get(section)),
            check(200, lambda: base_client.get(f"/page/{seeded['module']}/{seeded['section_id']}")),
        ),
        "answer_save": (
            check(302, lambda: client.post(f"/attempt/{attempt_id}/1", data=body, content_type=form_type)),
            check(302, lambda: base_client.post(f"/answer/{attempt_id}/1", data=body, content_type=form_type)),
        ),
        "verify": (
            check(200, lambda: verify_client.get(f"/verify/{code}")),
            check(200, lambda: base_client.get(f"/verify/{code}")),
        ),
    }


def best_ms(send, n: int, clock=time.process_time) -> float:
    start = clock()
    for _ in range(n):
        send()
    return (clock() - start) * 1000 / n


def measure(rows: dict, rounds: int, n: int, clock) -> dict:
    """Best time per request (ms) of the app and its baseline, interleaved round by round."""
    return best_of_rounds(rows, rounds, lambda send: best_ms(send, n, clock))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", metavar="URL", help="seed and measure on PostgreSQL (see run.py)")
    parser.add_argument("--bench-db", default=os.environ.get("KRUISPUNT_BENCH_DB", BENCH_DATABASE))
    parser.add_argument("--rounds", type=int, default=7, help="rounds; the best is kept (default 7)")
    parser.add_argument("-n", type=int, default=300, help="requests per row and round (default 300)")
    parser.add_argument(
        "--wall",
        action="store_true",
        help="wall-clock time instead of this process's CPU time (PostgreSQL: includes the round trips)",
    )
    parser.add_argument("--profile", choices=ROWS, help="print a cProfile of this row's app request instead")
    args = parser.parse_args(argv)
    args.smoke, args.duration, args.no_wrk = True, 1, True
    bench = Bench(args, profile(args))
    try:
        env = bench.environment(bench.database())
        seeded = bench.seed(env)
        os.environ.update({k: v for k, v in env.items() if k.startswith("ELEARN_")})
        import baseline_app

        import elearn

        rows = requests(elearn.create_app(), baseline_app.create_app(), seeded, bench.learner)
        if args.profile:
            import cProfile
            import pstats

            send = rows[args.profile][0]
            best_ms(send, 100)
            profiler = cProfile.Profile()
            profiler.runcall(best_ms, send, args.n)
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(60)
            pstats.Stats(profiler).sort_stats("tottime").print_stats(40)
            pstats.Stats(profiler).print_callers("local.py.*__get__|get_current_url")
            return 0
        best = measure(rows, args.rounds, args.n, time.perf_counter if args.wall else time.process_time)
        heading = f"{'wall' if args.wall else 'CPU'} time per request, best of {args.rounds} rounds of {args.n}"
        print_ratios(heading, best)
        return 0
    finally:
        bench.cleanup()


if __name__ == "__main__":
    sys.exit(main())
