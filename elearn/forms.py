"""Form pieces shared by the blueprints."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SubmitField


class PageForm(FlaskForm):
    """A form that shares its page with others: element ids carry ``id_prefix``.

    Field names stay as they are; only ``id`` and the label's ``for`` change, so two forms with a
    ``password`` field on one page no longer repeat ``#password`` (or ``#csrf_token``).
    """

    id_prefix = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.id_prefix:
            for field in self:
                field.id = f"{self.id_prefix}-{field.name}"
                field.label.field_id = field.id


class ActionForm(FlaskForm):
    """A form with only a CSRF token, for buttons that change state."""

    submit = SubmitField(_l("Bevestigen"))
