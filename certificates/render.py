"""Render a certificate as an A4 landscape PDF with fpdf2: data in, bytes out.

The output is deterministic: the same data gives the same bytes (creation date and file id
are derived from the data), so a missing stored PDF can be rendered again identically.
"""
from __future__ import annotations

import datetime
import hashlib
import io
from pathlib import Path

import segno
from fpdf import FPDF

from .data import CertificateData

FONTS = Path(__file__).resolve().parent / "assets" / "fonts"
BRAND = (11, 92, 107)
INK = (29, 29, 31)
MUTED = (74, 79, 87)

MONTHS = {
    "nl": ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
           "oktober", "november", "december"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"],
}
LABELS = {
    "nl": {"title": "Getuigschrift", "intro": "Hierbij verklaren wij dat", "done": "het leertraject",
           "success": "met succes heeft afgerond.", "load": "Studiebelasting", "hours": "uur",
           "date": "Afgerond op", "issuer": "Uitgereikt door", "code": "Controlecode",
           "check": "Controleer dit getuigschrift op"},
    "en": {"title": "Certificate", "intro": "This is to certify that", "done": "has successfully completed",
           "success": "the learning path above.", "load": "Study load", "hours": "hours",
           "date": "Completed on", "issuer": "Issued by", "code": "Verification code",
           "check": "Verify this certificate at"},
}


def format_date(day: datetime.date, language: str) -> str:
    month = MONTHS.get(language, MONTHS["nl"])[day.month - 1]
    return f"{day.day} {month} {day.year}"


def format_hours(hours: float, language: str) -> str:
    text = f"{hours:g}"
    return text.replace(".", ",") if language == "nl" else text


def _qr_png(url: str) -> io.BytesIO:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=8, border=2)
    buffer.seek(0)
    return buffer


def _fit(pdf: FPDF, text: str, style: str, start: float, minimum: float, width: float) -> float:
    """The largest font size (from ``start`` down to ``minimum``) at which ``text`` fits ``width``."""
    size = start
    while size > minimum:
        pdf.set_font("DejaVu", style, size)
        if pdf.get_string_width(text) <= width:
            break
        size -= 1
    pdf.set_font("DejaVu", style, size)
    return size


def render_pdf(data: CertificateData) -> bytes:
    """The certificate as PDF bytes (A4 landscape, fonts embedded, QR code to ``verify_url``)."""
    labels = LABELS.get(data.language, LABELS["nl"])
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    created = datetime.datetime.combine(data.completed_on, datetime.time(12, 0), tzinfo=datetime.timezone.utc)
    pdf.set_creation_date(created)
    digest = hashlib.sha256(repr(data).encode("utf-8")).hexdigest()[:32].upper()
    pdf.file_id = lambda: f"<{digest}><{digest}>"
    pdf.set_title(f"{labels['title']} {data.path_title}")
    pdf.set_author(data.issuer)
    pdf.set_subject(f"{data.learner_name} - {data.path_title} - {data.code}")
    pdf.set_creator("Kruispunt")
    pdf.set_producer("Kruispunt")
    pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_auto_page_break(False)
    pdf.add_page()
    width, height = pdf.w, pdf.h

    pdf.set_draw_color(*BRAND)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, width - 20, height - 20)
    pdf.set_line_width(0.3)
    pdf.rect(13, 13, width - 26, height - 26)

    text_width = width - 60
    pdf.set_text_color(*BRAND)
    pdf.set_font("DejaVu", "B", 14)
    pdf.set_xy(30, 24)
    pdf.cell(text_width, 8, "Kruispunt", align="C")
    pdf.set_font("DejaVu", "B", 34)
    pdf.set_xy(30, 36)
    pdf.cell(text_width, 16, labels["title"], align="C")

    pdf.set_text_color(*INK)
    pdf.set_font("DejaVu", "", 13)
    pdf.set_xy(30, 62)
    pdf.cell(text_width, 8, labels["intro"], align="C")
    size = _fit(pdf, data.learner_name, "B", 30, 12, text_width)
    pdf.set_xy(30, 74)
    if pdf.get_string_width(data.learner_name) <= text_width:
        pdf.cell(text_width, 14, data.learner_name, align="C")
    else:  # even at the minimum size: wrap on two lines
        pdf.multi_cell(text_width, size * 0.45, data.learner_name, align="C", max_line_height=size * 0.45)
    pdf.set_font("DejaVu", "", 13)
    pdf.set_xy(30, 94)
    pdf.cell(text_width, 8, labels["done"], align="C")
    _fit(pdf, data.path_title, "B", 20, 10, text_width)
    pdf.set_xy(30, 104)
    pdf.multi_cell(text_width, 9, data.path_title, align="C", max_line_height=9)
    pdf.set_font("DejaVu", "", 13)
    pdf.set_xy(30, 124)
    pdf.cell(text_width, 8, labels["success"], align="C")

    pdf.set_font("DejaVu", "", 11)
    pdf.set_text_color(*MUTED)
    facts = [
        (labels["load"], f"{format_hours(data.hours, data.language)} {labels['hours']}"),
        (labels["date"], format_date(data.completed_on, data.language)),
        (labels["issuer"], data.issuer),
        (labels["code"], data.code),
    ]
    y = 142
    for label, value in facts:
        pdf.set_xy(30, y)
        pdf.set_font("DejaVu", "", 11)
        pdf.cell(45, 7, f"{label}:")
        _fit(pdf, value, "B", 11, 7, 150)
        pdf.set_text_color(*INK)
        pdf.cell(150, 7, value)
        pdf.set_text_color(*MUTED)
        y += 8
    pdf.set_font("DejaVu", "", 9)
    pdf.set_xy(30, y + 3)
    pdf.cell(190, 6, f"{labels['check']}:")
    _fit(pdf, data.verify_url, "", 9, 6, 190)
    pdf.set_xy(30, y + 9)
    pdf.cell(190, 6, data.verify_url, link=data.verify_url)

    qr_size = 42
    pdf.image(_qr_png(data.verify_url), x=width - 30 - qr_size, y=height - 30 - qr_size, w=qr_size, h=qr_size)
    return bytes(pdf.output())
