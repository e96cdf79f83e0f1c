"""Cohort management: create, invite codes, join, members and co-trainers."""

from __future__ import annotations

import datetime
import secrets

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from .. import audit
from ..access import visible_cohorts_query
from ..auth.service import find_user
from ..extensions import db
from ..learn.service import choose_path
from ..mail import send_to_each
from ..models import Cohort, CohortMember, CohortTrainer, User

_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


def new_invite_code() -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(10))


def normalise_code(text: str) -> str:
    """A code as stored: what people type with spaces, dashes or lower case still matches."""
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())


def display_code(code: str) -> str:
    """The code in groups of four, easier to read out and to type over."""
    return " ".join(code[i : i + 4] for i in range(0, len(code), 4))


def cohort_by_code(code: str) -> Cohort | None:
    """The cohort whose invite ``code`` (in any spacing or case) is valid now, or None."""
    cohort = db.session.scalar(select(Cohort).where(Cohort.invite_code == normalise_code(code)))
    return cohort if cohort is not None and cohort.invite_enabled else None


def create_cohort(owner: User, *, name: str, path_slug: str, starts_on, ends_on, description: str) -> Cohort:
    """A new cohort run by ``owner``, with a fresh invite code."""
    cohort = Cohort(owner_id=owner.id, invite_code=new_invite_code())
    update_cohort(cohort, name=name, path_slug=path_slug, starts_on=starts_on, ends_on=ends_on, description=description)
    db.session.add(cohort)
    db.session.flush()
    db.session.add(CohortTrainer(cohort_id=cohort.id, user_id=owner.id))
    return cohort


def update_cohort(cohort: Cohort, *, name: str, path_slug: str, starts_on, ends_on, description: str) -> None:
    """Set the cohort's details as the trainer entered them (trimmed)."""
    cohort.name = name.strip()
    cohort.path_slug = path_slug
    cohort.starts_on = starts_on
    cohort.ends_on = ends_on
    cohort.description = (description or "").strip()


def cohorts_with_sizes(trainer: User) -> list:
    """(cohort, number of members) for every cohort the trainer may see, newest first."""
    return db.session.execute(
        visible_cohorts_query(trainer)
        .with_only_columns(Cohort, select(func.count()).where(CohortMember.cohort_id == Cohort.id).scalar_subquery())
        .order_by(Cohort.starts_on.desc(), Cohort.id.desc())
    ).all()


def renew_code(cohort: Cohort) -> None:
    """Revoke the current code by replacing it; the old link stops working."""
    cohort.invite_code = new_invite_code()
    cohort.invite_enabled = True


def member_count(cohort_id: int) -> int:
    return db.session.scalar(select(func.count()).select_from(CohortMember).where(CohortMember.cohort_id == cohort_id))


class JoinRefused(Exception):
    """Why a code cannot be used; the message is shown to the learner."""


JOIN_MESSAGES = {  # lazy: shown in the learner's language
    "unknown": _l("Deze code is onbekend of niet meer geldig. Vraag je opleider om een nieuwe code."),
    "expired": _l("Deze code is verlopen. Vraag je opleider om een nieuwe code."),
    "full": _l("Deze groep is volzet. Neem contact op met je opleider."),
}


def invite_problem(cohort: Cohort | None, user: User | None = None) -> str | None:
    """Why the invite cannot be used now ("unknown", "expired", "full"), or None."""
    if cohort is None:
        return "unknown"
    if cohort.invite_expired:
        return "expired"
    if user is not None and db.session.get(CohortMember, (cohort.id, user.id)):
        return None
    if cohort.seat_limit and member_count(cohort.id) >= cohort.seat_limit:
        return "full"
    return None


def join(user: User, code: str) -> Cohort:
    """Add ``user`` to the cohort with ``code``; raises ``JoinRefused`` with a reason key."""
    cohort = cohort_by_code(code)
    problem = invite_problem(cohort, user)
    if problem:
        raise JoinRefused(problem)
    if db.session.get(CohortMember, (cohort.id, user.id)):
        return cohort
    try:
        with db.session.begin_nested():
            db.session.add(CohortMember(cohort_id=cohort.id, user_id=user.id))
    except IntegrityError:
        pass
    if not user.active_path:
        choose_path(user, cohort.path_slug)
    return cohort


def set_invite(cohort: Cohort, expires_on: datetime.date | None, seat_limit: int | None) -> None:
    cohort.invite_expires_at = datetime.datetime.combine(expires_on, datetime.time(23, 59, 59)) if expires_on else None
    cohort.seat_limit = seat_limit


def add_co_trainer(cohort: Cohort, email: str) -> bool:
    """Add a trainer account as co-trainer; False when no trainer has that address."""
    user = find_user(email)
    if user is None or not user.is_trainer or user.erased_at:
        return False
    if not db.session.get(CohortTrainer, (cohort.id, user.id)):
        db.session.add(CohortTrainer(cohort_id=cohort.id, user_id=user.id))
    return True


def remove_member(cohort: Cohort, user_id: int) -> None:
    member = db.session.get(CohortMember, (cohort.id, user_id))
    if member:
        db.session.delete(member)


def cohorts_of_member(user_id: int) -> list[Cohort]:
    """The groups a learner belongs to, by name (their account page lists them)."""
    return db.session.scalars(
        select(Cohort)
        .join(CohortMember, CohortMember.cohort_id == Cohort.id)
        .where(CohortMember.user_id == user_id)
        .order_by(Cohort.name)
    ).all()


def trainers_of(cohort: Cohort) -> list[User]:
    return db.session.scalars(
        select(User)
        .join(CohortTrainer, CohortTrainer.user_id == User.id)
        .where(CohortTrainer.cohort_id == cohort.id)
        .order_by(User.name)
    ).all()


def invite_link(cohort: Cohort) -> str:
    return url_for("trainer.invitation", code=cohort.invite_code, _external=True)


def send_invites(cohort: Cohort, trainer: User, addresses: list[str], path_title: str) -> int:
    """Mail the invite link to each address (in Dutch, the platform's language) and audit-log it."""
    send_to_each(
        addresses,
        _l("Uitnodiging voor een opleiding op Kruispunt"),
        "invite",
        cohort=cohort,
        trainer=trainer.name,
        path_title=path_title,
        link=invite_link(cohort),
    )
    audit.record("cohort.invites_sent", trainer.id, cohort.name, details=str(len(addresses)))
    return len(addresses)
