"""Request and response rules that apply to every page.

Responses: CSP without inline script, framing, referrer. Requests: text that no form field or
URL needs (NUL and other control characters) is refused before any view runs, and integer URL
parts are bounded to the database's integer range, so bad input gets a 400 or 404 page instead
of a database error.
"""

from __future__ import annotations

import re

from flask import Flask, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)

#: largest value of a PostgreSQL ``integer`` (the type of every id column)
MAX_ID = 2**31 - 1
#: highest page number a list accepts (far beyond any real list; keeps OFFSET small)
MAX_PAGE = 100_000

#: C0 controls except tab, line feed and carriage return, DEL, and the C1 controls
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class BadCharacters(BadRequest):
    """A URL part, query value or form value holds a NUL or another control character."""

    friendly_message = _l(
        "Je invoer bevat een onzichtbaar stuurteken (zoals een nul-teken) dat hier niet "
        "kan. Typ de tekst opnieuw, zonder te kopiëren uit een ander programma, en probeer nog eens."
    )


class BoundedIntConverter(IntegerConverter):
    """``<int:...>`` limited to 0..MAX_ID: a larger number cannot name a row, so the URL is a 404."""

    def __init__(self, map, fixed_digits=0, min=0, max=MAX_ID, signed=False):  # noqa: A002 - werkzeug's names
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def has_control_characters(value: str) -> bool:
    """True when ``value`` holds a character that no text input of the site may contain."""
    return bool(_CONTROL.search(value))


def check_request_text() -> None:
    """Raise :class:`BadCharacters` when any URL part, query or form key or value is unusable."""
    values = [v for v in (request.view_args or {}).values() if isinstance(v, str)]
    values.append(request.path)
    for multi in (request.args, request.form if request.method in ("POST", "PUT", "PATCH", "DELETE") else {}):
        for key, items in multi.lists() if hasattr(multi, "lists") else ():
            values.append(key)
            values.extend(items)
    if any(has_control_characters(v) for v in values):
        raise BadCharacters()


def page_number(value: str | None, last: int = MAX_PAGE) -> int:
    """A page number from the query string, clamped to 1..``last`` (bad text gives page 1)."""
    try:
        number = int(value or 1)
    except ValueError:
        number = 1
    return max(1, min(number, last, MAX_PAGE))


def init_security(app: Flask) -> None:
    @app.before_request
    def refuse_control_characters():
        check_request_text()

    @app.after_request
    def headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
        if request.is_secure:
            response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        if request.endpoint and not request.endpoint.startswith("static"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response


def register_converters(app: Flask) -> None:
    """Bounded integers for every ``<int:...>`` in a route (call before blueprints register)."""
    app.url_map.converters["int"] = BoundedIntConverter
