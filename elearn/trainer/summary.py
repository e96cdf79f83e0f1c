"""What a cohort learnt: funnel, knowledge gain, confidence change, item analysis.

Gains compare each learner's FIRST submitted pre-test with their FIRST submitted post-test (a
retake never improves the reported gain), over the learners who have both (see ``stats``).
Each function runs a fixed number of queries, whatever the cohort's size.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, select

from ..content import Course, posttest_id, pretest_id
from ..extensions import db
from ..models import AttemptAnswer, Cohort, CohortMember, QuizAttempt, SurveyAnswer, SurveyResponse
from . import analytics
from .stats import PairedGain, paired_gain

FUNNEL_LABELS = {
    "joined": _l("Aangesloten"),
    "started": _l("Gestart"),
    "pretest": _l("Voortoets gemaakt"),
    "modules": _l("Alle modules afgerond"),
    "posttest": _l("Eindtoets gemaakt"),
    "completed": _l("Traject afgerond"),
}
#: the confidence chart's labels are cut to this many characters (the table has the full statement)
LABEL_CHARS = 36


def _members(cohort: Cohort):
    return select(CohortMember.user_id).where(CohortMember.cohort_id == cohort.id).scalar_subquery()


def path_quiz_ids(course: Course, cohort: Cohort) -> list[str]:
    path = course.path(cohort.path_slug)
    ids = [pretest_id(path.slug)] + [m for m in path.modules if m in course.quizzes] + [posttest_id(path.slug)]
    return [i for i in ids if i in course.quizzes]


def _answer_rows():
    """(user, quiz, attempt score, question, response JSON, credit): the columns both readers return."""
    return select(
        QuizAttempt.user_id,
        QuizAttempt.quiz_id,
        QuizAttempt.score,
        AttemptAnswer.question_id,
        AttemptAnswer.response,
        AttemptAnswer.credit,
    )


def _submitted(cohort: Cohort, quiz_ids: list[str]) -> tuple:
    """Submitted attempts of the cohort's members at these quizzes."""
    return (
        QuizAttempt.user_id.in_(_members(cohort)),
        QuizAttempt.quiz_id.in_(quiz_ids),
        QuizAttempt.submitted_at.is_not(None),
    )


def first_test_answers(cohort: Cohort, quiz_ids: list[str]):
    """(user, quiz, attempt score, question, response JSON, credit) of each member's FIRST
    submitted attempt per quiz; an attempt without answers gives one row with question None."""
    first = (
        select(func.min(QuizAttempt.id))
        .where(*_submitted(cohort, quiz_ids))
        .group_by(QuizAttempt.user_id, QuizAttempt.quiz_id)
    )
    return db.session.execute(
        _answer_rows()
        .outerjoin(AttemptAnswer, AttemptAnswer.attempt_id == QuizAttempt.id)
        .where(QuizAttempt.id.in_(first))
    ).all()


def first_responses(cohort: Cohort, quiz_ids: list[str]):
    """(user, quiz, attempt score, question, response JSON, credit): each member's FIRST submitted
    response to each question of these quizzes, so retakes do not blur the item statistics."""
    first = (
        select(AttemptAnswer.question_id, func.min(QuizAttempt.id).label("attempt_id"))
        .join(QuizAttempt, QuizAttempt.id == AttemptAnswer.attempt_id)
        .where(*_submitted(cohort, quiz_ids))
        .group_by(QuizAttempt.user_id, AttemptAnswer.question_id)
    ).subquery()
    return db.session.execute(
        _answer_rows()
        .join(AttemptAnswer, AttemptAnswer.attempt_id == QuizAttempt.id)
        .join(first, and_(first.c.attempt_id == QuizAttempt.id, first.c.question_id == AttemptAnswer.question_id))
    ).all()


@dataclass(frozen=True)
class Summary:
    funnel: list
    knowledge: PairedGain  # overall score (percent) of the first pre- and post-test
    modules: dict  # module slug -> PairedGain (percent correct on its items)
    confidence: PairedGain | None  # a learner's mean over all statements (1-5), start and end
    statements: dict  # statement id -> PairedGain (1-5)
    labels: dict  # statement id -> short label for the chart
    items: list  # ItemStats, in quiz order


def knowledge_gains(course: Course, path, answers) -> tuple[PairedGain, dict[str, PairedGain]]:
    """Overall and per-module gains from the rows of :func:`first_test_answers`.

    Overall: the attempt's score. Per module: the learner's share correct (0-100) on that
    module's items in the attempt (pre and post forms are parallel, so the shares compare).
    """
    tests = {pretest_id(path.slug): "pre", posttest_id(path.slug): "post"}
    overall: dict[str, dict[int, float]] = {"pre": {}, "post": {}}
    credits: dict[tuple[str, str, int], list[float]] = {}
    for uid, quiz_id, score, qid, _resp, credit in answers:
        phase = tests.get(quiz_id)
        if phase is None:
            continue
        if score is not None:
            overall[phase][uid] = score
        question = course.quizzes[quiz_id].question(qid) if qid else None
        if question is not None:
            credits.setdefault((phase, question.module, uid), []).append(credit or 0.0)
    per: dict[str, dict[str, dict[int, float]]] = {m: {"pre": {}, "post": {}} for m in path.modules}
    for (phase, module, uid), values in credits.items():
        if module in per:
            per[module][phase][uid] = 100 * sum(values) / len(values)
    return (
        paired_gain(overall["pre"], overall["post"], 100),
        {m: paired_gain(v["pre"], v["post"], 100) for m, v in per.items()},
    )


def confidence_gains(scale, rows) -> tuple[PairedGain | None, dict[str, PairedGain]]:
    """Overall (each learner's mean over the statements) and per-statement gains from
    (user, phase, statement, value) rows; (None, {}) when the course has no scale."""
    if scale is None:
        return None, {}
    per: dict[str, dict[str, dict[int, float]]] = {i.id: {"pre": {}, "post": {}} for i in scale.items}
    values: dict[tuple[str, int], list[int]] = {}
    for uid, phase, item_id, value in rows:
        if item_id in per and phase in ("pre", "post"):
            per[item_id][phase][uid] = value
            values.setdefault((phase, uid), []).append(value)
    means = {"pre": {}, "post": {}}
    for (phase, uid), vs in values.items():
        means[phase][uid] = sum(vs) / len(vs)
    return (
        paired_gain(means["pre"], means["post"], scale.max),
        {k: paired_gain(v["pre"], v["post"], scale.max) for k, v in per.items()},
    )


def short_labels(items, limit: int = LABEL_CHARS) -> dict[str, str]:
    """Short, distinct chart labels for the confidence statements.

    A statement's own ``label`` when the content gives one; otherwise its text without the
    words every statement starts with ("Ik voel me zeker genoeg om ..."), cut at a word
    boundary. Labels that still coincide get their number appended.
    """
    texts = [i.text.split() for i in items]
    common = 0
    if len(texts) > 1:
        while all(len(t) > common + 1 for t in texts) and len({t[common] for t in texts}) == 1:
            common += 1
    labels: dict[str, str] = {}
    for item, words in zip(items, texts):
        own = item.label
        if own:
            labels[item.id] = own
            continue
        text = " ".join(words[common:])
        text = text[:1].upper() + text[1:]
        if len(text) > limit:
            cut = text[: limit + 1].rsplit(" ", 1)[0] if " " in text[: limit + 1] else text[:limit]
            text = cut.rstrip(",;:") + "…"
        labels[item.id] = text
    seen: dict[str, int] = {}
    for label in labels.values():
        seen[label] = seen.get(label, 0) + 1
    for n, item in enumerate(items, 1):
        if seen[labels[item.id]] > 1:
            labels[item.id] = f"{labels[item.id]} ({n})"
    return labels


def cohort_summary(course: Course, cohort: Cohort, funnel_counts: list[tuple[str, int]]) -> Summary:
    """The whole summary; ``funnel_counts`` are (step, learners) as ``CohortProgress.funnel_counts`` gives them."""
    path = course.path(cohort.path_slug)
    quiz_ids = path_quiz_ids(course, cohort)
    tests = [q for q in (pretest_id(path.slug), posttest_id(path.slug)) if q in quiz_ids]
    knowledge, modules = knowledge_gains(course, path, first_test_answers(cohort, tests) if tests else [])
    survey = db.session.execute(
        select(SurveyResponse.user_id, SurveyResponse.phase, SurveyAnswer.item_id, SurveyAnswer.value)
        .join(SurveyAnswer, SurveyAnswer.response_id == SurveyResponse.id)
        .where(SurveyResponse.user_id.in_(_members(cohort)), SurveyResponse.path_slug == path.slug)
    ).all()
    confidence, statements = confidence_gains(course.confidence, survey)
    labels = short_labels(course.confidence.items) if course.confidence else {}
    items = item_analysis(course, quiz_ids, first_responses(cohort, quiz_ids))
    return Summary(analytics.funnel(funnel_counts), knowledge, modules, confidence, statements, labels, items)


def item_analysis(course: Course, quiz_ids: list[str], answers) -> list[analytics.ItemStats]:
    """Per question of the path's quizzes: responses, facility, discrimination, distractors, flags."""
    grouped: dict[tuple[str, str], list] = {}
    for _uid, quiz_id, score, qid, response, credit in answers:
        if qid is None:
            continue
        grouped.setdefault((quiz_id, qid), []).append(
            (credit or 0.0, score or 0.0, analytics.chosen_ids(json.loads(response)))
        )
    out = []
    for quiz_id in quiz_ids:
        for question in course.quizzes[quiz_id].questions:
            out.append(analytics.item_stats(question.id, quiz_id, grouped.get((quiz_id, question.id), [])))
    return out
