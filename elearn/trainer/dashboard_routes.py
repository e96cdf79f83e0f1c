"""The cohort dashboard, its summary with charts and item analysis, and the exports."""

from __future__ import annotations

from flask import Response, abort, render_template, request
from flask_babel import get_locale
from flask_login import current_user

from .. import audit
from ..access import cohort_or_404, role_required
from ..course import get_course
from ..extensions import db
from ..forms import ActionForm
from ..security import page_number
from . import bp, exports, formatting
from .dashboard import SORTS, STATES, cohort_rows, filter_and_sort
from .summary import FUNNEL_LABELS, cohort_summary, item_analysis, path_quiz_ids

PAGE_SIZE = 50
formatting.register(bp)


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
    course = get_course()
    cohort = cohort_or_404(current_user, cohort_id)
    state, sort, descending, page = dashboard_query()
    all_rows = cohort_rows(course, cohort)
    rows = filter_and_sort(all_rows, state, sort, descending)
    pages = max((len(rows) + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    page = min(page, pages)
    counts = {s: sum(1 for r in all_rows if r.state == s) for s in STATES}
    return render_template(
        "trainer/cohort.html",
        cohort=cohort,
        course=course,
        path=course.path(cohort.path_slug),
        rows=rows[(page - 1) * PAGE_SIZE : page * PAGE_SIZE],
        total=len(rows),
        counts=counts,
        state=state,
        sort=sort,
        descending=descending,
        page=page,
        pages=pages,
        action_form=ActionForm(),
    )


@bp.route("/cohorts/<int:cohort_id>/summary")
@role_required("trainer")
def summary(cohort_id: int):
    course = get_course()
    cohort = cohort_or_404(current_user, cohort_id)
    result = cohort_summary(course, cohort, cohort_rows(course, cohort))
    return render_template(
        "trainer/summary.html",
        cohort=cohort,
        course=course,
        summary=result,
        path=course.path(cohort.path_slug),
        funnel_labels=FUNNEL_LABELS,
    )


def _download(cohort, what: str, fmt: str, headers, table, sheet: str, name: str):
    """Build the table as CSV (in the user's language's dialect) or XLSX, then log the export:
    the audit log records only downloads that were produced."""
    filename = f"groep-{cohort.id}-{name}.{fmt}"
    if fmt == "csv":
        body = "\ufeff" + exports.to_csv(headers, table, get_locale().language)
        response = Response(body, mimetype="text/csv; charset=utf-8")
    else:
        response = Response(
            exports.to_xlsx(headers, table, sheet),
            mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response.headers["Content-Disposition"] = f"attachment; filename={filename}"
    audit.record("data.exported", current_user.id, f"cohort:{cohort.id}", f"{what} {fmt}")
    db.session.commit()
    return response


@bp.route("/cohorts/<int:cohort_id>/export.<fmt>")
@role_required("trainer")
def export(cohort_id: int, fmt: str):
    """The learner table as filtered and sorted on screen (all pages)."""
    if fmt not in ("csv", "xlsx"):
        abort(404)
    course = get_course()
    cohort = cohort_or_404(current_user, cohort_id)
    state, sort, descending, _page = dashboard_query()
    rows = filter_and_sort(cohort_rows(course, cohort), state, sort, descending)
    headers, table = exports.learner_table(rows, course, course.path(cohort.path_slug))
    return _download(cohort, "learners", fmt, headers, table, cohort.name, "deelnemers")


@bp.route("/cohorts/<int:cohort_id>/items.<fmt>")
@role_required("trainer")
def export_items(cohort_id: int, fmt: str):
    if fmt not in ("csv", "xlsx"):
        abort(404)
    course = get_course()
    cohort = cohort_or_404(current_user, cohort_id)
    items = item_analysis(course, cohort, path_quiz_ids(course, cohort))
    headers, table = exports.item_table(items, course)
    return _download(cohort, "items", fmt, headers, table, "Itemanalyse", "itemanalyse")
