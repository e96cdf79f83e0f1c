"""Locale selection: the user's choice, else the session's, else the browser's, else Dutch."""
from __future__ import annotations

from babel import Locale
from flask import Flask, current_app, g, request, session
from flask_babel import get_translations
from flask_login import current_user
from jinja2 import pass_context
from markupsafe import Markup


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


def request_translations():
    """This request's catalogue, looked up once per request.

    Flask-Babel looks it up again on every call (about 8 µs, most of it formatting the locale
    name for its cache key); a page with forty strings paid a third of a millisecond for that.
    The locale itself is fixed at its first use in a request, so keeping the catalogue is safe.
    """
    try:
        return g._elearn_translations
    except AttributeError:
        g._elearn_translations = translations = get_translations()
        return translations


def init_i18n(app: Flask, babel) -> None:
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.install_gettext_callables(
        gettext=_gettext,
        ngettext=lambda s, p, n: request_translations().ungettext(s, p, n),
        pgettext=lambda c, s: request_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: request_translations().unpgettext(c, s, p, n),
        newstyle=True,
    )
    # Templates call _() dozens of times per page; Jinja's alias for it resolves ``gettext`` and
    # calls it through the context, and its newstyle wrapper formats even strings without any
    # ``%``. The same result in one step, with the same escaping:
    app.jinja_env.globals.update(gettext=_template_gettext, _=_template_gettext)


def _gettext(string: str) -> str:
    return request_translations().ugettext(string)


@pass_context
def _template_gettext(context, string: str, **variables) -> str:
    rv = _gettext(string)
    if context.eval_ctx.autoescape:
        rv = Markup(rv)
    return rv % variables if variables or "%" in rv else rv
