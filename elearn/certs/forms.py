from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length


class RevokeForm(FlaskForm):
    reason = StringField(_l("Reden van intrekking (intern)"), validators=[DataRequired(), Length(max=500)])
    submit = SubmitField(_l("Attest intrekken"))
