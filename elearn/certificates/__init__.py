"""Certificates without Flask: data in, PDF bytes out, plus the signed Open Badges 3.0 credential.

``render_pdf(CertificateData(...))`` gives a deterministic A4 landscape PDF (an "attest");
``build_credential``, ``sign_credential`` and ``verify_credential`` handle the Ed25519
(eddsa-rdfc-2022) credential, ``build_status_list`` the W3C Bitstring Status List that revokes it,
``issuer_document`` the issuer profile listing the keys ``load_or_create_key`` keeps.
"""

from .credential import (
    Issuer,
    Status,
    VerificationResult,
    build_credential,
    build_status_list,
    did_key,
    issuer_document,
    load_or_create_key,
    public_key_from_multibase,
    public_key_multibase,
    sign_credential,
    status_entry,
    status_position,
    verify_credential,
)
from .data import CertificateData
from .render import render_pdf, unsupported_characters

__all__ = [
    "CertificateData",
    "Issuer",
    "Status",
    "VerificationResult",
    "build_credential",
    "build_status_list",
    "did_key",
    "issuer_document",
    "load_or_create_key",
    "public_key_from_multibase",
    "public_key_multibase",
    "render_pdf",
    "sign_credential",
    "status_entry",
    "status_position",
    "unsupported_characters",
    "verify_credential",
]
