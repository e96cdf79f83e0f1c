"""Attempts: start or resume, save answers as given, submit once, review."""

from __future__ import annotations

import functools
import json
import random
import secrets
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import DateTime, Integer, String, Text, bindparam, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from ..content import pretest_id
from ..content.model import Question, Quiz
from ..errors import Conflict, NotFound
from ..extensions import db
from ..models import AttemptAnswer, QuizAttempt, utcnow
from ..questiontypes import ShownQuestion, question_type, score_attempt, score_question, shown_question
from . import parallel
from .responses import load_responses


class AttemptLimitReached(Exception):
    """The quiz allows no further attempts."""


class AttemptClosed(Conflict):
    """The attempt was already submitted; it cannot change (a 409 page when a view lets it through)."""

    friendly_message = _l("Deze poging is al ingediend; je antwoorden kunnen niet meer veranderen.")


def question_order(quiz: Quiz, seed: int) -> list[Question]:
    """The attempt's question order, the same for every reload of one attempt."""
    questions = list(quiz.questions)
    random.Random(seed).shuffle(questions)
    return questions


def shown_questions(quiz: Quiz, seed: int) -> list[ShownQuestion]:
    """Every question of the attempt as shown, in order (for the overview and the review)."""
    return [shown_question(q, seed) for q in question_order(quiz, seed)]


def parse_answer(question: Question, seed: int, form) -> object:
    """The response (content ids) a posted question form stands for; raises ``InvalidAnswer``."""
    return question_type(question).parse_answer(shown_question(question, seed), form)


def is_answered(response) -> bool:
    """One rule for the header count, the overview and the review: an empty answer is no answer."""
    return bool(response)


def answered_ids(responses: dict) -> set[str]:
    """Ids of the questions with a real answer (a skipped question saves an empty one)."""
    return {qid for qid, response in responses.items() if is_answered(response)}


def get_attempt(attempt_id: int, user_id: int) -> QuizAttempt:
    """The learner's own attempt; NotFound for anyone else's (no hint that it exists)."""
    return _own(db.session.get(QuizAttempt, attempt_id), user_id)


_ATTEMPTS = QuizAttempt.__table__
_ATTEMPT_BY_ID = select(
    *(_ATTEMPTS.c[name] for name in ("id", "user_id", "quiz_id", "form", "seed", "submitted_at"))
).where(_ATTEMPTS.c.id == bindparam("id"))


def get_attempt_row(attempt_id: int, user_id: int):
    """As :func:`get_attempt`, as a read-only row (id, user_id, quiz_id, form, seed, submitted_at).

    For the question page and the answer save, the busiest requests, which only read these
    columns: one Core query on the session's connection, no ORM object (nothing is pending to
    flush before it: it is the request's first statement after the user's).
    """
    return _own(db.session.connection().execute(_ATTEMPT_BY_ID, {"id": attempt_id}).first(), user_id)


def _own(attempt, user_id: int):
    if attempt is None or attempt.user_id != user_id:
        raise NotFound
    return attempt


def open_attempt(user_id: int, quiz_id: str) -> QuizAttempt | None:
    return db.session.scalar(
        select(QuizAttempt).where(
            QuizAttempt.user_id == user_id, QuizAttempt.quiz_id == quiz_id, QuizAttempt.submitted_at.is_(None)
        )
    )


def may_start(quiz: Quiz, summary: AttemptsSummary) -> bool:
    """Whether a new attempt may start: the pre-test once, the post-test until it is passed,
    a module quiz within its ``max_attempts``."""
    if quiz.kind == "pretest":
        return summary.count == 0
    if quiz.kind == "posttest":
        return not summary.passed
    return not quiz.max_attempts or summary.count < quiz.max_attempts


def start_attempt(user_id: int, quiz: Quiz) -> QuizAttempt:
    """Resume the open attempt or start a new one (raises ``AttemptLimitReached``).

    A path test takes the parallel form assigned to the learner (see ``parallel.form_for``).
    """
    existing = open_attempt(user_id, quiz.id)
    if existing:
        return existing
    if not may_start(quiz, attempts_summary(user_id, quiz.id)):
        raise AttemptLimitReached(quiz.id)
    form = parallel.form_for(user_id, quiz) if quiz.forms else None
    try:
        with db.session.begin_nested():
            attempt = QuizAttempt(
                user_id=user_id,
                quiz_id=quiz.id,
                kind=quiz.kind,
                form=form,
                seed=secrets.randbelow(2**31),
                content_version=quiz.version,
            )
            db.session.add(attempt)
    except IntegrityError:  # another tab started it at the same moment
        return open_attempt(user_id, quiz.id)
    return attempt


def save_answer(attempt: QuizAttempt, question: Question, response) -> None:
    """Store (or replace) the answer to one question of an open attempt.

    Atomic against a submit of the same attempt, in one statement: the INSERT takes its values
    from the attempt row only while that row is open, and share-locks it (PostgreSQL), so a
    submit waits for this save to commit and then scores it, and a save after a submit finds
    the attempt closed. On SQLite one writer at a time decides the same.
    Raises ``AttemptClosed`` when the attempt was submitted; nothing is stored then.
    """
    if attempt.submitted_at is not None:
        raise AttemptClosed(f"attempt {attempt.id}")
    stored = db.session.execute(
        _upsert_answer(db.session.get_bind().dialect.name),
        {
            "attempt_id": attempt.id,
            "question_id": question.id,
            "response": json.dumps(response, sort_keys=True),
            "saved_at": utcnow(),
        },
    ).first()
    if stored is None:
        raise AttemptClosed(f"attempt {attempt.id}")


@functools.cache
def _upsert_answer(dialect: str):
    """INSERT ... SELECT <from the open attempt> FOR SHARE ON CONFLICT DO UPDATE, built once per
    dialect (SQLite ignores FOR SHARE).

    One round trip; two tabs saving the same question at once cannot collide, and nothing is
    written to an attempt that is no longer open. RETURNING gives a row only when it stored.
    """
    insert = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}[dialect]
    values = (
        select(
            QuizAttempt.id,
            bindparam("question_id", type_=String),
            bindparam("response", type_=Text),
            bindparam("saved_at", type_=DateTime),
        )
        .where(QuizAttempt.id == bindparam("attempt_id", type_=Integer), QuizAttempt.submitted_at.is_(None))
        .with_for_update(read=True)
    )
    stmt = insert(AttemptAnswer.__table__).from_select(["attempt_id", "question_id", "response", "saved_at"], values)
    return stmt.on_conflict_do_update(
        index_elements=[AttemptAnswer.attempt_id, AttemptAnswer.question_id],
        set_={"response": stmt.excluded.response, "saved_at": stmt.excluded.saved_at},
    ).returning(AttemptAnswer.__table__.c.id)


def submit_attempt(attempt: QuizAttempt, quiz: Quiz) -> bool:
    """Close, then score the attempt from exactly the answers stored. Returns False when it was
    already submitted (a double submit counts once).

    Closing first takes the attempt row's lock (PostgreSQL) or the database's write lock
    (SQLite) until commit: a save still writing finishes before the close and is scored; a save
    arriving later finds the attempt closed (see :func:`save_answer`).
    """
    # The WHERE makes a double submit (two tabs, resent form) a no-op on the database itself.
    result = db.session.execute(
        update(QuizAttempt)
        .where(QuizAttempt.id == attempt.id, QuizAttempt.submitted_at.is_(None))
        .values(submitted_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.refresh(attempt)
        return False
    rows = db.session.scalars(select(AttemptAnswer).where(AttemptAnswer.attempt_id == attempt.id)).all()
    responses = {row.question_id: json.loads(row.response) for row in rows}
    score = score_attempt(quiz.questions, responses, quiz.partial_credit)
    db.session.execute(
        update(QuizAttempt)
        .where(QuizAttempt.id == attempt.id)
        .values(score=score, passed=score >= quiz.pass_mark)
        .execution_options(synchronize_session=False)
    )
    credits = []
    for row in rows:
        question = quiz.question(row.question_id)
        credits.append(
            {
                "row_id": row.id,
                "credit": score_question(question, responses[row.question_id], quiz.partial_credit)
                if question
                else None,
            }
        )
        db.session.expire(row)
    if credits:  # saved_at keeps the moment the learner gave the answer
        table = AttemptAnswer.__table__
        db.session.execute(
            update(table)
            .where(table.c.id == bindparam("row_id"))
            .values(credit=bindparam("credit"), saved_at=table.c.saved_at),
            credits,
        )
    db.session.refresh(attempt)
    return True


@dataclass(frozen=True)
class AttemptsSummary:
    count: int
    best: float | None
    last: float | None
    passed: bool
    open_id: int | None


def attempts_summary(user_id: int, quiz_id: str) -> AttemptsSummary:
    rows = db.session.execute(
        select(QuizAttempt.id, QuizAttempt.score, QuizAttempt.passed, QuizAttempt.submitted_at)
        .where(QuizAttempt.user_id == user_id, QuizAttempt.quiz_id == quiz_id)
        .order_by(QuizAttempt.id)
    ).all()
    done = [r for r in rows if r.submitted_at is not None]
    open_row = next((r for r in rows if r.submitted_at is None), None)
    return AttemptsSummary(
        count=len(done),
        best=max((r.score for r in done), default=None),
        last=done[-1].score if done else None,
        passed=any(r.passed for r in done),
        open_id=open_row.id if open_row else None,
    )


def gains_for(course, user_id: int, post_quiz: Quiz):
    """(module, pre %, post %) rows for a learner's post-test review: the first pre-test against
    the first post-test (retakes never change the gain), over matched objectives."""
    path_slug = parallel.path_of(post_quiz)
    pre_quiz = course.quizzes.get(pretest_id(path_slug))
    gains = parallel.knowledge_gain(user_id, pre_quiz, course.quizzes[post_quiz.id])
    if not gains:
        return []
    rows = [(course.module(m), pre, post) for m, (pre, post) in gains.items()]
    return sorted(rows, key=lambda row: row[0].order)


@dataclass(frozen=True)
class Review:
    """What the result page of a submitted attempt shows."""

    shown: list  # ShownQuestion, in the attempt's order
    responses: dict  # question id -> response
    credits: dict  # question id -> credit 0..1
    reveal: bool  # show the key and the feedback per option
    may_retake: bool
    missed_modules: list | None  # modules to revisit (pre-test; failed post-test)
    gains: object | None  # per-module gains (post-test)


def review(course, user_id: int, attempt: QuizAttempt, quiz: Quiz) -> Review:
    """The scored attempt: credits per question, the modules to revisit, the gains of a post-test.

    A post-test below the pass mark keeps its key hidden until the learner passes: a retake (same
    form, reshuffled) then measures knowledge, not memory of the answers."""
    shown = shown_questions(quiz, attempt.seed)
    responses = load_responses(attempt.id)
    credits = {
        s.question.id: score_question(s.question, responses.get(s.question.id), quiz.partial_credit) for s in shown
    }
    summary = attempts_summary(user_id, quiz.id)
    missed = None
    if quiz.kind == "pretest" or (quiz.kind == "posttest" and not attempt.passed):
        missed = sorted(
            {s.question.module for s in shown if credits[s.question.id] < 1}, key=lambda m: course.module(m).order
        )
    return Review(
        shown=shown,
        responses=responses,
        credits=credits,
        reveal=quiz.kind != "posttest" or summary.passed,
        may_retake=may_start(quiz, summary),
        missed_modules=missed,
        gains=gains_for(course, user_id, quiz) if quiz.kind == "posttest" else None,
    )
