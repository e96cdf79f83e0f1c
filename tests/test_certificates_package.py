"""The Flask-free certificate package: PDF rendering and the signed Open Badges credential."""
import copy
import datetime
import io

import pytest
import segno
from pypdf import PdfReader

from certificates import (CertificateData, Status, build_credential, issuer_document, load_or_create_key,
                          public_key_multibase, render_pdf, sign_credential, verify_credential)
from certificates.credential import public_key_from_multibase

URL = "https://kruispunt.example.org/verify/ABCD-EFGH-IJKL-MNOP"


def data(**overrides):
    values = dict(learner_name="Zoë Şahin-Nowak", path_title="Basis voor jeugd- en welzijnswerkers", hours=0.9,
                  completed_on=datetime.date(2026, 11, 23), issuer="Kruispunt", code="ABCD-EFGH-IJKL-MNOP",
                  verify_url=URL)
    values.update(overrides)
    return CertificateData(**values)


def qr_modules_in_pdf(pdf: bytes, size: int) -> list[list[bool]]:
    """Read the embedded QR image back into dark/light modules (segno PNG: scale 8, border 2)."""
    image = PdfReader(io.BytesIO(pdf)).pages[0].images[0].image.convert("L")
    return [[image.getpixel(((c + 2) * 8 + 4, (r + 2) * 8 + 4)) < 128 for c in range(size)] for r in range(size)]


def test_pdf_text_page_size_and_fonts():
    pdf = render_pdf(data())
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    text = page.extract_text()
    assert "Zoë Şahin-Nowak" in text and "Basis voor jeugd- en welzijnswerkers" in text
    assert "ABCD-EFGH-IJKL-MNOP" in text and "0,9 uur" in text and "23 november 2026" in text
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    assert round(width) == 842 and round(height) == 595  # A4 landscape in points
    fonts = {f["/BaseFont"] for f in page["/Resources"]["/Font"].values()}
    assert all("DejaVu" in str(f) for f in fonts)


def test_qr_code_encodes_the_verify_url():
    # No QR decoder ships with Python; the embedded image is read back module by module and must
    # equal the QR symbol that encodes the URL, which proves the printed code carries that URL.
    pdf = render_pdf(data())
    expected = [[bool(bit) for bit in row] for row in segno.make(URL, error="m").matrix]
    assert qr_modules_in_pdf(pdf, len(expected)) == expected
    other = [[bool(bit) for bit in row] for row in segno.make(URL + "X", error="m").matrix]
    assert len(other) != len(expected) or qr_modules_in_pdf(pdf, len(other)) != other


def test_same_data_same_bytes_and_english_labels():
    assert render_pdf(data()) == render_pdf(data())
    assert render_pdf(data()) != render_pdf(data(code="ZZZZ-EFGH-IJKL-MNOP"))
    text = PdfReader(io.BytesIO(render_pdf(data(language="en")))).pages[0].extract_text()
    assert "Certificate" in text and "0.9 hours" in text and "23 November 2026" in text


def test_long_name_and_title_stay_on_one_page():
    pdf = render_pdf(data(learner_name="Maximiliaan Alexander Constantijn " * 4, path_title="Heel lange titel " * 10))
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1


def _credential(key):
    credential = build_credential(
        credential_id=URL, issuer_id="https://kruispunt.example.org/issuer.json", issuer_name="Kruispunt",
        learner_name="Zoë Şahin-Nowak", achievement_id="https://kruispunt.example.org/paths/basis",
        achievement_name="Basis", achievement_description="Leertraject Basis", hours=0.9,
        issued_on=datetime.date(2026, 11, 23), verify_url=URL)
    return sign_credential(credential, key, "https://kruispunt.example.org/issuer.json#key-1")


def test_signed_credential_verifies_and_detects_tampering(tmp_path):
    key = load_or_create_key(tmp_path / "key.pem")
    signed = _credential(key)
    assert signed["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert verify_credential(signed, key.public_key()).status is Status.VALID
    for change in (lambda d: d["credentialSubject"].__setitem__("name", "Iemand Anders"),
                   lambda d: d["credentialSubject"]["achievement"].__setitem__("name", "Volledig"),
                   lambda d: d.__setitem__("validFrom", "2020-01-01T00:00:00Z")):
        tampered = copy.deepcopy(signed)
        change(tampered)
        assert verify_credential(tampered, key.public_key()).status is Status.TAMPERED
    broken = copy.deepcopy(signed)
    broken["proof"]["proofValue"] = broken["proof"]["proofValue"][:-1] + ("A" if broken["proof"]["proofValue"][-1] != "A" else "B")
    assert verify_credential(broken, key.public_key()).status in (Status.TAMPERED, Status.INVALID)
    other = load_or_create_key(tmp_path / "other.pem")
    assert verify_credential(signed, other.public_key()).status is Status.TAMPERED
    assert verify_credential({"id": "x"}, key.public_key()).status is Status.INVALID


def test_every_byte_of_the_subject_matters(tmp_path):
    key = load_or_create_key(tmp_path / "key.pem")
    signed = _credential(key)
    name = signed["credentialSubject"]["name"]
    for i in range(len(name)):
        tampered = copy.deepcopy(signed)
        tampered["credentialSubject"]["name"] = name[:i] + chr(ord(name[i]) + 1) + name[i + 1:]
        assert not verify_credential(tampered, key.public_key()).ok


def test_key_file_is_stable_private_and_published(tmp_path):
    path = tmp_path / "instance" / "key.pem"
    first = load_or_create_key(path)
    second = load_or_create_key(path)
    assert public_key_multibase(first) == public_key_multibase(second)
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    multibase = public_key_multibase(first)
    assert multibase.startswith("z6Mk")
    profile = issuer_document("https://kruispunt.example.org/issuer.json", "Kruispunt", first)
    published = public_key_from_multibase(profile["verificationMethod"][0]["publicKeyMultibase"])
    assert verify_credential(_credential(first), published).ok
