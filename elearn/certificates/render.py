"""Render a certificate as an A4 landscape PDF with fpdf2: data in, bytes out.

The output is deterministic: the same data gives the same bytes (creation date and file id
are derived from the data), so a missing stored PDF can be rendered again identically.
Every text is measured before it is drawn: it shrinks, then wraps, and only text far beyond
the database limits is cut short with an ellipsis, so nothing overflows the frame.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import io
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path

import segno
from fpdf import FPDF

from .data import CertificateData, format_hours

FONTS = Path(__file__).resolve().parent / "assets" / "fonts"
FONT = "DejaVu"
BRAND = (11, 92, 107)
INK = (29, 29, 31)
MUTED = (74, 79, 87)
PT = 25.4 / 72  # mm per point
LEADING = 1.25  # line height as a multiple of the font size

#: the inner frame (mm); every text box and the QR code stay inside it
FRAME = (13.0, 13.0, 284.0, 197.0)

MONTHS = {
    "nl": [
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ],
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
}
LABELS = {
    "nl": {
        "title": "Attest",
        "intro": "Hierbij verklaren wij dat",
        "done": "het leertraject",
        "success": "met succes heeft afgerond.",
        "load": "Studiebelasting",
        "date": "Afgerond op",
        "issuer": "Uitgereikt door",
        "code": "Controlecode",
        "modules": "Behandelde modules",
        "post": "Eindtoets behaald met {p} %",
        "company": "ondernemingsnummer",
        "check": "Controleer dit attest (ook als toegankelijke webpagina) op",
    },
    "en": {
        "title": "Certificate of completion",
        "intro": "This is to certify that",
        "done": "has successfully completed the learning path",
        "success": "",
        "load": "Study load",
        "date": "Completed on",
        "issuer": "Issued by",
        "code": "Verification code",
        "modules": "Modules covered",
        "post": "Final test passed with {p}%",
        "company": "company number",
        "check": "Verify this certificate (also as an accessible web page) at",
    },
}


def format_date(day: datetime.date, language: str) -> str:
    """``23 november 2026`` (nl) or ``23 November 2026`` (en), without locale settings."""
    return f"{day.day} {MONTHS[language][day.month - 1]} {day.year}"


def clean(text: str) -> str:
    """NFC, control characters as spaces, whitespace collapsed: what is printed."""
    text = unicodedata.normalize("NFC", str(text))
    return " ".join("".join(" " if unicodedata.category(c) == "Cc" else c for c in text).split())


@functools.lru_cache(maxsize=1)
def _covered() -> frozenset[int]:
    from fontTools.ttLib import TTFont  # an fpdf2 dependency

    maps = []
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"):
        with TTFont(FONTS / name) as font:
            maps.append(set(font.getBestCmap()))
    return frozenset(maps[0] & maps[1])


def unsupported_characters(text: str) -> list[str]:
    """The characters of ``text`` the certificate cannot print correctly, in order, once each.

    These are characters the embedded DejaVu fonts lack (e.g. Chinese, Japanese) and
    right-to-left letters (Arabic, Hebrew), which need text shaping fpdf2 does not do here.
    A form can use this to ask for a name in Latin, Greek or Cyrillic letters.
    """
    bad = []
    for char in clean(text):
        if (ord(char) not in _covered() or unicodedata.bidirectional(char) in ("R", "AL")) and char not in bad:
            bad.append(char)
    return bad


@dataclass(frozen=True)
class Box:
    """Where one thing was drawn (mm), kept so tests can check nothing overlaps or overflows."""

    what: str
    x: float
    y: float
    w: float
    h: float
    ink_w: float = 0.0  # width of the widest printed line


class _Page:
    def __init__(self, pdf: FPDF):
        self.pdf = pdf
        self.boxes: list[Box] = []

    def lines(self, text: str, style: str, size: float, width: float) -> list[str]:
        self.pdf.set_font(FONT, style, size)
        return self.pdf.multi_cell(width, 5, text, dry_run=True, output="LINES", align="C")

    def fit(
        self, text: str, style: str, width: float, largest: float, single: float, smallest: float, max_lines: int
    ) -> tuple[float, list[str]]:
        """Font size and lines: one line down to ``single`` pt, then up to ``max_lines`` lines
        down to ``smallest`` pt, then cut short with an ellipsis."""
        size = largest
        while size >= single:
            lines = self.lines(text, style, size, width)
            if len(lines) <= 1:
                return size, lines
            size -= 0.5
        size = single
        while size >= smallest:
            lines = self.lines(text, style, size, width)
            if len(lines) <= max_lines:
                return size, lines
            size -= 0.5
        lines = self.lines(text, style, smallest, width)[:max_lines]
        last = lines[-1].rstrip()
        while last and self.pdf.get_string_width(last + "…") > width - 2 * self.pdf.c_margin:
            last = last[:-1].rstrip()
        return smallest, lines[:-1] + [last + "…"]

    def text(
        self,
        what: str,
        x: float,
        y: float,
        width: float,
        size: float,
        lines: list[str],
        style: str = "",
        color=INK,
        align: str = "C",
        link: str | None = None,
    ) -> float:
        """Draw ``lines`` at ``size`` pt from ``y``; the y below them."""
        self.pdf.set_font(FONT, style, size)
        self.pdf.set_text_color(*color)
        height = size * PT * LEADING
        for i, line in enumerate(lines):
            self.pdf.set_xy(x, y + i * height)
            self.pdf.cell(width, height, line, align=align, link=link or "")
        ink = max((self.pdf.get_string_width(line) + 2 * self.pdf.c_margin for line in lines), default=0.0)
        self.boxes.append(Box(what, x, y, width, height * len(lines), ink))
        return y + height * len(lines)


def _qr_png(url: str) -> io.BytesIO:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=8, border=2)
    buffer.seek(0)
    return buffer


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _xmp(data: CertificateData, title: str, author: str, subject: str, created: datetime.datetime) -> str:
    """XMP metadata matching the document information dictionary (Dublin Core, XMP, PDF)."""
    stamp = created.strftime("%Y-%m-%dT%H:%M:%SZ")
    return (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">'
        f"<dc:format>application/pdf</dc:format>"
        f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{_xml(title)}</rdf:li></rdf:Alt></dc:title>'
        f"<dc:creator><rdf:Seq><rdf:li>{_xml(author)}</rdf:li></rdf:Seq></dc:creator>"
        f'<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{_xml(subject)}</rdf:li></rdf:Alt></dc:description>'
        f"<dc:language><rdf:Bag><rdf:li>{data.language}</rdf:li></rdf:Bag></dc:language>"
        f"<dc:identifier>{_xml(data.verify_url)}</dc:identifier>"
        f"<xmp:CreateDate>{stamp}</xmp:CreateDate><xmp:ModifyDate>{stamp}</xmp:ModifyDate>"
        f"<xmp:MetadataDate>{stamp}</xmp:MetadataDate><xmp:CreatorTool>Kruispunt</xmp:CreatorTool>"
        f"<pdf:Producer>Kruispunt</pdf:Producer></rdf:Description></rdf:RDF></x:xmpmeta>"
    )


def fingerprint(data: CertificateData) -> str:
    """SHA-256 of what is printed: the data, with the logo and signature by content, not by path,
    so servers that keep the operator's assets in different folders make identical PDFs."""
    assets = {
        name: hashlib.sha256(Path(path).read_bytes()).hexdigest() if path else None
        for name, path in (("logo", data.logo), ("signature", data.signature))
    }
    return hashlib.sha256(repr(replace(data, **assets)).encode("utf-8")).hexdigest()


def _new_pdf(data: CertificateData, labels: dict) -> FPDF:
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    created = datetime.datetime.combine(data.completed_on, datetime.time(12, 0), tzinfo=datetime.UTC)
    pdf.set_creation_date(created)
    digest = fingerprint(data)[:32].upper()
    pdf.file_id = lambda: f"<{digest}><{digest}>"  # from the data alone, whatever the fpdf2 version does
    title = f"{labels['title']}: {clean(data.path_title)}"
    subject = f"{clean(data.learner_name)}, {clean(data.path_title)} ({data.code})"
    pdf.set_title(title)
    pdf.set_author(clean(data.issuer))
    pdf.set_subject(subject)
    pdf.set_creator("Kruispunt")
    pdf.set_producer("Kruispunt")
    pdf.set_lang(data.language)
    pdf.set_xmp_metadata(_xmp(data, title, clean(data.issuer), subject, created))
    pdf.add_font(FONT, "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0)
    pdf.add_page()
    return pdf


def issuer_details(data: CertificateData, labels: dict) -> str:
    """The issuing organisation as printed: name, address, company number, e-mail, web site."""
    parts = [clean(data.issuer), clean(data.issuer_address)]
    if clean(data.issuer_company_number):
        parts.append(f"{labels['company']} {clean(data.issuer_company_number)}")
    parts += [clean(data.issuer_email), clean(data.issuer_url)]
    return " · ".join(part for part in parts if part)


def modules_text(data: CertificateData) -> str:
    """``Title (1,5 uur); Title (2 uur)``: the modules covered with their study load."""
    return "; ".join(
        f"{clean(title)} ({format_hours(round(minutes / 60, 1), data.language)})" for title, minutes in data.modules
    )


def layout(data: CertificateData) -> tuple[FPDF, list[Box]]:
    """Draw the certificate; the document and the boxes of everything on it.

    Call ``output()`` on the document even when only the boxes matter: fpdf2 closes the font files then.
    """
    labels = LABELS[data.language]
    pdf = _new_pdf(data, labels)
    page = _Page(pdf)
    width = pdf.w

    pdf.set_draw_color(*BRAND)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, width - 20, pdf.h - 20)
    pdf.set_line_width(0.3)
    pdf.rect(*FRAME[:2], FRAME[2] - FRAME[0], FRAME[3] - FRAME[1])

    left, text_width = 30.0, width - 60
    if data.logo:
        pdf.image(data.logo, x=left, y=15, w=40, h=12, keep_aspect_ratio=True)
        page.boxes.append(Box("logo", left, 15, 40, 12, 40))
        page.text("product", left + 45, 19, text_width - 90, 14, ["Kruispunt"], "B", BRAND)
    else:
        page.text("product", left, 19, text_width, 14, ["Kruispunt"], "B", BRAND)
    title = page.fit(labels["title"], "B", text_width, 30, 22, 22, 1)
    page.text("title", left, 28, text_width, *title, "B", BRAND)
    pdf.set_line_width(0.6)
    pdf.line(width / 2 - 20, 44, width / 2 + 20, 44)

    # Middle: the statement, centred vertically between the title and the modules.
    name = page.fit(clean(data.learner_name), "B", text_width, 26, 16, 10, 3)
    path = page.fit(clean(data.path_title), "B", text_width, 18, 12, 9, 2)
    parts = [
        ("intro", 12, [labels["intro"]], "", 1.5),
        ("name", *name, "B", 2),
        ("done", 12, [labels["done"]], "", 1.5),
        ("path", *path, "B", 2),
        ("success", 12, [labels["success"]], "", 2),
    ]
    parts = [part for part in parts if part[2] != [""]]  # English has no closing line
    top, bottom = 46.0, 103.0
    total = sum(size * PT * LEADING * len(lines) + gap for _, size, lines, _, gap in parts[:-1]) + parts[-1][
        1
    ] * PT * LEADING * len(parts[-1][2])
    spare = max(0.0, bottom - top - total)
    extra = min(3.0, spare / 2 / (len(parts) - 1))  # up to 3 mm more per gap, the rest around the block
    y = top + (spare - (len(parts) - 1) * extra) / 2
    for what, size, lines, style, gap in parts:
        y = page.text(what, left, y, text_width, size, lines, style) + gap + extra

    # Right column: the responsible person, then the QR code.
    qr_size, qr_x = 38.0, width - 30 - 38.0
    column_x, column_w = qr_x - 12, qr_size + 12
    y_sign = 104.0
    if data.signature:
        pdf.image(data.signature, x=column_x, y=y_sign, w=column_w, h=12, keep_aspect_ratio=True)
        page.boxes.append(Box("signature", column_x, y_sign, column_w, 12, column_w))
        y_sign += 13
    if clean(data.signatory_name):
        size, lines = page.fit(clean(data.signatory_name), "B", column_w, 9, 7, 6, 2)
        y_sign = page.text("signatory", column_x, y_sign, column_w, size, lines, "B", align="C")
    if clean(data.signatory_role):
        size, lines = page.fit(clean(data.signatory_role), "", column_w, 8, 6.5, 6, 2)
        page.text("role", column_x, y_sign, column_w, size, lines, color=MUTED, align="C")

    # Left: modules covered, the final test, then the facts.
    body_w = column_x - 4 - left
    y = 104.0
    if data.modules:
        y = page.text("modules label", left, y, body_w, 9, [f"{labels['modules']}:"], color=MUTED, align="L")
        size, lines = page.fit(modules_text(data), "", body_w, 9, 7.5, 6, 4)
        y = page.text("modules", left, y, body_w, size, lines, align="L") + 1
    if data.post_test_percent is not None:
        y = page.text("post", left, y, body_w, 9, [labels["post"].format(p=data.post_test_percent)], "B", align="L") + 1
    y = max(y + 1, 130.0)
    label_w, value_x = 40.0, left + 41
    value_w = qr_x - 5 - value_x
    facts = [
        ("load", labels["load"], format_hours(data.hours, data.language)),
        ("date", labels["date"], format_date(data.completed_on, data.language)),
        ("issuer", labels["issuer"], issuer_details(data, labels)),
        ("code", labels["code"], clean(data.code)),
    ]
    for what, label, value in facts:
        page.text(f"{what} label", left, y, label_w, 10, [f"{label}:"], color=MUTED, align="L")
        size, lines = page.fit(value, "B", value_w, 10, 7.5, 6, 3)
        y = max(y + 6, page.text(what, value_x, y, value_w, size, lines, "B", align="L") + 0.5)
    y += 1
    url_w = qr_x - 5 - left
    y = page.text("check", left, y, url_w, 8, [f"{labels['check']}:"], color=MUTED, align="L")
    size, lines = page.fit(data.verify_url, "", url_w, 8, 6, 6, 2)
    page.text("url", left, y, url_w, size, lines, color=MUTED, align="L", link=data.verify_url)

    qr_y = FRAME[3] - 4 - qr_size
    pdf.image(_qr_png(data.verify_url), x=qr_x, y=qr_y, w=qr_size, h=qr_size, link=data.verify_url)
    page.boxes.append(Box("qr", qr_x, qr_y, qr_size, qr_size, qr_size))
    return pdf, page.boxes


def _distinct_subset_tags(pdf: FPDF, body: bytes, data: CertificateData) -> bytes:
    """Give each embedded font subset its own six-letter tag (fpdf2 writes ``MPDFAA`` for all).

    The tag comes from the font and the printed data, so it is deterministic; it has the same
    length as ``MPDFAA``, so no byte offset moves."""
    printed = fingerprint(data)
    for font in pdf.fonts.values():
        name = getattr(font, "name", "")
        old = f"/MPDFAA+{name}".encode("ascii")
        if not name or old not in body:
            continue
        digest = hashlib.sha256(f"{name}|{printed}".encode()).digest()
        tag = "".join(chr(65 + byte % 26) for byte in digest[:6])
        body = body.replace(old, f"/{tag}+{name}".encode("ascii"))
    return body


def render_pdf(data: CertificateData) -> bytes:
    """The certificate as PDF bytes (A4 landscape, fonts embedded, QR code to ``verify_url``)."""
    pdf, _ = layout(data)
    return _distinct_subset_tags(pdf, bytes(pdf.output()), data)
