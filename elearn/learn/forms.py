"""Learner forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SubmitField
from wtforms.validators import InputRequired


def confidence_form(scale, data=None):
    """A form with one required 1-5 radio group per confidence statement."""

    class ConfidenceForm(FlaskForm):
        submit = SubmitField(_l("Opslaan"))

    choices = [(str(v), str(v)) for v in range(scale.min, scale.max + 1)]
    for item in scale.items:
        setattr(
            ConfidenceForm,
            f"item_{item.id}",
            RadioField(
                item.text, choices=choices, validators=[InputRequired(_l("Kies een waarde voor deze uitspraak."))]
            ),
        )
    return ConfidenceForm(data=data)
