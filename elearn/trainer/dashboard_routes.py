"""The cohort dashboard page."""
from __future__ import annotations

from flask import render_template, request

from ..access import cohort_or_404, role_required
from ..auth.forms import ActionForm
from ..course import get_course
from .dashboard import SORTS, STATES, cohort_rows, filter_and_sort
from .routes import bp

PAGE_SIZE = 50


def dashboard_query():
    """The filter, sort and page chosen in the query string (shared by page and exports)."""
    state = request.args.get("state", "")
    sort = request.args.get("sort", "name")
    return (state if state in STATES else "", sort if sort in SORTS else "name",
            request.args.get("desc") == "1", max(request.args.get("page", 1, type=int), 1))


@bp.route("/cohorts/<int:cohort_id>")
@role_required("trainer")
def cohort(cohort_id: int):
    from flask_login import current_user

    course = get_course()
    cohort = cohort_or_404(current_user, cohort_id)
    state, sort, descending, page = dashboard_query()
    all_rows = cohort_rows(course, cohort)
    rows = filter_and_sort(all_rows, state, sort, descending)
    pages = max((len(rows) + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    page = min(page, pages)
    counts = {s: sum(1 for r in all_rows if r.state == s) for s in STATES}
    return render_template("trainer/cohort.html", cohort=cohort, course=course,
                           path=course.path(cohort.path_slug), rows=rows[(page - 1) * PAGE_SIZE: page * PAGE_SIZE],
                           total=len(rows), counts=counts, state=state, sort=sort, descending=descending,
                           page=page, pages=pages, action_form=ActionForm())
