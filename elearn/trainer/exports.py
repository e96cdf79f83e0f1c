"""CSV and XLSX exports of the learner table and the item analysis."""
from __future__ import annotations

import csv
import io

from flask_babel import gettext as _


def learner_table(rows, course, path) -> tuple[list[str], list[list]]:
    """The dashboard's columns for the given (already filtered and sorted) rows."""
    quiz_modules = [m for m in path.modules if m in course.quizzes] if path else []
    headers = [_("Naam"), _("Organisatie"), _("Status"), _("Voortgang (%)")]
    headers += [_("Toets %(m)s: beste score", m=course.module(m).title) for m in quiz_modules]
    headers += [_("Casussen afgewerkt"), _("Casussen totaal"), _("Voortoets (%)"), _("Eindtoets (%)"),
                _("Zelfinschatting start"), _("Zelfinschatting einde"), _("Getuigschrift"), _("Laatst actief"), _("Aangesloten")]
    states = {"not_started": _("niet gestart"), "in_progress": _("bezig"), "completed": _("afgerond"),
              "inactive": _("inactief")}
    certs = {"none": "", "valid": _("uitgereikt"), "revoked": _("ingetrokken")}
    table = []
    for r in rows:
        line = [_("(gewist account)") if r.erased else r.name, "" if r.erased else r.organisation,
                states[r.state], r.status.percent if r.status else 0]
        line += [round(r.quiz_best[m], 1) if m in r.quiz_best else None for m in quiz_modules]
        line += [sum(m.vignettes_done for m in r.status.modules) if r.status else 0,
                 sum(m.vignettes_total for m in r.status.modules) if r.status else 0,
                 _round(r.pre_score), _round(r.post_score), r.confidence_pre, r.confidence_post,
                 certs[r.certificate],
                 r.last_activity.strftime("%Y-%m-%d %H:%M") if r.last_activity else "",
                 r.joined_at.strftime("%Y-%m-%d")]
        table.append(line)
    return headers, table


def item_table(items, course) -> tuple[list[str], list[list]]:
    headers = [_("Toets"), _("Vraag-id"), _("Vraag"), _("Antwoorden"), _("Facility (aandeel juist)"),
               _("Discriminatie (hoogste tegen laagste 27 procent)"), _("Punt-biseriële correlatie"), _("Gekozen opties"), _("Signalen")]
    flags = {"too_easy": _("te makkelijk"), "too_hard": _("te moeilijk"), "poor_discrimination": _("onderscheidt zwak")}
    table = []
    for item in items:
        question = course.quizzes[item.quiz_id].question(item.question_id)
        prompt = _strip(question.prompt_html) if question else ""
        table.append([item.quiz_id, item.question_id, prompt, item.responses, _round(item.facility, 3),
                      _round(item.discrimination, 3), _round(item.point_biserial, 3),
                      "; ".join(f"{k}: {v}" for k, v in sorted(item.choices.items())),
                      ", ".join(flags[f] for f in item.flags)])
    return headers, table


def _round(value, digits=1):
    return None if value is None else round(value, digits)


def _strip(html: str) -> str:
    import re
    return re.sub(r"<[^>]+>", "", html)


def _safe_cell(value):
    # Spreadsheet formula injection: text starting with = + - @ is shown, not evaluated.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def to_csv(headers, table) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    for line in table:
        writer.writerow(["" if v is None else _safe_cell(v) for v in line])
    return out.getvalue()


def to_xlsx(headers, table, title: str) -> bytes:
    # imported here: openpyxl takes a tenth of a second to import, and few requests need it
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    ws.append(headers)
    for line in table:
        ws.append([_safe_cell(v) for v in line])
    for i, header in enumerate(headers, 1):
        ws.column_dimensions[get_column_letter(i)].width = min(max(len(str(header)), 10) + 2, 60)
    ws.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
