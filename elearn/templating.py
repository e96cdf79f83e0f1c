"""Template globals and filters used across blueprints."""

from __future__ import annotations

import datetime

from flask import Flask
from flask_babel import format_date as babel_format_date
from flask_babel import lazy_gettext as _l

from . import speed
from .certificates.data import format_hours
from .course import get_course
from .i18n import current_language
from .questiontypes import question_type
from .speed import request_locale
from .trainer import formatting
from .trainer.cohorts import display_code

TAG_LABELS = {"trust": _l("vertrouwen"), "safety": _l("veiligheid"), "referral": _l("doorverwijzing")}


def init_templating(app: Flask) -> None:
    """Register the filters and globals every blueprint's templates use."""
    # links built once and the layout's header and footer rendered once per role and language
    # (the benchmark rows' shortcuts, see speed.py)
    speed.install_template_url_for(app)
    speed.install_layout_fragments(app)

    for name, formatter in (
        ("number", formatting.number),
        ("signed", formatting.signed),
        ("percent", formatting.percent),
        ("format_datetime_utc", formatting.datetime_utc),
    ):
        app.add_template_filter(formatter, name)

    @app.template_filter("format_date")
    def format_date(value, fmt="medium"):
        if value is None:
            return ""
        if isinstance(value, datetime.datetime):
            value = value.date()
        return babel_format_date(value, fmt)

    @app.template_filter("source_label")
    def source_label(text: str) -> str:
        """Replace cited source file names by their readable names."""
        for file, label in get_course().source_labels.items():
            text = text.replace(file, label)
        return text

    @app.template_filter("invite_code")
    def invite_code(code: str) -> str:
        """A group code in groups of four characters, as people read it aloud ("45J5 A4JT YC")."""
        return display_code(code)

    @app.template_filter("study_hours")
    def study_hours(hours: float) -> str:
        """A certificate's study load in the reader's language: ``1 uur``, ``1,5 uur``, ``1 hour``."""
        return format_hours(hours, current_language())

    @app.template_filter("study_minutes")
    def study_minutes(minutes: int) -> str:
        """A study load in minutes as hours (one decimal) with its unit: ``1,5 uur``, ``1 hour``."""
        return study_hours(round(minutes / 60, 1))

    def course_module_title(slug):
        module = get_course().module(slug) if slug else None
        return module.title if module else ""

    def ref_label(vocabulary: str, key: str, default: str = "") -> str:
        """A referral-map label (region, audience, kind) in the interface language."""
        rmap = get_course().referral_map
        return rmap.label(vocabulary, key, current_language()) if rmap else (default or key)

    def current_locale() -> str:
        locale = request_locale()
        return locale.language if locale else "nl"

    app.jinja_env.globals.update(
        ref_label=ref_label,
        current_locale=current_locale,
        html_lang=lambda: str(request_locale() or "nl").replace("_", "-"),
        question_type=question_type,
        tag_label=lambda tag: TAG_LABELS.get(tag, tag),
        course_module_title=course_module_title,
    )
