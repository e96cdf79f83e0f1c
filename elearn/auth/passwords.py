"""Password policy: length and a list of common passwords."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from flask_babel import lazy_gettext as _l

MIN_LENGTH = 10

#: the rule as a form states it beside the field
PASSWORD_HINT = _l("Minstens %(num)s tekens, geen veelgebruikt wachtwoord.", num=MIN_LENGTH)
#: why a password is refused, shown by the forms and (in English) by ``elearn create-user``
PASSWORD_MESSAGES = {
    "too_short": _l("Kies een wachtwoord van minstens %(num)s tekens.", num=MIN_LENGTH),
    "common": _l("Dit wachtwoord komt te vaak voor. Kies iets dat moeilijker te raden is."),
    "email": _l("Je wachtwoord mag niet je e-mailadres zijn."),
    "repetitive": _l("Dit wachtwoord is te eenvoudig. Gebruik meer verschillende tekens."),
}


@lru_cache(maxsize=1)
def _common() -> frozenset[str]:
    path = Path(__file__).with_name("common_passwords.txt")
    return frozenset(line.strip().lower() for line in path.read_text().splitlines() if line.strip())


def password_problem(password: str, email: str = "") -> str | None:
    """Return why the password is too weak (a key of ``PASSWORD_MESSAGES``), or None."""
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
