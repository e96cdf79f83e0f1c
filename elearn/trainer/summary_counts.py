"""What the database counts for a cohort's summary, so that Python never reads one row per answer.

Each public function sends one statement whatever the cohort's size, and returns counts of value
patterns: how many learners had this (before, after) pair, how many responses this (credit,
attempt total, response) combination. "First" means what ``summary`` says: a learner's first
submitted attempt at each path test, and the first submitted response to each question.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import and_, case, func, select

from ..extensions import db
from ..models import AttemptAnswer, Cohort, CohortMember, QuizAttempt, SurveyAnswer, SurveyResponse

#: (before, after) -> learners; None where a learner has no value
Patterns = dict[tuple[float | None, float | None], int]


def _members(cohort: Cohort):
    """The cohort's learner ids, as a subquery."""
    return select(CohortMember.user_id).where(CohortMember.cohort_id == cohort.id).scalar_subquery()


def _submitted(cohort: Cohort, quiz_ids) -> tuple:
    """Submitted attempts of the cohort's members at these quizzes."""
    return (
        QuizAttempt.user_id.in_(_members(cohort)),
        QuizAttempt.quiz_id.in_(quiz_ids),
        QuizAttempt.submitted_at.is_not(None),
    )


def _first_attempts(cohort: Cohort, quiz_ids):
    """Ids of each member's first submitted attempt per quiz."""
    return (
        select(func.min(QuizAttempt.id))
        .where(*_submitted(cohort, quiz_ids))
        .group_by(QuizAttempt.user_id, QuizAttempt.quiz_id)
    )


def _in_phase(phase_column, phase, value):
    return case((phase_column == phase, value))


def score_patterns(cohort: Cohort, tests: Mapping[str, str]) -> Patterns:
    """(first pre-test score, first post-test score) -> learners; ``tests``: quiz id -> phase."""
    phase = case(*((QuizAttempt.quiz_id == q, p) for q, p in tests.items()))
    learner = (
        select(
            func.max(_in_phase(phase, "pre", QuizAttempt.score)).label("pre"),
            func.max(_in_phase(phase, "post", QuizAttempt.score)).label("post"),
        )
        .where(QuizAttempt.id.in_(_first_attempts(cohort, list(tests))))
        .group_by(QuizAttempt.user_id)
        .subquery()
    )
    rows = db.session.execute(
        select(learner.c.pre, learner.c.post, func.count()).group_by(learner.c.pre, learner.c.post)
    )
    return {(pre, post): n for pre, post, n in rows if pre is not None or post is not None}


def module_share_patterns(
    cohort: Cohort, tests: Mapping[str, str], modules: Mapping[tuple[str, str], str]
) -> dict[str, Patterns]:
    """Module -> (share correct before, after) -> learners, over the learners' first path tests.

    A learner's share (0-100) on a module is their mean credit over the module's items they
    answered in the attempt (an answer without credit counts 0); ``modules``: (quiz id,
    question id) -> module, for the questions the content still has.
    """
    by_module: dict[tuple[str, str], list[str]] = {}
    for (quiz_id, question_id), module in modules.items():
        by_module.setdefault((quiz_id, module), []).append(question_id)
    if not by_module:
        return {}
    module = case(
        *((and_(QuizAttempt.quiz_id == q, AttemptAnswer.question_id.in_(ids)), m) for (q, m), ids in by_module.items())
    )
    phase = case(*((QuizAttempt.quiz_id == q, p) for q, p in tests.items()))
    answer = (
        select(
            QuizAttempt.user_id,
            phase.label("phase"),
            module.label("module"),
            func.coalesce(AttemptAnswer.credit, 0.0).label("credit"),
        )
        .join(AttemptAnswer, AttemptAnswer.attempt_id == QuizAttempt.id)
        .where(QuizAttempt.id.in_(_first_attempts(cohort, list(tests))))
        .subquery()
    )
    learner = (
        select(
            answer.c.module,
            func.sum(_in_phase(answer.c.phase, "pre", answer.c.credit)).label("pre_credit"),
            func.count(_in_phase(answer.c.phase, "pre", answer.c.credit)).label("pre_n"),
            func.sum(_in_phase(answer.c.phase, "post", answer.c.credit)).label("post_credit"),
            func.count(_in_phase(answer.c.phase, "post", answer.c.credit)).label("post_n"),
        )
        .where(answer.c.module.is_not(None))
        .group_by(answer.c.user_id, answer.c.module)
        .subquery()
    )
    columns = (learner.c.module, learner.c.pre_credit, learner.c.pre_n, learner.c.post_credit, learner.c.post_n)
    out: dict[str, Patterns] = {}
    for module_slug, pre_credit, pre_n, post_credit, post_n, n in db.session.execute(
        select(*columns, func.count()).group_by(*columns)
    ):
        key = (100 * pre_credit / pre_n if pre_n else None, 100 * post_credit / post_n if post_n else None)
        patterns = out.setdefault(module_slug, {})
        patterns[key] = patterns.get(key, 0) + n
    return out


def _survey_answers(cohort: Cohort, path_slug: str, item_ids):
    return (
        select(SurveyResponse.user_id, SurveyResponse.phase, SurveyAnswer.item_id, SurveyAnswer.value)
        .join(SurveyAnswer, SurveyAnswer.response_id == SurveyResponse.id)
        .where(
            SurveyResponse.user_id.in_(_members(cohort)),
            SurveyResponse.path_slug == path_slug,
            SurveyResponse.phase.in_(("pre", "post")),
            SurveyAnswer.item_id.in_(item_ids),
        )
        .subquery()
    )


def survey_mean_patterns(cohort: Cohort, path_slug: str, item_ids) -> Patterns:
    """(mean over the statements at the start, at the end) -> learners, for these statements."""
    answer = _survey_answers(cohort, path_slug, item_ids)
    learner = (
        select(
            func.sum(_in_phase(answer.c.phase, "pre", answer.c.value)).label("pre_sum"),
            func.count(_in_phase(answer.c.phase, "pre", answer.c.value)).label("pre_n"),
            func.sum(_in_phase(answer.c.phase, "post", answer.c.value)).label("post_sum"),
            func.count(_in_phase(answer.c.phase, "post", answer.c.value)).label("post_n"),
        )
        .group_by(answer.c.user_id)
        .subquery()
    )
    columns = (learner.c.pre_sum, learner.c.pre_n, learner.c.post_sum, learner.c.post_n)
    out: Patterns = {}
    for pre_sum, pre_n, post_sum, post_n, n in db.session.execute(select(*columns, func.count()).group_by(*columns)):
        key = (pre_sum / pre_n if pre_n else None, post_sum / post_n if post_n else None)
        out[key] = out.get(key, 0) + n
    return out


def survey_item_patterns(cohort: Cohort, path_slug: str, item_ids) -> dict[str, Patterns]:
    """Statement id -> (value at the start, at the end) -> learners."""
    answer = _survey_answers(cohort, path_slug, item_ids)
    learner = (
        select(
            answer.c.item_id,
            func.max(_in_phase(answer.c.phase, "pre", answer.c.value)).label("pre"),
            func.max(_in_phase(answer.c.phase, "post", answer.c.value)).label("post"),
        )
        .group_by(answer.c.user_id, answer.c.item_id)
        .subquery()
    )
    columns = (learner.c.item_id, learner.c.pre, learner.c.post)
    out: dict[str, Patterns] = {}
    for item_id, pre, post, n in db.session.execute(select(*columns, func.count()).group_by(*columns)):
        out.setdefault(item_id, {})[(pre, post)] = n
    return out


def first_response_counts(cohort: Cohort, quiz_ids: list[str]):
    """(quiz, question, attempt score, credit, response JSON, responses) over each member's FIRST
    submitted response to each question of these quizzes, so retakes do not blur the items."""
    first = (
        select(AttemptAnswer.question_id, func.min(QuizAttempt.id).label("attempt_id"))
        .join(QuizAttempt, QuizAttempt.id == AttemptAnswer.attempt_id)
        .where(*_submitted(cohort, quiz_ids))
        .group_by(QuizAttempt.user_id, AttemptAnswer.question_id)
    ).subquery()
    columns = (
        QuizAttempt.quiz_id,
        AttemptAnswer.question_id,
        QuizAttempt.score,
        AttemptAnswer.credit,
        AttemptAnswer.response,
    )
    return db.session.execute(
        select(*columns, func.count())
        .join(AttemptAnswer, AttemptAnswer.attempt_id == QuizAttempt.id)
        .join(first, and_(first.c.attempt_id == QuizAttempt.id, first.c.question_id == AttemptAnswer.question_id))
        .group_by(*columns)
    ).all()
