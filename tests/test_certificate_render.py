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
from dataclasses import replace
from pathlib import Path

import base58
import pytest
import segno
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from pypdf import PdfReader

from elearn.certificates import (
    CertificateData,
    Issuer,
    Status,
    build_credential,
    build_status_list,
    did_key,
    issuer_document,
    load_or_create_key,
    public_key_from_multibase,
    public_key_multibase,
    render_pdf,
    sign_credential,
    status_entry,
    status_position,
    unsupported_characters,
    verify_credential,
)
from elearn.certificates.credential import decode_status_list, encode_status_list, public_keys_from_file, status_bit
from elearn.certificates.jsonld import ContextError, canonize, undefined_terms
from elearn.certificates.render import FRAME, format_date, format_hours, layout

ROOT = Path(__file__).resolve().parent.parent
URL = "https://kruispunt.example.org/verify/K7QM-2XHD-RW4A-9PLE"


def data(**overrides) -> CertificateData:
    values = dict(
        learner_name="Zoë Şahin-Nowak",
        path_title="Basis voor jeugd- en welzijnswerkers",
        hours=4.5,
        completed_on=datetime.date(2026, 11, 23),
        issuer="Kruispunt vzw",
        code="K7QM-2XHD-RW4A-9PLE",
        verify_url=URL,
    )
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
    for expected in (
        "Zoë Şahin-Nowak",
        "Basis voor jeugd- en welzijnswerkers",
        "K7QM-2XHD-RW4A-9PLE",
        "Kruispunt",
        "Attest",
        "4,5 uur",
        "23 november 2026",
        "Kruispunt vzw",
        URL,
        "toegankelijke webpagina",
    ):
        assert expected in text
    assert "Getuigschrift" not in text  # in Flanders that word suggests an official qualification


def test_organisation_signatory_modules_and_final_test(tmp_path):
    from PIL import Image

    Image.new("RGB", (300, 100), (11, 92, 107)).save(tmp_path / "logo.png")
    Image.new("RGB", (300, 100), (29, 29, 31)).save(tmp_path / "signature.png")
    certificate = data(
        modules=(("Chemseks: de basis", 90), ("Schadebeperking", 120), ("Gesprek en consent", 60)),
        post_test_percent=85,
        issuer_address="Voorbeeldstraat 1, 1000 Brussel",
        issuer_company_number="0123.456.789",
        issuer_email="info@kruispunt.example.org",
        issuer_url="https://kruispunt.example.org",
        signatory_name="An Peeters",
        signatory_role="Coördinator vorming",
        logo=str(tmp_path / "logo.png"),
        signature=str(tmp_path / "signature.png"),
    )
    assert_fits(certificate)
    reader, page = page_of(render_pdf(certificate))
    text = flat(page.extract_text())
    for expected in (
        "Chemseks: de basis (1,5 uur); Schadebeperking (2 uur); Gesprek en consent (1 uur)",
        "Eindtoets behaald met 85 %",
        "Voorbeeldstraat 1, 1000 Brussel",
        "ondernemingsnummer 0123.456.789",
        "info@kruispunt.example.org",
        "An Peeters",
        "Coördinator vorming",
    ):
        assert flat(expected) in text
    assert len(page.images) == 3  # logo, signature, QR code
    english = flat(page_of(render_pdf(replace(certificate, language="en")))[1].extract_text())
    assert flat("Final test passed with 85%") in english and flat("company number 0123.456.789") in english
    assert flat("Schadebeperking (2 hours)") in english


def test_page_is_a4_landscape_with_embedded_fonts_and_metadata():
    pdf = render_pdf(data())
    reader, page = page_of(pdf)
    assert abs(float(page.mediabox.width) - 841.89) < 1 and abs(float(page.mediabox.height) - 595.28) < 1
    tags = set()
    for font in page["/Resources"]["/Font"].values():
        font = font.get_object()
        tag, _, name = str(font["/BaseFont"]).lstrip("/").partition("+")
        assert len(tag) == 6 and tag.isalpha() and tag.isupper() and name.startswith("DejaVuSans")
        descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        assert "/FontFile2" in descriptor and str(descriptor["/FontName"]).lstrip("/") == f"{tag}+{name}"
        tags.add(tag)
    assert len(tags) == 2  # each subset its own tag (PDF 32000-1 9.6.4)
    assert b"MPDFAA" not in pdf
    meta = reader.metadata
    assert meta.title == "Attest: Basis voor jeugd- en welzijnswerkers" and meta.author == "Kruispunt vzw"
    assert "Zoë Şahin-Nowak" in meta.subject and "K7QM-2XHD-RW4A-9PLE" in meta.subject
    assert meta.creation_date.date() == datetime.date(2026, 11, 23)
    assert reader.trailer["/Root"]["/Lang"] == "nl"
    xmp = reader.xmp_metadata
    assert xmp.dc_title == {"x-default": "Attest: Basis voor jeugd- en welzijnswerkers"}
    assert xmp.dc_creator == ["Kruispunt vzw"] and xmp.dc_language == ["nl"]
    assert xmp.dc_description["x-default"] == meta.subject
    assert xmp.xmp_create_date.date() == datetime.date(2026, 11, 23) and xmp.pdf_producer == "Kruispunt"
    links = [a.get_object()["/A"]["/URI"] for a in page["/Annots"]]
    assert URL in links  # the accessible version: the verify page, linked from the text and the QR code
    assert render_pdf(data(learner_name="Iemand Anders")).count(b"+DejaVuSansBold") == pdf.count(b"+DejaVuSansBold")


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
    return [
        [dark[int(top + (r + 0.5) * module)][int(left + (c + 0.5) * module)] for c in range(size)] for r in range(size)
    ]


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
    script = (
        "import datetime, hashlib, sys; from elearn.certificates import CertificateData, render_pdf; "
        f"sys.stdout.write(hashlib.sha256(render_pdf(CertificateData(**{data().__dict__!r}))).hexdigest())"
    )
    for seed in ("1", "2"):  # a re-render after a restart must match the stored file
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}
        out = subprocess.run(
            [sys.executable, "-c", script], env=env, cwd=ROOT, capture_output=True, text=True, check=True, timeout=120
        ).stdout
        assert out == hashlib.sha256(first).hexdigest()


def test_english_labels():
    reader, page = page_of(render_pdf(data(language="en")))
    text = page.extract_text()
    for expected in (
        "Certificate of completion",
        "This is to certify that",
        "has successfully completed the learning path",
        "Study load",
        "4.5 hours",
        "23 November 2026",
        "Verification code",
        "Verify this certificate",
    ):
        assert expected in text
    assert "Attest" not in text and "uur" not in text
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


@pytest.mark.parametrize(
    "overrides",
    [
        {},
        {"language": "en"},
        {"learner_name": "Maximiliaan Alexander Constantijn Wolfgang " * 6},  # far beyond the 120 in the database
        {"learner_name": "W" * 300, "path_title": "W" * 400, "issuer": "W" * 300, "code": "W" * 60},
        {
            "path_title": "Heel lange titel over chemseks en schadebeperking " * 8,
            "issuer": "Vlaams expertisecentrum " * 9,
        },
        {"learner_name": "", "path_title": "", "issuer": ""},
        {"verify_url": "https://kruispunt.example.org/" + "verify/" * 30 + "K7QM-2XHD-RW4A-9PLE"},
    ],
)
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
    names = [
        "Zoë Şahin-Nowak",
        "Αλέξανδρος Παπαδόπουλος",
        "Łukasz Żółć-Brzęczyszczykiewicz",
        "Дмитрий Соколов",
        "Nguyễn Thị Minh Khai",
        "Øyvind Ærøskøbing",
        "Ğülşen Iğdır",
        "Արամ Պետրոսյան",
        "ნინო ბერიძე",
    ]
    text = flat(page_of(render_pdf(data(learner_name=" / ".join(names))))[1].extract_text())  # wraps
    for name in names:
        assert flat(name) in text and unsupported_characters(name) == []
    assert unsupported_characters("Ann 山田 אבי محمد") == ["山", "田", "א", "ב", "י", "م", "ح", "د"]
    assert unsupported_characters("Ann ⠁⠃ ᚛ᚁ") == ["⠁", "⠃", "᚛", "ᚁ"]  # Braille, Ogham: not in the cut-down fonts


def test_control_characters_do_not_reach_the_page():
    text = page_of(render_pdf(data(learner_name="Ann\nPeeters\t\x00 ")))[1].extract_text()
    assert "Ann Peeters" in text and "\x00" not in text


# --- the credential -----------------------------------------------------------------------------

VECTORS = ROOT / "tests" / "fixtures" / "vc-di-eddsa"
EXAMPLES = {
    "https://www.w3.org/ns/credentials/examples/v2": json.loads(
        (VECTORS / "credentials-examples-v2.jsonld").read_text()
    )
}
ISSUER_DETAILS = Issuer(name="Kruispunt vzw", url="https://kruispunt.example.org")
ISSUED = datetime.datetime(2026, 11, 22, 23, 30, 15)  # just after midnight in Brussels: 23 November


@pytest.fixture(scope="module")
def key(tmp_path_factory) -> Ed25519PrivateKey:
    return load_or_create_key(tmp_path_factory.mktemp("keys") / "issuer.pem")


def credential(key, **overrides) -> dict:
    values = dict(
        credential_id=URL,
        issuer=ISSUER_DETAILS,
        key=key,
        learner_name="Zoë Şahin-Nowak",
        achievement_id="https://kruispunt.example.org/paths/basis",
        achievement_name="Basis",
        achievement_description="Leertraject Basis van Kruispunt (4,5 uur).",
        hours=4.5,
        issued_at=ISSUED,
        verify_url=URL,
        modules=("Chemseks: de basis", "Schadebeperking"),
        status=status_entry("https://kruispunt.example.org/status/revocation/1", 48271),
    )
    values.update(overrides)
    return build_credential(**values)


def signed(key) -> dict:
    return sign_credential(credential(key), key)


def vector_key() -> Ed25519PrivateKey:
    secret = base58.b58decode(json.loads((VECTORS / "keyPair.json").read_text())["privateKeyMultibase"][1:])
    assert secret[:2] == b"\x80\x26"  # multicodec ed25519-priv
    return Ed25519PrivateKey.from_private_bytes(secret[2:])


def test_w3c_eddsa_rdfc_2022_test_vector_verifies_and_is_reproduced():
    """vc-di-eddsa test vectors (W3C, commit abb673eb): canonical forms, proof value, and verification."""
    signed_vector = json.loads((VECTORS / "signedDataInt.json").read_text())
    unsigned = {k: v for k, v in signed_vector.items() if k != "proof"}
    assert canonize(unsigned, EXAMPLES) == (VECTORS / "canonDocDataInt.txt").read_text()
    config = json.loads((VECTORS / "proofConfigDataInt.json").read_text())
    assert canonize(config, EXAMPLES) == (VECTORS / "proofCanonDataInt.txt").read_text()
    assert verify_credential(signed_vector, extra_contexts=EXAMPLES, issuer_must_match=False).ok
    key = vector_key()
    assert public_key_multibase(key) == json.loads((VECTORS / "keyPair.json").read_text())["publicKeyMultibase"]
    again = sign_credential(unsigned, key, created=signed_vector["proof"]["created"], extra_contexts=EXAMPLES)
    assert (
        again["proof"][0]["proofValue"]
        == signed_vector["proof"]["proofValue"]
        == (VECTORS / "sigBTC58DataInt.txt").read_text().strip()
    )
    tampered = copy.deepcopy(signed_vector)
    tampered["credentialSubject"]["alumniOf"] = "The School of Examplez"
    assert verify_credential(tampered, extra_contexts=EXAMPLES, issuer_must_match=False).status is Status.TAMPERED


def test_contexts_are_bundled_and_never_fetched():
    with pytest.raises(ContextError, match="not bundled"):
        canonize({"@context": "https://evil.example/context.jsonld", "name": "x"})
    signed_vector = json.loads((VECTORS / "signedDataInt.json").read_text())
    result = verify_credential(signed_vector, issuer_must_match=False)  # the examples context is not bundled
    assert result.status is Status.INVALID and "not bundled" in result.message


def test_credential_shape(key):
    document = credential(key)
    assert document["@context"][:2] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert document["type"] == ["VerifiableCredential", "OpenBadgeCredential"] and document["id"] == URL
    assert document["validFrom"] == "2026-11-22T23:30:15Z"  # the exact moment, in UTC
    assert document["issuer"] == {
        "id": did_key(key),
        "type": ["Profile"],
        "name": "Kruispunt vzw",
        "url": "https://kruispunt.example.org",
    }
    subject = document["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"] and subject["name"] == "Zoë Şahin-Nowak"
    assert subject["identifier"][0]["identityHash"] == "Zoë Şahin-Nowak"  # OB 3.0: id or identifier
    achievement = subject["achievement"]
    assert achievement["type"] == ["Achievement"] and achievement["name"] == "Basis"
    assert (
        "4,5 uur" in achievement["criteria"]["narrative"] and "Schadebeperking" in achievement["criteria"]["narrative"]
    )
    assert document["evidence"][0]["id"] == URL
    assert document["credentialStatus"] == {
        "id": "https://kruispunt.example.org/status/revocation/1#48271",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "48271",
        "statusListCredential": "https://kruispunt.example.org/status/revocation/1",
    }
    assert undefined_terms(document) == []  # every term and type is defined: JSON-LD safe mode accepts it
    erased = credential(key, learner_name=None)["credentialSubject"]
    assert "name" not in erased and "Zoë" not in json.dumps(erased)


def test_sign_then_verify_and_the_proof_follows_eddsa_rdfc_2022(key):
    document = signed(key)
    result = verify_credential(document, [key])
    assert result.status is Status.VALID and result.ok and did_key(key) in result.message
    [proof] = document["proof"]  # an array, as the 1EdTech schema wants
    assert proof["type"] == "DataIntegrityProof" and proof["cryptosuite"] == "eddsa-rdfc-2022"
    assert proof["proofPurpose"] == "assertionMethod"
    assert proof["verificationMethod"] == f"{did_key(key)}#{public_key_multibase(key)}"
    assert proof["created"] == "2026-11-22T23:30:15Z" and proof["proofValue"].startswith("z")
    assert proof["@context"] == document["@context"]  # the proof carries the document's context
    assert signed(key) == document  # Ed25519 is deterministic: re-signing gives the same document
    # Rebuild the signed bytes from the spec: RDFC-1.0 of the proof configuration, then of the document.
    options = {k: v for k, v in proof.items() if k != "proofValue"}
    unsigned = {k: v for k, v in document.items() if k != "proof"}
    message = hashlib.sha256(canonize(options).encode()).digest() + hashlib.sha256(canonize(unsigned).encode()).digest()
    key.public_key().verify(base58.b58decode(proof["proofValue"][1:]), message)  # raises if it does not match
    without_context = copy.deepcopy(document)
    del without_context["proof"][0]["@context"]  # a proof without @context is valid too (the spec's vectors)
    assert verify_credential(without_context, [key]).ok
    as_object = copy.deepcopy(document)
    as_object["proof"] = as_object["proof"][0]
    assert verify_credential(as_object, [key]).ok


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d["credentialSubject"].__setitem__("name", "Iemand Anders"),
        lambda d: d["credentialSubject"]["achievement"].__setitem__("name", "Gevorderd"),
        lambda d: d.__setitem__("validFrom", "2020-01-01T00:00:00Z"),
        lambda d: d["issuer"].__setitem__("name", "Iemand anders vzw"),
        lambda d: d["credentialStatus"].__setitem__("statusListIndex", "1"),
        lambda d: d["proof"][0].__setitem__("created", "2020-01-01T00:00:00Z"),
    ],
)
def test_changes_are_tampering(key, change):
    document = signed(key)
    change(document)
    assert verify_credential(document, [key]).status is Status.TAMPERED


def test_every_character_of_every_string_matters(key):
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
    for path in strings({k: v for k, v in document.items() if k != "proof"}):
        parent = document
        for step in path[:-1]:
            parent = parent[step]
        original = parent[path[-1]]
        for i in sorted({0, len(original) // 2, len(original) - 1}):
            parent[path[-1]] = original[:i] + chr(ord(original[i]) ^ 1) + original[i + 1 :]
            assert not verify_credential(document, [key]).ok, (path, i)
            checked += 1
        parent[path[-1]] = original
    assert checked > 60 and verify_credential(document, [key]).ok


def test_a_changed_proof_value_another_key_or_an_untrusted_key_fails(key, tmp_path):
    document = signed(key)
    value = document["proof"][0]["proofValue"]
    for i in (1, len(value) // 2, len(value) - 1):
        broken = copy.deepcopy(document)
        broken["proof"][0]["proofValue"] = value[:i] + ("2" if value[i] != "2" else "3") + value[i + 1 :]
        assert verify_credential(broken, [key]).status in (Status.TAMPERED, Status.INVALID)
    other = load_or_create_key(tmp_path / "other.pem")
    forged = sign_credential(credential(other), other)  # a valid signature, but not by this issuer
    assert verify_credential(forged, [key]).status is Status.UNTRUSTED
    assert verify_credential(forged).ok  # without a list of trusted keys only the signature counts
    swapped = copy.deepcopy(document)
    swapped["proof"][0]["verificationMethod"] = forged["proof"][0]["verificationMethod"]
    assert verify_credential(swapped, [key]).status is Status.INVALID  # the key is not the issuer's


@pytest.mark.parametrize(
    "change, trusted",
    [
        (lambda d: d.pop("proof"), None),
        (lambda d: d.__setitem__("proof", "z123"), None),
        (lambda d: d.__setitem__("proof", []), None),
        (lambda d: d["proof"][0].__setitem__("cryptosuite", "eddsa-jcs-2022"), None),
        (lambda d: d["proof"][0].__setitem__("type", "Ed25519Signature2020"), None),
        (lambda d: d["proof"][0].__setitem__("proofPurpose", "authentication"), None),
        (
            lambda d: d["proof"][0].__setitem__(
                "verificationMethod", "https://kruispunt.example.org/issuer.json#key-1"
            ),
            None,
        ),
        (lambda d: d["proof"][0].__setitem__("proofValue", "u" + d["proof"][0]["proofValue"][1:]), None),
        (lambda d: d["proof"][0].__setitem__("proofValue", d["proof"][0]["proofValue"] + "0"), None),  # not base58
        (lambda d: d["proof"][0].__setitem__("proofValue", d["proof"][0]["proofValue"][:40]), None),
        (lambda d: d["proof"][0].__setitem__("proofValue", 12345), None),
        (lambda d: d["proof"][0].__setitem__("@context", ["https://www.w3.org/ns/credentials/v2"]), None),
        (lambda d: d["credentialSubject"].__setitem__("hours", 4.5), None),  # a term no context defines
        (lambda d: d["credentialSchema"][0].__setitem__("type", "JsonSchemaValidator2018"), None),  # an undefined type
        (lambda d: d["@context"].append("https://example.org/remote-context.jsonld"), None),
        (lambda d: None, ["z6MkNotAKey"]),
        (lambda d: None, [42]),
    ],
)
def test_malformed_documents_are_invalid_not_errors(key, change, trusted):
    document = signed(key)
    change(document)
    result = verify_credential(document, trusted or [key])
    assert result.status is Status.INVALID and result.message
    assert verify_credential("not a credential", [key]).status is Status.INVALID


def test_signing_refuses_undefined_terms(key):
    document = credential(key)
    document["credentialSubject"]["hours"] = 4
    with pytest.raises(ValueError, match="hours"):
        sign_credential(document, key)


def test_key_file_is_stable_private_and_shared(tmp_path):
    path = tmp_path / "instance" / "keys" / "issuer.pem"
    first = load_or_create_key(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")  # PKCS8, not encrypted
    assert public_key_multibase(load_or_create_key(path)) == public_key_multibase(first)
    assert list(path.parent.iterdir()) == [path]  # no temporary files left

    racing, keys = tmp_path / "race.pem", []
    threads = [
        threading.Thread(target=lambda: keys.append(public_key_multibase(load_or_create_key(racing)))) for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(keys) == 8 and len(set(keys)) == 1 and keys[0] == public_key_multibase(load_or_create_key(racing))

    (tmp_path / "x25519.pem").write_bytes(
        X25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    with pytest.raises(TypeError):
        load_or_create_key(tmp_path / "x25519.pem")


def test_multikey_and_did_key(key):
    multibase = public_key_multibase(key)
    assert multibase.startswith("z6Mk") and len(multibase) == 48
    assert public_key_multibase(public_key_from_multibase(multibase)) == multibase
    assert did_key(key) == f"did:key:{multibase}"
    # The did:key of the W3C test vectors' key pair (vc-di-eddsa keyPair.json).
    assert did_key(vector_key()) == "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
    with pytest.raises(ValueError):
        public_key_from_multibase("z" + base58.b58encode(b"\xe7\x01" + bytes(33)).decode())  # secp256k1


def test_issuer_profile_lists_current_and_retired_keys(key, tmp_path):
    old = load_or_create_key(tmp_path / "old.pem")
    profile = issuer_document(ISSUER_DETAILS, key, [public_key_multibase(old)])
    assert profile["@context"][-1] == "https://www.w3.org/ns/cid/v1"
    assert profile["id"] == did_key(key) and profile["type"] == ["Profile"] and profile["name"] == "Kruispunt vzw"
    assert [m["publicKeyMultibase"] for m in profile["verificationMethod"]] == [
        public_key_multibase(key),
        public_key_multibase(old),
    ]
    assert profile["verificationMethod"][0] == {
        "id": f"{did_key(key)}#{public_key_multibase(key)}",
        "type": "Multikey",
        "controller": did_key(key),
        "publicKeyMultibase": public_key_multibase(key),
    }
    assert profile["assertionMethod"] == [m["id"] for m in profile["verificationMethod"]]
    assert undefined_terms(profile) == []  # Multikey, controller, assertionMethod... all defined (cid/v1)
    (tmp_path / "issuer.json").write_text(json.dumps(profile))
    published = public_keys_from_file(tmp_path / "issuer.json")
    old_credential = sign_credential(credential(old), old)  # signed before a key rotation
    assert verify_credential(signed(key), published).ok and verify_credential(old_credential, published).ok


def test_status_list_bits_and_encoding(key):
    assert status_position(1) == (1, 48271) and status_position(131072) == (2, 0)
    indexes = {status_position(n)[1] for n in range(131072)}
    assert len(indexes) == 131072  # every certificate of a list has its own bit
    encoded = encode_status_list({0, 7, 48271, 131071})
    assert encoded.startswith("u") and "=" not in encoded and encode_status_list({0, 7, 48271, 131071}) == encoded
    bits = decode_status_list(encoded)
    assert len(bits) == 16384 and bits[0] == 0b10000001 and bits[-1] == 0b00000001  # first bit: most significant
    assert [status_bit(bits, i) for i in (0, 1, 7, 48271, 48272, 131071)] == [True, False, True, True, False, True]
    with pytest.raises(ValueError):
        encode_status_list({131072})
    with pytest.raises(ValueError):
        decode_status_list("uAAAA")
    listed = sign_credential(
        build_status_list(
            list_url="https://kruispunt.example.org/status/revocation/1",
            issuer=ISSUER_DETAILS,
            key=key,
            revoked={5},
            valid_from=datetime.datetime(2026, 1, 1),
        ),
        key,
    )
    assert listed["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert listed["credentialSubject"]["type"] == "BitstringStatusList"
    assert verify_credential(listed, [key]).ok and undefined_terms(listed) == []


def test_assets_count_by_content_not_by_folder(tmp_path):
    from PIL import Image

    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        Image.new("RGB", (300, 100), (11, 92, 107)).save(tmp_path / folder / "logo.png")
    first = render_pdf(data(logo=str(tmp_path / "a" / "logo.png")))
    assert render_pdf(data(logo=str(tmp_path / "b" / "logo.png"))) == first  # another server, same logo
    Image.new("RGB", (300, 100), (0, 0, 0)).save(tmp_path / "b" / "logo.png")
    assert render_pdf(data(logo=str(tmp_path / "b" / "logo.png"))) != first
