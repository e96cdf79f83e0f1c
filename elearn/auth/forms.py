"""Account forms (Flask-WTF: every form carries a CSRF token)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from .. import certificates
from ..forms import PageForm
from ..vocabulary import SECTORS
from .passwords import PASSWORD_HINT, PASSWORD_MESSAGES, password_problem

SECTOR_LABELS = {
    "drughulp": _l("Drughulpverlening"),
    "seksuele-gezondheid": _l("Seksuele gezondheid"),
    "jeugd-welzijn": _l("Jeugd- en welzijnswerk (JAC/CAW)"),
    "andere": _l("Andere"),
}
SECTOR_CHOICES = [(sector, SECTOR_LABELS[sector]) for sector in SECTORS]  # a sector without a label fails here


def _printable_name(form, field):
    """The name goes on the certificate: refuse letters its fonts cannot print."""
    bad = certificates.unsupported_characters(field.data or "")
    if bad:
        raise ValidationError(
            _l(
                "Je attest kan deze tekens niet afdrukken: %(chars)s. Schrijf je naam in Latijnse, "
                "Griekse of Cyrillische letters.",
                chars=" ".join(bad),
            )
        )


def _strong_password(form, field):
    problem = password_problem(field.data or "", getattr(form, "email", None) and form.email.data or "")
    if problem:
        raise ValidationError(PASSWORD_MESSAGES[problem])


class RegisterForm(FlaskForm):
    name = StringField(_l("Naam (zoals op je attest)"), validators=[DataRequired(), Length(max=120), _printable_name])
    email = EmailField(
        _l("E-mailadres"), validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)]
    )
    organisation = StringField(_l("Organisatie"), validators=[Length(max=200)])
    sector = SelectField(_l("Sector"), choices=SECTOR_CHOICES, validators=[DataRequired()])
    password = PasswordField(_l("Wachtwoord"), validators=[DataRequired(), _strong_password], description=PASSWORD_HINT)
    confirm = PasswordField(
        _l("Herhaal wachtwoord"),
        validators=[DataRequired(), EqualTo("password", _l("De wachtwoorden komen niet overeen."))],
    )
    #: a group's invite code, carried from the invite link through confirmation
    invite = HiddenField(validators=[Length(max=40)])
    submit = SubmitField(_l("Account aanmaken"))


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mailadres"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Wachtwoord"), validators=[DataRequired()])
    remember = BooleanField(_l("Aangemeld blijven op dit toestel"))
    submit = SubmitField(_l("Aanmelden"))


class ForgotForm(FlaskForm):
    email = EmailField(_l("E-mailadres"), validators=[DataRequired(), Email(check_deliverability=False)])
    submit = SubmitField(_l("Stuur een link"))


class ResetForm(FlaskForm):
    password = PasswordField(
        _l("Nieuw wachtwoord"), validators=[DataRequired(), _strong_password], description=PASSWORD_HINT
    )
    confirm = PasswordField(
        _l("Herhaal wachtwoord"),
        validators=[DataRequired(), EqualTo("password", _l("De wachtwoorden komen niet overeen."))],
    )
    submit = SubmitField(_l("Wachtwoord instellen"))


class ChangePasswordForm(PageForm):
    id_prefix = "pw"
    current = PasswordField(_l("Huidig wachtwoord"), validators=[DataRequired()])
    password = PasswordField(
        _l("Nieuw wachtwoord"), validators=[DataRequired(), _strong_password], description=PASSWORD_HINT
    )
    confirm = PasswordField(
        _l("Herhaal wachtwoord"),
        validators=[DataRequired(), EqualTo("password", _l("De wachtwoorden komen niet overeen."))],
    )
    submit = SubmitField(_l("Wachtwoord wijzigen"))


class ProfileForm(PageForm):
    id_prefix = "profile"
    name = StringField(_l("Naam (zoals op je attest)"), validators=[DataRequired(), Length(max=120), _printable_name])
    organisation = StringField(_l("Organisatie"), validators=[Length(max=200)])
    sector = SelectField(_l("Sector"), choices=SECTOR_CHOICES, validators=[DataRequired()])
    submit = SubmitField(_l("Opslaan"))


class EraseForm(PageForm):
    id_prefix = "erase"
    password = PasswordField(_l("Wachtwoord ter bevestiging"), validators=[DataRequired()])
    confirm = BooleanField(_l("Ik begrijp dat dit niet ongedaan kan worden"), validators=[DataRequired()])
    submit = SubmitField(_l("Mijn account wissen"))
