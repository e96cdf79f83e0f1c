"""The baselines: bare Flask doing the same work as each benchmarked page, with the bare tools.

run.py serves it with the same gunicorn settings as the app
(``gunicorn -w 2 -b 127.0.0.1:PORT --pythonpath benchmarks "baseline_app:create_app()"``) and
the same environment (``ELEARN_DATABASE_URL``, ``ELEARN_SECRET_KEY``), so the ratios in the table
say how much of the bare stack's throughput each page of the app keeps.

- ``/`` — the **floor**: one small Jinja template, nothing else.
- ``/page/<module>/<section>`` — the **signed-in page**: read the signed session cookie the app
  set (same secret key, Flask's own session), load the user by key and ten progress rows with the
  standard ``sqlite3`` or ``psycopg``, render an 8 KB section in a layout with a menu and a form
  (a hidden token), with Jinja templates compiled once.
- ``/answer/<attempt>/<n>`` (POST) — the **answer save**: read the session, one upsert into
  ``attempt_answers``, commit, redirect to the next question.
- ``/verify/<code>`` — the **public lookup**: one certificate by its code, rendered in the layout,
  no session.

No ORM, no Flask extension, no translations: what is left is what any Flask page of that kind
has to pay. The database work uses one connection per worker process, opened on first use.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import os
import sqlite3
import threading
from pathlib import Path

from flask import Flask, abort, redirect, render_template, request, session

ITEMS = ("Wat is chemseks?", "Middelen en combinaties", "Het gesprek openen", "Doorverwijzen")
MENU = (
    ("/paths", "Leertrajecten"),
    ("/modules", "Modules"),
    ("/glossary", "Woordenlijst"),
    ("/referral-map", "Sociale kaart"),
    ("/certificates", "Getuigschriften"),
    ("/account", "Mijn account"),
)
PARAGRAPH = (
    "<p>Chemseks is het gebruik van middelen zoals GHB, crystal meth of mefedron om seks te "
    "verlengen of intenser te maken. In een gesprek vraag je open en zonder oordeel naar wat "
    "iemand gebruikt, met wie en hoe vaak, en wat het voor die persoon betekent.</p>\n"
)
#: about 8 KB of section text, like a module section of the course
SECTION_HTML = PARAGRAPH * (8192 // len(PARAGRAPH) + 1)


class Database:
    """One DB-API connection per process (gunicorn sync workers serve one request at a time)."""

    def __init__(self, url: str):
        self.url = url
        self.postgres = url.startswith("postgresql")
        self.mark = "%s" if self.postgres else "?"
        self._local = threading.local()

    def connection(self):
        conn = getattr(self._local, "conn", None)
        if conn is None:
            if self.postgres:
                import psycopg

                conn = psycopg.connect(self.url.replace("postgresql+psycopg://", "postgresql://", 1))
            else:
                conn = sqlite3.connect(self.url.removeprefix("sqlite:///"), timeout=30)
                # the same settings as the app's connections
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=NORMAL")
            self._local.conn = conn
        return conn

    def sql(self, text: str) -> str:
        return text.replace("?", self.mark)

    def one(self, text: str, args: tuple):
        cur = self.connection().execute(self.sql(text), args)
        return cur.fetchone()

    def all(self, text: str, args: tuple):
        return self.connection().execute(self.sql(text), args).fetchall()


def create_app() -> Flask:
    app = Flask(__name__, template_folder=str(Path(__file__).resolve().parent / "templates"))
    app.secret_key = os.environ.get("ELEARN_SECRET_KEY", "baseline")
    url = os.environ.get("ELEARN_DATABASE_URL")
    database = Database(url) if url else None

    @app.route("/")
    def page():
        return render_template("baseline.html", title="Kruispunt", items=ITEMS)

    def signed_in_user():
        """The user in the app's session cookie (Flask-Login's ``_user_id``: ``id:version``)."""
        user_id, _, version = str(session.get("_user_id", "")).partition(":")
        if not user_id.isdigit():
            abort(403)
        row = database.one(
            "SELECT id, name, role, locale, session_version, erased_at FROM users WHERE id = ?", (int(user_id),)
        )
        if row is None or str(row[4]) != version or row[5] is not None:
            abort(403)
        return row

    def form_token() -> str:
        return hmac.new(app.secret_key.encode(), str(session.get("csrf_token", "")).encode(), hashlib.sha1).hexdigest()

    @app.route("/page/<module>/<section>")
    def signed_in_page(module, section):
        user = signed_in_user()
        reads = database.all(
            "SELECT section_id, read_at FROM section_reads WHERE user_id = ? AND module_slug = ? ORDER BY id LIMIT 10",
            (user[0], module),
        )
        if database.postgres:
            database.connection().rollback()  # end the read transaction, as the app's session does
        return render_template(
            "same_work_section.html",
            user=user,
            menu=MENU,
            reads=reads,
            module=module,
            section=section,
            body=SECTION_HTML,
            token=form_token(),
        )

    @app.route("/answer/<int:attempt_id>/<int:number>", methods=["POST"])
    def answer(attempt_id, number):
        user_id = str(session.get("_user_id", "")).partition(":")[0]
        if not user_id.isdigit():
            abort(403)
        response = json.dumps(sorted(v for k, v in request.form.items(multi=True) if k not in ("csrf_token", "go")))
        conn = database.connection()
        conn.execute(
            database.sql(
                "INSERT INTO attempt_answers (attempt_id, question_id, response, saved_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (attempt_id, question_id) DO UPDATE SET response = excluded.response, "
                "saved_at = excluded.saved_at"
            ),
            (attempt_id, f"baseline-{number}", response, datetime.datetime.now(datetime.UTC).replace(tzinfo=None)),
        )
        conn.commit()
        return redirect(f"/answer/{attempt_id}/{number + 1}")

    @app.route("/verify/<code>")
    def verify(code):
        cert = database.one(
            "SELECT code, learner_name, path_title, hours, completed_on, issuer, revoked_at, "
            "holder_erased FROM certificates WHERE code = ?",
            (code,),
        )
        if database.postgres:
            database.connection().rollback()  # end the read transaction, as the app's session does
        return render_template("same_work_verify.html", cert=cert, code=code, menu=MENU)

    return app
