"""Password policy: length and a list of common passwords."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

MIN_LENGTH = 10


@lru_cache(maxsize=1)
def _common() -> frozenset[str]:
    path = Path(__file__).with_name("common_passwords.txt")
    return frozenset(line.strip().lower() for line in path.read_text().splitlines() if line.strip())


def password_problem(password: str, email: str = "") -> str | None:
    """Return a reason the password is too weak (a translatable Dutch message id), or None."""
    if len(password) < MIN_LENGTH:
        return "too_short"
    lowered = password.lower()
    if lowered in _common() or lowered.rstrip("0123456789!") in _common():
        return "common"
    if email and lowered == email.lower():
        return "email"
    if len(set(password)) < 4:
        return "repetitive"
    return None
