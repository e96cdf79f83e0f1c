"""Issued credentials checked by code this project did not write, and by the Open Badges schema.

- The Digital Credentials Consortium's verifier-core (npm ``@digitalcredentials/verifier-core``,
  behind the Learner Credential Wallet), run by Node, offline: ``tests/verifier/`` pins it in a
  lock file; the first test here runs ``npm ci`` when ``node_modules`` is missing. Skipped only
  when Node is not installed.
- The constraints of the 1EdTech OB 3.0 AchievementCredential JSON schema
  (``elearn/certificates/assets/schema/``; the schema itself is under 1EdTech's specification
  licence, so its constraints are restated there and each is tested below).
"""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
from pathlib import Path

import helpers
import pytest
from conftest import post_form

from elearn.certificates.check import schema_problems
from elearn.extensions import db
from elearn.models import Certificate

VERIFIER = Path(__file__).resolve().parent / "verifier"
BASE = "https://kruispunt.example.org"
NODE = shutil.which("node")


@pytest.fixture(scope="session")
def verifier_core():
    """The path of the Node script, with verifier-core installed from the lock file."""
    if NODE is None:
        pytest.skip("Node.js is not installed: the independent verifier (verifier-core) cannot run")
    if not (VERIFIER / "node_modules" / "@digitalcredentials" / "verifier-core").is_dir():
        npm = shutil.which("npm")
        assert npm, "Node is installed but npm is not: install npm to set up tests/verifier"
        subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund"], cwd=VERIFIER, check=True, timeout=600, capture_output=True
        )
    return VERIFIER / "verify.mjs"


def run_verifier(script: Path, tmp_path: Path, credentials: list[dict], documents: dict) -> tuple[list[dict], list]:
    """verifier-core's response for each credential, and the URLs it asked for that were refused."""
    (tmp_path / "input.json").write_text(json.dumps({"credentials": credentials, "documents": documents}))
    done = subprocess.run(
        [NODE, str(script), str(tmp_path / "input.json")],
        cwd=VERIFIER,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    output = json.loads(done.stdout)
    return output["results"], output["refused"]


def steps(result: dict) -> dict:
    return {step["id"]: step.get("valid") for step in result.get("log", [])}


def issued(app, learner) -> tuple[Certificate, dict]:
    helpers.complete_path(app, learner)
    learner.get("/paths/proefpad")
    with app.app_context():
        cert = db.session.query(Certificate).filter_by(user_id=learner.user_id).one()
    return cert, learner.get(f"/certificates/{cert.code}.json").get_json()


def status_documents(client, credential) -> dict:
    url = credential["credentialStatus"]["statusListCredential"]
    return {url: client.get(url.removeprefix(BASE)).get_json()}


def one_character_changes(credential: dict):
    """Copies of ``credential`` with one character of one string changed, for every string outside
    the proof (the middle character; type names and URLs included)."""

    def strings(node, path=()):
        if isinstance(node, str):
            yield path
        elif isinstance(node, dict):
            for key, value in node.items():
                yield from strings(value, path + (key,))
        elif isinstance(node, list):
            for i, value in enumerate(node):
                yield from strings(value, path + (i,))

    for path in strings({k: v for k, v in credential.items() if k != "proof"}):
        changed = copy.deepcopy(credential)
        parent = changed
        for step in path[:-1]:
            parent = parent[step]
        text = parent[path[-1]]
        i = len(text) // 2
        parent[path[-1]] = text[:i] + chr(ord(text[i]) ^ 1) + text[i + 1 :]
        yield "/".join(map(str, path)), changed


def test_verifier_core_accepts_the_credential_rejects_every_change_and_sees_revocation(
    app, learner, admin, client, verifier_core, tmp_path
):
    from elearn.certificates import verify_credential

    cert, credential = issued(app, learner)
    changes = list(one_character_changes(credential))
    assert len(changes) > 30
    [result], refused = run_verifier(verifier_core, tmp_path, [credential], status_documents(client, credential))
    assert "errors" not in result, result
    valid = steps(result)
    assert valid["valid_signature"] is True and valid["revocation_status"] is True and valid["expiration"] is True
    # Offline: the issuer is a did:key, the contexts are bundled in the verifier, the status list is served
    # here; the only other request is its optional download of the OB schema, refused.
    assert set(refused) <= {
        "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
    }
    results, _refused = run_verifier(
        verifier_core, tmp_path, [c for _, c in changes], status_documents(client, credential)
    )
    for (where, changed), result in zip(changes, results, strict=True):
        assert "errors" in result or steps(result).get("valid_signature") is False, where  # the DCC verifier
        assert not verify_credential(changed).ok, where  # and ours
    post_form(admin, f"/certificates/{cert.code}/revoke", {"reason": "Vergissing"})
    [revoked], _refused = run_verifier(verifier_core, tmp_path, [credential], status_documents(client, credential))
    assert steps(revoked)["valid_signature"] is True and steps(revoked)["revocation_status"] is False


def test_the_issued_credential_meets_the_schema_constraints(app, learner):
    _cert, credential = issued(app, learner)
    assert schema_problems(credential) == []


def valid_credential() -> dict:
    """A credential as the app issues it (shape only; the proof is not checked by the schema)."""
    return {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
            {
                "1EdTechJsonSchemaValidator2019": "https://purl.imsglobal.org/spec/vc/ob/vocab.html#1EdTechJsonSchemaValidator2019"
            },
        ],
        "id": f"{BASE}/verify/AAAA-BBBB-CCCC-DDDD",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": "Basis",
        "issuer": {"id": "did:key:z6Mkabc", "type": ["Profile"], "name": "Kruispunt vzw", "url": BASE},
        "validFrom": "2026-11-22T23:30:15Z",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "name": "Lea",
            "identifier": [{"type": "IdentityObject", "identityType": "name", "hashed": False, "identityHash": "Lea"}],
            "achievement": {
                "id": f"{BASE}/paths/basis",
                "type": ["Achievement"],
                "name": "Basis",
                "description": "d",
                "criteria": {"narrative": "n"},
            },
        },
        "evidence": [{"id": f"{BASE}/verify/AAAA-BBBB-CCCC-DDDD", "type": ["Evidence"]}],
        "credentialSchema": [
            {
                "id": "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json",
                "type": "1EdTechJsonSchemaValidator2019",
            }
        ],
        "credentialStatus": {"id": f"{BASE}/status/revocation/1#5", "type": "BitstringStatusListEntry"},
        "proof": [
            {
                "type": "DataIntegrityProof",
                "cryptosuite": "eddsa-rdfc-2022",
                "created": "2026-11-22T23:30:15Z",
                "verificationMethod": "did:key:z6Mkabc#z6Mkabc",
                "proofPurpose": "assertionMethod",
                "proofValue": "z5",
            }
        ],
    }


def _without(key):
    return lambda d: d.pop(key)


@pytest.mark.parametrize(
    "where, change",
    [
        ("(document)", _without("@context")),
        ("@context", lambda d: d.__setitem__("@context", ["https://www.w3.org/ns/credentials/v2"])),
        ("@context/0", lambda d: d["@context"].reverse()),
        (
            "@context/1",
            lambda d: d["@context"].__setitem__(1, "https://purl.imsglobal.org/spec/ob/v3p0/context.jsonld"),
        ),
        ("id", lambda d: d.__setitem__("id", "not a uri")),
        ("type", lambda d: d.__setitem__("type", ["VerifiableCredential"])),
        ("type", lambda d: d.__setitem__("type", ["OpenBadgeCredential"])),
        ("type", lambda d: d.__setitem__("type", "OpenBadgeCredential")),
        ("(document)", _without("name")),
        ("(document)", _without("issuer")),
        ("issuer", lambda d: d["issuer"].pop("id")),
        ("issuer/type", lambda d: d["issuer"].__setitem__("type", ["Organisation"])),
        ("(document)", _without("validFrom")),
        ("validFrom", lambda d: d.__setitem__("validFrom", "2026-11-23")),
        ("validFrom", lambda d: d.__setitem__("validFrom", "2026-13-40T00:00:00Z")),
        ("(document)", _without("credentialSubject")),
        ("credentialSubject", lambda d: d["credentialSubject"].pop("identifier")),
        ("credentialSubject/type", lambda d: d["credentialSubject"].__setitem__("type", ["Person"])),
        ("credentialSubject/identifier/0", lambda d: d["credentialSubject"]["identifier"][0].pop("hashed")),
        (
            "credentialSubject/identifier/0/type",
            lambda d: d["credentialSubject"]["identifier"][0].__setitem__("type", "Identity"),
        ),
        ("credentialSubject/identifier/0", lambda d: d["credentialSubject"]["identifier"][0].__setitem__("extra", 1)),
        ("credentialSubject", lambda d: d["credentialSubject"].pop("achievement")),
        ("credentialSubject/achievement", lambda d: d["credentialSubject"]["achievement"].pop("criteria")),
        ("credentialSubject/achievement", lambda d: d["credentialSubject"]["achievement"].pop("description")),
        (
            "credentialSubject/achievement/type",
            lambda d: d["credentialSubject"]["achievement"].__setitem__("type", ["Badge"]),
        ),
        (
            "credentialSubject/achievement/criteria",
            lambda d: d["credentialSubject"]["achievement"].__setitem__("criteria", {}),
        ),
        ("evidence", lambda d: d.__setitem__("evidence", {"type": ["Evidence"]})),
        ("evidence/0/type", lambda d: d["evidence"][0].__setitem__("type", ["Proof"])),
        ("credentialSchema/0", lambda d: d["credentialSchema"][0].pop("type")),
        ("credentialStatus", lambda d: d["credentialStatus"].pop("id")),
        ("proof", lambda d: d.__setitem__("proof", d["proof"][0])),
        ("proof/0", lambda d: d["proof"][0].pop("type")),
        ("proof/0/created", lambda d: d["proof"][0].__setitem__("created", "yesterday")),
        ("proof/0/verificationMethod", lambda d: d["proof"][0].__setitem__("verificationMethod", "key 1")),
    ],
)
def test_each_schema_constraint_is_enforced(where, change):
    document = valid_credential()
    assert schema_problems(document) == []
    change(document)
    problems = schema_problems(document)
    assert problems and any(p.startswith(f"{where}:") for p in problems), problems
