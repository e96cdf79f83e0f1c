"""The cohort dashboard, its summary with charts and item analysis, and the exports."""

from __future__ import annotations

from flask import Response, render_template, request, stream_with_context
from flask_babel import get_locale
from flask_login import current_user

from .. import audit
from ..access import cohort_or_404, role_required
from ..course import get_course
from ..extensions import db
from ..security import page_number
from . import bp, exports
from .dashboard import SORTS, STATES, CohortProgress
from .labels import CERTIFICATE_LABELS, ITEM_FLAG_LABELS, STATE_LABELS
from .summary import FUNNEL_LABELS, cohort_summary, item_analysis, path_quiz_ids

PAGE_SIZE = 50


def dashboard_query():
    """The filter, sort and page chosen in the query string (shared by the page and the exports)."""
    state = request.args.get("state", "")
    sort = request.args.get("sort", "name")
    return (
        state if state in STATES else "",
        sort if sort in SORTS else "name",
        request.args.get("desc") == "1",
        page_number(request.args.get("page")),
    )


@bp.route("/cohorts/<int:cohort_id>")
@role_required("trainer")
def cohort(cohort_id: int):
    """The cohort dashboard: state counts, one page of learners filtered and sorted as asked (404 for a
    cohort the trainer does not run)."""
    course = get_course()
    cohort = cohort_or_404(current_user, cohort_id)
    state, sort, descending, page = dashboard_query()
    progress = CohortProgress(course, cohort, confidence=False)
    selected = progress.select(state, sort, descending)
    pages = max((len(selected) + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    page = min(page, pages)
    return render_template(
        "trainer/cohort.html",
        cohort=cohort,
        course=course,
        path=progress.path,
        quiz_modules=course.quiz_modules(progress.path),
        rows=list(progress.learner_rows(selected[(page - 1) * PAGE_SIZE : page * PAGE_SIZE])),
        total=len(selected),
        counts=progress.counts(),
        state_labels=STATE_LABELS,
        certificate_labels=CERTIFICATE_LABELS,
        state=state,
        sort=sort,
        descending=descending,
        page=page,
        pages=pages,
    )


@bp.route("/cohorts/<int:cohort_id>/summary")
@role_required("trainer")
def summary(cohort_id: int):
    """What the cohort learnt: funnel, knowledge and confidence gains, item analysis (404 for a cohort
    the trainer does not run)."""
    course = get_course()
    cohort = cohort_or_404(current_user, cohort_id)
    result = cohort_summary(course, cohort, CohortProgress(course, cohort, confidence=False).funnel_counts())
    return render_template(
        "trainer/summary.html",
        cohort=cohort,
        course=course,
        summary=result,
        path=course.path(cohort.path_slug),
        funnel_labels=FUNNEL_LABELS,
        flag_labels=ITEM_FLAG_LABELS,
    )


def _download(cohort, what: str, fmt: str, headers, table, sheet: str, name: str):
    """Stream the table as CSV (in the user's language's dialect, written as its rows come) or
    XLSX (built in a temporary file first, removed once sent). The audit log records only
    downloads that were produced: after the last chunk has been handed to the client."""
    user_id = current_user.id

    def logged(chunks):
        yield from chunks
        audit.record("data.exported", user_id, f"cohort:{cohort.id}", f"{what} {fmt}")
        db.session.commit()

    if fmt == "csv":
        chunks = exports.csv_chunks(headers, table, get_locale().language)
        mimetype = "text/csv; charset=utf-8"
    else:
        file = exports.to_xlsx(headers, table, sheet)
        chunks = _file_chunks(file)
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = Response(stream_with_context(logged(chunks)), mimetype=mimetype)
    response.headers["Content-Disposition"] = f"attachment; filename=groep-{cohort.id}-{name}.{fmt}"
    return response


def _file_chunks(file, size: int = 64 * 1024):
    """The file's bytes in chunks; the file is closed (and, being temporary, removed) at the end
    or when the client goes away."""
    with file:
        while chunk := file.read(size):
            yield chunk


@bp.route("/cohorts/<int:cohort_id>/export.<any(csv, xlsx):fmt>")
@role_required("trainer")
def export(cohort_id: int, fmt: str):
    """The learner table as filtered and sorted on screen (all pages)."""
    course = get_course()
    cohort = cohort_or_404(current_user, cohort_id)
    state, sort, descending, _page = dashboard_query()
    progress = CohortProgress(course, cohort)
    rows = progress.learner_rows(progress.select(state, sort, descending))
    table = exports.learner_lines(rows, course, progress.path)
    headers = exports.learner_headers(course, progress.path)
    return _download(cohort, "learners", fmt, headers, table, cohort.name, "deelnemers")


@bp.route("/cohorts/<int:cohort_id>/items.<any(csv, xlsx):fmt>")
@role_required("trainer")
def export_items(cohort_id: int, fmt: str):
    """The item analysis as CSV or Excel, answers named by their text (404 for a cohort the trainer
    does not run)."""
    course = get_course()
    cohort = cohort_or_404(current_user, cohort_id)
    items = item_analysis(course, cohort, path_quiz_ids(course, cohort))
    headers, table = exports.item_table(items, course)
    return _download(cohort, "items", fmt, headers, table, "Itemanalyse", "itemanalyse")
