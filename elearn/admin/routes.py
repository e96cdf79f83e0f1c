"""Admin pages: users and roles, audit log."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..access import role_required
from ..extensions import db
from ..security import page_number
from . import labels, service
from .forms import RoleForm

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/users")
@role_required("admin")
def users():
    """Accounts with their roles, searchable by name, e-mail and organisation (403 unless admin)."""
    q = (request.args.get("q") or "").strip()
    found = service.find_users(q, request.args.get("page"))
    return render_template(
        "admin/users.html",
        users=found.users,
        q=q,
        page=found.page,
        total=found.total,
        pages=found.pages,
        form=RoleForm(),
    )


@bp.route("/users/<int:user_id>/role", methods=["POST"])
@role_required("admin")
def change_role(user_id: int):
    """Change an account's role and go back to the list (404: no such account; 400: no valid role)."""
    user = service.active_user(user_id)
    form = RoleForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        changed = service.change_role(current_user, user, form.role.data)
    except service.OwnAdminRole:
        flash(_("Je kan je eigen beheerdersrol niet afnemen."), "error")
        return redirect(url_for(".users"))
    if changed:
        db.session.commit()
        flash(
            _("De rol van %(name)s is nu %(role)s.", name=user.name, role=dict(form.role.choices)[form.role.data]),
            "success",
        )
    return redirect(url_for(".users", q=request.args.get("q", "")))


@bp.route("/audit")
@role_required("admin")
def audit_log():
    """The security audit log, newest first, filterable by kind of event (403 unless admin)."""
    event = request.args.get("event", "")
    page = page_number(request.args.get("page"))
    events, kinds = service.audit_events(event, page)
    return render_template(
        "admin/audit.html",
        events=events,
        event=event,
        kinds=kinds,
        page=page,
        event_label=labels.event_label,
        event_details=labels.event_details,
    )
