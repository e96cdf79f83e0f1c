"""Reading progress, learning-path enrolment and confidence surveys."""

from __future__ import annotations

import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import utcnow


class SectionRead(db.Model):
    """A section of a module that a learner has read."""

    __tablename__ = "section_reads"
    __table_args__ = (UniqueConstraint("user_id", "module_slug", "section_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    module_slug: Mapped[str] = mapped_column(String(60))
    section_id: Mapped[str] = mapped_column(String(80))
    #: version hash of the module file when the section was read
    content_version: Mapped[str] = mapped_column(String(16))
    read_at: Mapped[datetime.datetime] = mapped_column(default=utcnow)


class ModulePosition(db.Model):
    """Where a learner last was in a module, to resume there."""

    __tablename__ = "module_positions"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    module_slug: Mapped[str] = mapped_column(String(60), primary_key=True)
    section_id: Mapped[str] = mapped_column(String(80))
    updated_at: Mapped[datetime.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class PathEnrollment(db.Model):
    """A learner following a learning path; completion is stamped once."""

    __tablename__ = "path_enrollments"
    __table_args__ = (UniqueConstraint("user_id", "path_slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    path_slug: Mapped[str] = mapped_column(String(60))
    started_at: Mapped[datetime.datetime] = mapped_column(default=utcnow)
    completed_at: Mapped[datetime.datetime | None]


class SurveyResponse(db.Model):
    """One filled-in confidence scale, at the start (pre) or end (post) of a path."""

    __tablename__ = "survey_responses"
    __table_args__ = (UniqueConstraint("user_id", "path_slug", "phase"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    path_slug: Mapped[str] = mapped_column(String(60))
    phase: Mapped[str] = mapped_column(String(4))  # pre | post
    submitted_at: Mapped[datetime.datetime] = mapped_column(default=utcnow)


class SurveyAnswer(db.Model):
    __tablename__ = "survey_answers"
    __table_args__ = (UniqueConstraint("response_id", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("survey_responses.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[str] = mapped_column(String(60))
    value: Mapped[int]
