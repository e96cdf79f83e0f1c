"""Trainer pages: cohorts, invitations, members; learners join with a code."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from ..access import cohort_or_404, role_required
from ..course import get_course
from ..extensions import db, limiter
from ..forms import ActionForm
from ..mail import mail_enabled
from ..models import User
from . import bp
from . import cohorts as service
from .forms import CohortForm, CoTrainerForm, InviteForm, InviteMailForm, JoinForm


def _path_choices():
    return [(p.slug, p.title) for p in get_course().paths]


@bp.route("/cohorts")
@role_required("trainer")
def cohorts():
    """The trainer's cohorts with their sizes (admins see every cohort)."""
    return render_template("trainer/cohorts.html", rows=service.cohorts_with_sizes(current_user), course=get_course())


@bp.route("/cohorts/new", methods=["GET", "POST"])
@role_required("trainer")
def new_cohort():
    """The new-cohort form; a valid POST creates it with an invite code and shows it (400 with the form
    on errors)."""
    form = CohortForm()
    form.path_slug.choices = _path_choices()
    if form.validate_on_submit():
        cohort = service.create_cohort(current_user, **form.details())
        db.session.commit()
        flash(_("De groep is aangemaakt. Deel de code met je deelnemers."), "success")
        return redirect(url_for(".cohort", cohort_id=cohort.id))
    return render_template("trainer/cohort_form.html", form=form, cohort=None), 400 if form.is_submitted() else 200


@bp.route("/cohorts/<int:cohort_id>/edit", methods=["GET", "POST"])
@role_required("trainer")
def edit_cohort(cohort_id: int):
    """Edit a cohort's details (404 for a cohort the trainer does not run; 400 with the form on
    errors)."""
    cohort = cohort_or_404(current_user, cohort_id)
    form = CohortForm(obj=cohort)
    form.path_slug.choices = _path_choices()
    if form.validate_on_submit():
        service.update_cohort(cohort, **form.details())
        db.session.commit()
        flash(_("De groep is bijgewerkt."), "success")
        return redirect(url_for(".cohort", cohort_id=cohort.id))
    return render_template("trainer/cohort_form.html", form=form, cohort=cohort), 400 if form.is_submitted() else 200


@bp.route("/cohorts/<int:cohort_id>/manage", methods=["GET", "POST"])
@role_required("trainer")
def manage(cohort_id: int):
    """A cohort's invitation (code, link, expiry, seat limit) and trainers; POST saves the invitation
    (404 for a cohort the trainer does not run)."""
    cohort = cohort_or_404(current_user, cohort_id)
    form = _invite_form(cohort)
    if form.validate_on_submit():
        service.set_invite(cohort, form.expires_on.data, form.seat_limit.data)
        db.session.commit()
        flash(_("De uitnodiging is bijgewerkt."), "success")
        return redirect(url_for(".manage", cohort_id=cohort.id))
    return _manage_page(cohort, form=form), 400 if form.is_submitted() else 200


def _invite_form(cohort) -> InviteForm:
    """The invitation form, filled in with the cohort's current expiry date and seat limit."""
    expires_on = cohort.invite_expires_at.date() if cohort.invite_expires_at else None
    return InviteForm(data={"seat_limit": cohort.seat_limit, "expires_on": expires_on})


def _manage_page(cohort, form=None, mail_form=None):
    return render_template(
        "trainer/manage.html",
        cohort=cohort,
        form=form or _invite_form(cohort),
        co_form=CoTrainerForm(),
        mail_form=mail_form or InviteMailForm(),
        mail_enabled=mail_enabled(),
        invite_link=service.invite_link(cohort),
        trainers=service.trainers_of(cohort),
        members=service.member_count(cohort.id),
        expired=cohort.invite_expired,
    )


def _trainer_key() -> str:
    # the account's id, not get_id() (id:session version): logging in again must not reset the quota
    return f"invite-mail:{current_user.id}"


@bp.route("/cohorts/<int:cohort_id>/invite/mail", methods=["POST"])
@role_required("trainer")
@limiter.limit("5 per hour;20 per day", key_func=_trainer_key)
def invite_mail(cohort_id: int):
    """Mail the invite link to a list of addresses; 404 for a cohort the trainer does not run."""
    cohort = cohort_or_404(current_user, cohort_id)
    form = InviteMailForm()
    if not mail_enabled() or not cohort.invite_enabled:
        abort(400)
    if not form.validate_on_submit():
        return _manage_page(cohort, mail_form=form), 400
    path = get_course().path(cohort.path_slug)
    sent = service.send_invites(cohort, current_user, form.parsed, path.title if path else cohort.path_slug)
    db.session.commit()
    flash(
        ngettext(
            "De uitnodiging is naar %(num)s adres verstuurd.",
            "De uitnodiging is naar %(num)s adressen verstuurd.",
            sent,
        ),
        "success",
    )
    return redirect(url_for(".manage", cohort_id=cohort.id))


@bp.route("/cohorts/<int:cohort_id>/invite/<action>", methods=["POST"])
@role_required("trainer")
def invite_action(cohort_id: int, action: str):
    """Renew, switch off or switch on the invite code (404 for a cohort the trainer does not run)."""
    cohort = cohort_or_404(current_user, cohort_id)
    if not ActionForm().validate_on_submit() or action not in ("renew", "disable"):
        abort(400)
    if action == "renew":
        service.renew_code(cohort)
        flash(_("Er is een nieuwe code; de oude werkt niet meer."), "success")
    else:
        cohort.invite_enabled = False
        flash(_("De uitnodiging is uitgeschakeld."), "success")
    db.session.commit()
    return redirect(url_for(".manage", cohort_id=cohort.id))


@bp.route("/cohorts/<int:cohort_id>/trainers", methods=["POST"])
@role_required("trainer")
def add_trainer(cohort_id: int):
    """Add a co-trainer by e-mail address (404 for a cohort the trainer does not run)."""
    cohort = cohort_or_404(current_user, cohort_id)
    form = CoTrainerForm()
    if form.validate_on_submit() and service.add_co_trainer(cohort, form.email.data):
        db.session.commit()
        flash(_("De co-opleider is toegevoegd."), "success")
    else:
        flash(_("Er is geen opleidersaccount met dat e-mailadres."), "error")
    return redirect(url_for(".manage", cohort_id=cohort.id))


@bp.route("/cohorts/<int:cohort_id>/members/<int:user_id>/remove", methods=["POST"])
@role_required("trainer")
def remove_member(cohort_id: int, user_id: int):
    """Remove a learner from the cohort; their progress stays theirs (404 for a cohort the trainer does
    not run)."""
    cohort = cohort_or_404(current_user, cohort_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    service.remove_member(cohort, user_id)
    db.session.commit()
    flash(_("De deelnemer is uit de groep verwijderd."), "success")
    return redirect(url_for(".cohort", cohort_id=cohort.id))


@bp.route("/join/<code>")
def invitation(code: str):
    """The invite link: the group, its trainer's organisation and its path, before joining.

    A visitor without an account registers or logs in from here and keeps the invite.
    """
    if current_user.is_authenticated:
        return _join_page(JoinForm(data={"code": service.normalise_code(code)})), 200
    cohort = service.cohort_by_code(code)
    problem = service.invite_problem(cohort)
    owner = db.session.get(User, cohort.owner_id) if cohort and cohort.owner_id else None
    return render_template(
        "trainer/invitation.html",
        cohort=cohort,
        owner=owner,
        problem=service.JOIN_MESSAGES[problem] if problem else None,
        path=get_course().path(cohort.path_slug) if cohort else None,
        code=service.normalise_code(code),
    ), 404 if problem == "unknown" else 200


@bp.route("/join", methods=["GET", "POST"])
@login_required
@limiter.limit("20 per hour", methods=["POST"])
def join():
    """Join a group with the code the trainer gave; 400 with the reason when the code is refused."""
    form = JoinForm()
    if form.validate_on_submit():
        try:
            cohort = service.join(current_user, form.code.data)
        except service.JoinRefused as refused:
            form.code.errors.append(service.JOIN_MESSAGES[str(refused)])
        else:
            db.session.commit()
            flash(_("Je bent aangesloten bij %(name)s.", name=cohort.name), "success")
            return redirect(url_for("learn.path", slug=cohort.path_slug))
    return _join_page(form), 400 if form.errors else 200


def _join_page(form):
    return render_template("trainer/join.html", form=form)
