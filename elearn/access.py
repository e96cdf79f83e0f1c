"""Role checks and ownership-scoped lookups, in one place."""

from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user, login_required
from sqlalchemy import exists, select

from .extensions import db
from .models import Cohort, CohortTrainer


def role_required(*roles: str):
    """Login required, then 403 unless the user has one of ``roles`` (admin always passes)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles and current_user.role != "admin":
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def visible_cohorts_query(user):
    """Cohorts a trainer runs (owner or co-trainer); every cohort for an admin."""
    query = select(Cohort)
    if not user.is_admin:
        query = query.where(exists().where(CohortTrainer.cohort_id == Cohort.id, CohortTrainer.user_id == user.id))
    return query


def cohort_or_404(user, cohort_id: int) -> Cohort:
    """The cohort if ``user`` may manage it; 404 otherwise (no hint that it exists)."""
    cohort = db.session.scalar(visible_cohorts_query(user).where(Cohort.id == cohort_id))
    if cohort is None:
        abort(404)
    return cohort
