"""Reliability: 100 learners at once against a real gunicorn on PostgreSQL, one worker killed midway.

Each simulated learner logs in through the form, starts the module quiz, saves every answer
(retrying when its connection breaks), sends one more save at the same moment as its submit,
and submits (retrying until it gets an answer). Afterwards the database must hold every answer
that a learner was told was saved, exactly once, and every score must equal the
score of the stored answers.

Runs in the PostgreSQL pass of ``scripts/test.sh`` (it needs ``ELEARN_TEST_DATABASE_URL``);
select it alone with ``pytest -m reliability``. Bounded: the learners stop after DEADLINE
seconds and the test fails if any of them has not finished.
"""

from __future__ import annotations

import http.client
import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest
from conftest import FIXTURE_CONTENT, PASSWORD, PG_URL
from helpers import question_ids_in_order, right_answer, wrong_answer

pytestmark = [
    pytest.mark.reliability,
    pytest.mark.skipif(
        not (PG_URL or "").startswith("postgresql"),
        reason="needs PostgreSQL: set ELEARN_TEST_DATABASE_URL (scripts/test.sh does when a server answers)",
    ),
]

LEARNERS = 100
WORKERS = 3
DEADLINE = 75  # seconds for all learners together; the test fails if any is still running then
PORTS = range(5240, 5250)


def _free_port() -> int:
    for port in PORTS:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) != 0:
                return port
    pytest.fail("no free port in 5240-5249")


class Browser:
    """A minimal browser: one connection per request, cookies kept, redirects not followed."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, data: dict | None = None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if data is not None:
            body = urlencode(data, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode()
        finally:
            conn.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        return response.status, response.headers, text

    def token(self, path: str) -> str:
        status, _headers, text = self.request("GET", path)
        match = re.search(r'name="csrf_token"[^>]* value="([^"]+)"', text)
        if status != 200 or not match:
            raise ConnectionError(f"GET {path}: {status}")
        return match.group(1)


def _retry(action, deadline: float):
    """Run ``action`` until it returns without a broken connection (a killed worker)."""
    while True:
        try:
            return action()
        except (ConnectionError, OSError, http.client.HTTPException):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


@pytest.fixture
def server(make_app, tmp_path):
    """A migrated PostgreSQL database with the learners, and gunicorn serving it."""
    from conftest import make_user

    app = make_app()
    for i in range(LEARNERS):
        make_user(app, email=f"r{i}@example.org", name=f"Leerling {i}")
    port = _free_port()
    env = dict(
        os.environ,
        ELEARN_DATABASE_URL=PG_URL,
        ELEARN_CONTENT_DIR=FIXTURE_CONTENT,
        ELEARN_SECRET_KEY="reliability-test-secret",
        ELEARN_INSTANCE_PATH=str(tmp_path / "gunicorn"),
        ELEARN_RATELIMIT_ENABLED="0",
    )  # 120 learners share one address
    gunicorn = Path(sys.executable).parent / "gunicorn"
    log = open(tmp_path / "gunicorn.log", "w")  # noqa: SIM115 - closed after the server stops
    proc = subprocess.Popen(
        [
            str(gunicorn),
            "-w",
            str(WORKERS),
            "--threads",
            "4",
            "-b",
            f"127.0.0.1:{port}",
            "--timeout",
            "60",
            "--log-level",
            "warning",
            "elearn:create_app()",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    try:
        for _ in range(300):
            try:
                if Browser(port).request("GET", "/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("gunicorn did not start: " + (tmp_path / "gunicorn.log").read_text()[-2000:])
        yield app, port, proc
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def _workers(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(pid) for pid in children]


def test_learners_lose_no_answer_when_a_worker_dies(server):
    app, port, proc = server
    deadline = time.monotonic() + DEADLINE
    believed: dict[int, dict] = {}  # attempt id -> {question id: response form data} the learner was told saved
    submitted: set[int] = set()
    errors: list[str] = []
    saves = [0]
    lock = threading.Lock()

    def learner(i: int):
        rng = random.Random(i)
        browser = Browser(port)
        try:

            def log_in():
                token = browser.token("/login")
                status, headers, _ = browser.request(
                    "POST", "/login", {"email": f"r{i}@example.org", "password": PASSWORD, "csrf_token": token}
                )
                if status != 302 or "/login" in headers["Location"]:
                    raise ConnectionError(f"login {status}")

            _retry(log_in, deadline)

            def start():
                status, _headers, text = browser.request("GET", "/quiz/proef")
                resume = re.search(r'href="/attempt/(\d+)/1"', text)
                if status == 200 and resume:  # started before, but the answer to the start was lost
                    return int(resume.group(1))
                token = browser.token("/quiz/proef")
                status, headers, _ = browser.request("POST", "/quiz/proef/start", {"csrf_token": token})
                match = re.search(r"/attempt/(\d+)/1$", headers.get("Location", ""))
                if status != 302 or not match:
                    raise ConnectionError(f"start {status}")
                return int(match.group(1))

            attempt_id = _retry(start, deadline)
            with lock:
                believed[attempt_id] = {}
            questions = question_ids_in_order(app, attempt_id)

            def save(number, question, form):
                token = browser.token(f"/attempt/{attempt_id}/{number}")
                status, headers, _ = browser.request(
                    "POST", f"/attempt/{attempt_id}/{number}", {**form, "csrf_token": token}
                )
                if status >= 500:
                    raise ConnectionError(f"save {status}")
                if status == 302 and not headers["Location"].endswith("/review"):
                    with lock:
                        believed[attempt_id][question.question.id] = form
                        saves[0] += 1

            for n, q in enumerate(questions, 1):
                form = right_answer(q) if rng.random() < 0.7 else wrong_answer(q)
                _retry(lambda: save(n, q, form), deadline)

            def submit():
                token = browser.token(f"/attempt/{attempt_id}/submit")
                status, headers, _ = browser.request("POST", f"/attempt/{attempt_id}/submit", {"csrf_token": token})
                if status != 302:
                    raise ConnectionError(f"submit {status}")

            # One more save of the last answer, racing the submit.
            last = questions[-1]
            racer = threading.Thread(target=lambda: _quiet(lambda: save(len(questions), last, wrong_answer(last))))
            racer.start()
            _retry(submit, deadline)
            racer.join()
            with lock:
                submitted.add(attempt_id)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(f"learner {i}: {exc!r}")

    threads = [threading.Thread(target=learner, args=(i,)) for i in range(LEARNERS)]
    for t in threads:
        t.start()
    # Kill one worker in the middle of the saving.
    while saves[0] < LEARNERS * 2 and time.monotonic() < deadline and any(t.is_alive() for t in threads):
        time.sleep(0.05)
    victim = _workers(proc.pid)[0]
    os.kill(victim, signal.SIGKILL)
    saves_at_kill = saves[0]
    for t in threads:
        t.join(max(0.1, deadline - time.monotonic() + 30))
    assert not any(t.is_alive() for t in threads), "learners still running after the deadline"
    # The master reaps the killed worker and starts a new one when it handles SIGCHLD: give it time.
    respawned_by = time.monotonic() + 30
    while (victim in _workers(proc.pid) or len(_workers(proc.pid)) != WORKERS) and time.monotonic() < respawned_by:
        time.sleep(0.2)
    assert victim not in _workers(proc.pid) and len(_workers(proc.pid)) == WORKERS  # respawned
    assert errors == [], errors[0]
    assert len(submitted) == LEARNERS
    assert 0 < saves_at_kill < saves[0], "the worker was not killed in the middle of the saving"

    from elearn.extensions import db
    from elearn.models import AttemptAnswer, QuizAttempt
    from elearn.questiontypes import score_attempt

    quiz = app.extensions["course"].quizzes["proef"]
    with app.app_context():
        attempts = {a.id: a for a in db.session.query(QuizAttempt).all()}
        rows = db.session.query(AttemptAnswer).all()
    stored: dict[int, dict] = {}
    for row in rows:
        assert row.question_id not in stored.setdefault(row.attempt_id, {}), "an answer stored twice"
        stored[row.attempt_id][row.question_id] = row.response
    assert len(attempts) == LEARNERS and set(believed) == set(attempts)
    import json

    for attempt_id, answers in believed.items():
        attempt = attempts[attempt_id]
        assert attempt.submitted_at is not None
        for qid in answers:
            assert qid in stored.get(attempt_id, {}), (attempt_id, qid)
        responses = {qid: json.loads(r) for qid, r in stored.get(attempt_id, {}).items()}
        assert attempt.score == score_attempt(quiz.questions, responses, quiz.partial_credit), attempt_id


def _quiet(action):
    try:
        action()
    except Exception:  # noqa: BLE001 - the racing save may lose its connection; it is not counted then
        pass
