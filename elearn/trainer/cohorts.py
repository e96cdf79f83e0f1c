"""Cohort management: create, invite codes, join, members and co-trainers."""
from __future__ import annotations

import datetime
import secrets

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import Cohort, CohortMember, CohortTrainer, User, utcnow

_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


def new_invite_code() -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(10))


def create_cohort(owner: User, *, name: str, path_slug: str, starts_on, ends_on, description: str) -> Cohort:
    cohort = Cohort(name=name.strip(), path_slug=path_slug, starts_on=starts_on, ends_on=ends_on,
                    description=(description or "").strip(), owner_id=owner.id, invite_code=new_invite_code())
    db.session.add(cohort)
    db.session.flush()
    db.session.add(CohortTrainer(cohort_id=cohort.id, user_id=owner.id))
    return cohort


def renew_code(cohort: Cohort) -> None:
    """Revoke the current code by replacing it; the old link stops working."""
    cohort.invite_code = new_invite_code()
    cohort.invite_enabled = True


def member_count(cohort_id: int) -> int:
    return db.session.scalar(select(func.count()).select_from(CohortMember).where(CohortMember.cohort_id == cohort_id))


class JoinRefused(Exception):
    """Why a code cannot be used; the message is shown to the learner."""


def join(user: User, code: str) -> Cohort:
    """Add ``user`` to the cohort with ``code``; raises ``JoinRefused`` with a reason key."""
    cohort = db.session.scalar(select(Cohort).where(Cohort.invite_code == code.strip().upper()))
    if cohort is None or not cohort.invite_enabled:
        raise JoinRefused("unknown")
    if cohort.invite_expires_at and cohort.invite_expires_at < utcnow():
        raise JoinRefused("expired")
    if db.session.get(CohortMember, (cohort.id, user.id)):
        return cohort
    if cohort.seat_limit and member_count(cohort.id) >= cohort.seat_limit:
        raise JoinRefused("full")
    try:
        with db.session.begin_nested():
            db.session.add(CohortMember(cohort_id=cohort.id, user_id=user.id))
    except IntegrityError:
        pass
    if not user.active_path:
        from ..learn.service import choose_path
        choose_path(user, cohort.path_slug)
    return cohort


def set_invite(cohort: Cohort, expires_on: datetime.date | None, seat_limit: int | None) -> None:
    cohort.invite_expires_at = (datetime.datetime.combine(expires_on, datetime.time(23, 59, 59))
                                if expires_on else None)
    cohort.seat_limit = seat_limit


def add_co_trainer(cohort: Cohort, email: str) -> bool:
    """Add a trainer account as co-trainer; False when no trainer has that address."""
    from ..auth.service import find_user
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


def trainers_of(cohort: Cohort) -> list[User]:
    return db.session.scalars(select(User).join(CohortTrainer, CohortTrainer.user_id == User.id)
                              .where(CohortTrainer.cohort_id == cohort.id).order_by(User.name)).all()
