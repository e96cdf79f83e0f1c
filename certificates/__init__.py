"""Certificates without Flask: render the PDF, build, sign and verify the Open Badges credential."""
from .credential import (Status, VerificationResult, build_credential, issuer_document, load_or_create_key,
                         public_key_multibase, sign_credential, verify_credential)
from .data import CertificateData
from .render import render_pdf

__all__ = [
    "CertificateData", "Status", "VerificationResult", "build_credential", "issuer_document",
    "load_or_create_key", "public_key_multibase", "render_pdf", "sign_credential", "verify_credential",
]
