"""Where a learner goes after a POST that may have completed the last step of a path."""

from __future__ import annotations

from flask import redirect, url_for
from flask_login import current_user

from ..course import get_course
from ..extensions import db
from .service import complete_paths


def complete_step() -> str | None:
    """Complete any path this step finished (issuing its certificate) and commit.

    Returns the completion page's URL when a certificate was just issued, else None.
    """
    certificate = complete_paths(current_user, get_course())
    db.session.commit()
    return url_for("learn.completed", slug=certificate.path_slug) if certificate is not None else None


def after_step(default_url: str):
    """Complete what this step finished, then redirect: to the completion page when a
    certificate was just issued, else to ``default_url``."""
    return redirect(complete_step() or default_url)
