"""Shortcuts that exist only because a benchmark row needs them (see benchmarks/README.md).

Everything here does what the ordinary Flask, Flask-Babel or loader code would do, with the same
result, only with less work per request or per start-up. Each piece names the row it serves and
what it saves; remove a piece when its row no longer needs it.

- :func:`template_gettext` (rows: every page): ``_()`` in templates, one catalogue lookup per
  request instead of one per string (Flask-Babel formats the locale name for its cache key on
  every call: about 8 µs, a third of a millisecond on a page with forty strings).
- :func:`template_url_for` (rows: every page): links without arguments and static files are the
  same for every learner; the layout builds about 20 of them per page. They are built once per
  application root and remembered.
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

from flask import Flask, g, request, url_for
from flask_babel import get_translations
from jinja2 import pass_context
from markupsafe import Markup

log = logging.getLogger(__name__)


# --------------------------------------------------------------------------------------------
# templates: translations


def request_translations():
    """This request's catalogue, looked up once per request.

    The locale is fixed at its first use in a request, so keeping its catalogue is safe.
    """
    try:
        return g._elearn_translations
    except AttributeError:
        g._elearn_translations = translations = get_translations()
        return translations


def gettext(string: str) -> str:
    return request_translations().ugettext(string)


@pass_context
def template_gettext(context, string: str, **variables) -> str:
    """Jinja's newstyle ``_()`` in one step: same escaping, ``%`` formatting only when needed."""
    rv = gettext(string)
    if context.eval_ctx.autoescape:
        rv = Markup(rv)
    return rv % variables if variables or "%" in rv else rv


def install_template_gettext(app: Flask) -> None:
    app.jinja_env.install_gettext_callables(
        gettext=gettext,
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


def install_template_url_for(app: Flask) -> None:
    """``url_for`` in templates, remembering the links that take no arguments (and static files).

    Only a relative URL without values (or a static ``filename``) is remembered, per application
    root (``SCRIPT_NAME``); anything else, and every call when the app has URL defaults
    functions, goes to Flask's ``url_for`` unchanged.
    """
    known: dict[tuple, str] = {}

    def template_url_for(endpoint: str, **values) -> str:
        if values and (endpoint != "static" or len(values) != 1 or "filename" not in values):
            return url_for(endpoint, **values)
        if endpoint[:1] == "." or app.url_default_functions:
            return url_for(endpoint, **values)
        key = (request.script_root, endpoint, values.get("filename"))
        try:
            return known[key]
        except KeyError:
            known[key] = url = url_for(endpoint, **values)
            return url

    app.jinja_env.globals["url_for"] = template_url_for


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
