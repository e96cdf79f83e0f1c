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
from dataclasses import dataclass
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
    "nl": ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
           "oktober", "november", "december"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"],
}
LABELS = {
    "nl": {"title": "Getuigschrift", "intro": "Hierbij verklaren wij dat", "done": "het leertraject",
           "success": "met succes heeft afgerond.", "load": "Studiebelasting",
           "date": "Afgerond op", "issuer": "Uitgereikt door", "code": "Controlecode",
           "check": "Controleer dit getuigschrift op"},
    "en": {"title": "Certificate", "intro": "This is to certify that",
           "done": "has successfully completed the learning path", "success": "", "load": "Study load",
           "date": "Completed on", "issuer": "Issued by", "code": "Verification code",
           "check": "Verify this certificate at"},
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

    def fit(self, text: str, style: str, width: float, largest: float, single: float, smallest: float,
            max_lines: int) -> tuple[float, list[str]]:
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

    def text(self, what: str, x: float, y: float, width: float, size: float, lines: list[str], style: str = "",
             color=INK, align: str = "C", link: str | None = None) -> float:
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


def _new_pdf(data: CertificateData, labels: dict) -> FPDF:
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_creation_date(datetime.datetime.combine(data.completed_on, datetime.time(12, 0),
                                                    tzinfo=datetime.timezone.utc))
    digest = hashlib.sha256(repr(data).encode("utf-8")).hexdigest()[:32].upper()
    pdf.file_id = lambda: f"<{digest}><{digest}>"  # from the data alone, whatever the fpdf2 version does
    pdf.set_title(f"{labels['title']}: {clean(data.path_title)}")
    pdf.set_author(clean(data.issuer))
    pdf.set_subject(f"{clean(data.learner_name)}, {clean(data.path_title)} ({data.code})")
    pdf.set_creator("Kruispunt")
    pdf.set_producer("Kruispunt")
    pdf.set_lang(data.language)
    pdf.add_font(FONT, "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0)
    pdf.add_page()
    return pdf


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
    page.text("product", left, 21, text_width, 14, ["Kruispunt"], "B", BRAND)
    page.text("title", left, 31, text_width, 34, [labels["title"]], "B", BRAND)
    pdf.set_line_width(0.6)
    pdf.line(width / 2 - 20, 51, width / 2 + 20, 51)

    # Middle: the statement, centred vertically between the title and the facts.
    name = page.fit(clean(data.learner_name), "B", text_width, 30, 20, 12, 3)
    path = page.fit(clean(data.path_title), "B", text_width, 20, 14, 10, 3)
    parts = [("intro", 13, [labels["intro"]], "", 2), ("name", *name, "B", 3), ("done", 13, [labels["done"]], "", 2),
             ("path", *path, "B", 3), ("success", 13, [labels["success"]], "", 3)]
    parts = [part for part in parts if part[2] != [""]]  # English has no closing line
    top, bottom = 56.0, 136.0
    total = sum(size * PT * LEADING * len(lines) + gap for _, size, lines, _, gap in parts[:-1]) + \
        parts[-1][1] * PT * LEADING * len(parts[-1][2])
    spare = max(0.0, bottom - top - total)
    extra = min(5.0, spare / 2 / (len(parts) - 1))  # up to 5 mm more per gap, the rest around the block
    y = top + (spare - (len(parts) - 1) * extra) / 2
    for what, size, lines, style, gap in parts:
        y = page.text(what, left, y, text_width, size, lines, style) + gap + extra

    # Bottom: facts on the left, QR code on the right.
    qr_size, qr_x, y = 42.0, width - 30 - 42.0, 142.0
    label_w, value_x = 44.0, left + 45
    value_w = qr_x - 5 - value_x
    facts = [("load", labels["load"], format_hours(data.hours, data.language)),
             ("date", labels["date"], format_date(data.completed_on, data.language)),
             ("issuer", labels["issuer"], clean(data.issuer)),
             ("code", labels["code"], clean(data.code))]
    for what, label, value in facts:
        page.text(f"{what} label", left, y, label_w, 11, [f"{label}:"], color=MUTED, align="L")
        size, lines = page.fit(value, "B", value_w, 11, 8, 7, 3)
        y = max(y + 7, page.text(what, value_x, y, value_w, size, lines, "B", align="L") + 1)
    y += 2
    url_w = qr_x - 5 - left
    y = page.text("check", left, y, url_w, 9, [f"{labels['check']}:"], color=MUTED, align="L")
    size, lines = page.fit(data.verify_url, "", url_w, 9, 6, 6, 2)
    page.text("url", left, y, url_w, size, lines, color=MUTED, align="L", link=data.verify_url)

    pdf.image(_qr_png(data.verify_url), x=qr_x, y=142, w=qr_size, h=qr_size)
    page.boxes.append(Box("qr", qr_x, 142, qr_size, qr_size, qr_size))
    return pdf, page.boxes


def render_pdf(data: CertificateData) -> bytes:
    """The certificate as PDF bytes (A4 landscape, fonts embedded, QR code to ``verify_url``)."""
    pdf, _ = layout(data)
    return bytes(pdf.output())
