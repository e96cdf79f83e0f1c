"""Where a learner goes after a POST that may have completed the last step of a path."""
from __future__ import annotations

from flask import redirect, url_for
from flask_login import current_user

from ..course import get_course
from ..extensions import db
from .service import complete_paths


def after_step(default_url: str):
    """Complete any path this step finished (issuing its certificate), commit, and redirect:
    to the completion page when a certificate was just issued, else to ``default_url``."""
    certificate = complete_paths(current_user, get_course())
    db.session.commit()
    if certificate is not None:
        return redirect(url_for("learn.completed", slug=certificate.path_slug))
    return redirect(default_url)
