"""Admin pages: users and roles, audit log."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, or_, select

from .. import audit
from ..access import role_required
from ..extensions import db
from ..models import AuditEvent, User
from ..security import page_number
from . import labels
from .forms import RoleForm

bp = Blueprint("admin", __name__, url_prefix="/admin")
PAGE_SIZE = 50


@bp.route("/users")
@role_required("admin")
def users():
    q = (request.args.get("q") or "").strip()
    query = select(User).where(User.erased_at.is_(None))
    if q:
        like = f"%{q.lower()}%"
        query = query.where(
            or_(func.lower(User.name).like(like), User.email.like(like), func.lower(User.organisation).like(like))
        )
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    page = page_number(request.args.get("page"), last=max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1))
    rows = db.session.scalars(query.order_by(User.name).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    return render_template(
        "admin/users.html",
        users=rows,
        q=q,
        page=page,
        total=total,
        pages=max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1),
        form=RoleForm(),
    )


@bp.route("/users/<int:user_id>/role", methods=["POST"])
@role_required("admin")
def change_role(user_id: int):
    user = db.session.get(User, user_id)
    if user is None or user.erased_at:
        abort(404)
    form = RoleForm()
    if not form.validate_on_submit():
        abort(400)
    if user.id == current_user.id and form.role.data != "admin":
        flash(_("Je kan je eigen beheerdersrol niet afnemen."), "error")
        return redirect(url_for(".users"))
    if user.role != form.role.data:
        audit.record("role.changed", current_user.id, user.email, f"{user.role} -> {form.role.data}")
        user.role = form.role.data
        user.session_version += 1  # the new role applies from the next login
        db.session.commit()
        flash(
            _("De rol van %(name)s is nu %(role)s.", name=user.name, role=dict(form.role.choices)[form.role.data]),
            "success",
        )
    return redirect(url_for(".users", q=request.args.get("q", "")))


@bp.route("/audit")
@role_required("admin")
def audit_log():
    event = request.args.get("event", "")
    page = page_number(request.args.get("page"))
    query = select(AuditEvent, User.name).outerjoin(User, User.id == AuditEvent.actor_id)
    if event:
        query = query.where(AuditEvent.event == event)
    events = db.session.execute(
        query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
    ).all()
    kinds = db.session.scalars(select(AuditEvent.event).distinct().order_by(AuditEvent.event)).all()
    return render_template(
        "admin/audit.html",
        events=events,
        event=event,
        kinds=kinds,
        page=page,
        event_label=labels.event_label,
        event_details=labels.event_details,
    )
