"""A tiny browser for the benchmarks, standard library only: cookies, forms, CSRF tokens."""

from __future__ import annotations

import http.cookiejar
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from html.parser import HTMLParser

USER_AGENT = "kruispunt-bench/1"
TIMEOUT = 30


@dataclass
class Reply:
    status: int
    url: str
    headers: dict
    body: str
    seconds: float


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # urllib then raises HTTPError with the 3xx status, which open() turns into a Reply


def open_url(
    opener: urllib.request.OpenerDirector, url: str, data: bytes | None = None, headers: dict | None = None
) -> Reply:
    """One request; any status (also 3xx, 4xx, 5xx) comes back as a ``Reply``."""
    request = urllib.request.Request(url, data=data, headers={"User-Agent": USER_AGENT, **(headers or {})})
    start = time.perf_counter()
    try:
        with opener.open(request, timeout=TIMEOUT) as response:
            body = response.read()
            status, final, got = response.status, response.geturl(), dict(response.headers)
    except urllib.error.HTTPError as error:
        body = error.read()
        status, final, got = error.code, url, dict(error.headers or {})
    return Reply(status, final, got, body.decode("utf-8", "replace"), time.perf_counter() - start)


class Browser:
    """Keeps cookies like a browser; ``follow=False`` returns redirects instead of following them."""

    def __init__(self, base: str):
        self.base = base.rstrip("/")
        self.jar = http.cookiejar.CookieJar()
        cookies = urllib.request.HTTPCookieProcessor(self.jar)
        self._follow = urllib.request.build_opener(cookies)
        self._stay = urllib.request.build_opener(cookies, NoRedirect())

    def request(self, path: str, form: dict | None = None, follow: bool = True) -> Reply:
        data = urllib.parse.urlencode(form, doseq=True).encode() if form is not None else None
        headers = {"Content-Type": "application/x-www-form-urlencoded"} if data is not None else {}
        return open_url(self._follow if follow else self._stay, self.base + path, data, headers)

    def cookie(self, name: str = "session") -> str | None:
        return next((c.value for c in self.jar if c.name == name), None)

    def login(self, email: str, password: str) -> Reply:
        """Log in through the real form (CSRF token from the page); raises when it does not work."""
        page = self.request("/login")
        if page.status != 200:
            raise RuntimeError(f"GET /login answered {page.status}")
        token = parse_form(page.body).csrf_token
        reply = self.request("/login", {"csrf_token": token, "email": email, "password": password}, follow=False)
        if reply.status != 302 or "/login" in reply.headers.get("Location", "/login"):
            raise RuntimeError(
                f"log-in as {email} failed: {reply.status} {reply.headers.get('Location', '')}\n{reply.body[:300]}"
            )
        return reply


@dataclass
class Form:
    csrf_token: str
    hidden: dict
    choices: dict  # input name -> option values (radio, checkbox, select), in page order


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hidden: dict[str, str] = {}
        self.choices: dict[str, list[str]] = {}
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind == "hidden":
                self.hidden.setdefault(a["name"], a.get("value") or "")
            elif kind in ("radio", "checkbox"):
                self.choices.setdefault(a["name"], []).append(a.get("value") or "on")
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
            self.choices.setdefault(self._select, [])
        elif tag == "option" and self._select and a.get("value"):
            self.choices[self._select].append(a["value"])

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def parse_form(html: str) -> Form:
    """The hidden fields (with the CSRF token) and the choices offered on a page."""
    parser = _FormParser()
    parser.feed(html)
    token = parser.hidden.get("csrf_token")
    if not token:
        raise RuntimeError("no csrf_token input on the page")
    return Form(token, parser.hidden, parser.choices)


def valid_answer(form: Form) -> dict:
    """Form fields that answer the question on a quiz page: the first option of each choice."""
    fields = {
        name: values[0]
        for name, values in form.choices.items()
        if values and (name == "answer" or name.startswith("match-"))
    }
    if not fields:
        raise RuntimeError(f"no answer inputs on the question page (found {sorted(form.choices)})")
    return fields
