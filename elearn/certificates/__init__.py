"""Certificates without Flask: data in, PDF bytes out, plus the signed Open Badges 3.0 credential.

``render_pdf(CertificateData(...))`` gives a deterministic A4 landscape PDF; ``build_credential``,
``sign_credential`` and ``verify_credential`` handle the Ed25519 (eddsa-jcs-2022) credential whose
issuer key ``load_or_create_key`` keeps and ``issuer_document`` publishes.
"""
from .credential import (Status, VerificationResult, build_credential, issuer_document, jcs, load_or_create_key,
                         public_key_from_multibase, public_key_multibase, sign_credential, verify_credential)
from .data import CertificateData
from .render import render_pdf, unsupported_characters

__all__ = [
    "CertificateData", "Status", "VerificationResult", "build_credential", "issuer_document", "jcs",
    "load_or_create_key", "public_key_from_multibase", "public_key_multibase", "render_pdf", "sign_credential",
    "unsupported_characters", "verify_credential",
]
