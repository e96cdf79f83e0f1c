"""Parallel pre/post forms: which form a learner takes when, and gains over matched objectives.

A path's item bank has two forms, A and B, built from twin items (same objective, same type,
comparable difficulty). Each learner takes one as the pre-test and the other as the post-test.
Within a cohort the order alternates (the less-used order goes to the next learner), so half
the cohort takes A first and half B first; outside a cohort the order is drawn at random. The
choice is stored once (``FormAssignment``) and recorded on every attempt (``QuizAttempt.form``).
"""

from __future__ import annotations

import secrets

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ..content.model import Quiz
from ..content.questions import FORMS
from ..extensions import db
from ..models import Cohort, CohortMember, FormAssignment, QuizAttempt
from ..questiontypes import score_question
from .responses import load_responses


def other_form(form: str) -> str:
    return "B" if form == "A" else "A"


def path_of(quiz: Quiz) -> str:
    """The path slug of a path test (``pre-<path>`` / ``post-<path>``)."""
    return quiz.id.split("-", 1)[1]


def _cohort_for(user_id: int, path_slug: str) -> int | None:
    """The learner's most recently joined cohort that follows this path, if any."""
    return db.session.scalar(
        select(CohortMember.cohort_id)
        .join(Cohort, Cohort.id == CohortMember.cohort_id)
        .where(CohortMember.user_id == user_id, Cohort.path_slug == path_slug)
        .order_by(CohortMember.joined_at.desc(), CohortMember.cohort_id.desc())
        .limit(1)
    )


def choose_pre_form(counts: dict[str, int]) -> str:
    """The pre-test form for the next learner of a cohort: the one fewer learners took first;
    on a tie, either at random."""
    a, b = counts.get("A", 0), counts.get("B", 0)
    if a != b:
        return "A" if a < b else "B"
    return secrets.choice(FORMS)


def pre_form(user_id: int, path_slug: str) -> str:
    """The learner's pre-test form for a path, assigned (and stored) on first use."""
    stored = db.session.scalar(
        select(FormAssignment.pre_form).where(FormAssignment.user_id == user_id, FormAssignment.path_slug == path_slug)
    )
    if stored:
        return stored
    cohort_id = _cohort_for(user_id, path_slug)
    if cohort_id is None:
        form = secrets.choice(FORMS)
    else:
        counts = dict(
            db.session.execute(
                select(FormAssignment.pre_form, func.count())
                .where(FormAssignment.cohort_id == cohort_id, FormAssignment.path_slug == path_slug)
                .group_by(FormAssignment.pre_form)
            ).all()
        )
        form = choose_pre_form(counts)
    try:
        with db.session.begin_nested():
            db.session.add(FormAssignment(user_id=user_id, path_slug=path_slug, pre_form=form, cohort_id=cohort_id))
    except IntegrityError:  # another request assigned it a moment ago
        return db.session.scalar(
            select(FormAssignment.pre_form).where(
                FormAssignment.user_id == user_id, FormAssignment.path_slug == path_slug
            )
        )
    return form


def form_for(user_id: int, quiz: Quiz) -> str:
    """The form a learner takes for a path test: the assigned one as pre-test, the other as
    post-test (retakes of the post-test keep the same form, reshuffled)."""
    first = pre_form(user_id, path_of(quiz))
    return first if quiz.kind == "pretest" else other_form(first)


def objective_scores(quiz: Quiz, responses: dict) -> dict[tuple[str, str], float]:
    """Percentage per (module, objective) of one attempt at ``quiz`` (already narrowed to the
    attempt's form with ``Quiz.for_form``). Unanswered questions count 0."""
    per: dict[tuple[str, str], list[float]] = {}
    for q in quiz.questions:
        per.setdefault((q.module, q.objective), []).append(score_question(q, responses.get(q.id), quiz.partial_credit))
    return {key: 100 * sum(v) / len(v) for key, v in per.items()}


def matched_module_scores(
    pre: dict[tuple[str, str], float], post: dict[tuple[str, str], float]
) -> dict[str, tuple[float, float]]:
    """(pre %, post %) per module over the objectives both tests measured: the mean of the
    per-objective percentages, so each objective weighs the same before and after."""
    per: dict[str, list[tuple[float, float]]] = {}
    for key in sorted(pre.keys() & post.keys()):
        per.setdefault(key[0], []).append((pre[key], post[key]))
    return {
        m: (round(sum(p for p, _ in v) / len(v), 1), round(sum(q for _, q in v) / len(v), 1)) for m, v in per.items()
    }


def first_attempt(user_id: int, quiz_id: str) -> QuizAttempt | None:
    """The learner's first submitted attempt at a quiz: the one that counts for the gain."""
    return db.session.scalar(
        select(QuizAttempt)
        .where(QuizAttempt.user_id == user_id, QuizAttempt.quiz_id == quiz_id, QuizAttempt.submitted_at.is_not(None))
        .order_by(QuizAttempt.id)
        .limit(1)
    )


def attempt_objective_scores(attempt: QuizAttempt, quiz: Quiz) -> dict[tuple[str, str], float]:
    """Per-objective percentages of a stored attempt (``quiz`` as loaded: both forms)."""
    return objective_scores(quiz.for_form(attempt.form), load_responses(attempt.id))


def knowledge_gain(
    user_id: int, pre_quiz: Quiz | None, post_quiz: Quiz
) -> dict[str, tuple[float | None, float]] | None:
    """Pre and post percentage per module for one learner: the first pre-test against the
    first post-test, over matched objectives. None before the first post-test; pre is None per
    module when there is no pre-test."""
    post = first_attempt(user_id, post_quiz.id)
    if post is None:
        return None
    post_scores = attempt_objective_scores(post, post_quiz)
    pre = first_attempt(user_id, pre_quiz.id) if pre_quiz else None
    if pre is None:
        per: dict[str, list[float]] = {}
        for (module, _objective), value in post_scores.items():
            per.setdefault(module, []).append(value)
        return {m: (None, round(sum(v) / len(v), 1)) for m, v in per.items()}
    return dict(matched_module_scores(attempt_objective_scores(pre, pre_quiz), post_scores))
