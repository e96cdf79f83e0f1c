"""The whole check of a credential a third party hands us: proofs, schema and revocation status.

Flask-free: the caller says which keys are the issuer's and how to fetch a status list
credential (the CLI serves this installation's lists from its database, others over HTTPS).
"""

from __future__ import annotations

import datetime
import functools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import jsonschema

from .credential import Status, VerificationResult, decode_status_list, status_bit, verify_credential

SCHEMA_FILE = Path(__file__).resolve().parent / "assets" / "schema" / "ob-v3p0-achievementcredential-constraints.json"
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$")
_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")

_formats = jsonschema.FormatChecker(formats=())


@_formats.checks("uri")
def _is_uri(value) -> bool:
    return not isinstance(value, str) or bool(_URI.match(value))


@_formats.checks("date-time")
def _is_date_time(value) -> bool:
    if not isinstance(value, str):
        return True
    if not _DATE_TIME.match(value):
        return False
    try:
        datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


@functools.lru_cache(maxsize=1)
def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json.loads(SCHEMA_FILE.read_text(encoding="utf-8")), format_checker=_formats)


def schema_problems(document) -> list[str]:
    """What the Open Badges 3.0 AchievementCredential schema constraints reject, one line each."""
    problems = []
    for error in sorted(_validator().iter_errors(document), key=lambda e: list(e.absolute_path)):
        where = "/".join(str(part) for part in error.absolute_path) or "(document)"
        problems.append(f"{where}: {error.message}")
    return problems


class Revocation:
    NOT_REVOKED = "not revoked"
    REVOKED = "revoked"
    UNKNOWN = "unknown"


@dataclass
class Report:
    proof: VerificationResult
    schema: list[str] = field(default_factory=list)
    status: str = Revocation.UNKNOWN
    status_detail: str = ""

    @property
    def ok(self) -> bool:
        """Proofs valid, schema satisfied, and the status list says it is not revoked."""
        return self.proof.ok and not self.schema and self.status == Revocation.NOT_REVOKED

    def lines(self) -> list[str]:
        schema = "valid" if not self.schema else "invalid: " + "; ".join(self.schema)
        status = self.status + (f" ({self.status_detail})" if self.status_detail else "")
        return [f"proof: {self.proof.status.value}: {self.proof.message}", f"schema: {schema}", f"status: {status}"]


def check_status(document: dict, trusted_keys, fetch: Callable[[str], dict | None]) -> tuple[str, str]:
    """(Revocation state, detail) from the credential's BitstringStatusListEntry.

    ``fetch(url)`` returns the status list credential, or None when it cannot be had. The list's
    own proof must be valid and by one of ``trusted_keys``."""
    entries = document.get("credentialStatus")
    entries = entries if isinstance(entries, list) else [entries] if entries else []
    entries = [
        e
        for e in entries
        if isinstance(e, dict)
        and e.get("type") == "BitstringStatusListEntry"
        and e.get("statusPurpose") == "revocation"
    ]
    if not entries:
        return Revocation.UNKNOWN, "the credential has no revocation status entry"
    entry = entries[0]
    url = entry.get("statusListCredential")
    try:
        index = int(entry.get("statusListIndex"))
    except (TypeError, ValueError):
        return Revocation.UNKNOWN, "the status list index is not a number"
    listed = fetch(url) if isinstance(url, str) else None
    if listed is None:
        return Revocation.UNKNOWN, f"the status list {url} could not be fetched"
    result = verify_credential(listed, trusted_keys)
    if not result.ok:
        return Revocation.UNKNOWN, f"the status list {url} does not verify: {result.message}"
    subject = listed.get("credentialSubject") or {}
    if subject.get("statusPurpose") != "revocation" or listed.get("id") != url:
        return Revocation.UNKNOWN, f"{url} is not the revocation list the credential names"
    try:
        revoked = status_bit(decode_status_list(subject.get("encodedList")), index)
    except (ValueError, IndexError) as error:
        return Revocation.UNKNOWN, str(error)
    since = f", list valid from {listed.get('validFrom')}" if revoked else ""
    return (Revocation.REVOKED if revoked else Revocation.NOT_REVOKED), f"bit {index} of {url}{since}"


def check(document, trusted_keys, fetch: Callable[[str], dict | None]) -> Report:
    """Proofs (eddsa-rdfc-2022 by one of ``trusted_keys``), schema and revocation of ``document``."""
    if not isinstance(document, dict):
        return Report(VerificationResult(Status.INVALID, "not a JSON object"), ["(document): not a JSON object"])
    report = Report(verify_credential(document, trusted_keys), schema_problems(document))
    report.status, report.status_detail = check_status(document, trusted_keys, fetch)
    return report
