"""How the trainer's pages grow with the cohort (``run.py --growth``), on PostgreSQL.

For each cohort size (default 1,000 and 10,000 learners) a fresh database is seeded with
``seed.py`` (realistic progress, see benchmarks/README.md), then, in a separate process with the
app's own configuration, the trainer's requests are timed in-process with Flask's test client:

- the cohort dashboard and the summary (median of a few requests after a warm-up), with the
  number of SQL statements each sends (it must not grow with the cohort);
- the summary's own statistics (``cohort_summary`` called without the dashboard's rows that
  feed its funnel), so that the gains and the item analysis are timed apart from the dashboard;
- the item analysis: how many first-attempt responses it reads, and the time of its export;
- the CSV and XLSX export of the whole learner table: time, size, and the peak of Python memory
  allocated while building and sending it (``tracemalloc``), read chunk by chunk as a client
  would;
- the statements of the dashboard and the summary that took longest, with PostgreSQL's
  ``EXPLAIN ANALYZE`` plan (``--plans``).

    .venv/bin/python benchmarks/run.py --growth [--sizes 1000,10000] [--plans] [--json PATH]
"""

from __future__ import annotations

import json
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

TARGETS = {"summary": 1000.0, "dashboard": 300.0}  # ms at the largest size


def run(args) -> int:
    from run import (
        Broken,
        app_environment,
        drop_database,
        fresh_database,
        postgres_urls,
        run_checked,
        seed_database,
    )
    from two_instances import DEFAULT_POSTGRES

    sizes = [int(s) for s in (args.sizes or ("200" if args.smoke else "1000,10000")).split(",")]
    tmp = Path(tempfile.mkdtemp(prefix="kruispunt-growth-"))
    admin = None
    results = []
    try:
        admin, database_url = postgres_urls(args.postgres or DEFAULT_POSTGRES, args.bench_db)
        for size in sizes:
            fresh_database(admin, args.bench_db)
            password = "Growth-" + secrets.token_urlsafe(12)
            env = app_environment(
                database_url,
                ELEARN_INSTANCE_PATH=str(tmp / "instance"),
                ELEARN_RATELIMIT_ENABLED="false",
                ELEARN_PASSWORD=password,
            )
            start = time.perf_counter()
            seeded = seed_database(
                env, "lea.growth@example.org", "tom.growth@example.org", size, password, timeout=1800
            )
            print(f"{size} learners seeded in {time.perf_counter() - start:.0f} s ({seeded['rows']})")
            run_checked(
                [
                    sys.executable,
                    "-c",
                    "import psycopg, os; c = psycopg.connect(os.environ['U'], "
                    "autocommit=True); c.execute('VACUUM ANALYZE')",
                ],
                dict(env, U=database_url.replace("+psycopg", "")),
                "VACUUM ANALYZE",
            )
            out = run_checked(
                [
                    sys.executable,
                    str(Path(__file__).resolve()),
                    "measure",
                    "tom.growth@example.org",
                    str(seeded["cohort_id"]),
                    "3" if args.smoke else "7",
                    "1" if args.plans else "0",
                ],
                env,
                "growth measurement",
                timeout=1800,
            )
            result = json.loads(out.strip().splitlines()[-1])
            result["size"] = size
            results.append(result)
            print_result(result)
    except Broken as exc:
        print(f"BROKEN: {exc}", file=sys.stderr)
        return 1
    finally:
        if admin:
            drop_database(admin, args.bench_db)
        shutil.rmtree(tmp, ignore_errors=True)
    print()
    print(table(results))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n")
    constant = len({(r["dashboard"]["queries"], r["summary"]["queries"]) for r in results}) == 1
    largest = results[-1]
    missed = [k for k, limit in TARGETS.items() if largest[k]["ms"] >= limit]
    print(
        f"query counts constant over sizes: {'yes' if constant else 'NO'}; "
        f"targets at {largest['size']}: "
        + (", ".join(f"{k} < {v:.0f} ms" for k, v in TARGETS.items()))
        + (f" — missed: {', '.join(missed)}" if missed else " — met")
    )
    if not constant:
        return 1
    return 2 if missed and not args.smoke else 0


def print_result(r: dict) -> None:
    for key in ("dashboard", "summary", "summary_stats", "items_csv", "export_csv", "export_xlsx"):
        m = r[key]
        extra = f", {m['bytes'] / 1e6:.1f} MB, peak {m['peak_mb']:.1f} MB" if "peak_mb" in m else ""
        print(f"  {key}: {m['ms']:.0f} ms, {m['queries']} queries{extra}")
    print(f"  item analysis reads {r['responses']} first-attempt responses")
    for plan in r.get("plans", []):
        print(f"  --- {plan['ms']:.1f} ms: {plan['sql'][:200]}")
        print("      " + "\n      ".join(plan["plan"]))


def table(results: list[dict]) -> str:
    lines = [
        "| learners | dashboard | summary (its statistics alone) | item analysis (responses, items CSV) "
        "| CSV export | XLSX export |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for r in results:

        def cell(key, r=r):
            m = r[key]
            size = f", {m['bytes'] / 1e6:.1f} MB, peak {m['peak_mb']:.1f} MB" if "peak_mb" in m else ""
            return f"{m['ms']:.0f} ms, {m['queries']} q{size}"

        lines.append(
            f"| {r['size']:,} | {cell('dashboard')} | {cell('summary')} ({cell('summary_stats')}) | "
            f"{r['responses']:,}: "
            f"{cell('items_csv')} | {cell('export_csv')} | {cell('export_xlsx')} |"
        )
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# in the measuring process


def measure(trainer_email: str, cohort_id: int, repeats: int, plans: bool) -> dict:
    import tracemalloc

    sys.path.insert(0, str(HERE.parent))
    from sqlalchemy import event, select

    from elearn import create_app
    from elearn.course import get_course
    from elearn.extensions import db
    from elearn.models import Cohort, User
    from elearn.trainer.summary import cohort_summary, item_analysis, path_quiz_ids

    app = create_app()
    statements: list[tuple[float, str, object]] = []
    with app.app_context():
        trainer = db.session.scalar(select(User).where(User.email == trainer_email))
        token = f"{trainer.id}:{trainer.session_version}"
        engine = db.engine

        @event.listens_for(engine, "before_cursor_execute")
        def before(conn, cursor, statement, parameters, context, executemany):
            conn.info["t0"] = time.perf_counter()

        @event.listens_for(engine, "after_cursor_execute")
        def after(conn, cursor, statement, parameters, context, executemany):
            statements.append(((time.perf_counter() - conn.info["t0"]) * 1000, statement, parameters))

        course = get_course()
        cohort = db.session.get(Cohort, cohort_id)
        responses = sum(i.responses for i in item_analysis(course, cohort, path_quiz_ids(course, cohort)))
        # the summary's own statistics, without the dashboard's rows that feed its funnel
        cohort_summary(course, cohort, [])  # warm-up
        own_times, own_counts = [], []
        for _ in range(max(3, repeats // 2)):
            statements.clear()
            start = time.perf_counter()
            cohort_summary(course, cohort, [])
            own_times.append((time.perf_counter() - start) * 1000)
            own_counts.append(len(statements))
        summary_stats = dict(ms=statistics.median(own_times), min_ms=min(own_times), queries=max(own_counts), bytes=0)
        db.session.remove()

    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = token
        session["_fresh"] = True

    def timed(path: str, n: int, memory: bool = False) -> dict:
        if not memory:
            client.get(path)  # warm-up: templates compiled, pool filled
        times, counts, peaks, size = [], [], [], 0
        for _ in range(n):
            statements.clear()
            if memory:
                tracemalloc.start()
            start = time.perf_counter()
            reply = client.get(path, buffered=False)
            if reply.status_code != 200:
                raise SystemExit(f"GET {path} answered {reply.status_code}")
            size = sum(len(chunk) for chunk in reply.response)  # read as a client would
            reply.close()
            times.append((time.perf_counter() - start) * 1000)
            if memory:
                peaks.append(tracemalloc.get_traced_memory()[1] / 1e6)
                tracemalloc.stop()
            counts.append(len(statements))
        if memory:  # tracemalloc slows Python down several times: the time comes from untraced runs
            return dict(timed(path, n), peak_mb=max(peaks))
        return dict(ms=statistics.median(times), min_ms=min(times), queries=max(counts), bytes=size)

    base = f"/trainer/cohorts/{cohort_id}"
    result = dict(
        responses=responses,
        summary_stats=summary_stats,
        dashboard=timed(base, repeats),
        summary=timed(base + "/summary", max(3, repeats // 2)),
        items_csv=timed(base + "/items.csv", 3),
        export_csv=timed(base + "/export.csv", 2, memory=True),
        export_xlsx=timed(base + "/export.xlsx", 1, memory=True),
    )
    if plans:
        result["plans"] = []
        for path in (base, base + "/summary"):
            statements.clear()
            client.get(path)
            slowest = sorted(statements, key=lambda s: -s[0])[:3]
            with app.app_context():
                for ms, statement, parameters in slowest:
                    rows = (
                        db.session.connection()
                        .exec_driver_sql("EXPLAIN (ANALYZE, COSTS OFF) " + statement, parameters)
                        .all()
                    )
                    result["plans"].append(
                        dict(page=path, ms=ms, sql=" ".join(statement.split()), plan=[r[0] for r in rows])
                    )
                db.session.rollback()
    return result


if __name__ == "__main__":
    if len(sys.argv) == 6 and sys.argv[1] == "measure":
        print(json.dumps(measure(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5] == "1")))
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
