"""What a certificate says."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

LANGUAGES = ("nl", "en")
HOUR_UNITS = {"nl": ("uur", "uur"), "en": ("hour", "hours")}


@dataclass(frozen=True)
class CertificateData:
    """The printed facts; ``language`` picks the fixed labels (``nl`` or ``en``)."""

    learner_name: str
    path_title: str
    hours: float
    completed_on: datetime.date
    issuer: str
    code: str
    verify_url: str
    language: str = "nl"
    #: (title, minutes) of each module covered
    modules: tuple[tuple[str, int], ...] = ()
    post_test_percent: int | None = None
    issuer_address: str = ""
    issuer_company_number: str = ""
    issuer_email: str = ""
    issuer_url: str = ""
    signatory_name: str = ""
    signatory_role: str = ""
    #: PNG files from the operator's certificate assets, or None
    logo: str | None = None
    signature: str | None = None

    def __post_init__(self):
        if self.language not in LANGUAGES:
            raise ValueError(f"language must be one of {LANGUAGES}, not {self.language!r}")


def format_hours(hours: float, language: str) -> str:
    """``4,5 uur`` (nl) or ``4.5 hours`` / ``1 hour`` (en); at most two decimals."""
    number = f"{hours:.2f}".rstrip("0").rstrip(".")
    singular, plural = HOUR_UNITS[language]
    unit = singular if number == "1" else plural
    return f"{number.replace('.', ',') if language == 'nl' else number} {unit}"


def timestamp(moment: datetime.datetime) -> str:
    """An XML Schema dateTime in UTC, to the second (naive values are taken as UTC)."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(datetime.UTC).replace(tzinfo=None)
    return moment.replace(microsecond=0).isoformat() + "Z"
