"""The Flask-free ``certificates`` package: the PDF (text, layout, QR, determinism) and the signed
Open Badges 3.0 credential (eddsa-jcs-2022). No app, no database: data in, bytes out."""
import copy
import datetime
import hashlib
import io
import itertools
import json
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import segno
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from pypdf import PdfReader

from elearn.certificates import (CertificateData, Status, build_credential, issuer_document, jcs, load_or_create_key,
                          public_key_from_multibase, public_key_multibase, render_pdf, sign_credential,
                          unsupported_characters, verify_credential)
from elearn.certificates.credential import b58decode, b58encode
from elearn.certificates.render import FRAME, format_date, format_hours, layout

ROOT = Path(__file__).resolve().parent.parent
URL = "https://kruispunt.example.org/verify/K7QM-2XHD-RW4A-9PLE"
ISSUER = "https://kruispunt.example.org/issuer.json"


def data(**overrides) -> CertificateData:
    values = dict(learner_name="Zoë Şahin-Nowak", path_title="Basis voor jeugd- en welzijnswerkers", hours=4.5,
                  completed_on=datetime.date(2026, 11, 23), issuer="Kruispunt vzw", code="K7QM-2XHD-RW4A-9PLE",
                  verify_url=URL)
    values.update(overrides)
    return CertificateData(**values)


def page_of(pdf: bytes):
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    return reader, reader.pages[0]


def flat(text: str) -> str:
    return "".join(text.split())


# --- the PDF ------------------------------------------------------------------------------------

def test_text_holds_name_title_code_and_facts():
    text = page_of(render_pdf(data()))[1].extract_text()
    for expected in ("Zoë Şahin-Nowak", "Basis voor jeugd- en welzijnswerkers", "K7QM-2XHD-RW4A-9PLE", "Kruispunt",
                     "Getuigschrift", "4,5 uur", "23 november 2026", "Kruispunt vzw", URL):
        assert expected in text


def test_page_is_a4_landscape_with_embedded_fonts_and_metadata():
    reader, page = page_of(render_pdf(data()))
    assert abs(float(page.mediabox.width) - 841.89) < 1 and abs(float(page.mediabox.height) - 595.28) < 1
    for font in page["/Resources"]["/Font"].values():
        font = font.get_object()
        assert "DejaVuSans" in font["/BaseFont"]
        assert "/FontFile2" in font["/DescendantFonts"][0].get_object()["/FontDescriptor"]  # embedded subset
    meta = reader.metadata
    assert meta.title == "Getuigschrift: Basis voor jeugd- en welzijnswerkers" and meta.author == "Kruispunt vzw"
    assert "Zoë Şahin-Nowak" in meta.subject and "K7QM-2XHD-RW4A-9PLE" in meta.subject
    assert meta.creation_date.date() == datetime.date(2026, 11, 23)
    assert reader.trailer["/Root"]["/Lang"] == "nl"


def read_qr(pdf: bytes) -> list[list[bool]]:
    """The module grid of the one image on the page, found without knowing how it was drawn: the
    top edge of the top-left finder pattern is 7 dark modules, which gives the module size."""
    image = page_of(pdf)[1].images[0].image.convert("L")
    dark = [[image.getpixel((x, y)) < 128 for x in range(image.width)] for y in range(image.height)]
    top = next(y for y, row in enumerate(dark) if any(row))
    left = min(row.index(True) for row in dark if any(row))
    run = next(x for x in range(left, image.width) if not dark[top][x]) - left
    module = run / 7
    right = max(len(row) - 1 - row[::-1].index(True) for row in dark if any(row))
    size = round((right - left + 1) / module)
    return [[dark[int(top + (r + .5) * module)][int(left + (c + .5) * module)] for c in range(size)]
            for r in range(size)]


def qr_encodes(grid: list[list[bool]], text: str) -> bool:
    """Whether ``grid`` is the QR symbol of ``text``.

    No QR decoder ships with Python and the suite installs nothing extra, so instead: a QR symbol
    is fully determined by its content, version, error level and mask, and version follows from the
    size. Trying all 4 levels x 8 masks with segno, an exact module-for-module match with one of
    them proves the printed code carries exactly ``text``, whatever settings the renderer chose.
    """
    version = (len(grid) - 17) // 4
    if not 1 <= version <= 40 or len(grid) != 17 + 4 * version:
        return False
    for error, mask in itertools.product("lmqh", range(8)):
        try:
            symbol = segno.make_qr(text, version=version, error=error, mask=mask, boost_error=False)
        except segno.DataOverflowError:
            continue
        if [[bool(bit) for bit in row] for row in symbol.matrix] == grid:
            return True
    return False


def test_qr_code_encodes_exactly_the_verify_url():
    grid = read_qr(render_pdf(data()))
    assert qr_encodes(grid, URL)
    assert not qr_encodes(grid, URL[:-1] + "X") and not qr_encodes(grid, URL + "/")
    other = "https://kruispunt.example.org/verify/AAAA-BBBB-CCCC-DDDD"
    assert qr_encodes(read_qr(render_pdf(data(verify_url=other))), other)


def test_same_data_gives_identical_bytes_even_in_another_process():
    first = render_pdf(data())
    assert render_pdf(data()) == first
    assert render_pdf(data(code="AAAA-2XHD-RW4A-9PLE")) != first
    assert render_pdf(data(completed_on=datetime.date(2026, 11, 24))) != first
    script = ("import datetime, hashlib, sys; from elearn.certificates import CertificateData, render_pdf; "
              f"sys.stdout.write(hashlib.sha256(render_pdf(CertificateData(**{data().__dict__!r}))).hexdigest())")
    for seed in ("1", "2"):  # a re-render after a restart must match the stored file
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}
        out = subprocess.run([sys.executable, "-c", script], env=env, cwd=ROOT, capture_output=True, text=True,
                             check=True, timeout=120).stdout
        assert out == hashlib.sha256(first).hexdigest()


def test_english_labels():
    reader, page = page_of(render_pdf(data(language="en")))
    text = page.extract_text()
    for expected in ("Certificate", "This is to certify that", "has successfully completed the learning path",
                     "Study load", "4.5 hours", "23 November 2026", "Verification code", "Verify this certificate at"):
        assert expected in text
    assert "Getuigschrift" not in text and "uur" not in text
    assert reader.trailer["/Root"]["/Lang"] == "en"
    with pytest.raises(ValueError):
        data(language="fr")


def test_hours_and_dates_without_locale():
    assert [format_hours(h, "nl") for h in (4.5, 12, 0.25, 1)] == ["4,5 uur", "12 uur", "0,25 uur", "1 uur"]
    assert [format_hours(h, "en") for h in (4.5, 12.0, 1.0)] == ["4.5 hours", "12 hours", "1 hour"]
    assert format_date(datetime.date(2026, 3, 1), "nl") == "1 maart 2026"
    assert format_date(datetime.date(2026, 5, 31), "en") == "31 May 2026"


def assert_fits(certificate: CertificateData):
    """One page; every text box inside the frame and no wider than its ink; no two boxes overlap."""
    pdf, boxes = layout(certificate)
    pdf.output()  # also closes the font files
    assert pdf.pages_count == 1
    for box in boxes:
        assert FRAME[0] <= box.x and box.x + box.w <= FRAME[2], box
        assert FRAME[1] <= box.y and box.y + box.h <= FRAME[3], box
        assert box.ink_w <= box.w + 0.01, box
    for a, b in itertools.combinations(boxes, 2):
        apart = a.x + a.w <= b.x or b.x + b.w <= a.x or a.y + a.h <= b.y + 0.01 or b.y + b.h <= a.y + 0.01
        assert apart, (a, b)


@pytest.mark.parametrize("overrides", [
    {},
    {"language": "en"},
    {"learner_name": "Maximiliaan Alexander Constantijn Wolfgang " * 6},  # far beyond the 120 in the database
    {"learner_name": "W" * 300, "path_title": "W" * 400, "issuer": "W" * 300, "code": "W" * 60},
    {"path_title": "Heel lange titel over chemseks en schadebeperking " * 8, "issuer": "Vlaams expertisecentrum " * 9},
    {"learner_name": "", "path_title": "", "issuer": ""},
    {"verify_url": "https://kruispunt.example.org/" + "verify/" * 30 + "K7QM-2XHD-RW4A-9PLE"},
])
def test_long_texts_shrink_or_wrap_and_never_overflow(overrides):
    assert_fits(data(**overrides))


def test_texts_at_the_database_limits_print_in_full():
    name = ("Anna-Maria Véronique Van den Broeck-" * 4)[:120]  # learner_name String(120)
    title = ("Chemseks, schadebeperking en gesprekstechniek voor hulpverleners " * 4)[:200]  # String(200)
    issuer = ("Kruispunt — vorming chemseks, Vlaams Expertisecentrum Alcohol en andere Drugs " * 3)[:200]
    certificate = data(learner_name=name, path_title=title, issuer=issuer)
    assert_fits(certificate)
    text = flat(page_of(render_pdf(certificate))[1].extract_text())
    assert flat(name) in text and flat(title) in text and flat(issuer) in text and "…" not in text


def test_names_in_many_scripts_print():
    names = ["Zoë Şahin-Nowak", "Αλέξανδρος Παπαδόπουλος", "Łukasz Żółć-Brzęczyszczykiewicz", "Дмитрий Соколов",
             "Nguyễn Thị Minh Khai", "Øyvind Ærøskøbing", "Ğülşen Iğdır", "Արամ Պետրոսյան", "ნინო ბერიძე"]
    text = flat(page_of(render_pdf(data(learner_name=" / ".join(names))))[1].extract_text())  # wraps
    for name in names:
        assert flat(name) in text and unsupported_characters(name) == []
    assert unsupported_characters("Ann 山田 אבי محمد") == ["山", "田", "א", "ב", "י", "م", "ح", "د"]
    assert unsupported_characters("Ann ⠁⠃ ᚛ᚁ") == ["⠁", "⠃", "᚛", "ᚁ"]  # Braille, Ogham: not in the cut-down fonts


def test_control_characters_do_not_reach_the_page():
    text = page_of(render_pdf(data(learner_name="Ann\nPeeters\t\x00 ")))[1].extract_text()
    assert "Ann Peeters" in text and "\x00" not in text


# --- the credential -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def key(tmp_path_factory) -> Ed25519PrivateKey:
    return load_or_create_key(tmp_path_factory.mktemp("keys") / "issuer.pem")


def credential(**overrides) -> dict:
    values = dict(credential_id=URL, issuer_id=ISSUER, issuer_name="Kruispunt vzw", learner_name="Zoë Şahin-Nowak",
                  achievement_id="https://kruispunt.example.org/paths/basis", achievement_name="Basis",
                  achievement_description="Leertraject Basis van Kruispunt (4,5 uur).", hours=4.5,
                  issued_on=datetime.date(2026, 11, 23), verify_url=URL)
    values.update(overrides)
    return build_credential(**values)


def signed(key) -> dict:
    return sign_credential(credential(), key, f"{ISSUER}#key-1")


def test_credential_shape():
    document = credential()
    assert document["@context"] == ["https://www.w3.org/ns/credentials/v2",
                                    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
    assert document["type"] == ["VerifiableCredential", "OpenBadgeCredential"] and document["id"] == URL
    assert document["validFrom"] == "2026-11-23T00:00:00Z" and document["issuer"]["id"] == ISSUER
    subject = document["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"] and subject["name"] == "Zoë Şahin-Nowak"
    assert subject["identifier"][0]["identityHash"] == "Zoë Şahin-Nowak"  # OB 3.0: id or identifier
    achievement = subject["achievement"]
    assert achievement["type"] == ["Achievement"] and achievement["name"] == "Basis"
    assert achievement["description"] and "4,5 uur" in achievement["criteria"]["narrative"]
    assert document["evidence"][0]["id"] == URL
    json.dumps(document)  # JSON-able as it is


def test_sign_then_verify_and_the_proof_follows_eddsa_jcs_2022(key):
    document = signed(key)
    result = verify_credential(document, key.public_key())
    assert result.status is Status.VALID and result.ok and ISSUER in result.message
    proof = document["proof"]
    assert proof["type"] == "DataIntegrityProof" and proof["cryptosuite"] == "eddsa-jcs-2022"
    assert proof["proofPurpose"] == "assertionMethod" and proof["verificationMethod"] == f"{ISSUER}#key-1"
    assert proof["created"] == "2026-11-23T00:00:00Z" and proof["proofValue"].startswith("z")
    assert signed(key) == document  # Ed25519 is deterministic: re-signing gives the same document
    # Rebuild the signed bytes from the spec, independently of the module's helpers.
    options = {k: v for k, v in proof.items() if k != "proofValue"} | {"@context": document["@context"]}
    unsigned = {k: v for k, v in document.items() if k != "proof"}
    canonical = lambda v: json.dumps(v, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    message = hashlib.sha256(canonical(options)).digest() + hashlib.sha256(canonical(unsigned)).digest()
    key.public_key().verify(b58decode(proof["proofValue"][1:]), message)  # raises if it does not match


@pytest.mark.parametrize("change", [
    lambda d: d["credentialSubject"].__setitem__("name", "Iemand Anders"),
    lambda d: d["credentialSubject"]["achievement"].__setitem__("name", "Gevorderd"),
    lambda d: d["credentialSubject"].__setitem__("extra", True),
    lambda d: d.__setitem__("validFrom", "2020-01-01T00:00:00Z"),
    lambda d: d["issuer"].__setitem__("name", "Iemand anders vzw"),
    lambda d: d["proof"].__setitem__("created", "2020-01-01T00:00:00Z"),
])
def test_changes_are_tampering(key, change):
    document = signed(key)
    change(document)
    assert verify_credential(document, key.public_key()).status is Status.TAMPERED


def test_every_character_of_the_subject_matters(key):
    document = signed(key)

    def strings(node, path=()):
        if isinstance(node, str):
            yield path
        elif isinstance(node, dict):
            for k, v in node.items():
                yield from strings(v, path + (k,))
        elif isinstance(node, list):
            for i, v in enumerate(node):
                yield from strings(v, path + (i,))

    checked = 0
    for path in strings(document["credentialSubject"]):
        parent = document["credentialSubject"]
        for step in path[:-1]:
            parent = parent[step]
        original = parent[path[-1]]
        for i in range(len(original)):
            parent[path[-1]] = original[:i] + chr(ord(original[i]) ^ 1) + original[i + 1:]
            assert verify_credential(document, key.public_key()).status is Status.TAMPERED, (path, i)
            checked += 1
        parent[path[-1]] = original
    assert checked > 200 and verify_credential(document, key.public_key()).ok


def test_a_changed_proof_value_or_another_key_fails(key, tmp_path):
    document = signed(key)
    value = document["proof"]["proofValue"]
    for i in (1, len(value) // 2, len(value) - 1):
        broken = copy.deepcopy(document)
        broken["proof"]["proofValue"] = value[:i] + ("2" if value[i] != "2" else "3") + value[i + 1:]
        assert verify_credential(broken, key.public_key()).status in (Status.TAMPERED, Status.INVALID)
    other = load_or_create_key(tmp_path / "other.pem")
    assert verify_credential(document, other.public_key()).status is Status.TAMPERED


@pytest.mark.parametrize("change, public_key", [
    (lambda d: d.pop("proof"), None),
    (lambda d: d.__setitem__("proof", "z123"), None),
    (lambda d: d["proof"].__setitem__("cryptosuite", "eddsa-rdfc-2022"), None),
    (lambda d: d["proof"].__setitem__("type", "Ed25519Signature2020"), None),
    (lambda d: d["proof"].__setitem__("proofPurpose", "authentication"), None),
    (lambda d: d["proof"].__setitem__("proofValue", "u" + d["proof"]["proofValue"][1:]), None),
    (lambda d: d["proof"].__setitem__("proofValue", d["proof"]["proofValue"] + "0"), None),  # not base58
    (lambda d: d["proof"].__setitem__("proofValue", d["proof"]["proofValue"][:40]), None),
    (lambda d: d["proof"].__setitem__("proofValue", 12345), None),
    (lambda d: d["credentialSubject"].__setitem__("hours", float("nan")), None),
    (lambda d: None, "z6MkNotAKey"),
    (lambda d: None, 42),
])
def test_malformed_documents_are_invalid_not_errors(key, change, public_key):
    document = signed(key)
    change(document)
    result = verify_credential(document, public_key or key.public_key())
    assert result.status is Status.INVALID and result.message
    assert verify_credential("not a credential", key).status is Status.INVALID


def test_key_file_is_stable_private_and_shared(tmp_path):
    path = tmp_path / "instance" / "keys" / "issuer.pem"
    first = load_or_create_key(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")  # PKCS8, not encrypted
    assert public_key_multibase(load_or_create_key(path)) == public_key_multibase(first)
    assert list(path.parent.iterdir()) == [path]  # no temporary files left

    racing, keys = tmp_path / "race.pem", []
    threads = [threading.Thread(target=lambda: keys.append(public_key_multibase(load_or_create_key(racing))))
               for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(keys) == 8 and len(set(keys)) == 1 and keys[0] == public_key_multibase(load_or_create_key(racing))

    (tmp_path / "x25519.pem").write_bytes(X25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    with pytest.raises(TypeError):
        load_or_create_key(tmp_path / "x25519.pem")


def test_multibase_and_base58(key):
    multibase = public_key_multibase(key)
    assert multibase.startswith("z6Mk") and len(multibase) == 48
    assert public_key_multibase(public_key_from_multibase(multibase)) == multibase
    assert b58encode(b"Hello World!") == "2NEpo7TZRRrLZSi2U"  # draft-msporny-base58 examples
    assert b58encode(bytes.fromhex("0000287fb4cd")) == "11233QC4"
    assert b58decode("11233QC4") == bytes.fromhex("0000287fb4cd")
    with pytest.raises(ValueError):
        public_key_from_multibase("z" + b58encode(b"\xe7\x01" + bytes(33)))  # secp256k1, not Ed25519


def test_issuer_profile_publishes_the_key(key):
    profile = issuer_document(ISSUER, "Kruispunt vzw", key)
    assert profile["id"] == ISSUER and profile["type"] == ["Profile"] and profile["name"] == "Kruispunt vzw"
    method = profile["verificationMethod"][0]
    assert method == {"id": f"{ISSUER}#key-1", "type": "Multikey", "controller": ISSUER,
                      "publicKeyMultibase": public_key_multibase(key)}
    assert profile["assertionMethod"] == [f"{ISSUER}#key-1"]
    published = json.loads(json.dumps(profile))["verificationMethod"][0]["publicKeyMultibase"]
    assert verify_credential(signed(key), published).ok  # a verifier needs nothing but the profile


def test_jcs_matches_rfc_8785():
    sample = {"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
              "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"/", "literals": [None, True, False]}
    assert jcs(sample) == ('{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],'
                           '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}').encode()  # RFC 8785 §3.2.4
    keys = {"\u20ac": 0, "\r": 0, "\ufb33": 0, "1": 0, "\U0001f600": 0, "\u0080": 0, "\u00f6": 0}
    assert list(json.loads(jcs(keys))) == ["\r", "1", "\u0080", "\u00f6", "\u20ac", "\U0001f600", "\ufb33"]  # §3.2.3
    assert [jcs(v) for v in (4.0, -0.0, 1e21, 1e-7, 0.000001, 5e-324)] == \
        [b"4", b"0", b"1e+21", b"1e-7", b"0.000001", b"5e-324"]
    with pytest.raises(ValueError):
        jcs(float("inf"))
