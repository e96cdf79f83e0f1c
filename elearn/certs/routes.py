"""Certificates: the learner's list and downloads, public verification, status lists, revocation."""

from __future__ import annotations

import json

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..extensions import db, limiter
from ..i18n import current_language
from . import service
from .forms import RevokeForm

bp = Blueprint("certs", __name__)
NOINDEX = "noindex, nofollow"


def _json(document, status: int = 200, **headers) -> Response:
    body = json.dumps(document, ensure_ascii=False, indent=2)
    return Response(body, status=status, mimetype="application/json", headers=headers)


def _public(response: Response, max_age: int) -> Response:
    """Open to verifiers on any site (CORS), cacheable for ``max_age`` seconds."""
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cache-Control"] = f"public, max-age={max_age}"
    return response


@bp.route("/certificates")
@login_required
def mine():
    """The signed-in learner's certificates with their downloads and verify links."""
    response = Response(render_template("certs/mine.html", certificates=service.held_by(current_user.id)))
    response.headers["X-Robots-Tag"] = NOINDEX
    return response


@bp.route("/certificates/<code>.pdf")
@login_required
def pdf(code: str):
    """The learner's own certificate as a PDF attest (404 for anyone else's)."""
    cert = service.own(current_user.id, code)
    return Response(
        service.pdf_bytes(cert, current_language()),
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f"attachment; filename=kruispunt-attest-{cert.code}.pdf",
            "X-Robots-Tag": NOINDEX,
        },
    )


@bp.route("/certificates/<code>.json")
@login_required
def credential(code: str):
    """The learner's own certificate as a signed Open Badges 3.0 credential (404 for anyone else's)."""
    cert = service.own(current_user.id, code)
    return _json(
        service.signed_credential(cert),
        **{"Content-Disposition": f"attachment; filename=kruispunt-{cert.code}.json", "X-Robots-Tag": NOINDEX},
    )


@bp.route("/issuer.json")
def issuer():
    """The public issuer profile with the current and retired signing keys (JSON, CORS, cached for an
    hour)."""
    return _public(_json(service.issuer_profile()), 3600)


@bp.route("/status/revocation/<int(min=1, max=16384):number>")  # 16,384 lists hold every 32-bit id
def status_list(number: int):
    """The signed Bitstring Status List credential: stable URL, cacheable, conditional GET."""
    listed = service.status_list(number)
    if listed is None:
        abort(404)
    response = Response(listed.body, mimetype="application/json")
    response.set_etag(listed.etag)
    response.last_modified = listed.last_modified
    _public(response, 300)
    return response.make_conditional(request)


def _wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["text/html", "application/json", "application/ld+json"])
    return best in ("application/json", "application/ld+json")


@bp.route("/verify/<code>.json", endpoint="verify_json")
@bp.route("/verify/<code>")
@limiter.limit("30 per minute")
def verify(code: str):
    """The public verification page of a certificate, or its facts as JSON (``.json`` or ``Accept``);
    404 for an unknown code."""
    cert = service.find_published(code)
    as_json = request.endpoint == "certs.verify_json" or _wants_json()
    if as_json:
        if cert is None:
            response = _json({"code": code, "status": "unknown"}, 404)
        else:
            response = _json(service.public_facts(cert, current_language()))
        response.headers["Access-Control-Allow-Origin"] = "*"
    elif cert is None:
        response = Response(render_template("certs/verify.html", cert=None, code=code), 404)
    else:
        may_revoke = current_user.is_authenticated and not cert.revoked_at and service.can_revoke(current_user, cert)
        response = Response(render_template("certs/verify.html", cert=cert, code=cert.code, may_revoke=may_revoke))
    response.headers["X-Robots-Tag"] = NOINDEX
    response.vary.add("Accept")
    return response


@bp.route("/certificates/<code>/revoke", methods=["GET", "POST"])
@login_required
def revoke(code: str):
    """Revoke a certificate with a reason (admins, and trainers of the holder's cohort on that path);
    404 for anyone else."""
    cert = service.find(code)
    if cert is None or not service.can_revoke(current_user, cert):
        abort(404)
    form = RevokeForm()
    if form.validate_on_submit():
        service.revoke(cert, form.reason.data, current_user.id)
        db.session.commit()
        flash(_("Het attest is ingetrokken."), "success")
        return redirect(url_for(".verify", code=cert.code))
    return render_template("certs/revoke.html", cert=cert, form=form), 400 if form.is_submitted() else 200
