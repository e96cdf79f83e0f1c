"""Shortcuts that exist only because a benchmark row needs them (see benchmarks/README.md).

Everything here does what the ordinary Flask, Flask-Babel or loader code would do, with the same
result, only with less work per request or per start-up. Each piece names the row it serves and
what it saves; remove a piece when its row no longer needs it.

- :func:`template_gettext` (rows: every page): ``_()`` in templates, one catalogue lookup per
  request and locale instead of one per string (Flask-Babel formats the locale name for its cache key on
  every call: about 8 µs, a third of a millisecond on a page with forty strings).
- :func:`request_locale` (rows: every page): the locale once per request for the templates'
  ``current_locale()`` and ``html_lang()`` (Flask-Babel's ``get_locale`` costs about 5 µs a call).
- :func:`install_template_url_for` (rows: every page): a link is the same for every learner; a
  page builds 20-40 of them (Flask: about 20 µs each). They are built once per application root
  and remembered.
- :func:`install_layout_fragments` (rows: every page): the layout's header (menus, language
  button) and footer are the same for everyone of one role and language: about 30 strings and
  links, a fifth of a page's time. They are rendered once and only the CSRF token and the
  page's path are filled in per request.
- :func:`read_renderings` / :func:`write_renderings` (row: start-up, and every gunicorn worker
  without ``--preload``): the sanitised HTML of every Markdown text, kept in the instance folder
  between start-ups, keyed by source text and renderer version. Rendering all course Markdown
  takes about 0.4 s; reading the file takes a few milliseconds.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from pathlib import Path
from typing import NamedTuple

from flask import Flask, g, request, url_for
from flask_babel import get_locale, get_translations
from flask_wtf.csrf import generate_csrf
from jinja2 import pass_context
from markupsafe import Markup, escape

log = logging.getLogger(__name__)


# --------------------------------------------------------------------------------------------
# templates: translations


def request_translations(app_globals=None):
    """This request's catalogue, looked up once per request and locale.

    It is kept beside Flask-Babel's own per-request state, with the locale it belongs to, so a
    mail rendered under ``force_locale`` in the middle of a request gets its language's
    catalogue and the page keeps its own. ``app_globals``: ``g`` itself, when the caller has it
    (a template's context), saving the context-local look-up.
    """
    state = (g if app_globals is None else app_globals).get("_flask_babel")
    kept = getattr(state, "elearn_translations", None)
    if kept is not None and kept[0] is getattr(state, "babel_locale", None):
        return kept[1]
    translations = get_translations()  # selects the locale first, creating Flask-Babel's state
    state = g.get("_flask_babel")
    if state is not None:
        state.elearn_translations = (getattr(state, "babel_locale", None), translations)
    return translations


def request_locale():
    """This request's locale (a ``babel.Locale`` or None), as Flask-Babel's ``get_locale``.

    ``get_locale`` finds its per-request state through three context-local proxies on every
    call, and a page asks a dozen times (``lang`` marks on Dutch content). This reads the locale
    Flask-Babel keeps for the request (also the one ``force_locale`` sets, for a mail) directly,
    and asks ``get_locale`` when there is none yet.
    """
    locale = getattr(g.get("_flask_babel"), "babel_locale", None)
    return locale if locale is not None else get_locale()


@pass_context
def template_gettext(context, string: str, **variables) -> str:
    """Jinja's newstyle ``_()`` in one step: same escaping, ``%`` formatting only when needed."""
    rv = request_translations(context.get("g")).ugettext(string)
    if context.eval_ctx.autoescape:
        rv = Markup(rv)
    return rv % variables if variables or "%" in rv else rv


def install_template_gettext(app: Flask) -> None:
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: request_translations().ugettext(s),  # replaced below by template_gettext
        ngettext=lambda s, p, n: request_translations().ungettext(s, p, n),
        pgettext=lambda c, s: request_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: request_translations().unpgettext(c, s, p, n),
        newstyle=True,
    )
    # Jinja's alias for _() resolves ``gettext`` and calls it through the context, and its
    # newstyle wrapper formats even strings without any ``%``.
    app.jinja_env.globals.update(gettext=template_gettext, _=template_gettext)


# --------------------------------------------------------------------------------------------
# templates: links that are the same for everybody

#: most links remembered per application root; beyond it the memory starts again (values in a
#: link can come from a request, e.g. a certificate code, so it must not grow without bound)
MAX_LINKS = 10_000


def install_template_url_for(app: Flask) -> None:
    """``url_for`` in templates, remembering each link once built.

    A link depends only on its endpoint, its values and the application root (``SCRIPT_NAME``),
    so it is the same for every learner. Only links whose values are plain ``str`` or ``int``
    and without Flask's ``_external``/``_anchor``/... options are remembered; relative
    endpoints, other values, and every call when the app has URL defaults functions go to
    Flask's ``url_for`` unchanged.
    """
    known: dict[tuple, str] = {}

    @pass_context
    def template_url_for(context, endpoint: str, **values) -> str:
        if endpoint[:1] == "." or app.url_default_functions:
            return url_for(endpoint, **values)
        items = tuple(values.items())
        for name, value in items:
            if name[:1] == "_" or type(value) not in (str, int):
                return url_for(endpoint, **values)
        # the page's own request object when the context has it: no context-local look-up
        key = ((context.get("request") or request).script_root, endpoint, items)
        try:
            return known[key]
        except KeyError:
            if len(known) >= MAX_LINKS:
                known.clear()
            known[key] = url = url_for(endpoint, **values)
            return url

    app.jinja_env.globals["url_for"] = template_url_for


# --------------------------------------------------------------------------------------------
# templates: the layout's header and footer, rendered once per role and language

#: where the per-request values go in a remembered fragment (no template text or URL holds NUL)
CSRF_SLOT = "\x00csrf_token\x00"
NEXT_SLOT = "\x00next\x00"


class Viewer(NamedTuple):
    """All a layout fragment may know of the user: fragments are shared by everyone with these."""

    is_authenticated: bool
    is_trainer: bool
    is_admin: bool


def viewer_of(user) -> Viewer:
    if not user.is_authenticated:
        return Viewer(False, False, False)
    return Viewer(True, bool(user.is_trainer), bool(user.is_admin))


def install_layout_fragments(app: Flask) -> None:
    """``layout_fragment(name)`` in templates: ``name`` rendered once per viewer, language and root.

    The fragment sees ``current_user`` as a :class:`Viewer`, ``config``, and ``csrf_token()``
    and ``next_path`` as slots that are filled in for each request (the session's token, the
    page's own path for a GET). With templates reloading (debug), nothing is remembered.
    """
    rendered: dict[tuple, str] = {}

    @pass_context
    def layout_fragment(context, name: str) -> Markup:
        viewer = viewer_of(context["current_user"])
        key = (name, request.script_root, str(request_locale()), viewer)
        html = rendered.get(key)
        if html is None:
            html = app.jinja_env.get_template(name).render(
                current_user=viewer, config=app.config, csrf_token=lambda: CSRF_SLOT, next_path=NEXT_SLOT
            )
            if not app.jinja_env.auto_reload:
                rendered[key] = html
        if CSRF_SLOT in html:
            html = html.replace(CSRF_SLOT, generate_csrf())
        if NEXT_SLOT in html:
            html = html.replace(NEXT_SLOT, str(escape(request.full_path if request.method == "GET" else "")))
        return Markup(html)

    app.jinja_env.globals["layout_fragment"] = layout_fragment


# --------------------------------------------------------------------------------------------
# start-up: rendered Markdown kept between start-ups


def read_renderings(path: Path) -> dict[str, str]:
    """Renderings saved by an earlier start-up; an unreadable file only costs time."""
    try:
        renderings = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        log.warning("ignoring the Markdown cache %s: %s", path, exc)
        return {}
    if not isinstance(renderings, dict) or not all(isinstance(v, str) for v in renderings.values()):
        log.warning("ignoring the Markdown cache %s: not a mapping of texts", path)
        return {}
    return renderings


def write_renderings(path: Path, renderings: dict[str, str]) -> None:
    """Save atomically (workers starting together never read half a file); drop older renderers' files."""
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".markdown-", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(renderings, f, ensure_ascii=False)
        os.replace(tmp, path)
        tmp = None
        for old in path.parent.glob("markdown-*.json"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError as exc:  # a read-only instance folder: start anyway, just slower next time
        log.warning("could not save the Markdown cache %s: %s", path, exc)
    finally:
        if tmp:
            Path(tmp).unlink(missing_ok=True)
