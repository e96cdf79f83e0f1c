"""Issued certificates; the text printed on them is frozen in the row."""

from __future__ import annotations

import datetime
import json

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import utcnow


class Certificate(db.Model):
    __tablename__ = "certificates"
    __table_args__ = (UniqueConstraint("user_id", "path_slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: unguessable public verification code (in the QR code and /verify/<code>)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    path_slug: Mapped[str] = mapped_column(String(60))
    learner_name: Mapped[str] = mapped_column(String(120))
    path_title: Mapped[str] = mapped_column(String(200))
    hours: Mapped[float]
    completed_on: Mapped[datetime.date]
    issuer: Mapped[str] = mapped_column(String(200))
    content_version: Mapped[str] = mapped_column(String(16))
    issued_at: Mapped[datetime.datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime.datetime | None]
    revoked_reason: Mapped[str | None] = mapped_column(Text)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: the holder erased their account; the certificate stays verifiable without a name
    holder_erased: Mapped[bool] = mapped_column(default=False)
    #: JSON list of [title, minutes] of the modules the path covered when it was completed
    modules_json: Mapped[str] = mapped_column(Text, default="[]")
    #: the post-test score (per cent) that completed the path, when the issuer was told it
    post_test_percent: Mapped[int | None]

    @property
    def modules(self) -> list[tuple[str, int]]:
        """(title, minutes) of each module covered, in path order."""
        return [(str(title), int(minutes)) for title, minutes in json.loads(self.modules_json or "[]")]
