"""Cohorts: a trainer's group of learners following one path."""

from __future__ import annotations

import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import utcnow


class Cohort(db.Model):
    __tablename__ = "cohorts"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    path_slug: Mapped[str] = mapped_column(String(60))
    description: Mapped[str] = mapped_column(Text, default="")
    starts_on: Mapped[datetime.date]
    ends_on: Mapped[datetime.date | None]
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: code learners type (or follow as a link) to join; replaced when revoked
    invite_code: Mapped[str] = mapped_column(String(20), unique=True)
    invite_enabled: Mapped[bool] = mapped_column(default=True)
    invite_expires_at: Mapped[datetime.datetime | None]
    seat_limit: Mapped[int | None]
    created_at: Mapped[datetime.datetime] = mapped_column(default=utcnow)

    @property
    def invite_expired(self) -> bool:
        """The invite code had an expiry and it has passed."""
        return self.invite_expires_at is not None and self.invite_expires_at < utcnow()


class CohortTrainer(db.Model):
    __tablename__ = "cohort_trainers"

    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)


class CohortMember(db.Model):
    __tablename__ = "cohort_members"

    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)
    joined_at: Mapped[datetime.datetime] = mapped_column(default=utcnow)
