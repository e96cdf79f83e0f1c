"""Locale selection: the user's choice, else the session's, else the browser's, else Dutch."""
from __future__ import annotations

from flask import Flask, current_app, request, session
from flask_login import current_user


#: the regional variant used for dates and numbers; translations are looked up by language
REGIONS = {"nl": "nl_BE", "en": "en_GB"}


def select_locale() -> str:
    """The user's language as a Belgian-Dutch or British-English locale."""
    return REGIONS.get(_language(), "nl_BE")


def _language() -> str:
    languages = current_app.config["LANGUAGES"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    if session.get("lang") in languages:
        return session["lang"]
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def init_i18n(app: Flask, babel) -> None:
    babel.init_app(app, locale_selector=select_locale)
