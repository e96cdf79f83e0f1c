"""Open Badges 3.0 credentials (W3C Verifiable Credentials) signed with Ed25519.

The proof follows the Data Integrity ``eddsa-jcs-2022`` cryptosuite: the credential and the proof
options are canonicalised with JCS (RFC 8785), hashed with SHA-256 and signed. Our documents hold
only strings, integers and short decimals, for which sorted-key compact JSON is the JCS form.
"""
from __future__ import annotations

import copy
import datetime
import enum
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_ED25519_PUB = b"\xed\x01"  # multicodec prefix


def b58encode(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    out = ""
    while number:
        number, rest = divmod(number, 58)
        out = _B58[rest] + out
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + out


def b58decode(text: str) -> bytes:
    number = 0
    for char in text:
        number = number * 58 + _B58.index(char)  # ValueError on a character outside the alphabet
    body = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return b"\0" * (len(text) - len(text.lstrip("1"))) + body


def load_or_create_key(path: Path) -> Ed25519PrivateKey:
    """The issuer's signing key from a PEM file, created (mode 0600) on first use."""
    path = Path(path)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(pem)
        tmp.chmod(0o600)
        tmp.replace(path)
    return serialization.load_pem_private_key(path.read_bytes(), password=None)


def public_key_multibase(key) -> str:
    """Multibase (base58btc, 'z') of the multicodec Ed25519 public key; starts with 'z6Mk'."""
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "z" + b58encode(_ED25519_PUB + raw)


def public_key_from_multibase(value: str) -> Ed25519PublicKey:
    if not value.startswith("z"):
        raise ValueError("not base58btc multibase")
    raw = b58decode(value[1:])
    if not raw.startswith(_ED25519_PUB) or len(raw) != 34:
        raise ValueError("not an Ed25519 multikey")
    return Ed25519PublicKey.from_public_bytes(raw[2:])


def public_key_from_file(path: Path) -> Ed25519PublicKey:
    """A public key from an issuer profile (JSON with publicKeyMultibase) or a PEM file."""
    data = Path(path).read_bytes()
    if data.lstrip().startswith(b"{"):
        profile = json.loads(data)
        methods = profile.get("verificationMethod") or []
        return public_key_from_multibase(methods[0]["publicKeyMultibase"])
    key = serialization.load_pem_public_key(data) if b"PUBLIC" in data else \
        serialization.load_pem_private_key(data, password=None).public_key()
    return key


def issuer_document(issuer_id: str, issuer_name: str, key) -> dict:
    """The issuer profile published at ``issuer_id``, with its verification key."""
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2",
                     "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "id": issuer_id,
        "type": ["Profile"],
        "name": issuer_name,
        "verificationMethod": [{
            "id": f"{issuer_id}#key-1", "type": "Multikey", "controller": issuer_id,
            "publicKeyMultibase": public_key_multibase(key),
        }],
    }


def build_credential(*, credential_id: str, issuer_id: str, issuer_name: str, learner_name: str,
                     achievement_id: str, achievement_name: str, achievement_description: str,
                     hours: float, issued_on: datetime.date, verify_url: str) -> dict:
    """An unsigned OpenBadgeCredential for one completed learning path."""
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2",
                     "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "id": credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": achievement_name,
        "issuer": {"id": issuer_id, "type": ["Profile"], "name": issuer_name},
        "validFrom": f"{issued_on.isoformat()}T00:00:00Z",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "name": learner_name,
            "achievement": {
                "id": achievement_id,
                "type": ["Achievement"],
                "name": achievement_name,
                "description": achievement_description,
                "criteria": {"narrative": f"Alle modules, toetsen, casussen, de eindtoets en de zelfinschatting "
                                          f"van het leertraject afgerond; studiebelasting {hours:g} uur."},
            },
        },
        "evidence": [{"id": verify_url, "type": ["Evidence"], "name": "Openbare controlepagina"}],
    }


def _jcs(value) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def _signing_input(credential: dict, options: dict) -> bytes:
    return hashlib.sha256(_jcs(options)).digest() + hashlib.sha256(_jcs(credential)).digest()


def sign_credential(credential: dict, key: Ed25519PrivateKey, verification_method: str,
                    created: str | None = None) -> dict:
    """A copy of ``credential`` with a DataIntegrityProof (eddsa-jcs-2022)."""
    document = copy.deepcopy(credential)
    document.pop("proof", None)
    options = {
        "type": "DataIntegrityProof", "cryptosuite": "eddsa-jcs-2022",
        "created": created or document.get("validFrom") or datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "verificationMethod": verification_method, "proofPurpose": "assertionMethod",
        "@context": document["@context"],
    }
    signature = key.sign(_signing_input(document, options))
    document["proof"] = {**{k: v for k, v in options.items() if k != "@context"}, "proofValue": "z" + b58encode(signature)}
    return document


class Status(enum.Enum):
    VALID = "valid"
    TAMPERED = "tampered"
    INVALID = "invalid"


@dataclass(frozen=True)
class VerificationResult:
    status: Status
    message: str

    @property
    def ok(self) -> bool:
        return self.status is Status.VALID


def verify_credential(document: dict, public_key) -> VerificationResult:
    """Check the proof of a credential against the issuer's public key."""
    if isinstance(public_key, Ed25519PrivateKey):
        public_key = public_key.public_key()
    proof = document.get("proof") if isinstance(document, dict) else None
    if not isinstance(proof, dict):
        return VerificationResult(Status.INVALID, "the credential has no proof")
    if proof.get("type") != "DataIntegrityProof" or proof.get("cryptosuite") != "eddsa-jcs-2022":
        return VerificationResult(Status.INVALID, "unsupported proof type or cryptosuite")
    value = proof.get("proofValue", "")
    try:
        signature = b58decode(value[1:]) if value.startswith("z") else None
    except ValueError:
        signature = None
    if not signature or len(signature) != 64:
        return VerificationResult(Status.INVALID, "the proof value is not a base58btc Ed25519 signature")
    credential = {k: v for k, v in document.items() if k != "proof"}
    options = {k: v for k, v in proof.items() if k != "proofValue"}
    options["@context"] = credential.get("@context")
    try:
        public_key.verify(signature, _signing_input(credential, options))
    except InvalidSignature:
        return VerificationResult(Status.TAMPERED, "the signature does not match: the credential was changed "
                                                   "or signed with another key")
    return VerificationResult(Status.VALID, f"signed by {proof.get('verificationMethod')}")
