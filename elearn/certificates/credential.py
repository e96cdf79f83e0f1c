"""Open Badges 3.0 credentials (W3C Verifiable Credentials 2.0) signed with Ed25519, and the W3C
Bitstring Status List credential that tells whether they were revoked.

Proofs follow the W3C Data Integrity ``eddsa-rdfc-2022`` cryptosuite: the proof configuration and
the credential are each canonicalised with RDFC-1.0 (:mod:`.jsonld`, contexts bundled) and hashed
with SHA-256; the two hashes, configuration first, are signed. ``proof`` is an array, as the
1EdTech schema wants. The issuer is a ``did:key``: any verifier resolves the key offline from the
identifier itself, and ``/issuer.json`` lists every key the issuer has used.
"""

from __future__ import annotations

import base64
import copy
import datetime
import enum
import gzip
import hashlib
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

import base58
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from .data import format_hours, timestamp
from .jsonld import CID_V1, OB_V3, VC_V2, ContextError, canonize, undefined_terms

#: the 1EdTech validator type of ``credentialSchema`` is in no published context: defined inline
SCHEMA_VALIDATOR = "1EdTechJsonSchemaValidator2019"
CONTEXT = [VC_V2, OB_V3, {SCHEMA_VALIDATOR: f"https://purl.imsglobal.org/spec/vc/ob/vocab.html#{SCHEMA_VALIDATOR}"}]
SCHEMA = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
CRYPTOSUITE = "eddsa-rdfc-2022"
_ED25519_PUB = b"\xed\x01"  # multicodec ed25519-pub
#: bits in one status list: the spec's minimum (16 KiB), for herd privacy
STATUS_LIST_SIZE = 131072
#: odd, so index = (n × multiplier) mod size is a permutation: every certificate its own bit
_STATUS_SPREAD = 48271


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
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
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
    return "z" + base58.b58encode(_ED25519_PUB + raw).decode("ascii")


def public_key_from_multibase(value: str) -> Ed25519PublicKey:
    """Inverse of :func:`public_key_multibase`; ValueError when it is not an Ed25519 multikey."""
    if not isinstance(value, str) or not value.startswith("z"):
        raise ValueError("not base58btc multibase")
    raw = base58.b58decode(value[1:])
    if not raw.startswith(_ED25519_PUB) or len(raw) != 34:
        raise ValueError("not an Ed25519 multikey")
    return Ed25519PublicKey.from_public_bytes(raw[2:])


def did_key(key) -> str:
    """The ``did:key`` identifier of an Ed25519 key (``did:key:z6Mk…``)."""
    return f"did:key:{public_key_multibase(key)}"


def verification_method(key) -> str:
    """The ``did:key`` verification method of a key: ``did:key:z6Mk…#z6Mk…``."""
    multibase = public_key_multibase(key)
    return f"did:key:{multibase}#{multibase}"


def key_from_verification_method(method: str) -> Ed25519PublicKey:
    """The public key a ``did:key`` verification method names; ValueError for anything else."""
    if not isinstance(method, str) or not method.startswith("did:key:"):
        raise ValueError("the verification method is not a did:key")
    did, _, fragment = method[len("did:key:") :].partition("#")
    if fragment and fragment != did:
        raise ValueError("the did:key fragment does not name its own key")
    return public_key_from_multibase(did)


def public_keys_from_file(path: Path) -> list[Ed25519PublicKey]:
    """The keys in an issuer profile (``/issuer.json``: every ``publicKeyMultibase``) or a PEM file."""
    data = Path(path).read_bytes()
    if data.lstrip().startswith(b"{"):
        profile = json.loads(data)
        return [
            public_key_from_multibase(method["publicKeyMultibase"]) for method in profile.get("verificationMethod", [])
        ]
    if b"PUBLIC" in data:
        return [_public(serialization.load_pem_public_key(data))]
    return [_public(serialization.load_pem_private_key(data, password=None))]


# --- documents --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Issuer:
    """Who issues: the organisation's details as they appear in credentials and ``/issuer.json``."""

    name: str
    url: str
    email: str = ""
    description: str = ""

    def profile(self, key) -> dict:
        """The issuer's Profile as embedded in a credential: its ``id`` is the key's did:key."""
        profile = {"id": did_key(key), "type": ["Profile"], "name": self.name, "url": self.url}
        if self.email:
            profile["email"] = self.email
        if self.description:
            profile["description"] = self.description
        return profile


def issuer_document(issuer: Issuer, key, retired_keys=()) -> dict:
    """The issuer profile to publish at ``/issuer.json``: the Profile of the current key's did:key,
    listing as verification methods (CID 1.0 Multikey) the current key and every retired one, so
    credentials signed before a key rotation can still be traced to this issuer."""
    methods = []
    for each in [key, *retired_keys]:
        methods.append(
            {
                "id": verification_method(each),
                "type": "Multikey",
                "controller": did_key(each),
                "publicKeyMultibase": public_key_multibase(each),
            }
        )
    return {
        "@context": [VC_V2, OB_V3, CID_V1],
        **issuer.profile(key),
        "verificationMethod": methods,
        "assertionMethod": [method["id"] for method in methods],
    }


def status_position(number: int) -> tuple[int, int]:
    """(list number, index in that list) of the ``number``-th certificate (its database id).

    Consecutive certificates land far apart in the list. The permutation is fixed and public, so
    it does not hide issue order from someone who knows it; the list's size (the spec's minimum)
    is what gives herd privacy."""
    if number < 0:
        raise ValueError("certificate numbers start at 0")
    return number // STATUS_LIST_SIZE + 1, (number % STATUS_LIST_SIZE) * _STATUS_SPREAD % STATUS_LIST_SIZE


def status_entry(list_url: str, index: int) -> dict:
    """The ``credentialStatus`` of a credential: bit ``index`` of the revocation list at ``list_url``."""
    return {
        "id": f"{list_url}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": str(index),
        "statusListCredential": list_url,
    }


def build_credential(
    *,
    credential_id: str,
    issuer: Issuer,
    key,
    learner_name: str | None,
    achievement_id: str,
    achievement_name: str,
    achievement_description: str,
    hours: float,
    issued_at: datetime.datetime,
    verify_url: str,
    modules: list[str] | tuple[str, ...] = (),
    status: dict | None = None,
) -> dict:
    """An unsigned OpenBadgeCredential for one completed learning path (no floats in it).

    ``issued_at`` is the exact issue moment (UTC): it becomes ``validFrom``. A holder who erased
    their account (``learner_name`` None) is named nowhere in it.
    """
    subject: dict = {"type": ["AchievementSubject"]}
    if learner_name:
        subject["name"] = learner_name
        # OB 3.0 B.1.3: a subject needs an id or an identifier; learners have no public id.
        subject["identifier"] = [
            {"type": "IdentityObject", "identityType": "name", "hashed": False, "identityHash": learner_name}
        ]
    else:
        subject["identifier"] = [
            {"type": "IdentityObject", "identityType": "identifier", "hashed": False, "identityHash": credential_id}
        ]
    covered = f" Modules: {'; '.join(modules)}." if modules else ""
    subject["achievement"] = {
        "id": achievement_id,
        "type": ["Achievement"],
        "achievementType": "LearningProgram",
        "name": achievement_name,
        "description": achievement_description,
        "criteria": {
            "narrative": "Alle modules, toetsen, casussen, de eindtoets en de zelfinschatting van het "
            f"leertraject afgerond; studiebelasting {format_hours(hours, 'nl')}.{covered}"
        },
    }
    credential = {
        "@context": copy.deepcopy(CONTEXT),
        "id": credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": achievement_name,
        "issuer": issuer.profile(key),
        "validFrom": timestamp(issued_at),
        "credentialSubject": subject,
        "evidence": [{"id": verify_url, "type": ["Evidence"], "name": "Openbare controlepagina"}],
        "credentialSchema": [{"id": SCHEMA, "type": SCHEMA_VALIDATOR}],
    }
    if status:
        credential["credentialStatus"] = status
    return credential


def encode_status_list(revoked: set[int] | frozenset[int], size: int = STATUS_LIST_SIZE) -> str:
    """The ``encodedList`` of a Bitstring Status List: bit ``i`` (first bit = most significant bit
    of the first byte) set for each index in ``revoked``, GZIP-compressed, multibase base64url."""
    bits = bytearray(size // 8)
    for index in revoked:
        if not 0 <= index < size:
            raise ValueError(f"status index {index} outside the list")
        bits[index // 8] |= 0x80 >> (index % 8)
    packed = gzip.compress(bytes(bits), compresslevel=9, mtime=0)  # mtime 0: the same bits, the same bytes
    return "u" + base64.urlsafe_b64encode(packed).decode("ascii").rstrip("=")


def decode_status_list(encoded: str) -> bytes:
    """The bitstring of an ``encodedList``; ValueError when it is malformed."""
    if not isinstance(encoded, str) or not encoded.startswith("u"):
        raise ValueError("encodedList is not multibase base64url")
    try:
        data = base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4))
        return gzip.decompress(data)
    except (ValueError, OSError, EOFError) as error:
        raise ValueError(f"encodedList cannot be decoded: {error}") from None


def status_bit(bitstring: bytes, index: int) -> bool:
    """Whether bit ``index`` of a decoded status list is set; IndexError outside the list."""
    if not 0 <= index < len(bitstring) * 8:
        raise IndexError(f"status index {index} outside a list of {len(bitstring) * 8} bits")
    return bool(bitstring[index // 8] & (0x80 >> (index % 8)))


def build_status_list(
    *, list_url: str, issuer: Issuer, key, revoked: set[int] | frozenset[int], valid_from: datetime.datetime
) -> dict:
    """The unsigned BitstringStatusListCredential (revocation) published at ``list_url``."""
    return {
        "@context": [VC_V2],
        "id": list_url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": did_key(key),
        "validFrom": timestamp(valid_from),
        "credentialSubject": {
            "id": f"{list_url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encode_status_list(revoked),
        },
    }


# --- proofs ------------------------------------------------------------------------------------


def _hash_data(document: dict, proof_config: dict, extra=None) -> bytes:
    """eddsa-rdfc-2022 hash data: SHA-256 of the canonical proof configuration, then of the document."""
    return (
        hashlib.sha256(canonize(proof_config, extra).encode("utf-8")).digest()
        + hashlib.sha256(canonize(document, extra).encode("utf-8")).digest()
    )


def sign_credential(
    credential: dict, key: Ed25519PrivateKey, created: str | None = None, *, extra_contexts: dict | None = None
) -> dict:
    """A copy of ``credential`` with a DataIntegrityProof (eddsa-rdfc-2022) by ``key``'s did:key.

    ``created`` defaults to the credential's ``validFrom``, so signing is repeatable: the same
    credential and key give the same document (Ed25519 signatures are deterministic). ValueError
    when a term or type of the credential is not defined by its contexts (safe mode).
    """
    document = copy.deepcopy(credential)
    document.pop("proof", None)
    undefined = undefined_terms(document, extra_contexts)
    if undefined:
        raise ValueError(f"terms not defined by the credential's contexts: {', '.join(undefined)}")
    proof = {
        "type": "DataIntegrityProof",
        "cryptosuite": CRYPTOSUITE,
        "created": created or document.get("validFrom") or timestamp(datetime.datetime.now(datetime.UTC)),
        "verificationMethod": verification_method(key),
        "proofPurpose": "assertionMethod",
        "@context": copy.deepcopy(document["@context"]),
    }
    signature = key.sign(_hash_data(document, proof, extra_contexts))
    document["proof"] = [{**proof, "proofValue": "z" + base58.b58encode(signature).decode("ascii")}]
    return document


class Status(enum.Enum):
    VALID = "valid"
    TAMPERED = "tampered"  # well formed, but the signature does not match (changed, or another key)
    INVALID = "invalid"  # malformed: no proof, another cryptosuite, a broken proof value or key
    UNTRUSTED = "untrusted"  # a correct signature, by a key that is not one of the issuer's


@dataclass(frozen=True)
class VerificationResult:
    status: Status
    message: str

    @property
    def ok(self) -> bool:
        return self.status is Status.VALID


def _proofs(document) -> list | None:
    proof = document.get("proof") if isinstance(document, dict) else None
    if isinstance(proof, dict):
        return [proof]
    if isinstance(proof, list) and proof and all(isinstance(p, dict) for p in proof):
        return proof
    return None


def verify_credential(
    document: dict, trusted_keys=None, *, extra_contexts: dict | None = None, issuer_must_match: bool = True
) -> VerificationResult:
    """Check every proof of a credential (eddsa-rdfc-2022, did:key).

    ``trusted_keys``: the issuer's keys (keys or their multibase); a correct signature by any
    other key is UNTRUSTED. None accepts any did:key (the signature alone is checked). Each proof's
    verification method must belong to the credential's issuer (unless ``issuer_must_match`` is
    false, as for the W3C test vectors, whose issuer is an https URL).
    """

    def invalid(message: str) -> VerificationResult:
        return VerificationResult(Status.INVALID, message)

    proofs = _proofs(document)
    if not proofs:
        return invalid("the credential has no proof")
    try:
        trusted = None if trusted_keys is None else {public_key_multibase(k) for k in trusted_keys}
    except (TypeError, ValueError):
        return invalid("a trusted key is not an Ed25519 key")
    credential = {k: v for k, v in document.items() if k != "proof"}
    issuer = credential.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    try:
        undefined = undefined_terms(credential, extra_contexts)
    except ContextError as error:
        return invalid(f"the credential cannot be processed offline: {error}")
    if undefined:
        return invalid(f"terms not defined by the credential's contexts: {', '.join(undefined)}")
    methods = []
    for proof in proofs:
        if proof.get("type") != "DataIntegrityProof" or proof.get("cryptosuite") != CRYPTOSUITE:
            return invalid(f"unsupported proof type or cryptosuite (expected {CRYPTOSUITE})")
        if proof.get("proofPurpose") != "assertionMethod":
            return invalid("the proof purpose is not assertionMethod")
        method = proof.get("verificationMethod")
        try:
            public_key = key_from_verification_method(method)
        except ValueError as error:
            return invalid(str(error))
        if issuer_must_match and method.partition("#")[0] != issuer_id:
            return invalid("the proof's key does not belong to the credential's issuer")
        value = proof.get("proofValue")
        try:
            signature = base58.b58decode(value[1:]) if isinstance(value, str) and value.startswith("z") else b""
        except ValueError:
            signature = b""
        if len(signature) != 64:
            return invalid("the proof value is not a base58btc Ed25519 signature")
        options = {k: v for k, v in proof.items() if k != "proofValue"}
        if "@context" in options and options["@context"] != credential.get("@context"):
            return invalid("the proof context does not match the credential")
        options["@context"] = credential.get("@context")
        try:
            message = _hash_data(credential, options, extra_contexts)
        except ContextError as error:
            return invalid(f"the credential cannot be canonicalised: {error}")
        try:
            public_key.verify(signature, message)
        except InvalidSignature:
            return VerificationResult(
                Status.TAMPERED, "the signature does not match: the credential was changed or signed with another key"
            )
        if trusted is not None and public_key_multibase(public_key) not in trusted:
            return VerificationResult(Status.UNTRUSTED, f"signed by {method}, which is not a key of this issuer")
        methods.append(method)
    return VerificationResult(Status.VALID, f"signed by {', '.join(methods)}")
