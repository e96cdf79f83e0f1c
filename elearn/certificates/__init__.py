"""Certificates without Flask: data in, PDF bytes out, plus the signed Open Badges 3.0 credential.

``render_pdf(CertificateData(...))`` gives a deterministic A4 landscape PDF (an "attest");
``build_credential``, ``sign_credential`` and ``verify_credential`` handle the Ed25519
(eddsa-rdfc-2022) credential, ``build_status_list`` the W3C Bitstring Status List that revokes it,
``issuer_document`` the issuer profile listing the keys ``load_or_create_key`` keeps.
"""

import importlib

#: public name -> submodule that defines it; loaded on first use, so importing this package (and
#: its light ``data`` module) does not load fpdf2, cryptography and pyld at start-up
_HOMES = {
    "Issuer": "credential",
    "Status": "credential",
    "VerificationResult": "credential",
    "build_credential": "credential",
    "build_status_list": "credential",
    "did_key": "credential",
    "issuer_document": "credential",
    "load_or_create_key": "credential",
    "public_key_from_multibase": "credential",
    "public_key_multibase": "credential",
    "sign_credential": "credential",
    "status_entry": "credential",
    "status_position": "credential",
    "verify_credential": "credential",
    "STATUS_LIST_SIZE": "credential",
    "public_keys_from_file": "credential",
    "CertificateData": "data",
    "fingerprint": "render",
    "render_pdf": "render",
    "unsupported_characters": "render",
}


def __getattr__(name: str):
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{home}", __name__), name)
    globals()[name] = value
    return value


__all__ = sorted(_HOMES)
