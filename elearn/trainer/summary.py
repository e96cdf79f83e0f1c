"""What a cohort learnt: funnel, knowledge gain per module, confidence change, item analysis.

Each function runs a fixed number of queries, whatever the cohort's size.
"""
from __future__ import annotations

import json
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ..content import Course, posttest_id, pretest_id
from ..extensions import db
from ..models import AttemptAnswer, Cohort, CohortMember, QuizAttempt, SurveyAnswer, SurveyResponse
from . import analytics

FUNNEL_LABELS = {
    "joined": _l("Aangesloten"), "started": _l("Gestart"), "pretest": _l("Voortoets gemaakt"),
    "modules": _l("Alle modules afgerond"), "posttest": _l("Eindtoets gemaakt"), "completed": _l("Traject afgerond"),
}


def _members(cohort: Cohort):
    return select(CohortMember.user_id).where(CohortMember.cohort_id == cohort.id).scalar_subquery()


def path_quiz_ids(course: Course, cohort: Cohort) -> list[str]:
    path = course.path(cohort.path_slug)
    ids = [pretest_id(path.slug)] + [m for m in path.modules if m in course.quizzes] + [posttest_id(path.slug)]
    return [i for i in ids if i in course.quizzes]


def first_attempt_answers(cohort: Cohort, quiz_ids: list[str]):
    """(user, quiz, attempt score, question, response JSON, credit) of each member's first
    submitted attempt per quiz: first attempts, so retakes do not blur the item statistics."""
    first = (select(func.min(QuizAttempt.id))
             .where(QuizAttempt.user_id.in_(_members(cohort)), QuizAttempt.quiz_id.in_(quiz_ids),
                    QuizAttempt.submitted_at.is_not(None))
             .group_by(QuizAttempt.user_id, QuizAttempt.quiz_id))
    return db.session.execute(
        select(QuizAttempt.user_id, QuizAttempt.quiz_id, QuizAttempt.score, AttemptAnswer.question_id,
               AttemptAnswer.response, AttemptAnswer.credit)
        .join(AttemptAnswer, AttemptAnswer.attempt_id == QuizAttempt.id)
        .where(QuizAttempt.id.in_(first))).all()


@dataclass(frozen=True)
class Summary:
    funnel: list
    knowledge: dict  # module slug -> Gain (percent)
    confidence: dict  # statement id -> Gain (1-5)
    items: list      # ItemStats, in quiz order


def funnel_steps(rows) -> list[tuple[str, int, float]]:
    statuses = [r.status for r in rows if r.status]
    counts = [
        ("joined", len(rows)),
        ("started", sum(1 for s in statuses if s.started)),
        ("pretest", sum(1 for s in statuses if s.pretest_done)),
        ("modules", sum(1 for s in statuses if all(m.complete for m in s.modules))),
        ("posttest", sum(1 for s in statuses if s.posttest_done)),
        ("completed", sum(1 for s in statuses if s.complete)),
    ]
    return analytics.funnel(counts)


def cohort_summary(course: Course, cohort: Cohort, rows) -> Summary:
    path = course.path(cohort.path_slug)
    quiz_ids = path_quiz_ids(course, cohort)
    answers = first_attempt_answers(cohort, quiz_ids)

    # Knowledge per module: each learner's share correct on that module's pre/post items.
    per: dict[tuple[str, int, str], list[float]] = {}
    tests = {pretest_id(path.slug): "pre", posttest_id(path.slug): "post"}
    for uid, quiz_id, _score, qid, _resp, credit in answers:
        if quiz_id in tests and credit is not None:
            question = course.quizzes[quiz_id].question(qid)
            if question:
                per.setdefault((tests[quiz_id], uid, question.module), []).append(credit)
    pre, post = {}, {}
    for (phase, _uid, module), credits in per.items():
        (pre if phase == "pre" else post).setdefault(module, []).append(100 * sum(credits) / len(credits))
    knowledge = analytics.gains(pre, post, list(path.modules))

    # Confidence per statement, before and after.
    c_pre, c_post = {}, {}
    for phase, item_id, value in db.session.execute(
            select(SurveyResponse.phase, SurveyAnswer.item_id, SurveyAnswer.value)
            .join(SurveyAnswer, SurveyAnswer.response_id == SurveyResponse.id)
            .where(SurveyResponse.user_id.in_(_members(cohort)), SurveyResponse.path_slug == path.slug)):
        (c_pre if phase == "pre" else c_post).setdefault(item_id, []).append(value)
    items_ids = [i.id for i in course.confidence.items] if course.confidence else []
    confidence = analytics.gains(c_pre, c_post, items_ids)

    return Summary(funnel_steps(rows), knowledge, confidence, item_analysis(course, quiz_ids, answers))


def item_analysis(course: Course, quiz_ids: list[str], answers) -> list[analytics.ItemStats]:
    """Per question of the path's quizzes: responses, facility, discrimination, distractors, flags."""
    grouped: dict[tuple[str, str], list] = {}
    for _uid, quiz_id, score, qid, response, credit in answers:
        grouped.setdefault((quiz_id, qid), []).append(
            (credit or 0.0, score or 0.0, analytics.chosen_ids(json.loads(response))))
    out = []
    for quiz_id in quiz_ids:
        for question in course.quizzes[quiz_id].questions:
            out.append(analytics.item_stats(question.id, quiz_id, grouped.get((quiz_id, question.id), [])))
    return out
