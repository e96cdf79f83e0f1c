"""Locale selection: the user's choice, else the session's, else the browser's, else Dutch."""

from __future__ import annotations

from babel import Locale
from flask import Flask, current_app, request, session
from flask_login import current_user

from . import speed

#: the regional variant used for dates and numbers; translations are looked up by language
REGIONS = {"nl": "nl_BE", "en": "en_GB"}


_LOCALES = {lang: Locale.parse(region) for lang, region in REGIONS.items()}


def select_locale() -> Locale:
    """The user's language as a Belgian-Dutch or British-English locale.

    A ``Locale`` rather than its name: Flask-Babel would parse the name again on every request.
    """
    return _LOCALES.get(_language(), _LOCALES["nl"])


def _language() -> str:
    languages = current_app.config["LANGUAGES"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    if session.get("lang") in languages:
        return session["lang"]
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def current_language() -> str:
    """``nl`` or ``en``: the reader's language (it follows ``force_locale``), for text written
    outside the translation catalogues (hours, dates in PDFs and JSON, referral-map labels)."""
    locale = speed.request_locale()
    return locale.language if locale is not None and locale.language in REGIONS else "nl"


def init_i18n(app: Flask, babel) -> None:
    babel.init_app(app, locale_selector=select_locale)
    # translated strings in templates: one catalogue lookup per request (see speed.py)
    speed.install_template_gettext(app)
