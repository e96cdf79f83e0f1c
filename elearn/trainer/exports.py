"""CSV and XLSX exports of the learner table and the item analysis."""

from __future__ import annotations

import io
from dataclasses import dataclass

from flask_babel import gettext as _

from ..content.render import plain_text
from ..questiontypes import question_type


def learner_table(rows, course, path) -> tuple[list[str], list[list]]:
    """The dashboard's columns for the given (already filtered and sorted) rows."""
    quiz_modules = [m for m in path.modules if m in course.quizzes] if path else []
    headers = [_("Naam"), _("Organisatie"), _("Status"), _("Voortgang (%)")]
    headers += [_("Toets %(m)s: beste score", m=course.module(m).title) for m in quiz_modules]
    headers += [
        _("Casussen afgewerkt"),
        _("Casussen totaal"),
        _("Voortoets (%)"),
        _("Eindtoets (%)"),
        _("Zelfinschatting start"),
        _("Zelfinschatting einde"),
        _("Attest"),
        _("Laatst actief"),
        _("Aangesloten"),
    ]
    states = {
        "not_started": _("niet gestart"),
        "in_progress": _("bezig"),
        "completed": _("afgerond"),
        "inactive": _("inactief"),
    }
    certs = {"none": "", "valid": _("uitgereikt"), "revoked": _("ingetrokken")}
    table = []
    for r in rows:
        line = [
            _("(gewist account)") if r.erased else r.name,
            "" if r.erased else r.organisation,
            states[r.state],
            r.status.percent if r.status else 0,
        ]
        line += [round(r.quiz_best[m], 1) if m in r.quiz_best else None for m in quiz_modules]
        line += [
            sum(m.vignettes_done for m in r.status.modules) if r.status else 0,
            sum(m.vignettes_total for m in r.status.modules) if r.status else 0,
            _round(r.pre_score),
            _round(r.post_score),
            r.confidence_pre,
            r.confidence_post,
            certs[r.certificate],
            r.last_activity.strftime("%Y-%m-%d %H:%M") if r.last_activity else "",
            r.joined_at.strftime("%Y-%m-%d"),
        ]
        table.append(line)
    return headers, table


def item_table(items, course) -> tuple[list[str], list[list]]:
    headers = [
        _("Toets"),
        _("Vraag-id"),
        _("Vraag"),
        _("Antwoorden"),
        _("Facility (aandeel juist)"),
        _("Discriminatie (hoogste tegen laagste 27 procent)"),
        _("Punt-biseriële correlatie"),
        _("Gekozen opties"),
        _("Signalen"),
    ]
    flags = {"too_easy": _("te makkelijk"), "too_hard": _("te moeilijk"), "poor_discrimination": _("onderscheidt zwak")}
    table = []
    for item in items:
        question = course.quizzes[item.quiz_id].question(item.question_id)
        prompt = plain_text(question.prompt_html) if question else ""
        table.append(
            [
                item.quiz_id,
                item.question_id,
                prompt,
                item.responses,
                _round(item.facility, 3),
                _round(item.discrimination, 3),
                _round(item.point_biserial, 3),
                "; ".join(f"{choice_label(question, k)}: {v}" for k, v in sorted(item.choices.items())),
                ", ".join(flags[f] for f in item.flags),
            ]
        )
    return headers, table


def choice_label(question, choice: str) -> str:
    """The answer text a counted choice stands for (see ``QuestionType.answer_text``), marked
    when it is right; the raw id when the question no longer has it."""
    found = question_type(question).answer_text(question, choice, _) if question else None
    if found is None:
        return choice
    text, right = found
    return text + (_(" (juist)") if right else "")


def _round(value, digits=1):
    return None if value is None else round(value, digits)


#: what starts a formula in a spreadsheet cell (also after spaces, tabs or line breaks)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
#: the list separators of Excel in Belgium (;) and in English locales (,)
SEPARATORS = (";", ",")


def _neutralise(text: str) -> str:
    """Prefix ``'`` to a formula at the start of the text."""
    if text.lstrip(" \n")[:1] in _FORMULA_START or text[:1] in _FORMULA_START:
        return "'" + text
    return text


def safe_text(text: str) -> str:
    """Text that no spreadsheet evaluates: a formula at the start of the text, or at the start of
    any piece that a separator (; or ,) could split off as its own cell, is prefixed with ``'``."""
    import re

    pieces = re.split(r"([;,])", text)
    return "".join(
        p if p in SEPARATORS else _neutralise(p) if i == 0 or p.lstrip(" \n")[:1] in _FORMULA_START else p
        for i, p in enumerate(pieces)
    )


@dataclass(frozen=True)
class CsvDialect:
    """How the CSV of one language is written so that its spreadsheet opens it without a wizard."""

    separator: str
    decimal: str


#: Dutch (Belgian Excel): ; between cells and a decimal comma; English: , and a decimal point
CSV_DIALECTS = {"nl": CsvDialect(";", ","), "en": CsvDialect(",", ".")}


def _csv_field(value, dialect: CsvDialect) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        value = str(value)
    if isinstance(value, (int, float)):
        text = repr(value) if isinstance(value, float) else str(value)
        text = text.replace(".", dialect.decimal)
    else:
        text = safe_text(str(value))
    # Quote a field holding either separator, a quote or a line break: it stays one cell in
    # Excel whichever list separator the reader's Windows uses.
    if any(c in text for c in (*SEPARATORS, '"', "\n", "\r")):
        text = '"' + text.replace('"', '""') + '"'
    return text


def to_csv(headers, table, language: str = "nl") -> str:
    """The table as CSV for ``language``'s spreadsheets (see :data:`CSV_DIALECTS`), lines ending CRLF."""
    dialect = CSV_DIALECTS.get(language, CSV_DIALECTS["nl"])
    lines = [dialect.separator.join(_csv_field(v, dialect) for v in line) for line in [headers, *table]]
    return "".join(line + "\r\n" for line in lines)


#: characters Excel does not allow in a sheet name
_SHEET_FORBIDDEN = str.maketrans({c: " " for c in "/\\:[]?*"})


def sheet_title(title: str) -> str:
    """A valid worksheet name: no / \\ : [ ] ? *, no leading or trailing apostrophe, at most 31
    characters, never empty."""
    clean = " ".join(title.translate(_SHEET_FORBIDDEN).split()).strip("'")[:31].strip().strip("'")
    return clean or "Blad1"


def to_xlsx(headers, table, title: str) -> bytes:
    # imported here: openpyxl takes a tenth of a second to import, and few requests need it
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title(title)
    ws.append(headers)
    for line in table:
        ws.append(line)
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text stays text: "=..." is not stored as a formula
    for i, header in enumerate(headers, 1):
        ws.column_dimensions[get_column_letter(i)].width = min(max(len(str(header)), 10) + 2, 60)
    ws.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
