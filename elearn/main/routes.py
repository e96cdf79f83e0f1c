"""Home, health check, privacy page."""

from __future__ import annotations

from flask import Blueprint, jsonify, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import text

from ..course import get_course
from ..extensions import db

bp = Blueprint("main", __name__)


@bp.route("/")
def home():
    """The public home page; signed-in users go to their cohorts (trainers) or their path."""
    if current_user.is_authenticated:
        if current_user.is_trainer:
            return redirect(url_for("trainer.cohorts"))
        if current_user.active_path:
            return redirect(url_for("learn.path", slug=current_user.active_path))
        return redirect(url_for("learn.paths"))
    return render_template("main/home.html", course=get_course())


@bp.route("/healthz")
def healthz():
    """Health check for the load balancer: 200 when the database answers, 503 otherwise (JSON)."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        db.session.rollback()
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok")


@bp.route("/privacy")
def privacy():
    """The privacy statement (public)."""
    return render_template("main/privacy.html")
