"""Account logic: creation, signed single-use tokens, export and erasure."""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import delete, select

from .. import audit
from ..extensions import db
from ..mail import send_mail
from ..models import (
    AttemptAnswer,
    Certificate,
    Cohort,
    CohortMember,
    CohortTrainer,
    FormAssignment,
    ModulePosition,
    PathEnrollment,
    QuizAttempt,
    SectionRead,
    SurveyAnswer,
    SurveyResponse,
    User,
    VignetteRun,
    VignetteStep,
    utcnow,
)
from ..ratelimit import AccountThrottle


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def create_user(
    email: str,
    name: str,
    password: str,
    *,
    role: str = "learner",
    organisation: str = "",
    sector: str = "andere",
    verified: bool = False,
) -> User:
    """Add a new user to the session (the caller commits)."""
    user = User(
        email=normalise_email(email),
        name=name.strip(),
        organisation=organisation.strip(),
        sector=sector,
        role=role,
        email_verified_at=utcnow() if verified else None,
    )
    user.set_password(password)
    db.session.add(user)
    return user


@dataclass(frozen=True)
class LoginOutcome:
    """What a login attempt gave: the user on success; otherwise how long to wait (0: no wait)."""

    user: User | None
    #: seconds before this address may try again (growing after repeated failures)
    wait: int = 0
    #: True when the attempt was refused because the address must still wait
    throttled: bool = False


def attempt_login(email: str, password: str) -> LoginOutcome:
    """Check a password, with growing delays after repeated failures for the address.

    A waiting address is refused without checking the password; the right password after the
    wait signs in (no lock-out). Failures are audit-logged (the caller commits).
    """
    throttle = AccountThrottle(normalise_email(email))
    wait = throttle.wait()
    if wait:
        return LoginOutcome(None, wait, throttled=True)
    user = find_user(email)
    if user is None or user.erased_at or not user.check_password(password):
        audit.record("login.failed", user.id if user else None, normalise_email(email))
        return LoginOutcome(None, throttle.failed())
    throttle.succeeded()
    return LoginOutcome(user)


def register(
    email: str, name: str, password: str, *, organisation: str, sector: str, locale: str, cohort=None
) -> User | None:
    """Create an unconfirmed account and mail its confirmation link (carrying the invite of
    ``cohort``, if any). For an address that already has an account nothing is created and its
    owner is told by mail instead (returns None): the page shown is the same either way."""
    existing = find_user(email)
    if existing is not None:
        send_mail(
            existing.email,
            _l("Iemand probeerde een account aan te maken met je e-mailadres"),
            "account_exists",
            locale=existing.locale,
            forgot_url=url_for("auth.forgot", _external=True),
        )
        return None
    user = create_user(email, name, password, organisation=organisation, sector=sector)
    user.locale = locale
    db.session.flush()
    send_verification(user, cohort)
    audit.record("account.registered", user.id, user.email)
    return user


def send_verification(user: User, cohort=None) -> None:
    """Mail the link that confirms the address (and joins ``cohort`` when it names one)."""
    extra = {"i": cohort.invite_code} if cohort else {}
    link = url_for("auth.verify", token=make_token(user, "verify", **extra), _external=True)
    send_mail(
        user.email,
        _l("Bevestig je e-mailadres voor Kruispunt"),
        "verify",
        locale=user.locale,
        name=user.name,
        link=link,
        cohort=cohort,
    )


def send_reset_link(email: str) -> None:
    """Mail a password-reset link when the address has a (not erased) account; silent otherwise."""
    user = find_user(email)
    if user and not user.erased_at:
        link = url_for("auth.reset", token=make_token(user, "reset"), _external=True)
        send_mail(user.email, _l("Nieuw wachtwoord voor Kruispunt"), "reset", locale=user.locale, link=link)
        audit.record("password.reset_requested", user.id, user.email)


def reset_password(user: User, password: str) -> None:
    """Set the password from a reset link: every session ends, and the link proves the address."""
    user.set_password(password)
    end_sessions(user)
    user.email_verified_at = user.email_verified_at or utcnow()
    audit.record("password.reset", user.id, user.email)


def change_password(user: User, password: str) -> None:
    """Set a new password chosen on the account page; every session ends (the view signs this
    browser in again)."""
    user.set_password(password)
    end_sessions(user)
    audit.record("password.changed", user.id, user.email)


def update_profile(user: User, name: str, organisation: str | None, sector: str) -> None:
    """Save the account page's profile fields (trimmed)."""
    user.name = name.strip()
    user.organisation = (organisation or "").strip()
    user.sector = sector


def end_sessions(user: User) -> None:
    """End every session and "remember me" cookie of ``user`` (server-side: the id they carry changes)."""
    user.session_version += 1


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def _fingerprint(user: User) -> str:
    # Changes whenever the password or verification state changes, so each token works once.
    raw = f"{user.password_hash}|{user.email_verified_at}|{user.session_version}"
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def make_token(user: User, purpose: str, **extra) -> str:
    """A signed token for ``purpose`` (reset or verify) that dies once it has been used.

    ``extra`` travels with it (an invite code through registration, say).
    """
    return _serializer(purpose).dumps({**extra, "u": user.id, "f": _fingerprint(user)})


def open_token(token: str, purpose: str, max_age: int) -> tuple[User | None, dict, bool]:
    """The user a signed, unexpired token names, its payload, and whether it is still unused."""
    try:
        data = _serializer(purpose).loads(token, max_age=max_age)
    except (BadSignature, SignatureExpired):
        return None, {}, False
    if not isinstance(data, dict):
        return None, {}, False
    user = db.session.get(User, data.get("u")) if isinstance(data.get("u"), int) else None
    if user is None or user.erased_at:
        return None, {}, False
    return user, data, _fingerprint(user) == data.get("f")


def read_token(token: str, purpose: str, max_age: int) -> User | None:
    """The user a valid, unexpired, unused token belongs to, or None."""
    user, _data, unused = open_token(token, purpose, max_age)
    return user if unused else None


def export_user_data(user: User) -> dict:
    """Everything stored about ``user``, as JSON-able data (GDPR access and portability)."""

    def rows(model, *where):
        return db.session.scalars(select(model).where(*where)).all()

    def dt(value):
        return value.isoformat() if value else None

    attempts = rows(QuizAttempt, QuizAttempt.user_id == user.id)
    answers = rows(AttemptAnswer, AttemptAnswer.attempt_id.in_([a.id for a in attempts])) if attempts else []
    by_attempt: dict[int, list] = {}
    for a in answers:
        by_attempt.setdefault(a.attempt_id, []).append(
            {
                "question": a.question_id,
                "response": json.loads(a.response),
                "credit": a.credit,
                "saved_at": dt(a.saved_at),
            }
        )
    runs = rows(VignetteRun, VignetteRun.user_id == user.id)
    steps = rows(VignetteStep, VignetteStep.run_id.in_([r.id for r in runs])) if runs else []
    surveys = rows(SurveyResponse, SurveyResponse.user_id == user.id)
    survey_answers = rows(SurveyAnswer, SurveyAnswer.response_id.in_([s.id for s in surveys])) if surveys else []
    memberships = db.session.execute(
        select(Cohort.name, CohortMember.joined_at)
        .join(CohortMember, CohortMember.cohort_id == Cohort.id)
        .where(CohortMember.user_id == user.id)
    ).all()
    return {
        "profile": {
            "name": user.name,
            "email": user.email,
            "organisation": user.organisation,
            "sector": user.sector,
            "role": user.role,
            "language": user.locale,
            "created_at": dt(user.created_at),
            "active_path": user.active_path,
        },
        "reading": [
            {"module": r.module_slug, "section": r.section_id, "read_at": dt(r.read_at)}
            for r in rows(SectionRead, SectionRead.user_id == user.id)
        ],
        "paths": [
            {"path": e.path_slug, "started_at": dt(e.started_at), "completed_at": dt(e.completed_at)}
            for e in rows(PathEnrollment, PathEnrollment.user_id == user.id)
        ],
        "quiz_attempts": [
            {
                "quiz": a.quiz_id,
                "kind": a.kind,
                "form": a.form,
                "started_at": dt(a.started_at),
                "submitted_at": dt(a.submitted_at),
                "score": a.score,
                "passed": a.passed,
                "answers": by_attempt.get(a.id, []),
            }
            for a in attempts
        ],
        "vignettes": [
            {
                "vignette": r.vignette_id,
                "started_at": dt(r.started_at),
                "finished_at": dt(r.finished_at),
                "ending": r.ending_id,
                "scores": {"trust": r.trust, "safety": r.safety, "referral": r.referral},
                "steps": [
                    {"node": s.node_id, "choice": s.choice_id, "at": dt(s.at)}
                    for s in sorted(steps, key=lambda s: s.seq)
                    if s.run_id == r.id
                ],
            }
            for r in runs
        ],
        "surveys": [
            {
                "path": s.path_slug,
                "phase": s.phase,
                "submitted_at": dt(s.submitted_at),
                "answers": {a.item_id: a.value for a in survey_answers if a.response_id == s.id},
            }
            for s in surveys
        ],
        "certificates": [
            {
                "code": c.code,
                "path": c.path_title,
                "completed_on": c.completed_on.isoformat(),
                "modules": [{"title": title, "minutes": minutes} for title, minutes in c.modules],
                "post_test_percent": c.post_test_percent,
                "revoked_at": dt(c.revoked_at),
            }
            for c in rows(Certificate, Certificate.user_id == user.id)
        ],
        "test_forms": [
            {"path": f.path_slug, "pre_test_form": f.pre_form, "assigned_at": dt(f.assigned_at)}
            for f in rows(FormAssignment, FormAssignment.user_id == user.id)
        ],
        "cohorts": [{"name": name, "joined_at": dt(joined)} for name, joined in memberships],
    }


def erase_user(user: User) -> None:
    """Anonymise the account: identity goes, learning records stay for cohort statistics.

    Certificates stay verifiable but show that the holder erased the account (no name).
    """
    user.email = f"erased-{user.id}-{secrets.token_hex(6)}@erased.invalid"
    user.name = "—"
    user.organisation = ""
    user.password_hash = "!"
    user.erased_at = utcnow()
    user.session_version += 1
    user.locale = None
    for cert in db.session.scalars(select(Certificate).where(Certificate.user_id == user.id)):
        cert.learner_name = ""
        cert.holder_erased = True
    db.session.execute(delete(ModulePosition).where(ModulePosition.user_id == user.id))
    db.session.execute(delete(CohortTrainer).where(CohortTrainer.user_id == user.id))
