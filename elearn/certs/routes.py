"""Certificates: the learner's list and downloads, public verification, revocation."""
from __future__ import annotations

import json

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from ..extensions import db, limiter
from ..models import Certificate
from . import service
from .forms import RevokeForm

bp = Blueprint("certs", __name__)


def _own(code: str) -> Certificate:
    cert = db.session.scalar(select(Certificate).where(Certificate.code == code,
                                                       Certificate.user_id == current_user.id))
    if cert is None:
        abort(404)
    return cert


@bp.route("/certificates")
@login_required
def mine():
    certs = db.session.scalars(select(Certificate).where(Certificate.user_id == current_user.id)
                               .order_by(Certificate.issued_at.desc())).all()
    return render_template("certs/mine.html", certificates=certs)


@bp.route("/certificates/<code>.pdf")
@login_required
def pdf(code: str):
    cert = _own(code)
    return Response(service.pdf_bytes(cert), mimetype="application/pdf",
                    headers={"Content-Disposition": f"attachment; filename=kruispunt-{cert.code}.pdf"})


@bp.route("/certificates/<code>.json")
@login_required
def credential(code: str):
    cert = _own(code)
    body = json.dumps(service.signed_credential(cert), ensure_ascii=False, indent=2)
    return Response(body, mimetype="application/json",
                    headers={"Content-Disposition": f"attachment; filename=kruispunt-{cert.code}.json"})


@bp.route("/issuer.json")
def issuer():
    return Response(json.dumps(service.issuer_profile(), indent=2), mimetype="application/json")


@bp.route("/verify/<code>")
@limiter.limit("30 per minute")
def verify(code: str):
    cert = db.session.scalar(select(Certificate).where(Certificate.code == code.upper()))
    if cert is None:
        return render_template("certs/verify.html", cert=None, code=code), 404
    return render_template("certs/verify.html", cert=cert, code=cert.code)


@bp.route("/certificates/<code>/revoke", methods=["GET", "POST"])
@login_required
def revoke(code: str):
    cert = db.session.scalar(select(Certificate).where(Certificate.code == code))
    if cert is None or not service.can_revoke(current_user, cert):
        abort(404)
    form = RevokeForm()
    if form.validate_on_submit():
        service.revoke(cert, form.reason.data, current_user.id)
        db.session.commit()
        flash(_("Het getuigschrift is ingetrokken."), "success")
        return redirect(url_for(".verify", code=cert.code))
    return render_template("certs/revoke.html", cert=cert, form=form), 400 if form.is_submitted() else 200
