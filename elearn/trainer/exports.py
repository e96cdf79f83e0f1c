"""CSV and XLSX exports of the learner table and the item analysis."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import chain, islice

from flask_babel import gettext as _

from ..content.render import plain_text
from ..questiontypes import question_type
from .labels import CERTIFICATE_LABELS, ITEM_FLAG_LABELS, STATE_LABELS


def learner_headers(course, path) -> list[str]:
    """The column titles of the learner table (one best-score column per module quiz of the path)."""
    headers = [_("Naam"), _("Organisatie"), _("Status"), _("Voortgang (%)")]
    headers += [_("Toets %(m)s: beste score", m=course.module(m).title) for m in course.quiz_modules(path)]
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
    return headers


def learner_lines(rows, course, path) -> Iterator[list]:
    """The dashboard's columns for each of the given (already filtered and sorted) rows, one at a time."""
    quiz_modules = course.quiz_modules(path)
    for r in rows:
        line = [
            _("(gewist account)") if r.erased else r.name,
            "" if r.erased else r.organisation,
            str(STATE_LABELS[r.state][1]),
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
            str(CERTIFICATE_LABELS.get(r.certificate, "")),
            r.last_activity.strftime("%Y-%m-%d %H:%M") if r.last_activity else "",
            r.joined_at.strftime("%Y-%m-%d"),
        ]
        yield line


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
                ", ".join(str(ITEM_FLAG_LABELS[f]) for f in item.flags),
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


#: lines per chunk of a streamed CSV
CSV_CHUNK_LINES = 200


def csv_lines(headers, table: Iterable, language: str = "nl") -> Iterator[str]:
    """The table as CSV lines (each ending CRLF) for ``language``'s spreadsheets (see
    :data:`CSV_DIALECTS`), produced one at a time as ``table`` yields its rows."""
    dialect = CSV_DIALECTS.get(language, CSV_DIALECTS["nl"])
    for cells in chain([headers], table):
        yield dialect.separator.join(_csv_field(v, dialect) for v in cells) + "\r\n"


def csv_chunks(headers, table: Iterable, language: str = "nl") -> Iterator[bytes]:
    """The CSV as UTF-8 with a byte order mark (so Excel reads it as UTF-8), in chunks of
    :data:`CSV_CHUNK_LINES` lines, for a streamed response."""
    lines = csv_lines(headers, table, language)
    first = True
    while chunk := "".join(islice(lines, CSV_CHUNK_LINES)):
        yield (("\ufeff" if first else "") + chunk).encode()
        first = False


#: characters Excel does not allow in a sheet name
_SHEET_FORBIDDEN = str.maketrans({c: " " for c in "/\\:[]?*"})


def sheet_title(title: str) -> str:
    """A valid worksheet name: no / \\ : [ ] ? *, no leading or trailing apostrophe, at most 31
    characters, never empty."""
    clean = " ".join(title.translate(_SHEET_FORBIDDEN).split()).strip("'")[:31].strip().strip("'")
    return clean or "Blad1"


def to_xlsx(headers, table: Iterable, title: str):
    """The table as an XLSX workbook in an anonymous temporary file (removed when closed),
    positioned at its start. Rows are written one at a time (openpyxl's write-only mode), so
    memory does not grow with the table; text stays text ("=..." is never a formula)."""
    # imported here: openpyxl takes a tenth of a second to import, and few requests need it
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet_title(title))
    for i, header in enumerate(headers, 1):
        ws.column_dimensions[get_column_letter(i)].width = min(max(len(str(header)), 10) + 2, 60)
    ws.freeze_panes = "A2"

    def cell(value):
        if not isinstance(value, str):
            return value
        c = WriteOnlyCell(ws, value=value)
        c.data_type = "s"
        return c

    for cells in chain([headers], table):
        ws.append([cell(v) for v in cells])
    out = tempfile.TemporaryFile()
    try:
        wb.save(out)
    except BaseException:
        out.close()
        raise
    out.seek(0)
    return out
