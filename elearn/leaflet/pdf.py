"""The leaflet as a two-column A4 PDF, with the certificate's embedded DejaVu fonts (fpdf2).

Flask-free: it draws a :class:`~elearn.leaflet.service.LeafletView` with the labels it is given.
"""

from __future__ import annotations

import contextlib
import datetime
import re

from fpdf import FPDF

from ..certificates.render import FONTS, clean
from ..content.render import plain_text
from .service import LeafletView

FONT = "DejaVu"
INK = (33, 37, 41)
ACCENT = (0, 84, 98)  # dark teal, 8:1 on white
MUTED = (80, 86, 92)
MARGIN = 12

DEFAULT_LABELS = {
    "phone": "Tel.",
    "sources": "Bronnen",
    "region": "Adressen voor",
    "from_course": "Uit de cursus, module",
    "checked": "gecontroleerd op",
    "page": "Pagina",
}

_LEAD = re.compile(r"^<strong>(.*?)</strong>\s*(.*)$", re.S)


def _split_lead(html: str) -> tuple[str, str]:
    """('Bold lead.', 'rest') when an item starts with bold text, else ('', text)."""
    match = _LEAD.match(html)
    if match:
        return plain_text(match.group(1)), plain_text(match.group(2))
    return "", plain_text(html)


def _domain(url: str) -> str:
    """``https://www.sensoa.be/x`` as ``sensoa.be``: what a reader types."""
    return re.sub(r"^https?://(www\.)?", "", url).split("/", 1)[0]


class _Leaflet(FPDF):
    def __init__(self, title: str, page_label: str):
        super().__init__(orientation="P", unit="mm", format="A4")
        self._title, self._page_label = title, page_label

    def footer(self):
        self.set_y(-9)
        self.set_font(FONT, "", 7)
        self.set_text_color(*MUTED)
        self.cell(0, 4, f"{self._title} · {self._page_label} {self.page_no()}/{{nb}}", align="C")


def render_leaflet_pdf(view: LeafletView, labels: dict | None = None, today: datetime.date | None = None) -> bytes:
    """The leaflet as PDF bytes: A4 portrait, two columns, fonts embedded."""
    labels = {**DEFAULT_LABELS, **(labels or {})}
    leaflet = view.leaflet
    pdf = _Leaflet(clean(leaflet.title), labels["page"])
    pdf.set_title(clean(leaflet.title))
    pdf.set_subject(clean(leaflet.subtitle))
    pdf.set_creator("Kruispunt")
    pdf.set_producer("Kruispunt")
    pdf.set_lang("nl-BE")
    day = today or (datetime.date.fromisoformat(view.checked) if view.checked else datetime.date(2026, 1, 1))
    pdf.set_creation_date(datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC))
    pdf.add_font(FONT, "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(True, margin=12)
    pdf.alias_nb_pages()
    pdf.add_page()

    pdf.set_text_color(*ACCENT)
    pdf.set_font(FONT, "B", 16)
    pdf.multi_cell(0, 7, clean(leaflet.title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 10)
    pdf.set_text_color(*MUTED)
    region = f" · {labels['region']}: {clean(view.region_name)}" if view.region_name else ""
    pdf.multi_cell(0, 5, clean(leaflet.subtitle) + region, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)

    size = 9  # side one; the addresses get more room on side two
    cols = None

    def columns():
        return pdf.text_columns(ncols=2, gutter=7, text_align="LEFT", balance=True)

    def heading(text: str) -> None:
        pdf.set_text_color(*ACCENT)
        pdf.set_font(FONT, "B", 10.5)
        with cols.paragraph(top_margin=2.5, bottom_margin=0.8, line_height=1.1) as par:
            par.write(clean(text))

    def item(lead: str, text: str, bullet: str = "•") -> None:
        with cols.paragraph(bottom_margin=0.7, line_height=1.15) as par:
            pdf.set_text_color(*INK)
            pdf.set_font(FONT, "", size)
            par.write(f"{bullet} ")
            if lead:
                pdf.set_font(FONT, "B", size)
                par.write(clean(lead) + " ")
                pdf.set_font(FONT, "", size)
            par.write(clean(text))

    def small(text: str) -> None:
        pdf.set_text_color(*MUTED)
        pdf.set_font(FONT, "", 7)
        with cols.paragraph(bottom_margin=0.6, line_height=1.1) as par:
            par.write(clean(text))

    # Side one: what the course teaches; side two: the addresses (a block of organisations
    # starts a new page once side one has content).
    stack = contextlib.ExitStack()
    cols = stack.enter_context(columns())
    written = False
    for section in view.sections:
        block = section.block
        if block.kind == "organisations" and written:
            stack.close()
            pdf.add_page()
            cols = stack.enter_context(columns())
            size = 10
        heading(block.heading)
        written = True
        for entry in block.items:
            item(*_split_lead(entry.html))
        for org in section.organisations:
            contact = [org.phone and f"{labels['phone']} {org.phone}", org.email, org.url and _domain(org.url)]
            text = " · ".join(c for c in contact if c)
            item(org.name + ".", f"{view.kinds_of(org)}." + (f" {text}" if text else ""), bullet="›")
        if block.sources:
            small(
                f"{labels['sources']}: "
                + "; ".join(
                    f"{s.publisher}, \u201c{s.title}\u201d ({_domain(s.url)}, {labels['checked']} {s.checked})"
                    for s in block.sources
                )
            )
        elif section.origin_title:
            small(f"{labels['from_course']} \u201c{section.origin_title}\u201d.")
    if leaflet.footer:
        pdf.set_text_color(*MUTED)
        pdf.set_font(FONT, "", 7.5)
        with cols.paragraph(top_margin=3, line_height=1.1) as par:
            par.write(clean(leaflet.footer) + (f" ({labels['checked']} {view.checked})" if view.checked else ""))
    stack.close()
    return bytes(pdf.output())
