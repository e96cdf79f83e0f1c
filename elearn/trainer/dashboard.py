"""The cohort dashboard's rows: one per learner, built in a fixed number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from sqlalchemy import select

from ..content import Course, posttest_id, pretest_id
from ..extensions import db
from ..learn.completion import PathStatus, path_status
from ..learn.progress import load_records
from ..models import Certificate, Cohort, CohortMember, SurveyAnswer, SurveyResponse, User, utcnow

INACTIVE_DAYS = 14
STATES = ("not_started", "in_progress", "completed", "inactive")
SORTS = ("name", "progress", "activity")


@dataclass(frozen=True)
class LearnerRow:
    user_id: int
    name: str
    organisation: str
    erased: bool
    status: PathStatus
    quiz_best: dict  # module slug -> best score
    pre_score: float | None
    post_score: float | None
    confidence_pre: float | None
    confidence_post: float | None
    certificate: str  # none | valid | revoked
    last_activity: datetime.datetime | None
    joined_at: datetime.datetime
    state: str


def _state(status: PathStatus, last_activity, now) -> str:
    if status.complete:
        return "completed"
    if not status.started:
        return "not_started"
    if last_activity is None or now - last_activity > datetime.timedelta(days=INACTIVE_DAYS):
        return "inactive"
    return "in_progress"


def _mean(values):
    values = list(values)
    return round(sum(values) / len(values), 2) if values else None


def cohort_rows(course: Course, cohort: Cohort) -> list[LearnerRow]:
    """Every member of the cohort with their progress on the cohort's path."""
    path = course.path(cohort.path_slug)
    members = db.session.execute(
        select(User.id, User.name, User.organisation, User.erased_at, CohortMember.joined_at)
        .join(CohortMember, CohortMember.user_id == User.id)
        .where(CohortMember.cohort_id == cohort.id)
    ).all()
    ids = [m.id for m in members]
    within = select(CohortMember.user_id).where(CohortMember.cohort_id == cohort.id)
    records = load_records(ids, within)
    certs = {}
    surveys: dict[tuple[int, str], list[int]] = {}
    if ids:
        for uid, revoked in db.session.execute(
            select(Certificate.user_id, Certificate.revoked_at).where(
                Certificate.user_id.in_(within), Certificate.path_slug == cohort.path_slug
            )
        ):
            certs[uid] = "revoked" if revoked else "valid"
        for uid, phase, value in db.session.execute(
            select(SurveyResponse.user_id, SurveyResponse.phase, SurveyAnswer.value)
            .join(SurveyAnswer, SurveyAnswer.response_id == SurveyResponse.id)
            .where(SurveyResponse.user_id.in_(within), SurveyResponse.path_slug == cohort.path_slug)
        ):
            surveys.setdefault((uid, phase), []).append(value)
    now = utcnow()
    rows = []
    for m in members:
        rec = records[m.id]
        status = path_status(course, path, rec) if path else None
        rows.append(
            LearnerRow(
                user_id=m.id,
                name=m.name,
                organisation=m.organisation,
                erased=m.erased_at is not None,
                status=status,
                quiz_best={
                    slug: rec.quiz_scores[slug][0] for slug in (path.modules if path else ()) if slug in rec.quiz_scores
                },
                pre_score=rec.quiz_scores.get(pretest_id(cohort.path_slug), (None,))[0],
                post_score=rec.quiz_scores.get(posttest_id(cohort.path_slug), (None,))[0],
                confidence_pre=_mean(surveys.get((m.id, "pre"), [])),
                confidence_post=_mean(surveys.get((m.id, "post"), [])),
                certificate=certs.get(m.id, "none"),
                last_activity=rec.last_activity,
                joined_at=m.joined_at,
                state=_state(status, rec.last_activity, now) if status else "not_started",
            )
        )
    return rows


def filter_and_sort(rows: list[LearnerRow], state: str = "", sort: str = "name", descending: bool = False):
    """Rows in the given state (all when empty), sorted by name, progress or last activity."""
    if state in STATES:
        rows = [r for r in rows if r.state == state]
    keys = {
        "name": lambda r: r.name.lower(),
        "progress": lambda r: r.status.percent if r.status else 0,
        "activity": lambda r: r.last_activity or datetime.datetime.min,
    }
    return sorted(rows, key=keys.get(sort, keys["name"]), reverse=descending)
