"""The scale-out check (``run.py --two-instances``): two app servers, one PostgreSQL, one Redis.

Starts two gunicorn instances of the app with separate instance folders (so separate Markdown
caches, certificate stores and generated files) that share only what a deployment behind a
proxy shares: the database, the Redis rate-limit storage and the secret key. One learner's
requests then alternate between them, as a round-robin proxy would send them, and every step
checks that the other instance sees what this one did:

1. log in on A; B knows the session (the page is served, not a redirect to the log-in form);
2. a section marked read on B shows as read on A;
3. a quiz started on A, question 1 answered on B, shown answered on A; question 2 answered on A,
   shown answered on B;
4. the learner's certificate PDF downloads on A and on B (B's own store is empty: the PDF is
   rendered again from the database), and ``/verify/<code>`` answers on both;
5. both publish the same issuer key (checked when the version has ``ELEARN_SIGNING_KEY_FILE``,
   which the check sets for both; otherwise only reported);
6. rate limits are shared: the ``X-RateLimit-Remaining`` of ``/verify`` counts down across the
   two instances (skipped, and said so, when Redis does not answer).

Prints one line per check and returns 0 when all pass, 1 otherwise. Bounded: about 20-40 s.
"""

from __future__ import annotations

import re
import secrets
import shutil
import socket
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

from run import (
    HOST,
    ROOT,
    Broken,
    Server,
    app_environment,
    drop_database,
    free_port,
    fresh_database,
    postgres_urls,
    seed_database,
    venv_tool,
)
from webclient import Browser, parse_form, valid_answer

DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"
DEFAULT_REDIS = "redis://127.0.0.1:6379/9"


def redis_answers(url: str) -> bool:
    """True when something answers PING at the Redis URL's host and port."""
    u = urllib.parse.urlparse(url)
    try:
        with socket.create_connection((u.hostname or HOST, u.port or 6379), timeout=2) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


class Check:
    def __init__(self):
        self.failures: list[str] = []

    def __call__(self, ok: bool, what: str, detail: str = "") -> bool:
        print(f"  {'ok  ' if ok else 'FAIL'} {what}" + ("" if ok else f": {detail}"))
        if not ok:
            self.failures.append(what)
        return ok


def shared_key_supported() -> bool:
    """Whether this version reads the credential signing key from ``ELEARN_SIGNING_KEY_FILE``."""
    sys.path.insert(0, str(ROOT))
    from elearn.config import Config

    return hasattr(Config, "SIGNING_KEY_FILE")


def answered(page: str, value: str) -> bool:
    """The quiz page shows the option ``value`` as chosen (a checked input or a selected option)."""
    for tag in re.findall(r"<(?:input|option)\b[^>]*>", page):
        if f'value="{value}"' in tag and re.search(r"\s(checked|selected)\b", tag):
            return True
    return False


def run(args) -> int:
    tmp = Path(tempfile.mkdtemp(prefix="kruispunt-two-"))
    servers: list[Server] = []
    admin = None
    check = Check()
    started = time.perf_counter()
    try:
        admin, database_url = postgres_urls(args.postgres or DEFAULT_POSTGRES, args.bench_db)
        fresh_database(admin, args.bench_db)
        redis_url = args.redis or DEFAULT_REDIS
        shared_limits = redis_answers(redis_url)
        # one secret key for both (a session signed by A is read by B), one credential key
        env = app_environment(
            database_url,
            ELEARN_SIGNING_KEY_FILE=str(tmp / "ob_signing_key.pem"),
            ELEARN_RATELIMIT_ENABLED="true",
            ELEARN_RATELIMIT_STORAGE_URI=redis_url if shared_limits else "memory://",
        )
        password = "Two-" + secrets.token_urlsafe(12)
        learner = "lea.two@example.org"
        seed_env = dict(env, ELEARN_INSTANCE_PATH=str(tmp / "seed"))
        seeded = seed_database(seed_env, learner, "tom.two@example.org", 3, password)

        gunicorn = venv_tool("gunicorn")
        for name in ("A", "B"):
            port = free_port()
            server_env = dict(env, ELEARN_INSTANCE_PATH=str(tmp / f"instance-{name}"))
            servers.append(
                Server(
                    f"instance {name}",
                    [gunicorn, "-w", "1", "-b", f"{HOST}:{port}", "elearn:create_app()"],
                    server_env,
                    tmp / f"{name}.log",
                    "/login",
                    port,
                )
            )
        for server in servers:
            server.wait_ready()
        a, b = servers
        print(
            f"two instances: A {a.base}, B {b.base}; PostgreSQL {args.bench_db}; rate limits "
            + (f"in Redis {redis_url}" if shared_limits else "in memory (Redis does not answer: check 5 skipped)")
        )

        browser = Browser(a.base)

        def on(server: Server, path: str, form: dict | None = None, follow: bool = False):
            browser.base = server.base
            return browser.request(path, form, follow=follow)

        browser.login(learner, password)
        module, sections = seeded["module"], seeded["sections"]
        page = on(b, f"/modules/{module}/{sections[0]}")
        check(
            page.status == 200 and "/login" not in page.url,
            "B knows the session started on A",
            f"{page.status} {page.headers.get('Location', '')}",
        )

        before = seeded["sections_read"]
        target = sections[before]
        page = on(b, f"/modules/{module}/{target}")
        marked = on(b, f"/modules/{module}/{target}/read", {"csrf_token": parse_form(page.body).csrf_token})
        page = on(a, f"/modules/{module}/{target}")
        check(
            marked.status == 302 and page.body.count("(gelezen)") == before + 1,
            "a section marked read on B shows as read on A",
            f"POST {marked.status}, A shows {page.body.count('(gelezen)')} read, expected {before + 1}",
        )

        quiz = seeded["quiz"]
        page = on(a, f"/quiz/{quiz}")
        start = on(a, f"/quiz/{quiz}/start", {"csrf_token": parse_form(page.body).csrf_token})
        location = start.headers.get("Location", "")
        if start.status != 302 or "/attempt/" not in location:
            raise Broken(f"starting the quiz on A answered {start.status} {location}")
        attempt = location[location.index("/attempt/") :].rstrip("/").rsplit("/", 1)[0]
        for number, (answer_on, read_on) in enumerate(((b, a), (a, b)), start=1):
            question = on(answer_on, f"{attempt}/{number}")
            form = parse_form(question.body)
            fields = valid_answer(form)
            saved = on(answer_on, f"{attempt}/{number}", {"csrf_token": form.csrf_token, **fields, "go": "next"})
            shown = on(read_on, f"{attempt}/{number}")
            value = next(iter(fields.values()))
            check(
                saved.status == 302 and shown.status == 200 and answered(shown.body, value),
                f"question {number} answered on {answer_on.name[-1]} shows as answered on {read_on.name[-1]}",
                f"save {saved.status}, page {shown.status}",
            )

        code = seeded["certificate"]["code"]
        pdfs = {}
        for server in (a, b):
            reply = on(server, f"/certificates/{code}.pdf")
            pdfs[server.name[-1]] = reply
            check(
                reply.status == 200 and reply.body.startswith("%PDF"),
                f"the certificate PDF downloads on {server.name[-1]}",
                f"{reply.status}",
            )
        stored = {
            name: sorted(p.name for p in (tmp / f"instance-{name}" / "certificates").glob("*.pdf")) for name in "AB"
        }
        print(
            f"       (PDFs stored per instance: {stored}; identical bytes on A and B: "
            f"{pdfs['A'].body == pdfs['B'].body})"
        )
        for server in (b, a):
            reply = on(server, f"/verify/{code}")
            check(
                reply.status == 200 and code in reply.body and "Geldig" in reply.body,
                f"/verify/{code} on {server.name[-1]} shows the certificate as valid",
                f"{reply.status}",
            )

        issuers = {server.name[-1]: on(server, "/issuer.json") for server in (a, b)}
        same_key = issuers["A"].status == 200 and issuers["A"].body == issuers["B"].body
        if shared_key_supported():
            check(
                same_key,
                "A and B publish the same issuer key (credentials signed on one verify on the other)",
                f"statuses {issuers['A'].status}, {issuers['B'].status}",
            )
        else:
            print(
                f"       (issuer key identical on A and B: {same_key}; this version has no shared key setting "
                f"(ELEARN_SIGNING_KEY_FILE): each instance makes its own key, so a deployment copies one)"
            )

        if shared_limits:
            remaining = []
            for server in (a, b, a, b):
                reply = on(server, f"/verify/{code}")
                value = reply.headers.get("X-RateLimit-Remaining")
                remaining.append(int(value) if value and value.isdigit() else None)
            steps = [x - y for x, y in zip(remaining, remaining[1:], strict=False) if x is not None and y is not None]
            # each request on either instance takes one from the same counter (a window may reset once)
            check(
                len(steps) == 3 and sum(1 for d in steps if d == 1) >= 2,
                "rate limits are shared: /verify's remaining count goes down across A and B",
                f"X-RateLimit-Remaining A,B,A,B = {remaining}",
            )
    except Broken as exc:
        check(False, "set-up", str(exc))
    finally:
        for server in servers:
            server.stop()
        if admin:
            drop_database(admin, args.bench_db)
        shutil.rmtree(tmp, ignore_errors=True)
    took = time.perf_counter() - started
    if check.failures:
        print(f"two-instance check FAILED ({len(check.failures)} failed, {took:.0f} s): {', '.join(check.failures)}")
        return 1
    print(f"two-instance check passed in {took:.0f} s")
    return 0
