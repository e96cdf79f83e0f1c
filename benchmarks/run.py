#!/usr/bin/env python3
"""Kruispunt benchmarks: the app against a bare-Flask baseline on the same machine, in one run.

    .venv/bin/python benchmarks/run.py                    # SQLite, 15 s per load test
    .venv/bin/python benchmarks/run.py --duration 30 --json results.json
    .venv/bin/python benchmarks/run.py --postgres postgresql://postgres@127.0.0.1:5432/postgres
    .venv/bin/python benchmarks/run.py --smoke            # about 20 s; for CI

Seeds a fresh database in a temporary folder (or the PostgreSQL database ``kruispunt_bench``,
created and dropped here), starts the app and the baseline under gunicorn (2 sync workers each,
rate limiting off), logs in through the real form, loads pages with wrk and prints one table.
See benchmarks/README.md for what each row measures and how to read it.

Exit status: 0 all targets met (always 0 with --smoke unless broken), 1 something is broken
(a server did not start, a request got an unexpected status, a measurement raised),
2 a target was missed.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from dataclasses import asdict, dataclass, field
from html import escape
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(1, str(ROOT))  # the ``elearn`` package, for the in-process PDF row

import loadgen  # noqa: E402
from loadgen import Load, Target  # noqa: E402
from webclient import Browser, NoRedirect, open_url, parse_form, valid_answer  # noqa: E402

BENCH_DATABASE = "kruispunt_bench"
HOST = "127.0.0.1"
#: what each same-work baseline of baseline_app.py does
BASELINE_NAMES = {
    "module_page": "session, user + 10 rows, 8 KB page in layout",
    "answer_save": "session, 1 upsert, commit, redirect",
    "verify": "1 row by code, page in layout",
}
STARTUP_SNIPPET = """
import json, time
t0 = time.perf_counter()
import elearn
t1 = time.perf_counter()
app = elearn.create_app()
t2 = time.perf_counter()
assert app.extensions["course"].modules, "no content loaded"
print(json.dumps({"import_ms": (t1 - t0) * 1000, "create_app_ms": (t2 - t1) * 1000}))
"""


class Broken(Exception):
    """The benchmark cannot go on: a server did not start, a set-up request failed."""


@dataclass(frozen=True)
class Profile:
    connections: int
    threads: int
    seconds: float
    warmup: float
    dashboard_requests: int
    pdf_renders: int
    startups: int
    cohort_size: int


def profile(args) -> Profile:
    if args.smoke:
        return Profile(
            connections=4,
            threads=2,
            seconds=1,
            warmup=0,
            dashboard_requests=3,
            pdf_renders=3,
            startups=1,
            cohort_size=50,
        )
    return Profile(
        connections=32,
        threads=2,
        seconds=args.duration,
        warmup=3,
        dashboard_requests=20,
        pdf_renders=50,
        startups=5,
        cohort_size=1000,
    )


@dataclass
class Row:
    key: str
    name: str
    target: str
    rps: float | None = None
    p50_ms: float | None = None
    p99_ms: float | None = None
    ratio: float | None = None  # requests/s relative to the same-work baseline
    floor_ratio: float | None = None  # requests/s relative to the floor (bare Flask, one template)
    ms: float | None = None  # median time for the single-shot rows
    result: str = ""  # PASS | MISS | ERROR | n/a | ref
    note: str = ""
    details: dict = field(default_factory=dict)


# --------------------------------------------------------------------------------------------
# processes and the database


def best_of_rounds(cases: dict, rounds: int, cost) -> dict:
    """Per row, the lowest ``cost(case)`` (ms per request) of the app and of its baseline, measured
    in turns round after round so that a busy moment of the machine hits both alike."""
    best = {key: [float("inf"), float("inf")] for key in cases}
    for _ in range(rounds):
        for key, pair in cases.items():
            for side, case in enumerate(pair):
                best[key][side] = min(best[key][side], cost(case))
    return best


def print_ratios(heading: str, best: dict) -> None:
    """Per load row: the app's and its same-work baseline's time per request (ms), and the ratio."""
    print(heading)
    print(f"{'row':<12} {'app ms':>8} {'same work ms':>13} {'ratio':>6}")
    for key, (app_ms, base_ms) in best.items():
        print(f"{key:<12} {app_ms:8.3f} {base_ms:13.3f} {base_ms / app_ms:6.0%}")


def venv_tool(name: str) -> str:
    """A console script of the virtualenv this script runs in (``.venv/bin/gunicorn``)."""
    candidate = Path(sys.executable).parent / name
    found = str(candidate) if candidate.exists() else shutil.which(name)
    if not found:
        raise Broken(f"{name} not found next to {sys.executable} nor on PATH")
    return found


def free_port() -> int:
    """A free port: any (chosen by the system), or one of ``$KRUISPUNT_BENCH_PORTS`` (e.g. ``5300-5349``)."""
    first, _, last = os.environ.get("KRUISPUNT_BENCH_PORTS", "").partition("-")
    candidates = range(int(first), int(last or first) + 1) if first else [0]
    for port in candidates:
        if port in _TAKEN:
            continue
        with socket.socket() as s:
            try:
                s.bind((HOST, port))
            except OSError:
                continue
            _TAKEN.add(s.getsockname()[1])
            return s.getsockname()[1]
    raise Broken(f"no free port in KRUISPUNT_BENCH_PORTS={os.environ['KRUISPUNT_BENCH_PORTS']}")


_TAKEN: set[int] = set()  # ports handed out in this run (not yet bound by their server)


def run_checked(command: list[str], env: dict, what: str, timeout: float = 300) -> str:
    out = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    if out.returncode != 0:
        raise Broken(f"{what} failed (exit {out.returncode}):\n{out.stdout}{out.stderr}")
    return out.stdout


class Server:
    """A gunicorn in its own process group, so stopping it stops its workers too."""

    def __init__(self, name: str, command: list[str], env: dict, log: Path, ready_path: str, port: int):
        self.name, self.log_path = name, log
        self.base = f"http://{HOST}:{port}"
        self.ready_url = self.base + ready_path
        self._log = open(log, "wb")
        self.proc = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def wait_ready(self, timeout: float = 60) -> float:
        start = time.perf_counter()
        opener = urllib.request.build_opener()
        while time.perf_counter() - start < timeout:
            if self.proc.poll() is not None:
                raise Broken(f"{self.name} exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                if open_url(opener, self.ready_url).status == 200:
                    return time.perf_counter() - start
            except OSError:
                pass
            time.sleep(0.1)
        raise Broken(f"{self.name} did not answer {self.ready_url} within {timeout:.0f} s:\n{self.log_tail()}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
                try:
                    os.killpg(self.proc.pid, sig)
                except ProcessLookupError:
                    break
                try:
                    self.proc.wait(wait)
                    break
                except subprocess.TimeoutExpired:
                    continue
        self._log.close()


def postgres_urls(url: str, name: str = BENCH_DATABASE) -> tuple[dict, str]:
    """Connection arguments for the server's maintenance database, and the app's URL for the
    database ``name``. Only a server on this machine is accepted: the database is dropped."""
    from sqlalchemy.engine import make_url

    u = make_url(url)
    if not u.drivername.startswith("postgresql"):
        raise Broken(f"--postgres needs a postgresql:// URL, not {u.drivername}")
    if (u.host or HOST) not in (HOST, "localhost"):
        raise Broken(f"--postgres must point at a server on {HOST} (it creates and drops {name})")
    admin = dict(host=u.host or HOST, port=u.port or 5432, user=u.username or "postgres", dbname="postgres")
    if u.password:
        admin["password"] = u.password
    app_url = u.set(drivername="postgresql+psycopg", database=name).render_as_string(hide_password=False)
    return admin, app_url


def postgres_execute(admin: dict, statement: str) -> None:
    import psycopg

    with psycopg.connect(**admin, autocommit=True, connect_timeout=10) as conn:
        conn.execute(statement)


def app_environment(database_url: str, **settings: str) -> dict:
    """The environment of the app's processes: the database, a fresh secret key and this checkout
    on PYTHONPATH, plus ``settings`` (ELEARN_* values). The caller's own ELEARN_* settings could
    point the servers at another database; only a content folder (ELEARN_CONTENT_DIR, to
    benchmark other content) is passed on."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ELEARN_") or k == "ELEARN_CONTENT_DIR"}
    env.update(
        ELEARN_DATABASE_URL=database_url,
        ELEARN_SECRET_KEY=secrets.token_hex(32),
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    )
    env.update(settings)
    return env


def seed_database(env: dict, learner: str, trainer: str, cohort_size: int, password: str, timeout: float = 300):
    """Create the schema, a confirmed learner (``elearn create-user``) and, with ``seed.py``, a
    trainer with a cohort of ``cohort_size`` learners; what seed.py reports (JSON)."""
    elearn = venv_tool("elearn")
    env = dict(env, ELEARN_PASSWORD=password)
    run_checked([elearn, "init-db"], env, "elearn init-db")
    run_checked(
        [elearn, "create-user", learner, "--name", "Lea Benchmark", "--role", "learner"]
        + ["--sector", "jeugd-welzijn", "--organisation", "JAC Gent"],
        env,
        "elearn create-user (learner)",
    )
    out = run_checked(
        [sys.executable, str(HERE / "seed.py"), learner, trainer, str(cohort_size)],
        env,
        "benchmarks/seed.py",
        timeout=timeout,
    )
    return json.loads(out.strip().splitlines()[-1])


def fresh_database(admin: dict, name: str) -> None:
    """Create the benchmark's database ``name``, dropping what an earlier run left."""
    postgres_execute(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    postgres_execute(admin, f'CREATE DATABASE "{name}"')


def drop_database(admin: dict, name: str) -> None:
    """Drop the benchmark's database at the end of a run; a failure is printed, never raised."""
    try:
        postgres_execute(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    except Exception as exc:  # noqa: BLE001 - keep cleaning up
        print(f"could not drop the database {name}: {exc}", file=sys.stderr)


# --------------------------------------------------------------------------------------------
# the run


class Bench:
    def __init__(self, args, prof: Profile):
        self.args, self.prof = args, prof
        self.tmp = Path(tempfile.mkdtemp(prefix="kruispunt-bench-"))
        self.servers: list[Server] = []
        self.pg_admin: dict | None = None
        self.rows: list[Row] = []
        self.problems: list[str] = []
        self.wrk = None if args.no_wrk else loadgen.wrk_path()
        self.meta: dict = {}

    # set-up -------------------------------------------------------------------------------

    def database(self) -> str:
        if self.args.postgres:
            name = self.args.bench_db
            admin, url = postgres_urls(self.args.postgres, name)
            try:
                fresh_database(admin, name)
            except Exception as exc:  # noqa: BLE001 - any connection problem stops the run
                raise Broken(f"cannot create the PostgreSQL database {name}: {exc}") from exc
            self.pg_admin = admin
            return url
        return f"sqlite:///{self.tmp / 'bench.sqlite'}"

    def environment(self, database_url: str) -> dict:
        return app_environment(
            database_url,
            ELEARN_INSTANCE_PATH=str(self.tmp / "instance"),
            ELEARN_CERTIFICATE_STORE=str(self.tmp / "issued"),
            ELEARN_RATELIMIT_ENABLED="false",
        )

    def seed(self, env: dict) -> dict:
        password = "Bench-" + secrets.token_urlsafe(12)
        self.learner = ("lea.bench@example.org", password)
        self.trainer = ("tom.bench@example.org", password)
        start = time.perf_counter()
        seeded = seed_database(env, self.learner[0], self.trainer[0], self.prof.cohort_size, password)
        print(
            f"seeded in {time.perf_counter() - start:.1f} s: learner, certificate {seeded['certificate']['code']}, "
            f"cohort {seeded['cohort_id']} of {seeded['cohort_size']} learners ({seeded['rows']})"
        )
        return seeded

    def start_servers(self, env: dict, workers: int = 2) -> tuple[Server, Server]:
        gunicorn = venv_tool("gunicorn")
        app_port, base_port = free_port(), free_port()
        common = ["-w", str(workers)]
        app = Server(
            "app (gunicorn elearn)",
            [gunicorn, *common, "-b", f"{HOST}:{app_port}", "elearn:create_app()"],
            env,
            self.tmp / "app.log",
            "/login",
            app_port,
        )
        self.servers.append(app)
        baseline = Server(
            "baseline (gunicorn baseline_app)",
            [gunicorn, *common, "-b", f"{HOST}:{base_port}", "--pythonpath", str(HERE), "baseline_app:create_app()"],
            env,
            self.tmp / "baseline.log",
            "/",
            base_port,
        )
        self.servers.append(baseline)
        for server in (app, baseline):
            took = server.wait_ready()
            print(f"{server.name} answers on {server.base} after {took:.1f} s")
        return app, baseline

    def prepare_learner(self, app: Server, seeded: dict) -> dict:
        """Log in, check the section page, start the module quiz and check one answer save."""
        browser = Browser(app.base)
        browser.login(*self.learner)
        section_path = f"/modules/{seeded['module']}/{seeded['section_id']}"
        quiz_page = browser.request(f"/quiz/{seeded['quiz']}")
        if quiz_page.status != 200:
            raise Broken(f"GET /quiz/{seeded['quiz']} answered {quiz_page.status}")
        started = browser.request(
            f"/quiz/{seeded['quiz']}/start", {"csrf_token": parse_form(quiz_page.body).csrf_token}, follow=False
        )
        location = started.headers.get("Location", "")
        if started.status != 302 or "/attempt/" not in location:
            raise Broken(f"starting the quiz answered {started.status} {location}")
        attempt_path = location[location.index("/attempt/") :]
        attempt_id = attempt_path.split("/")[2]
        question = browser.request(attempt_path)
        if question.status != 200:
            raise Broken(f"GET {attempt_path} answered {question.status}")
        form = parse_form(question.body)
        fields = {"csrf_token": form.csrf_token, **valid_answer(form), "go": "next"}
        cookie = browser.cookie("session")
        if not cookie:
            raise Broken("no session cookie after logging in")
        headers = {"Cookie": f"session={cookie}"}
        # Check with the bare cookie, as wrk will send it: no redirect to the login page.
        opener = urllib.request.build_opener(NoRedirect())
        page = open_url(opener, app.base + section_path, headers=headers)
        if page.status != 200 or escape(seeded["section_title"]) not in page.body:
            raise Broken(
                f"GET {section_path} with the session cookie answered {page.status} {page.headers.get('Location', '')}"
            )
        body = urllib.parse.urlencode(fields)
        saved = open_url(
            opener,
            app.base + f"/attempt/{attempt_id}/1",
            body.encode(),
            {**headers, "Content-Type": "application/x-www-form-urlencoded"},
        )
        if saved.status != 302 or not saved.headers.get("Location", "").endswith(f"/attempt/{attempt_id}/2"):
            raise Broken(
                f"saving an answer answered {saved.status} {saved.headers.get('Location', '')}: {saved.body[:300]}"
            )
        verify = open_url(opener, app.base + f"/verify/{seeded['certificate']['code']}")
        if verify.status != 200 or seeded["certificate"]["code"] not in verify.body:
            raise Broken(f"GET /verify/{seeded['certificate']['code']} answered {verify.status}")
        return dict(
            headers=headers,
            section_path=section_path,
            answer_path=f"/attempt/{attempt_id}/1",
            answer_body=body,
            answer_fields=sorted(fields),
            attempt_id=attempt_id,
        )

    def prepare_baselines(self, baseline: Server, seeded: dict, learner: dict) -> dict:
        """The same-work baseline's URLs, each checked once with the learner's session cookie."""
        opener = urllib.request.build_opener(NoRedirect())
        paths = dict(
            page=f"/page/{seeded['module']}/{seeded['section_id']}",
            answer=f"/answer/{learner['attempt_id']}/1",
            verify=f"/verify/{seeded['certificate']['code']}",
        )
        page = open_url(opener, baseline.base + paths["page"], headers=learner["headers"])
        if page.status != 200 or len(page.body) < 8192:
            raise Broken(f"baseline GET {paths['page']} answered {page.status} ({len(page.body)} bytes)")
        saved = open_url(
            opener,
            baseline.base + paths["answer"],
            learner["answer_body"].encode(),
            {**learner["headers"], "Content-Type": "application/x-www-form-urlencoded"},
        )
        if saved.status != 302:
            raise Broken(f"baseline POST {paths['answer']} answered {saved.status}: {saved.body[:300]}")
        verify = open_url(opener, baseline.base + paths["verify"])
        if verify.status != 200 or seeded["certificate"]["code"] not in verify.body:
            raise Broken(f"baseline GET {paths['verify']} answered {verify.status}")
        return paths

    def prepare_trainer(self, app: Server, seeded: dict) -> dict:
        browser = Browser(app.base)
        browser.login(*self.trainer)
        cookie = browser.cookie("session")
        path = f"/trainer/cohorts/{seeded['cohort_id']}"
        page = browser.request(path)
        if page.status != 200 or f"{seeded['cohort_size']} deelnemers" not in page.body:
            raise Broken(f"GET {path} answered {page.status} without '{seeded['cohort_size']} deelnemers'")
        return dict(headers={"Cookie": f"session={cookie}"}, path=path)

    # measurements -------------------------------------------------------------------------

    def load(self, label: str, target: Target) -> Load:
        prof = self.prof
        if self.wrk:
            if prof.warmup:
                warm, _ = loadgen.run_wrk(
                    self.wrk, target, connections=prof.connections, threads=prof.threads, seconds=prof.warmup
                )
                if not warm.ok:
                    self.problems.append(
                        f"{label}: warm-up got {warm.unexpected} unexpected responses (first: {warm.first_bad})"
                    )
            result, raw = loadgen.run_wrk(
                self.wrk, target, connections=prof.connections, threads=prof.threads, seconds=prof.seconds
            )
            if self.args.verbose:
                print(raw)
        else:
            if prof.warmup:
                loadgen.run_python(target, connections=prof.connections, seconds=prof.warmup)
            result = loadgen.run_python(target, connections=prof.connections, seconds=prof.seconds)
        if result.requests == 0:
            self.problems.append(f"{label}: no request completed ({result.socket_errors})")
        elif result.unexpected:
            self.problems.append(
                f"{label}: {result.unexpected} of {result.requests} responses had another "
                f"status than {target.expected} (first: {result.first_bad})"
            )
        print(
            f"  {label}: {result.rps:.0f} req/s, p50 {fmt_ms(result.p50_ms)}, p99 {fmt_ms(result.p99_ms)}"
            f"{', socket errors ' + str(result.socket_errors) if result.socket_errors else ''}"
        )
        return result

    def load_row(self, key, name, target_text, load: Load, baseline: Load, floor: Load, passed) -> Row:
        ratio = load.rps / baseline.rps if baseline.rps else None
        row = Row(
            key,
            name,
            target_text,
            rps=load.rps,
            p50_ms=load.p50_ms,
            p99_ms=load.p99_ms,
            ratio=ratio,
            floor_ratio=load.rps / floor.rps if floor.rps else None,
            details=asdict(load),
        )
        if not load.ok:
            row.result, row.note = "ERROR", f"{load.unexpected} unexpected status (first {load.first_bad})"
        elif ratio is None:
            row.result = "ERROR"
        else:
            row.result = "PASS" if passed(row) else "MISS"
        return row

    @staticmethod
    def reference_row(key: str, name: str, load: Load, floor: Load) -> Row:
        """A baseline: the reference its app row is divided by."""
        return Row(
            key,
            name,
            "reference",
            rps=load.rps,
            p50_ms=load.p50_ms,
            p99_ms=load.p99_ms,
            ratio=1.0 if load.rps else None,
            floor_ratio=load.rps / floor.rps if floor.rps else None,
            result="ref" if load.ok else "ERROR",
            details=asdict(load),
        )

    def dashboard(self, app: Server, trainer: dict) -> Row:
        """Sequential requests on one client: the time a trainer waits for the page."""
        opener = urllib.request.build_opener(NoRedirect())
        url = app.base + trainer["path"]
        open_url(opener, url, headers=trainer["headers"])  # warm-up: templates compiled in this worker
        times, statuses = [], set()
        for _ in range(self.prof.dashboard_requests):
            reply = open_url(opener, url, headers=trainer["headers"])
            statuses.add(reply.status)
            times.append(reply.seconds * 1000)
        row = Row(
            "dashboard",
            f"cohort dashboard, {self.prof.cohort_size} learners",
            "< 150 ms",
            ms=statistics.median(times),
            details=dict(requests=len(times), min_ms=min(times), max_ms=max(times), statuses=sorted(statuses)),
        )
        if statuses != {200}:
            row.result, row.note = "ERROR", f"statuses {sorted(statuses)}"
            self.problems.append(f"dashboard: statuses {sorted(statuses)}")
        else:
            row.result = "PASS" if row.ms < 150 else "MISS"
        return row

    def pdf(self, cert: dict) -> Row:
        """``certificates.render_pdf`` in this process (the first call, which loads fonts, apart)."""
        row = Row("pdf", "certificate PDF (in-process)", "< 100 ms")
        try:
            from elearn import certificates
        except ImportError as exc:
            row.result, row.note = "n/a", "n/a (certificates package missing)"
            row.details = dict(error=repr(exc))
            return row
        except Exception as exc:  # noqa: BLE001 - a half-written package must not stop the run
            row.result, row.note = "n/a", f"n/a (import certificates failed: {type(exc).__name__}: {exc})"
            row.details = dict(error=repr(exc))
            return row
        try:
            data = certificates.CertificateData(
                learner_name=cert["learner_name"],
                path_title=cert["path_title"],
                hours=cert["hours"],
                completed_on=datetime.date.fromisoformat(cert["completed_on"]),
                issuer=cert["issuer"],
                code=cert["code"],
                verify_url=cert["verify_url"],
                language="nl",
            )
            start = time.perf_counter()
            first = certificates.render_pdf(data)
            first_ms = (time.perf_counter() - start) * 1000
            times = []
            for _ in range(self.prof.pdf_renders):
                start = time.perf_counter()
                pdf = certificates.render_pdf(data)
                times.append((time.perf_counter() - start) * 1000)
            if not (isinstance(pdf, bytes) and pdf.startswith(b"%PDF")):
                raise TypeError(f"render_pdf returned {type(pdf).__name__}, not PDF bytes")
        except Exception as exc:  # noqa: BLE001 - reported as broken, the other rows still print
            row.result, row.note = "ERROR", f"{type(exc).__name__}: {exc}"
            self.problems.append(f"certificate PDF: {type(exc).__name__}: {exc}")
            return row
        row.ms = statistics.median(times)
        row.result = "PASS" if row.ms < 100 else "MISS"
        row.details = dict(
            renders=len(times),
            first_call_ms=first_ms,
            min_ms=min(times),
            max_ms=max(times),
            bytes=len(first),
            identical=first == pdf,
        )
        return row

    def startup(self, env: dict) -> Row:
        """``create_app()`` in a fresh interpreter (after ``import elearn``, timed apart): what every
        new gunicorn worker and every ``elearn`` command pays before it can do anything.

        The timed runs share the servers' instance folder, so they reuse the Markdown the first
        start-up rendered (as every later worker does); one start with an empty instance folder,
        the very first start on a machine, is measured apart and shown in the note."""
        cold_env = dict(env, ELEARN_INSTANCE_PATH=str(self.tmp / "instance-cold"))
        out = run_checked([sys.executable, "-c", STARTUP_SNIPPET], cold_env, "start-up measurement", timeout=120)
        cold = json.loads(out.strip().splitlines()[-1])
        runs = []
        for _ in range(self.prof.startups):
            out = run_checked([sys.executable, "-c", STARTUP_SNIPPET], env, "start-up measurement", timeout=120)
            runs.append(json.loads(out.strip().splitlines()[-1]))
        create = statistics.median(r["create_app_ms"] for r in runs)
        imports = statistics.median(r["import_ms"] for r in runs)
        total = statistics.median(r["import_ms"] + r["create_app_ms"] for r in runs)
        row = Row(
            "startup",
            "start-up: create_app(), fresh process",
            "< 500 ms",
            ms=create,
            details=dict(
                runs=runs,
                create_app_ms_median=create,
                import_ms_median=imports,
                import_and_create_app_ms_median=total,
                cold_run=cold,
            ),
        )
        row.result = "PASS" if create < 500 else "MISS"
        row.note = (
            f"`import elearn` takes {imports:.0f} ms before it: {total:.0f} ms in all; the first start "
            f"with an empty instance folder (Markdown not yet rendered) takes {cold['create_app_ms']:.0f} ms"
        )
        return row

    def run(self) -> None:
        prof = self.prof
        database_url = self.database()
        env = self.environment(database_url)
        self.meta = dict(
            started=datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
            mode="smoke" if self.args.smoke else "full",
            database="postgresql" if self.args.postgres else "sqlite",
            load_tool=f"wrk {loadgen.wrk_version(self.wrk)}" if self.wrk else "python urllib (wrk not used)",
            connections=prof.connections,
            threads=prof.threads,
            seconds=prof.seconds,
            warmup=prof.warmup,
            gunicorn="-w 2 (sync workers)",
            cpus=os.cpu_count(),
            python=platform.python_version(),
            machine=platform.platform(),
            commit=git_commit(),
            rate_limiting="off (ELEARN_RATELIMIT_ENABLED=false)",
        )
        load1 = os.getloadavg()[0]
        self.meta["load_average_at_start"] = round(load1, 2)
        if load1 > 0.5:
            print(
                f"WARNING: the machine is busy (load average {load1:.2f} on {os.cpu_count()} CPUs); "
                f"other processes share the CPU with the servers and wrk, so the numbers will be low and noisy"
            )
        print(
            f"database: {self.meta['database']}; rate limiting OFF (ELEARN_RATELIMIT_ENABLED=false) "
            f"so the load is not throttled"
        )
        if not self.wrk:
            why = "--no-wrk given" if self.args.no_wrk else "wrk is not installed"
            print(
                f"{why}: loading with a bounded Python urllib loop instead; its numbers are much lower than "
                f"wrk's and only comparable with each other (the ratios still mean something)"
            )
        seeded = self.seed(env)
        app, baseline = self.start_servers(env)
        learner = self.prepare_learner(app, seeded)
        trainer = self.prepare_trainer(app, seeded)
        threads = f"{prof.threads} threads, " if self.wrk else ""
        print(
            f"load: {self.meta['load_tool']}, {prof.connections} connections, {threads}"
            f"{prof.seconds:g} s per test" + (f" after a {prof.warmup:g} s warm-up" if prof.warmup else "")
        )

        same = self.prepare_baselines(baseline, seeded, learner)
        floor = self.load("floor", Target(baseline.base + "/"))
        base_page = self.load("baseline page", Target(baseline.base + same["page"], headers=learner["headers"]))
        module = self.load("module page", Target(app.base + learner["section_path"], headers=learner["headers"]))
        base_answer = self.load(
            "baseline answer save",
            Target(
                baseline.base + same["answer"],
                expected=302,
                method="POST",
                body=learner["answer_body"],
                headers=learner["headers"],
            ),
        )
        answer = self.load(
            "answer save",
            Target(
                app.base + learner["answer_path"],
                expected=302,
                method="POST",
                body=learner["answer_body"],
                headers=learner["headers"],
            ),
        )
        base_verify = self.load("baseline verify", Target(baseline.base + same["verify"]))
        verify = self.load("verify page", Target(app.base + f"/verify/{seeded['certificate']['code']}"))
        self.rows.append(self.reference_row("floor", "floor: bare Flask + 1 small template", floor, floor))
        for key, name, target_text, load, base in (
            (
                "module_page",
                f"module section page {learner['section_path']}",
                ">= 50 % and p99 < 50 ms",
                module,
                base_page,
            ),
            ("answer_save", "save a quiz answer (POST, 302)", ">= 50 %", answer, base_answer),
            ("verify", "public /verify/<code>", ">= 50 %", verify, base_verify),
        ):
            self.rows.append(
                self.reference_row(f"baseline_{key}", f"  same work, bare: {BASELINE_NAMES[key]}", base, floor)
            )
            passed = (
                (lambda r: r.ratio >= 0.50 and r.p99_ms is not None and r.p99_ms < 50)
                if key == "module_page"
                else (lambda r: r.ratio >= 0.50)
            )
            self.rows.append(self.load_row(key, name, target_text, load, base, floor, passed))
        self.rows.append(self.dashboard(app, trainer))
        for server in self.servers:  # the in-process rows run on a quiet machine
            server.stop()
        self.servers = []
        self.rows.append(self.pdf(seeded["certificate"]))
        self.rows.append(self.startup(env))

    def cleanup(self) -> None:
        for server in self.servers:
            try:
                server.stop()
            except Exception as exc:  # noqa: BLE001 - keep cleaning up
                print(f"could not stop {server.name}: {exc}", file=sys.stderr)
        self.servers = []
        if self.pg_admin:
            drop_database(self.pg_admin, self.args.bench_db)
            self.pg_admin = None
        shutil.rmtree(self.tmp, ignore_errors=True)


# --------------------------------------------------------------------------------------------
# output


def git_commit() -> str | None:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, timeout=10
        )
        return out.stdout.strip() or None
    except OSError:
        return None


def fmt_ms(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.0f} ms" if value >= 100 else f"{value:.1f} ms"


def table(rows: list[Row], smoke: bool) -> str:
    header = ("benchmark", "req/s", "p50", "p99", "vs same work", "vs floor / ms", "target", "result")
    lines = []
    for r in rows:
        if r.ms is not None or r.key in ("dashboard", "pdf", "startup"):
            same = ""
            measure = fmt_ms(r.ms) if r.ms is not None else (r.note if r.result == "n/a" else "—")
        else:
            same = (
                ""
                if r.key == "floor" or r.key.startswith("baseline_")
                else (f"{100 * r.ratio:.0f} %" if r.ratio is not None else "—")
            )
            measure = f"{100 * r.floor_ratio:.0f} %" if r.floor_ratio is not None else "—"
        result = r.result.lower() if smoke and r.result in ("PASS", "MISS") else r.result
        lines.append(
            (
                r.name,
                f"{r.rps:.0f}" if r.rps is not None else "",
                fmt_ms(r.p50_ms) if r.rps is not None else "",
                fmt_ms(r.p99_ms) if r.rps is not None else "",
                same,
                measure,
                r.target,
                result,
            )
        )
    widths = [max(len(line[i]) for line in [header, *lines]) for i in range(len(header))]
    right = {1, 2, 3, 4, 5}

    def render(line):
        return "  ".join(
            cell.rjust(w) if i in right else cell.ljust(w) for i, (cell, w) in enumerate(zip(line, widths))
        ).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([render(header), rule, *map(render, lines)])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=int, default=15, help="seconds per load test (default 15)")
    parser.add_argument(
        "--postgres",
        metavar="URL",
        help=f"PostgreSQL server on {HOST}, e.g. postgresql://postgres@127.0.0.1:5432/postgres; "
        f"the database --bench-db is created there and dropped at the end",
    )
    parser.add_argument(
        "--bench-db",
        metavar="NAME",
        default=os.environ.get("KRUISPUNT_BENCH_DB", BENCH_DATABASE),
        help=f"name of the PostgreSQL database to create and drop (default {BENCH_DATABASE}, or $KRUISPUNT_BENCH_DB)",
    )
    parser.add_argument("--json", metavar="PATH", help="also write the results as JSON")
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="short runs (about 20 s in all, mostly app start-ups); never fails on targets, "
        "only when something is broken",
    )
    parser.add_argument(
        "--two-instances",
        action="store_true",
        help="the scale-out check instead of the benchmarks: two app instances sharing "
        "PostgreSQL (--postgres, default postgresql://postgres@127.0.0.1:5432/postgres) "
        "and Redis (--redis); see two_instances.py",
    )
    parser.add_argument(
        "--growth",
        action="store_true",
        help="how the trainer's dashboard, summary, item analysis and exports grow with the "
        "cohort, on PostgreSQL (--postgres); see growth.py",
    )
    parser.add_argument("--sizes", metavar="N,N", help="cohort sizes for --growth (default 1000,10000)")
    parser.add_argument("--plans", action="store_true", help="--growth: EXPLAIN ANALYZE the slowest statements")
    parser.add_argument(
        "--redis",
        metavar="URL",
        help="Redis for the shared rate limits of --two-instances (default redis://127.0.0.1:6379/9)",
    )
    parser.add_argument("--no-wrk", action="store_true", help="use the Python fallback even when wrk is installed")
    parser.add_argument("-v", "--verbose", action="store_true", help="print wrk's own output")
    args = parser.parse_args(argv)
    if args.duration < 1:
        parser.error("--duration must be at least 1 second")

    def terminate(signum, _frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, terminate)
    if args.growth:
        import growth

        return growth.run(args)
    if args.two_instances:
        import two_instances

        return two_instances.run(args)
    prof = profile(args)
    bench = Bench(args, prof)
    broken = None
    try:
        bench.run()
    except Broken as exc:
        broken = str(exc)
    except (KeyboardInterrupt, SystemExit):
        print("interrupted: stopping the servers and removing the temporary files", file=sys.stderr)
        raise
    except Exception as exc:  # noqa: BLE001 - report, clean up, exit 1
        import traceback

        traceback.print_exc()
        broken = f"{type(exc).__name__}: {exc}"
    finally:
        bench.cleanup()

    if bench.rows:
        print()
        print(
            f"Kruispunt benchmarks ({bench.meta.get('mode')}, {bench.meta.get('database')}, "
            f"{bench.meta.get('load_tool')}, {prof.connections} connections, {prof.seconds:g} s, "
            f"gunicorn -w 2, {bench.meta.get('cpus')} CPUs, load average {bench.meta.get('load_average_at_start')} "
            f"at start, commit {bench.meta.get('commit')})"
        )
        print(table(bench.rows, args.smoke))
        notes = [f"{r.name}: {r.note}" for r in bench.rows if r.note and r.result != "n/a"]
        for note in notes:
            print(f"  note: {note}")
        if args.smoke:
            print("smoke run: 1 s loads with 4 connections say nothing about speed; targets are not enforced")
    problems = bench.problems + ([broken] if broken else [])
    for problem in problems:
        print(f"BROKEN: {problem}", file=sys.stderr)
    missed = [r.key for r in bench.rows if r.result == "MISS"]
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                dict(
                    meta=bench.meta,
                    profile=asdict(prof),
                    rows=[asdict(r) for r in bench.rows],
                    problems=problems,
                    missed=missed,
                ),
                indent=2,
                ensure_ascii=False,
            )
            + "\n"
        )
        print(f"results written to {args.json}")
    if problems:
        return 1
    if missed and not args.smoke:
        print(f"targets missed: {', '.join(missed)}")
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
