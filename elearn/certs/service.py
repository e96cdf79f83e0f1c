"""Issuing, rendering, signing, verifying and revoking certificates.

Everything a certificate shows is rebuilt from its database row and the configuration, so any
app server can answer for any certificate: the PDF is rendered again (identically) when the
instance's cache lacks it, the credential is signed again (Ed25519 signatures are deterministic),
and the status list is computed from the revoked rows.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import json
import logging
import secrets
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import bindparam, exists, select
from sqlalchemy.exc import IntegrityError

from .. import audit, certificates
from ..certificates.data import format_hours, timestamp
from ..errors import NotConfigured, NotFound
from ..extensions import db
from ..models import Certificate, Cohort, CohortMember, CohortTrainer, User, utcnow

log = logging.getLogger(__name__)
#: when nothing in a list was ever revoked, its status credential is valid from this moment
STATUS_EPOCH = datetime.datetime(2026, 1, 1)


def new_code() -> str:
    """80 random bits as four groups of base32, e.g. ``K7QM-2XHD-RW4A-9PLE``."""
    raw = base64.b32encode(secrets.token_bytes(10)).decode()
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def certificate_for(user_id: int, path_slug: str) -> Certificate | None:
    return db.session.scalar(
        select(Certificate).where(Certificate.user_id == user_id, Certificate.path_slug == path_slug)
    )


def find(code: str) -> Certificate | None:
    """The certificate with this verification code (any case), or None."""
    return db.session.scalar(select(Certificate).where(Certificate.code == _normal_code(code)))


def _normal_code(code: str) -> str:
    return code.strip().upper()


class PublishedCertificate:
    """A certificate row, read-only, with :class:`Certificate`'s ``modules``: what ``/verify`` shows.

    The public check is the busiest page anyone can load; reading the row with one Core query
    instead of loading an ORM object skips the identity map and instance state.
    """

    __slots__ = ("_row",)

    modules = Certificate.modules

    def __init__(self, row):
        self._row = row

    def __getattr__(self, name: str):
        return getattr(self._row, name)


_CERTIFICATES = Certificate.__table__
_BY_CODE = select(_CERTIFICATES).where(_CERTIFICATES.c.code == bindparam("code"))


def find_published(code: str) -> PublishedCertificate | None:
    """As :func:`find`, read-only (for the public check)."""
    row = db.session.connection().execute(_BY_CODE, {"code": _normal_code(code)}).first()
    return None if row is None else PublishedCertificate(row)


def base_url() -> str:
    """The public base URL (no trailing slash); NotConfigured when production mode lacks it."""
    url = current_app.config.get("PUBLIC_BASE_URL")
    if not url:
        raise NotConfigured("ELEARN_PUBLIC_BASE_URL is not set: certificates cannot name their public URL")
    return url.rstrip("/")


def issue_if_complete(user: User, path, status) -> Certificate | None:
    """Issue the path's certificate once, printing the post-test score that passed
    (``status.post_test_percent``); a concurrent second issue returns the first. In production
    without ELEARN_PUBLIC_BASE_URL nothing is issued (logged); the next step issues it once
    configured."""
    if not status.complete:
        return None
    try:
        base_url()
    except NotConfigured as error:
        log.error("certificate for user %s, path %s not issued: %s", user.id, path.slug, error)
        return certificate_for(user.id, path.slug)
    return issue(user, path, status.post_test_percent)


def issue(user: User, path, post_test_percent: int | None = None) -> Certificate:
    """Issue the certificate of ``path`` to ``user`` now (once: an existing one is returned).

    No completion check: callers check (``issue_if_complete``), or make demo data.
    """
    existing = certificate_for(user.id, path.slug)
    if existing:
        return existing
    course = current_app.extensions["course"]
    now = utcnow()
    today = now.replace(tzinfo=datetime.UTC).astimezone(ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])).date()
    modules = [[m.title, m.minutes] for m in (course.module(slug) for slug in path.modules) if m is not None]
    cert = Certificate(
        code=new_code(),
        user_id=user.id,
        path_slug=path.slug,
        learner_name=user.name,
        path_title=path.title,
        hours=round(path.minutes / 60, 1),
        completed_on=today,
        issuer=current_app.config["ISSUER_NAME"],
        content_version=course.version,
        issued_at=now,
        modules_json=json.dumps(modules, ensure_ascii=False),
        post_test_percent=post_test_percent,
    )
    try:
        with db.session.begin_nested():
            db.session.add(cert)
    except IntegrityError:
        return certificate_for(user.id, path.slug)
    audit.record("certificate.issued", user.id, cert.code, path.slug)
    return cert


def verify_url(code: str) -> str:
    return f"{base_url()}/verify/{code}"


def organisation() -> dict:
    """The issuing organisation's details from the configuration (printed on the attest)."""
    config = current_app.config
    return {
        "name": config["ISSUER_NAME"],
        "address": config.get("ISSUER_ADDRESS") or "",
        "company_number": config.get("ISSUER_COMPANY_NUMBER") or "",
        "email": config.get("ISSUER_EMAIL") or "",
        "url": config.get("ISSUER_URL") or base_url(),
        "signatory_name": config.get("ISSUER_SIGNATORY_NAME") or "",
        "signatory_role": config.get("ISSUER_SIGNATORY_ROLE") or "",
    }


def assets_dir() -> Path:
    """The operator's certificate assets folder (ELEARN_CERTIFICATE_ASSETS, default ``certificates/``)."""
    configured = current_app.config.get("CERTIFICATE_ASSETS")
    return Path(configured) if configured else Path(current_app.root_path).parent / "certificates"


def certificate_data(cert: Certificate, language: str = "nl"):
    org = organisation()
    assets = assets_dir()
    logo, signature = assets / "logo.png", assets / "signature.png"
    return certificates.CertificateData(
        learner_name=cert.learner_name if not cert.holder_erased else "—",
        path_title=cert.path_title,
        hours=cert.hours,
        completed_on=cert.completed_on,
        issuer=cert.issuer,
        code=cert.code,
        verify_url=verify_url(cert.code),
        language=language,
        modules=tuple(cert.modules),
        post_test_percent=cert.post_test_percent,
        issuer_address=org["address"],
        issuer_company_number=org["company_number"],
        issuer_email=org["email"],
        issuer_url=org["url"],
        signatory_name=org["signatory_name"],
        signatory_role=org["signatory_role"],
        logo=str(logo) if logo.is_file() else None,
        signature=str(signature) if signature.is_file() else None,
    )


def pdf_bytes(cert: Certificate, language: str = "nl") -> bytes:
    """The PDF, from the instance's cache or rendered again (identically) from the row.

    The cache file is named after everything printed, so a changed configuration (another public
    URL, new organisation details) renders a new PDF instead of serving a stale one.
    """

    data = certificate_data(cert, language)
    digest = certificates.fingerprint(data)[:24]
    store = Path(current_app.config["CERTIFICATE_STORE"])
    path = store / f"{cert.code}-{language}-{digest}.pdf"
    if path.exists():
        return path.read_bytes()
    pdf = certificates.render_pdf(data)
    try:
        store.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
        tmp.write_bytes(pdf)
        tmp.replace(path)
    except OSError as error:  # a read-only or full disk: the cache is optional
        log.warning("certificate PDF not cached: %s", error)
    return pdf


# --- keys and issuer ----------------------------------------------------------------------------


def _key_file() -> Path:
    configured = current_app.config.get("SIGNING_KEY_FILE")
    return Path(configured) if configured else Path(current_app.instance_path) / "ob_signing_key.pem"


_loaded_keys: dict[tuple[str, int], object] = {}


def signing_key():
    """The Ed25519 signing key (created on first use), read from its file once per version of the
    file: a rotation on any server writes a new file, which the next call reads."""
    path = _key_file()
    stamp = path.stat().st_mtime_ns if path.exists() else None
    key = _loaded_keys.get((str(path), stamp))
    if key is None:
        key = certificates.load_or_create_key(path)
        _loaded_keys.clear()
        _loaded_keys[(str(path), path.stat().st_mtime_ns)] = key
    return key


def retired_keys() -> list[str]:
    """publicKeyMultibase of every retired signing key (``<key file>.retired``, one per line)."""
    path = _key_file().with_name(_key_file().name + ".retired")
    if not path.exists():
        return []
    return [line.strip() for line in path.read_text().splitlines() if line.strip() and not line.startswith("#")]


def trusted_keys() -> list[str]:
    """This issuer's keys, current first: credentials signed by any of them are this issuer's."""

    return [certificates.public_key_multibase(signing_key()), *retired_keys()]


def rotate_key() -> tuple[str, str]:
    """Retire the signing key and create a new one; (old, new) publicKeyMultibase.

    The old public key is appended to the ``.retired`` list first, so credentials it signed
    keep verifying here and stay listed in ``/issuer.json``."""

    path = _key_file()
    old = certificates.public_key_multibase(signing_key())
    retired = path.with_name(path.name + ".retired")
    with retired.open("a") as handle:
        handle.write(old + "\n")
    path.replace(path.with_name(f"{path.name}.{old[-8:]}.old"))
    return old, certificates.public_key_multibase(signing_key())


def issuer():
    org = organisation()
    return certificates.Issuer(name=org["name"], url=org["url"], email=org["email"])


def issuer_profile() -> dict:
    return certificates.issuer_document(issuer(), signing_key(), retired_keys())


# --- credentials and status ---------------------------------------------------------------------


def status_list_url(number: int) -> str:
    return f"{base_url()}/status/revocation/{number}"


def signed_credential(cert: Certificate) -> dict:
    """The Open Badges 3.0 credential of a certificate, signed with the issuer key."""

    key = signing_key()
    number, index = certificates.status_position(cert.id)
    credential = certificates.build_credential(
        credential_id=verify_url(cert.code),
        issuer=issuer(),
        key=key,
        learner_name=None if cert.holder_erased else cert.learner_name,
        achievement_id=f"{base_url()}/paths/{cert.path_slug}",
        achievement_name=cert.path_title,
        achievement_description=f"Leertraject '{cert.path_title}' van Kruispunt ({format_hours(cert.hours, 'nl')}).",
        hours=cert.hours,
        issued_at=cert.issued_at,
        verify_url=verify_url(cert.code),
        modules=[title for title, _minutes in cert.modules],
        status=certificates.status_entry(status_list_url(number), index),
    )
    return certificates.sign_credential(credential, key)


@dataclass(frozen=True)
class StatusList:
    """A signed status list credential and what its HTTP caching needs."""

    body: bytes
    etag: str
    last_modified: datetime.datetime


_status_cache: dict[tuple, StatusList] = {}


def status_list(number: int) -> StatusList | None:
    """The signed revocation list ``number`` (1, 2, ...), or None past the last issued certificate.

    Rebuilt from the database: the same revocations give the same bytes on every server.
    """

    first, last = (number - 1) * certificates.STATUS_LIST_SIZE, number * certificates.STATUS_LIST_SIZE
    if number < 1 or (
        number > 1 and not db.session.scalar(select(exists().where(Certificate.id >= first, Certificate.id < last)))
    ):
        return None
    rows = db.session.execute(
        select(Certificate.id, Certificate.revoked_at).where(
            Certificate.revoked_at.is_not(None), Certificate.id >= first, Certificate.id < last
        )
    ).all()
    revoked = frozenset(certificates.status_position(row.id)[1] for row in rows)
    changed = max((row.revoked_at for row in rows), default=STATUS_EPOCH).replace(microsecond=0)
    key = signing_key()
    cache_key = (number, revoked, changed, base_url(), key.public_key().public_bytes_raw(), issuer())
    cached = _status_cache.get(cache_key)
    if cached:
        return cached
    document = certificates.sign_credential(
        certificates.build_status_list(
            list_url=status_list_url(number), issuer=issuer(), key=key, revoked=revoked, valid_from=changed
        ),
        key,
    )
    body = json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")
    result = StatusList(body, hashlib.sha256(body).hexdigest()[:32], changed)
    if len(_status_cache) > 64:
        _status_cache.clear()
    _status_cache[cache_key] = result
    return result


def public_facts(cert: Certificate, language: str = "nl") -> dict:
    """What ``/verify/<code>.json`` says: status, holder (unless erased), path, dates and hours."""

    return {
        "code": cert.code,
        "status": "revoked" if cert.revoked_at else "valid",
        "revoked_on": cert.revoked_at.date().isoformat() if cert.revoked_at else None,
        "holder": None if cert.holder_erased else cert.learner_name,
        "holder_erased": cert.holder_erased,
        "path": cert.path_title,
        "completed_on": cert.completed_on.isoformat(),
        "issued_at": timestamp(cert.issued_at),
        "hours": cert.hours,
        "hours_text": format_hours(cert.hours, language),
        "modules": [title for title, _minutes in cert.modules],
        "issuer": cert.issuer,
        "verify_url": verify_url(cert.code),
        "credential_status": _status_pointer(cert),
    }


def _status_pointer(cert: Certificate) -> dict:
    """Where the credential's revocation bit is published (as in its ``credentialStatus``)."""

    number, index = certificates.status_position(cert.id)
    return {"statusListCredential": status_list_url(number), "statusListIndex": str(index)}


# --- who may revoke -------------------------------------------------------------------------------


def held_by(user_id: int) -> list[Certificate]:
    """The learner's own certificates, newest first."""
    return db.session.scalars(
        select(Certificate).where(Certificate.user_id == user_id).order_by(Certificate.issued_at.desc())
    ).all()


def own(user_id: int, code: str) -> Certificate:
    """The learner's own certificate with this code; NotFound for anyone else's (no hint that it exists)."""
    cert = db.session.scalar(select(Certificate).where(Certificate.code == code, Certificate.user_id == user_id))
    if cert is None:
        raise NotFound
    return cert


def can_revoke(user: User, cert: Certificate) -> bool:
    """Admins; and trainers of a cohort that the holder belongs to and that follows the
    certificate's own path (a trainer cannot revoke a certificate earned outside their cohort)."""
    if user.is_admin:
        return True
    if user.role != "trainer":
        return False
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    CohortTrainer.user_id == user.id,
                    CohortMember.cohort_id == CohortTrainer.cohort_id,
                    CohortMember.user_id == cert.user_id,
                    Cohort.id == CohortTrainer.cohort_id,
                    Cohort.path_slug == cert.path_slug,
                )
            )
        )
    )


def revoke(cert: Certificate, reason: str, actor_id: int | None) -> None:
    """Revoke once: the public page and the status list show it; the reason stays internal."""
    if cert.revoked_at is None:
        cert.revoked_at = utcnow()
        cert.revoked_reason = reason.strip()
        cert.revoked_by_id = actor_id
        audit.record("certificate.revoked", actor_id, cert.code, reason.strip())
