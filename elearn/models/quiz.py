"""Quiz attempts with their saved answers, and vignette runs with their steps."""

from __future__ import annotations

import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import utcnow


class QuizAttempt(db.Model):
    """One attempt at a quiz; a row from the moment it starts."""

    __tablename__ = "quiz_attempts"
    __table_args__ = (
        Index("ix_quiz_attempts_user_quiz", "user_id", "quiz_id"),
        # At most one open attempt per learner and quiz (two tabs starting at once).
        Index(
            "uq_quiz_attempts_open",
            "user_id",
            "quiz_id",
            unique=True,
            sqlite_where=text("submitted_at IS NULL"),
            postgresql_where=text("submitted_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    #: module slug for a module quiz, ``pre-<path>`` / ``post-<path>`` for path tests
    quiz_id: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(10))  # module | pretest | posttest
    #: seed of the shuffled question and option order, so a reload shows the same order
    seed: Mapped[int]
    content_version: Mapped[str] = mapped_column(String(16))
    started_at: Mapped[datetime.datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime.datetime | None]
    #: percentage 0-100, set on submission
    score: Mapped[float | None]
    passed: Mapped[bool | None]
    #: path tests only: the parallel form ("A" or "B") this attempt took
    form: Mapped[str | None] = mapped_column(String(1))


class FormAssignment(db.Model):
    """Which parallel form a learner takes as the pre-test of a path (the other is the post-test).

    Assigned once, at the first path test, alternating within the learner's cohort so that half
    take A first and half B first.
    """

    __tablename__ = "test_form_assignments"
    __table_args__ = (UniqueConstraint("user_id", "path_slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    path_slug: Mapped[str] = mapped_column(String(60))
    #: "A" or "B": the pre-test form; the post-test uses the other one
    pre_form: Mapped[str] = mapped_column(String(1))
    #: the cohort whose balance decided the assignment (None outside a cohort)
    cohort_id: Mapped[int | None] = mapped_column(ForeignKey("cohorts.id", ondelete="SET NULL"), index=True)
    assigned_at: Mapped[datetime.datetime] = mapped_column(default=utcnow)


class AttemptAnswer(db.Model):
    """The learner's current answer to one question of an attempt (saved as given)."""

    __tablename__ = "attempt_answers"
    __table_args__ = (UniqueConstraint("attempt_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("quiz_attempts.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[str] = mapped_column(String(80))
    #: JSON: a list of option ids, or for matching an object left id -> right id (see elearn.questiontypes)
    response: Mapped[str] = mapped_column(Text)
    #: 0..1, set when the attempt is submitted
    credit: Mapped[float | None]
    saved_at: Mapped[datetime.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class VignetteRun(db.Model):
    """One walk through a branching vignette; a replay starts a new run."""

    __tablename__ = "vignette_runs"
    __table_args__ = (Index("ix_vignette_runs_user_vignette", "user_id", "vignette_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    vignette_id: Mapped[str] = mapped_column(String(80))
    content_version: Mapped[str] = mapped_column(String(16))
    node_id: Mapped[str] = mapped_column(String(80))
    started_at: Mapped[datetime.datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime.datetime | None]
    ending_id: Mapped[str | None] = mapped_column(String(80))
    trust: Mapped[int] = mapped_column(default=0)
    safety: Mapped[int] = mapped_column(default=0)
    referral: Mapped[int] = mapped_column(default=0)
    #: seed of this run's shuffled choice order (None for runs from before it was stored)
    seed: Mapped[int | None]


class VignetteStep(db.Model):
    """One choice made in a run, in order."""

    __tablename__ = "vignette_steps"
    __table_args__ = (UniqueConstraint("run_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("vignette_runs.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int]
    node_id: Mapped[str] = mapped_column(String(80))
    choice_id: Mapped[str] = mapped_column(String(80))
    at: Mapped[datetime.datetime] = mapped_column(default=utcnow)
