"""What a certificate says."""
from __future__ import annotations

import datetime
from dataclasses import dataclass

LANGUAGES = ("nl", "en")


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

    def __post_init__(self):
        if self.language not in LANGUAGES:
            raise ValueError(f"language must be one of {LANGUAGES}, not {self.language!r}")
