"""Admin tasks: finding accounts, changing a role, reading the audit log."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select

from .. import audit
from ..errors import NotFound
from ..extensions import db
from ..models import AuditEvent, User
from ..security import page_number

PAGE_SIZE = 50


class OwnAdminRole(ValueError):
    """An admin tried to take away their own admin role (nobody might be left to give it back)."""


@dataclass(frozen=True)
class UserPage:
    users: list
    page: int
    pages: int
    total: int


def find_users(q: str, page: str | None) -> UserPage:
    """One page of the accounts that are not erased, by name; ``q`` searches name, e-mail and
    organisation (case-insensitive). An out-of-range page number shows the nearest page."""
    query = select(User).where(User.erased_at.is_(None))
    if q:
        like = f"%{q.lower()}%"
        query = query.where(
            or_(func.lower(User.name).like(like), User.email.like(like), func.lower(User.organisation).like(like))
        )
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    pages = max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    number = page_number(page, last=pages)
    users = db.session.scalars(query.order_by(User.name).limit(PAGE_SIZE).offset((number - 1) * PAGE_SIZE)).all()
    return UserPage(users, number, pages, total)


def active_user(user_id: int) -> User:
    """The account with this id; NotFound when there is none or it was erased."""
    user = db.session.get(User, user_id)
    if user is None or user.erased_at:
        raise NotFound
    return user


def change_role(admin: User, user: User, role: str) -> bool:
    """Give ``user`` the role (audit-logged). False when it already was their role;
    ``OwnAdminRole`` when an admin would demote themselves. The change ends the user's
    sessions, so the new role applies from their next log-in."""
    if user.id == admin.id and role != "admin":
        raise OwnAdminRole
    if user.role == role:
        return False
    audit.record("role.changed", admin.id, user.email, f"{user.role} -> {role}")
    user.role = role
    user.session_version += 1
    return True


def audit_events(event: str, page: int) -> tuple[list, list[str]]:
    """One page of audit events (newest first, with the actor's name), optionally of one kind,
    and every kind that occurs (for the filter)."""
    query = select(AuditEvent, User.name).outerjoin(User, User.id == AuditEvent.actor_id)
    if event:
        query = query.where(AuditEvent.event == event)
    events = db.session.execute(
        query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
    ).all()
    kinds = db.session.scalars(select(AuditEvent.event).distinct().order_by(AuditEvent.event)).all()
    return events, kinds
