"""Cohort forms."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, EmailField, IntegerField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional, ValidationError

from ..forms import PageForm
from ..models import utcnow


class CohortForm(FlaskForm):
    name = StringField(_l("Naam van de groep"), validators=[DataRequired(), Length(max=120)])
    path_slug = SelectField(_l("Leertraject"), validators=[DataRequired()])
    starts_on = DateField(_l("Startdatum"), validators=[DataRequired()])
    ends_on = DateField(_l("Einddatum (optioneel)"), validators=[Optional()])
    description = TextAreaField(_l("Beschrijving"), validators=[Length(max=2000)])
    submit = SubmitField(_l("Opslaan"))

    def validate_ends_on(self, field):
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError(_l("De einddatum ligt voor de startdatum."))

    def details(self) -> dict:
        """The cohort's fields as the service takes them."""
        return {name: getattr(self, name).data for name in ("name", "path_slug", "starts_on", "ends_on", "description")}


class InviteForm(PageForm):
    id_prefix = "invite"
    expires_on = DateField(_l("Code geldig tot (optioneel)"), validators=[Optional()])
    seat_limit = IntegerField(
        _l("Maximum aantal deelnemers (optioneel)"), validators=[Optional(), NumberRange(min=1, max=10000)]
    )
    submit = SubmitField(_l("Uitnodiging opslaan"))

    def validate_expires_on(self, field):
        """A code that expired before it was saved would silently lock everyone out: refuse it."""
        if field.data and field.data < utcnow().date():
            raise ValidationError(_l("Deze datum ligt in het verleden. Kies vandaag of later, of laat het veld leeg."))


class JoinForm(FlaskForm):
    code = StringField(
        _l("Groepscode"),
        validators=[DataRequired(), Length(max=40)],
        description=_l("Hoofdletters, spaties en streepjes maken niet uit."),
    )
    submit = SubmitField(_l("Aansluiten"))


class InviteMailForm(PageForm):
    id_prefix = "mail"
    addresses = TextAreaField(
        _l("E-mailadressen (één per regel of gescheiden door komma's)"), validators=[DataRequired(), Length(max=5000)]
    )
    submit = SubmitField(_l("Uitnodiging versturen"))

    #: at most this many addresses per sending
    MAX_ADDRESSES = 50

    def validate_addresses(self, field):
        parts = [p.strip() for p in field.data.replace(",", "\n").replace(";", "\n").splitlines() if p.strip()]
        if len(parts) > self.MAX_ADDRESSES:
            raise ValidationError(_l("Verstuur naar hoogstens %(n)s adressen tegelijk.", n=self.MAX_ADDRESSES))
        bad = []
        for part in parts:
            try:
                validate_email(part, check_deliverability=False)
            except EmailNotValidError:
                bad.append(part)
        if bad:
            raise ValidationError(_l("Geen geldig e-mailadres: %(list)s", list=", ".join(bad[:5])))
        self.parsed = sorted({p.lower() for p in parts})


class CoTrainerForm(PageForm):
    id_prefix = "cotrainer"
    email = EmailField(
        _l("E-mailadres van de co-opleider"), validators=[DataRequired(), Email(check_deliverability=False)]
    )
    submit = SubmitField(_l("Co-opleider toevoegen"))
