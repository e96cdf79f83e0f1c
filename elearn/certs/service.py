"""Issuing, rendering, signing, verifying and revoking certificates."""
from __future__ import annotations

import base64
import datetime
import secrets
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError

from .. import audit
from ..extensions import db
from ..models import Certificate, Cohort, CohortMember, CohortTrainer, User, utcnow


def new_code() -> str:
    """80 random bits as four groups of base32, e.g. ``K7QM-2XHD-RW4A-9PLE``."""
    raw = base64.b32encode(secrets.token_bytes(10)).decode()
    return "-".join(raw[i:i + 4] for i in range(0, 16, 4))


def certificate_for(user_id: int, path_slug: str) -> Certificate | None:
    return db.session.scalar(select(Certificate).where(
        Certificate.user_id == user_id, Certificate.path_slug == path_slug))


def issue_if_complete(user: User, path, status) -> Certificate | None:
    """Issue the path's certificate once; a concurrent second issue returns the first."""
    if not status.complete:
        return None
    existing = certificate_for(user.id, path.slug)
    if existing:
        return existing
    today = datetime.datetime.now(ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])).date()
    cert = Certificate(code=new_code(), user_id=user.id, path_slug=path.slug, learner_name=user.name,
                       path_title=path.title, hours=round(path.minutes / 60, 1), completed_on=today,
                       issuer=current_app.config["ISSUER_NAME"],
                       content_version=current_app.extensions["course"].version)
    try:
        with db.session.begin_nested():
            db.session.add(cert)
    except IntegrityError:
        return certificate_for(user.id, path.slug)
    audit.record("certificate.issued", user.id, cert.code, path.slug)
    return cert


def verify_url(code: str) -> str:
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + f"/verify/{code}"


def certificate_data(cert: Certificate, language: str = "nl"):
    from elearn.certificates import CertificateData  # imported on use: keeps start-up fast

    return CertificateData(learner_name=cert.learner_name, path_title=cert.path_title,
                           hours=cert.hours, completed_on=cert.completed_on, issuer=cert.issuer,
                           code=cert.code, verify_url=verify_url(cert.code), language=language)


def pdf_bytes(cert: Certificate) -> bytes:
    """The stored PDF, rendered again (identically) when the file is missing."""
    store = Path(current_app.config["CERTIFICATE_STORE"])
    path = store / f"{cert.code}.pdf"
    if path.exists():
        return path.read_bytes()
    from elearn.certificates import render_pdf

    data = render_pdf(certificate_data(cert))
    store.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    return data


def signing_key():
    from elearn.certificates import load_or_create_key

    return load_or_create_key(Path(current_app.instance_path) / "ob_signing_key.pem")


def issuer_id() -> str:
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + "/issuer.json"


def issuer_profile() -> dict:
    from elearn.certificates import issuer_document

    return issuer_document(issuer_id(), current_app.config["ISSUER_NAME"], signing_key())


def signed_credential(cert: Certificate) -> dict:
    """The Open Badges 3.0 credential of a certificate, signed with the issuer key."""
    from elearn.certificates import build_credential, sign_credential

    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    credential = build_credential(
        credential_id=verify_url(cert.code), issuer_id=issuer_id(),
        issuer_name=cert.issuer, learner_name=cert.learner_name,
        achievement_id=f"{base}/paths/{cert.path_slug}", achievement_name=cert.path_title,
        achievement_description=f"Leertraject '{cert.path_title}' van Kruispunt ({cert.hours:g} uur).",
        hours=cert.hours, issued_on=cert.completed_on, verify_url=verify_url(cert.code))
    return sign_credential(credential, signing_key(), f"{issuer_id()}#key-1")


def can_revoke(user: User, cert: Certificate) -> bool:
    """Admins; and trainers of a cohort that the holder belongs to and that follows the
    certificate's own path (a trainer cannot revoke a certificate earned outside their cohort)."""
    if user.is_admin:
        return True
    if user.role != "trainer":
        return False
    return bool(db.session.scalar(select(exists().where(
        CohortTrainer.user_id == user.id, CohortMember.cohort_id == CohortTrainer.cohort_id,
        CohortMember.user_id == cert.user_id, Cohort.id == CohortTrainer.cohort_id,
        Cohort.path_slug == cert.path_slug))))


def revoke(cert: Certificate, reason: str, actor_id: int | None) -> None:
    if cert.revoked_at is None:
        cert.revoked_at = utcnow()
        cert.revoked_reason = reason.strip()
        cert.revoked_by_id = actor_id
        audit.record("certificate.revoked", actor_id, cert.code, reason.strip())
