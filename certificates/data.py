"""What a certificate says."""
from __future__ import annotations

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class CertificateData:
    learner_name: str
    path_title: str
    hours: float
    completed_on: datetime.date
    issuer: str
    code: str
    verify_url: str
    language: str = "nl"  # nl | en: the fixed labels on the certificate
