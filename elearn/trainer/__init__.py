"""Trainers: cohorts, invitations and members (``routes``); the dashboard, summary and exports
(``dashboard_routes``). The blueprint is created here so both route modules register on it."""

from flask import Blueprint

bp = Blueprint("trainer", __name__, url_prefix="/trainer")

from . import dashboard_routes, routes  # noqa: E402,F401 - register their views on bp
