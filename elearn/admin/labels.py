"""Readable names for the audit log's event codes and details, in the reader's language."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l

from .forms import ROLE_CHOICES

EVENT_LABELS = {
    "account.registered": _l("Account aangemaakt"),
    "login.succeeded": _l("Aangemeld"),
    "login.failed": _l("Aanmelden mislukt"),
    "password.reset_requested": _l("Nieuw wachtwoord aangevraagd"),
    "password.reset": _l("Wachtwoord opnieuw ingesteld"),
    "password.changed": _l("Wachtwoord gewijzigd"),
    "role.changed": _l("Rol gewijzigd"),
    "data.exported": _l("Gegevens geëxporteerd"),
    "data.erased": _l("Account gewist"),
    "certificate.issued": _l("Attest uitgereikt"),
    "certificate.revoked": _l("Attest ingetrokken"),
    "cohort.invites_sent": _l("Uitnodigingen verstuurd"),
}
EXPORT_LABELS = {"learners": _l("deelnemerstabel"), "items": _l("itemanalyse")}
_ROLE_CHANGE = re.compile(r"^(\w+) -> (\w+)$")
_EXPORT = re.compile(r"^(learners|items) (csv|xlsx)$")


def event_label(code: str) -> str:
    """The event's name for people; an unknown code is shown as it is."""
    return str(EVENT_LABELS.get(code, code))


def event_details(code: str, details: str) -> str:
    """Details made readable where their form is known (role changes, exports)."""
    roles = dict(ROLE_CHOICES)
    match = _ROLE_CHANGE.match(details or "")
    if code == "role.changed" and match and match.group(1) in roles and match.group(2) in roles:
        return f"{roles[match.group(1)]} → {roles[match.group(2)]}"
    match = _EXPORT.match(details or "")
    if code == "data.exported" and match:
        return f"{EXPORT_LABELS[match.group(1)]} ({match.group(2).upper()})"
    return details or ""
