from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SubmitField

ROLE_CHOICES = [("learner", _l("Deelnemer")), ("trainer", _l("Opleider")), ("admin", _l("Beheerder"))]


class RoleForm(FlaskForm):
    role = SelectField(_l("Rol"), choices=ROLE_CHOICES)
    submit = SubmitField(_l("Rol wijzigen"))
