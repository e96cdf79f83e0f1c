"""The baseline: a bare Flask app that renders one small Jinja template, nothing else.

run.py serves it with the same gunicorn settings as the app
(``gunicorn -w 2 -b 127.0.0.1:PORT --pythonpath benchmarks "baseline_app:create_app()"``), so the
ratios in the table say how much of plain Flask's throughput each page of the app keeps.
"""
from __future__ import annotations

from pathlib import Path

from flask import Flask, render_template

ITEMS = ("Wat is chemseks?", "Middelen en combinaties", "Het gesprek openen", "Doorverwijzen")


def create_app() -> Flask:
    app = Flask(__name__, template_folder=str(Path(__file__).resolve().parent / "templates"))

    @app.route("/")
    def page():
        return render_template("baseline.html", title="Kruispunt", items=ITEMS)

    return app
