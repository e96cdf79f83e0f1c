"""Open Badges 3.0 credentials (W3C Verifiable Credentials 2.0) signed with Ed25519.

The proof follows the Data Integrity ``eddsa-jcs-2022`` cryptosuite: the proof options and the
credential are each canonicalised with JCS (RFC 8785) and hashed with SHA-256; the two hashes,
options first, are signed. ``jcs`` below is a complete JCS for JSON data (ES6 number format,
UTF-16 key order), so documents with any JSON numbers canonicalise as other implementations do.
"""
from __future__ import annotations

import copy
import datetime
import enum
import hashlib
import json
import math
import os
import secrets
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from .data import format_hours

CONTEXT = ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
SCHEMA = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
CRYPTOSUITE = "eddsa-jcs-2022"
_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_ED25519_PUB = b"\xed\x01"  # multicodec ed25519-pub


def b58encode(data: bytes) -> str:
    """Base58 (Bitcoin alphabet); leading zero bytes become '1'."""
    number, out = int.from_bytes(data, "big"), ""
    while number:
        number, rest = divmod(number, 58)
        out = _B58[rest] + out
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + out


def b58decode(text: str) -> bytes:
    """Inverse of :func:`b58encode`; ValueError on a character outside the alphabet."""
    number = 0
    for char in text:
        number = number * 58 + _B58.index(char)
    body = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return b"\0" * (len(text) - len(text.lstrip("1"))) + body


# --- keys -------------------------------------------------------------------------------------

def load_or_create_key(path: Path) -> Ed25519PrivateKey:
    """The issuer's signing key from a PKCS8 PEM file, created (mode 0600) on first use.

    Creation is atomic and never replaces an existing file, so concurrent workers that start
    at once all end up with the one key that was written first.
    """
    path = Path(path)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # never readable by others
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(pem)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(tmp, 0o600)
            try:
                os.link(tmp, path)  # fails if another process created the key meanwhile
            except FileExistsError:
                pass
            except OSError:  # a file system without hard links
                if not path.exists():
                    os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise TypeError(f"{path} does not hold an Ed25519 private key")
    return key


def _public(key) -> Ed25519PublicKey:
    if isinstance(key, Ed25519PrivateKey):
        return key.public_key()
    if isinstance(key, str):
        return public_key_from_multibase(key)
    if isinstance(key, Ed25519PublicKey):
        return key
    raise TypeError("expected an Ed25519 key or its publicKeyMultibase")


def public_key_multibase(key) -> str:
    """Multibase (base58btc, 'z') of the multicodec Ed25519 public key; starts with 'z6Mk'."""
    raw = _public(key).public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "z" + b58encode(_ED25519_PUB + raw)


def public_key_from_multibase(value: str) -> Ed25519PublicKey:
    """Inverse of :func:`public_key_multibase`; ValueError when it is not an Ed25519 multikey."""
    if not isinstance(value, str) or not value.startswith("z"):
        raise ValueError("not base58btc multibase")
    raw = b58decode(value[1:])
    if not raw.startswith(_ED25519_PUB) or len(raw) != 34:
        raise ValueError("not an Ed25519 multikey")
    return Ed25519PublicKey.from_public_bytes(raw[2:])


def public_key_from_file(path: Path) -> Ed25519PublicKey:
    """A public key from an issuer profile (JSON with publicKeyMultibase) or a PEM file."""
    data = Path(path).read_bytes()
    if data.lstrip().startswith(b"{"):
        return public_key_from_multibase(json.loads(data)["verificationMethod"][0]["publicKeyMultibase"])
    if b"PUBLIC" in data:
        return _public(serialization.load_pem_public_key(data))
    return _public(serialization.load_pem_private_key(data, password=None))


# --- documents --------------------------------------------------------------------------------

def issuer_document(issuer_id: str, issuer_name: str, key) -> dict:
    """The issuer profile to publish at ``issuer_id``, with its verification key ``#key-1``."""
    method = f"{issuer_id}#key-1"
    return {
        "@context": list(CONTEXT),
        "id": issuer_id,
        "type": ["Profile"],
        "name": issuer_name,
        "verificationMethod": [{"id": method, "type": "Multikey", "controller": issuer_id,
                                "publicKeyMultibase": public_key_multibase(key)}],
        "assertionMethod": [method],
    }


def build_credential(*, credential_id: str, issuer_id: str, issuer_name: str, learner_name: str,
                     achievement_id: str, achievement_name: str, achievement_description: str,
                     hours: float, issued_on: datetime.date, verify_url: str) -> dict:
    """An unsigned OpenBadgeCredential for one completed learning path (no floats in it)."""
    return {
        "@context": list(CONTEXT),
        "id": credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": achievement_name,
        "issuer": {"id": issuer_id, "type": ["Profile"], "name": issuer_name},
        "validFrom": f"{issued_on.isoformat()}T00:00:00Z",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "name": learner_name,
            # OB 3.0 B.1.3: a subject needs an id or an identifier; learners have no public id.
            "identifier": [{"type": "IdentityObject", "identityType": "name", "hashed": False,
                            "identityHash": learner_name}],
            "achievement": {
                "id": achievement_id,
                "type": ["Achievement"],
                "achievementType": "LearningProgram",
                "name": achievement_name,
                "description": achievement_description,
                "criteria": {"narrative": "Alle modules, toetsen, casussen, de eindtoets en de zelfinschatting "
                                          f"van het leertraject afgerond; studiebelasting {format_hours(hours, 'nl')}."},
            },
        },
        "evidence": [{"id": verify_url, "type": ["Evidence"], "name": "Openbare controlepagina"}],
        "credentialSchema": [{"id": SCHEMA, "type": "1EdTechJsonSchemaValidator2019"}],
    }


# --- JCS (RFC 8785) ----------------------------------------------------------------------------

def _number(value: float) -> str:
    """A number as ECMAScript's Number.prototype.toString writes it (RFC 8785 §3.2.2.3)."""
    if not math.isfinite(value):
        raise ValueError("JSON has no NaN or Infinity")
    if value == 0:
        return "0"
    parts = Decimal(repr(abs(value))).normalize().as_tuple()  # repr: the shortest round-trip digits
    digits = "".join(map(str, parts.digits))
    k, n = len(digits), parts.exponent + len(digits)  # value = 0.digits × 10^n
    if k <= n <= 21:
        text = digits + "0" * (n - k)
    elif 0 < n <= 21:
        text = f"{digits[:n]}.{digits[n:]}"
    elif -6 < n <= 0:
        text = "0." + "0" * -n + digits
    else:
        mantissa = digits[0] + (f".{digits[1:]}" if k > 1 else "")
        text = f"{mantissa}e{'+' if n - 1 >= 0 else '-'}{abs(n - 1)}"
    return ("-" if value < 0 else "") + text


def _jcs_text(value) -> str:
    if value is None or isinstance(value, bool):
        return {None: "null", True: "true", False: "false"}[value]
    if isinstance(value, int):
        return str(value) if abs(value) < 2 ** 53 else _number(float(value))
    if isinstance(value, float):
        return _number(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(_jcs_text(item) for item in value) + "]"
    if isinstance(value, dict):
        if not all(isinstance(key, str) for key in value):
            raise TypeError("JSON object keys must be strings")
        keys = sorted(value, key=lambda key: key.encode("utf-16-be"))  # UTF-16 code unit order
        return "{" + ",".join(f"{json.dumps(key, ensure_ascii=False)}:{_jcs_text(value[key])}" for key in keys) + "}"
    raise TypeError(f"not JSON: {type(value).__name__}")


def jcs(value) -> bytes:
    """The RFC 8785 canonical UTF-8 form of a JSON value."""
    return _jcs_text(value).encode("utf-8")


# --- proofs ------------------------------------------------------------------------------------

def _signing_input(credential: dict, options: dict) -> bytes:
    return hashlib.sha256(jcs(options)).digest() + hashlib.sha256(jcs(credential)).digest()


def sign_credential(credential: dict, key: Ed25519PrivateKey, verification_method: str,
                    created: str | None = None) -> dict:
    """A copy of ``credential`` with a DataIntegrityProof (eddsa-jcs-2022).

    ``created`` defaults to the credential's ``validFrom``, so signing is repeatable: the same
    credential and key give the same document (Ed25519 signatures are deterministic).
    """
    document = copy.deepcopy(credential)
    document.pop("proof", None)
    proof = {
        "type": "DataIntegrityProof", "cryptosuite": CRYPTOSUITE,
        "created": created or document.get("validFrom")
        or datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "verificationMethod": verification_method, "proofPurpose": "assertionMethod",
    }
    options = {**proof, "@context": document["@context"]}  # the proof configuration that is hashed
    document["proof"] = {**proof, "proofValue": "z" + b58encode(key.sign(_signing_input(document, options)))}
    return document


class Status(enum.Enum):
    VALID = "valid"
    TAMPERED = "tampered"  # well formed, but the signature does not match (changed, or another key)
    INVALID = "invalid"  # malformed: no proof, another cryptosuite, a broken proof value or key


@dataclass(frozen=True)
class VerificationResult:
    status: Status
    message: str

    @property
    def ok(self) -> bool:
        return self.status is Status.VALID


def verify_credential(document: dict, public_key) -> VerificationResult:
    """Check the proof of a credential against the issuer's public key (or its multibase)."""
    def invalid(message: str) -> VerificationResult:
        return VerificationResult(Status.INVALID, message)

    try:
        public_key = _public(public_key)
    except (TypeError, ValueError):
        return invalid("the public key is not an Ed25519 key")
    proof = document.get("proof") if isinstance(document, dict) else None
    if not isinstance(proof, dict):
        return invalid("the credential has no proof")
    if proof.get("type") != "DataIntegrityProof" or proof.get("cryptosuite") != CRYPTOSUITE:
        return invalid(f"unsupported proof type or cryptosuite (expected {CRYPTOSUITE})")
    if proof.get("proofPurpose") != "assertionMethod":
        return invalid("the proof purpose is not assertionMethod")
    value = proof.get("proofValue")
    try:
        signature = b58decode(value[1:]) if isinstance(value, str) and value.startswith("z") else b""
    except ValueError:
        signature = b""
    if len(signature) != 64:
        return invalid("the proof value is not a base58btc Ed25519 signature")
    credential = {k: v for k, v in document.items() if k != "proof"}
    options = {k: v for k, v in proof.items() if k != "proofValue"}
    if "@context" in options:  # eddsa-jcs-2022: the document's context must start with the proof's
        context = credential.get("@context")
        if not isinstance(context, list) or context[:len(options["@context"])] != options["@context"]:
            return invalid("the proof context does not match the credential")
    options["@context"] = credential.get("@context")
    try:
        message = _signing_input(credential, options)
    except (TypeError, ValueError) as error:
        return invalid(f"the credential is not canonical JSON: {error}")
    try:
        public_key.verify(signature, message)
    except InvalidSignature:
        return VerificationResult(Status.TAMPERED, "the signature does not match: the credential was changed "
                                                   "or signed with another key")
    return VerificationResult(Status.VALID, f"signed by {proof.get('verificationMethod')}")
