"""Account pages. Messages never reveal whether an e-mail address has an account."""

from __future__ import annotations

import json

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from .. import audit
from ..extensions import db, limiter
from ..models import utcnow
from ..ratelimit import format_wait
from ..trainer import cohorts
from ..urls import safe_next
from . import service
from .forms import ChangePasswordForm, EraseForm, ForgotForm, LoginForm, ProfileForm, RegisterForm, ResetForm

bp = Blueprint("auth", __name__)

VERIFY_MAX_AGE = 3 * 24 * 3600
#: session key: the account this browser registered (its confirmation link may sign it in)
REGISTERED_KEY = "registered_user"


def _account_key() -> str:
    return "account:" + service.normalise_email(request.form.get("email", ""))


auth_ip_limit = limiter.shared_limit("20 per minute;100 per hour", scope="auth-ip", methods=["POST"])
account_limit = limiter.limit("5 per minute;30 per hour", key_func=_account_key, methods=["POST"])


@bp.route("/register", methods=["GET", "POST"])
@auth_ip_limit
@account_limit
def register():
    """The registration form; a valid POST creates the account (or, for a known address, mails its
    owner) and shows "check your mail" either way."""
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = RegisterForm()
    if request.method == "GET" and request.args.get("invite"):
        form.invite.data = cohorts.normalise_code(request.args["invite"])
    cohort = cohorts.cohort_by_code(form.invite.data) if form.invite.data else None
    if form.validate_on_submit():
        user = service.register(
            form.email.data,
            form.name.data,
            form.password.data,
            organisation=form.organisation.data or "",
            sector=form.sector.data,
            locale=session.get("lang") or str(get_locale()),
            cohort=cohort,
        )
        if user is not None:
            session[REGISTERED_KEY] = user.id  # only this browser is signed in on confirmation
        db.session.commit()
        return render_template("auth/check_mail.html", email=form.email.data, cohort=cohort)
    return render_template("auth/register.html", form=form, cohort=cohort)


@bp.route("/verify/email/<token>")
@limiter.limit("30 per hour")
def verify(token: str):
    """Confirm an address (and join the group the invite named). Only the browser that registered
    is signed in: a link opened elsewhere confirms the address without signing anyone in."""
    user, data, unused = service.open_token(token, "verify", VERIFY_MAX_AGE)
    if user is not None and not unused and user.email_verified_at:
        flash(_("Je e-mailadres was al bevestigd. Meld je aan."), "info")
        return redirect(url_for("auth.login"))
    if user is None or not unused:
        flash(_("Deze bevestigingslink is ongeldig of verlopen. Meld je aan om een nieuwe te krijgen."), "error")
        return redirect(url_for("auth.login"))
    user.email_verified_at = utcnow()
    joined = None
    if data.get("i"):
        try:
            joined = cohorts.join(user, data["i"])
        except cohorts.JoinRefused as refused:
            flash(cohorts.JOIN_MESSAGES[str(refused)], "error")
    db.session.commit()
    landing = url_for("learn.path", slug=joined.path_slug) if joined else url_for("learn.paths")
    signed_in = session.get(REGISTERED_KEY) == user.id and not current_user.is_authenticated
    if signed_in:
        lang = session.get("lang")
        session.clear()  # a fresh session for the new login (messages are added after it)
        if lang:
            session["lang"] = lang
        login_user(user)
        flash(_("Je e-mailadres is bevestigd. Welkom!"), "success")
    else:
        flash(_("Je e-mailadres is bevestigd. Meld je aan om te beginnen."), "success")
    if joined:
        flash(_("Je bent aangesloten bij %(name)s.", name=joined.name), "success")
    return redirect(landing if signed_in else url_for("auth.login", next=landing))


@bp.route("/login", methods=["GET", "POST"])
@auth_ip_limit
def login():
    """The log-in form; a valid POST signs in and redirects to ``next`` or home (429 while the address
    is throttled)."""
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    if form.validate_on_submit():
        outcome = service.attempt_login(form.email.data, form.password.data)
        user = outcome.user
        if user is None:
            db.session.commit()
            if outcome.throttled:
                flash(
                    _(
                        "Er waren te veel mislukte pogingen voor dit e-mailadres. Wacht %(wait)s en probeer dan "
                        "opnieuw.",
                        wait=format_wait(outcome.wait),
                    ),
                    "error",
                )
            else:
                flash(_("Dat e-mailadres en wachtwoord horen niet bij elkaar."), "error")
                if outcome.wait:
                    flash(
                        _(
                            "Na meerdere mislukte pogingen moet je nu %(wait)s wachten voor je opnieuw kan proberen.",
                            wait=format_wait(outcome.wait),
                        ),
                        "error",
                    )
            status = 429 if outcome.throttled else 200
            headers = {"Retry-After": str(outcome.wait)} if outcome.throttled else {}
            return render_template("auth/login.html", form=form), status, headers
        if user.email_verified_at is None:
            service.send_verification(user)
            db.session.commit()
            return render_template("auth/check_mail.html", email=user.email)
        lang = session.get("lang")
        session.clear()  # a fresh session on login (no fixation)
        if lang and not user.locale:
            user.locale = lang
        login_user(user, remember=form.remember.data)
        user.last_active_at = utcnow()
        audit.record("login.succeeded", user.id, user.email)
        db.session.commit()
        return redirect(safe_next(request.args.get("next")) or url_for("main.home"))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    """End this session and its "remember me" cookie on the server, not only in this browser.

    The account's session version changes, so a copied session cookie or remember token no
    longer signs anyone in (this ends the account's sessions on other devices too).
    """
    lang = session.get("lang")
    if current_user.is_authenticated:
        lang = lang or current_user.locale  # the page after logging out stays in the user's language
        service.end_sessions(current_user._get_current_object())
        db.session.commit()
    session.clear()
    logout_user()  # after clear(): it leaves the flag that deletes the remember cookie
    if lang:
        session["lang"] = lang
    flash(_("Je bent afgemeld."), "info")
    return redirect(url_for("main.home"))


@bp.route("/password/forgot", methods=["GET", "POST"])
@auth_ip_limit
@account_limit
def forgot():
    """Ask for a password-reset link; the answer is the same whether or not the address has an account."""
    form = ForgotForm()
    if form.validate_on_submit():
        service.send_reset_link(form.email.data)
        db.session.commit()
        flash(_("Als er een account bestaat voor dat adres, hebben we een link gestuurd."), "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@auth_ip_limit
def reset(token: str):
    """Set a new password with a mailed link; an expired or used link goes back to "forgot password"."""
    user = service.read_token(token, "reset", current_app.config["PASSWORD_RESET_MAX_AGE"])
    if user is None:
        flash(_("Deze link is ongeldig, verlopen of al gebruikt. Vraag een nieuwe aan."), "error")
        return redirect(url_for("auth.forgot"))
    form = ResetForm()
    if form.validate_on_submit():
        service.reset_password(user, form.password.data)
        db.session.commit()
        flash(_("Je wachtwoord is gewijzigd. Meld je aan met je nieuwe wachtwoord."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset.html", form=form)


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    """The account page (profile, password, groups, data export and erasure); POST saves the profile."""
    form = ProfileForm(obj=current_user)
    if form.validate_on_submit():
        service.update_profile(current_user, form.name.data, form.organisation.data, form.sector.data)
        db.session.commit()
        flash(_("Je gegevens zijn opgeslagen."), "success")
        return redirect(url_for("auth.account"))
    return _account_page(form=form), 400 if form.is_submitted() else 200


def _account_page(form=None, password_form=None, erase_form=None):
    return render_template(
        "auth/account.html",
        form=form or ProfileForm(obj=current_user),
        password_form=password_form or ChangePasswordForm(),
        erase_form=erase_form or EraseForm(),
        memberships=cohorts.cohorts_of_member(current_user.id),
    )


@bp.route("/account/password", methods=["POST"])
@login_required
@limiter.limit("10 per hour")
def change_password():
    """Change the password (the current one is asked); ends every other session. 400 with the form on
    errors."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not current_user.check_password(form.current.data):
            form.current.errors.append(_("Je huidige wachtwoord klopt niet."))
        else:
            service.change_password(current_user, form.password.data)
            db.session.commit()
            login_user(current_user._get_current_object())  # keep this session, end all others
            flash(_("Je wachtwoord is gewijzigd."), "success")
            return redirect(url_for("auth.account"))
    return _account_page(password_form=form), 400


@bp.route("/account/export.json")
@login_required
def export():
    """Download everything stored about the signed-in user as JSON (audit-logged)."""
    data = service.export_user_data(current_user)
    audit.record("data.exported", current_user.id, current_user.email)
    db.session.commit()
    return Response(
        json.dumps(data, ensure_ascii=False, indent=2),
        mimetype="application/json",
        headers={"Content-Disposition": "attachment; filename=kruispunt-mijn-gegevens.json"},
    )


@bp.route("/account/erase", methods=["POST"])
@login_required
@limiter.limit("10 per hour")
def erase():
    """Erase the account and its personal data after the password is confirmed; 400 with the form
    otherwise."""
    form = EraseForm()
    if form.validate_on_submit() and current_user.check_password(form.password.data):
        user_id = current_user.id
        service.erase_user(current_user)
        audit.record("data.erased", user_id, f"user:{user_id}")
        db.session.commit()
        logout_user()
        session.clear()
        flash(_("Je account en je persoonsgegevens zijn gewist."), "info")
        return redirect(url_for("main.home"))
    if form.is_submitted() and not form.password.errors:
        form.password.errors.append(_("Je wachtwoord klopt niet."))
    return _account_page(erase_form=form), 400


@bp.route("/language", methods=["POST"])
def language():
    """Change an account's language (a form with a CSRF token, as it writes to the account)."""
    lang = _chosen_language(request.form)
    session["lang"] = lang
    if current_user.is_authenticated:
        current_user.locale = lang
        db.session.commit()
    return redirect(safe_next(request.form.get("next")) or url_for("main.home"))


@bp.route("/language", methods=["GET"])
def visitor_language():
    """Change a visitor's language for this browser session only.

    A GET form, so that public pages (the certificate check behind every QR code) carry no CSRF
    token and need no session cookie. It writes nothing to an account, so it needs no token:
    the worst a forged link can do is switch a visitor's language. Signed-in users change it with
    the POST form, so a link changes nothing for them.
    """
    lang = _chosen_language(request.args)
    if not current_user.is_authenticated:
        session["lang"] = lang
    return redirect(safe_next(request.args.get("next")) or url_for("main.home"))


def _chosen_language(values) -> str:
    lang = values.get("lang", "")
    if lang not in current_app.config["LANGUAGES"]:
        abort(400)
    return lang
