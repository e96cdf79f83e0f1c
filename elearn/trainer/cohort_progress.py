"""One row per cohort member with the counts a path status needs, aggregated by the database.

Instead of every section read, attempt, run and survey answer of every member (about 200,000
rows at 10,000 learners), the database returns one row per learner: per module of the path the
sections of the *current* content read, the module quiz passed and best score, the module's
vignettes finished; the best pre- and post-test score and whether each was submitted as a path
test; the confidence scales filled in with the sum and number of their answers; the certificate;
and the latest moment in each table (the last activity is the latest of them).
"""

from __future__ import annotations

from sqlalchemy import Select, and_, case, func, select

from ..content import Course, posttest_id, pretest_id
from ..models import (
    Certificate,
    CohortMember,
    QuizAttempt,
    SectionRead,
    SurveyAnswer,
    SurveyResponse,
    User,
    VignetteRun,
)

#: the columns holding the latest moment of each kind of activity
ACTIVITY_COLUMNS = ("read_last", "quiz_last", "vignette_last", "survey_last")


def _flag(condition):
    """1 when some row of the group meets ``condition``, else 0."""
    return func.max(case((condition, 1), else_=0))


def confidence_sums(path_slug: str, users) -> Select:
    """SELECT of ``user_id``, ``survey_pre_sum``, ``survey_pre_n``, ``survey_post_sum``,
    ``survey_post_n``: the sum and number of the answers of each phase's confidence scale on the
    path, for the learners in ``users`` (ids or a SELECT of ids) who filled one in."""

    def phase(name):
        return SurveyResponse.phase == name

    return (
        select(
            SurveyResponse.user_id,
            func.sum(case((phase("pre"), SurveyAnswer.value))).label("survey_pre_sum"),
            func.count(case((phase("pre"), SurveyAnswer.value))).label("survey_pre_n"),
            func.sum(case((phase("post"), SurveyAnswer.value))).label("survey_post_sum"),
            func.count(case((phase("post"), SurveyAnswer.value))).label("survey_post_n"),
        )
        .join(SurveyAnswer, SurveyAnswer.response_id == SurveyResponse.id)
        .where(SurveyResponse.user_id.in_(users), SurveyResponse.path_slug == path_slug)
        .group_by(SurveyResponse.user_id)
    )


def progress_query(course: Course, cohort_id: int, path_slug: str, confidence: bool = True) -> Select:
    """SELECT of one row per member of the cohort, ordered by user id.

    Columns: ``user_id``, ``name``, ``organisation``, ``erased_at``, ``joined_at``; for the i-th
    module of the path ``read_i``, ``vignettes_i``, ``passed_i`` and ``best_i`` (its quiz's best
    score); ``pre_best``, ``pre_done``, ``post_best``, ``post_done``; ``survey_pre_done``,
    ``survey_post_done``; with ``confidence`` the columns of :func:`confidence_sums` (the
    answers of the scales are the largest table it reads); ``certificate_id``, ``certificate_revoked_at``; and
    :data:`ACTIVITY_COLUMNS`. Counts and flags are 0, never NULL.
    """
    path = course.path(path_slug)
    modules = path.modules if path else ()
    members = select(CohortMember.user_id).where(CohortMember.cohort_id == cohort_id)
    pre, post = pretest_id(path_slug), posttest_id(path_slug)

    reads = (
        select(
            SectionRead.user_id,
            *(
                func.count(
                    case(
                        (
                            and_(
                                SectionRead.module_slug == slug,
                                SectionRead.section_id.in_([s.id for s in course.module(slug).sections]),
                            ),
                            1,
                        )
                    )
                ).label(f"read_{i}")
                for i, slug in enumerate(modules)
            ),
            func.max(SectionRead.read_at).label("read_last"),
        )
        .where(SectionRead.user_id.in_(members))
        .group_by(SectionRead.user_id)
        .subquery()
    )

    # every module, also one whose quiz left the content: a pass still counts as a step
    quiz_columns = []
    for i, slug in enumerate(modules):
        quiz_columns += [
            _flag(and_(QuizAttempt.quiz_id == slug, QuizAttempt.kind == "module", QuizAttempt.passed.is_(True))).label(
                f"passed_{i}"
            ),
            func.max(case((QuizAttempt.quiz_id == slug, QuizAttempt.score))).label(f"best_{i}"),
        ]
    attempts = (
        select(
            QuizAttempt.user_id,
            *quiz_columns,
            func.max(case((QuizAttempt.quiz_id == pre, QuizAttempt.score))).label("pre_best"),
            _flag(and_(QuizAttempt.quiz_id == pre, QuizAttempt.kind != "module")).label("pre_done"),
            func.max(case((QuizAttempt.quiz_id == post, QuizAttempt.score))).label("post_best"),
            _flag(and_(QuizAttempt.quiz_id == post, QuizAttempt.kind != "module")).label("post_done"),
            func.max(QuizAttempt.submitted_at).label("quiz_last"),
        )
        .where(QuizAttempt.user_id.in_(members), QuizAttempt.submitted_at.is_not(None))
        .group_by(QuizAttempt.user_id)
        .subquery()
    )

    runs = (
        select(
            VignetteRun.user_id,
            *(
                func.count(
                    func.distinct(
                        case(
                            (
                                VignetteRun.vignette_id.in_([v.id for v in course.vignettes_for(slug)]),
                                VignetteRun.vignette_id,
                            )
                        )
                    )
                ).label(f"vignettes_{i}")
                for i, slug in enumerate(modules)
            ),
            func.max(VignetteRun.finished_at).label("vignette_last"),
        )
        .where(VignetteRun.user_id.in_(members), VignetteRun.finished_at.is_not(None))
        .group_by(VignetteRun.user_id)
        .subquery()
    )

    def phase(name):
        return and_(SurveyResponse.path_slug == path_slug, SurveyResponse.phase == name)

    surveys = (
        select(
            SurveyResponse.user_id,
            _flag(phase("pre")).label("survey_pre_done"),
            _flag(phase("post")).label("survey_post_done"),
            func.max(SurveyResponse.submitted_at).label("survey_last"),
        )
        .where(SurveyResponse.user_id.in_(members))
        .group_by(SurveyResponse.user_id)
        .subquery()
    )
    subqueries = [reads, attempts, runs, surveys]
    if confidence:
        subqueries.append(confidence_sums(path_slug, members).subquery())

    def zero(column):
        return func.coalesce(column, 0).label(column.name)

    def is_count(name: str) -> bool:
        return name.endswith(("_done", "_n")) or name.rstrip("0123456789").endswith(("read_", "vignettes_", "passed_"))

    columns = [zero(c) if is_count(c.name) else c for sub in subqueries for c in sub.c if c.name != "user_id"]
    query = select(
        CohortMember.user_id,
        User.name,
        User.organisation,
        User.erased_at,
        CohortMember.joined_at,
        *columns,
        Certificate.id.label("certificate_id"),
        Certificate.revoked_at.label("certificate_revoked_at"),
    ).join(User, User.id == CohortMember.user_id)
    for sub in subqueries:
        query = query.outerjoin(sub, sub.c.user_id == CohortMember.user_id)
    return (
        query.outerjoin(
            Certificate, and_(Certificate.user_id == CohortMember.user_id, Certificate.path_slug == path_slug)
        )
        .where(CohortMember.cohort_id == cohort_id)
        .order_by(CohortMember.user_id)
    )
