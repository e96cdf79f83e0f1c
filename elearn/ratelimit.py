"""Rate limits shared by every worker, how long to wait, and the growing delay on one account.

Flask-Limiter counts requests per IP address (and per address typed into a form) in its
storage: ``memory://`` by default, which is private to one process, so with several workers
each one counts on its own. :func:`warn_about_private_storage` says so at start-up.

:class:`AccountThrottle` slows password guessing on one account without locking its owner out:
after a few failures each further failure makes the account wait longer (15 s, 30 s, 1 min, ...
up to 15 min) before the next try; the right password after the wait signs in. It keeps its
counters in the limiter's storage, keyed by a hash of the address, whether or not an account
exists (so the delay does not reveal which addresses have one).
"""

from __future__ import annotations

import hashlib
import logging
import math
import os
import shlex
import sys
import time
from datetime import timedelta

from flask import Flask, current_app
from flask_babel import format_timedelta

from .extensions import limiter

log = logging.getLogger(__name__)

#: the clock of the account throttle (tests move it forward)
clock = time.time


def retry_after_seconds() -> int | None:
    """Seconds until the limit that refused this request lets the next one through, or None."""
    current = limiter.current_limit if limiter.enabled else None
    if current is None or not current.breached:
        return None
    return max(1, math.ceil(current.reset_at - time.time()))


def format_wait(seconds: int) -> str:
    """``seconds`` as words in the user's language, rounded up ("45 seconden", "3 minuten")."""
    seconds = max(1, int(math.ceil(seconds)))
    if seconds < 120:
        return format_timedelta(timedelta(seconds=seconds), threshold=1000, granularity="second")
    if seconds < 2 * 3600:
        return format_timedelta(timedelta(minutes=math.ceil(seconds / 60)), threshold=1000, granularity="minute")
    return format_timedelta(timedelta(hours=math.ceil(seconds / 3600)), threshold=1000, granularity="hour")


class AccountThrottle:
    """Growing delays after failed logins for one e-mail address (see the module docstring)."""

    #: failures allowed before the first delay
    FREE = 3
    #: the first delay, doubled on every further failure
    BASE = 15
    #: the longest delay
    MAX = 15 * 60
    #: failures are forgotten this long after the last one
    MEMORY = 24 * 3600

    def __init__(self, email: str):
        digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
        self.failures_key = f"kp-login-failures/{digest}"
        self.until_key = f"kp-login-until/{digest}"

    @property
    def _storage(self):
        return limiter.storage

    def wait(self) -> int:
        """Seconds this address must still wait before its next try (0: it may try now)."""
        if not current_app.config.get("RATELIMIT_ENABLED", True):
            return 0
        until = self._storage.get(self.until_key)
        return max(0, math.ceil(until - clock())) if until else 0

    def failed(self) -> int:
        """Count a failure; return the delay it starts (0 while failures are still free)."""
        if not current_app.config.get("RATELIMIT_ENABLED", True):
            return 0
        failures = self._storage.incr(self.failures_key, self.MEMORY)
        if failures <= self.FREE:
            return 0
        delay = min(self.BASE * 2 ** (failures - self.FREE - 1), self.MAX)
        until = int(clock()) + delay
        self._storage.clear(self.until_key)
        # The value is the moment the wait ends; the key expires a little after it.
        self._storage.incr(self.until_key, delay + 60, amount=until)
        return delay

    def succeeded(self) -> None:
        """A correct password: forget the failures."""
        if current_app.config.get("RATELIMIT_ENABLED", True):
            self._storage.clear(self.failures_key)
            self._storage.clear(self.until_key)


def configured_workers(argv: list[str] | None = None, environ: dict | None = None) -> int:
    """How many worker processes the server says it runs (gunicorn's -w/--workers, WEB_CONCURRENCY).

    1 when nothing says otherwise (the development server, a single gunicorn worker).
    """
    argv = sys.argv if argv is None else argv
    environ = os.environ if environ is None else environ
    args: list[str] = []
    if argv and "gunicorn" in os.path.basename(argv[0]):
        args = shlex.split(environ.get("GUNICORN_CMD_ARGS", "")) + list(argv[1:])
    workers = environ.get("WEB_CONCURRENCY", "")
    for i, arg in enumerate(args):
        if arg in ("-w", "--workers") and i + 1 < len(args):
            workers = args[i + 1]
        elif arg.startswith("--workers="):
            workers = arg.split("=", 1)[1]
        elif arg.startswith("-w") and len(arg) > 2:
            workers = arg[2:]
    try:
        return max(int(workers), 1)
    except ValueError:
        return 1


def warn_about_private_storage(app: Flask, workers: int | None = None) -> bool:
    """Log a warning when several workers would each keep their own rate-limit counters.

    Returns True when it warned.
    """
    workers = configured_workers() if workers is None else workers
    uri = app.config.get("RATELIMIT_STORAGE_URI") or "memory://"
    if workers > 1 and uri.startswith("memory://") and app.config.get("RATELIMIT_ENABLED", True):
        app.logger.warning(
            "Rate limits: %d workers with ELEARN_RATELIMIT_STORAGE_URI=memory:// keep %d separate sets of "
            "counters, so every limit is %d times higher and a restarted worker forgets its counts. Set "
            "ELEARN_RATELIMIT_STORAGE_URI to a shared storage, e.g. redis://127.0.0.1:6379/0.",
            workers,
            workers,
            workers,
        )
        return True
    return False
