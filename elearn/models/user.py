"""Accounts and roles."""

from __future__ import annotations

import datetime

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ..vocabulary import ROLES, SECTORS  # noqa: F401 - re-exported by elearn.models
from .base import utcnow

#: how finely ``User.last_active_at`` follows activity
ACTIVITY_RESOLUTION = datetime.timedelta(minutes=5)


class AccountRules(UserMixin):
    """What an account may do, read from its columns: shared by the ORM ``User`` and the
    request's lighter ``SignedInUser`` (elearn/auth/current.py)."""

    def note_activity(self) -> None:
        """Record that the user is active now, at most once per :data:`ACTIVITY_RESOLUTION`.

        Trainers see activity by the day; rewriting the user row on every saved answer only
        added an UPDATE to each request. On the request's ``SignedInUser`` the ORM row is loaded
        only when the time is written.
        """
        now = utcnow()
        if self.last_active_at is None or now - self.last_active_at >= ACTIVITY_RESOLUTION:
            self.last_active_at = now

    def get_id(self) -> str:
        # The version makes old session cookies invalid after a password change.
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:
        return self.erased_at is None

    @property
    def is_trainer(self) -> bool:
        return self.role in ("trainer", "admin")

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


class User(AccountRules, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    organisation: Mapped[str] = mapped_column(String(200), default="")
    sector: Mapped[str] = mapped_column(String(30), default="andere")
    role: Mapped[str] = mapped_column(String(10), default="learner")
    locale: Mapped[str | None] = mapped_column(String(5))
    #: bumped to end every session of this account (password change, erasure)
    session_version: Mapped[int] = mapped_column(default=0)
    #: slug of the learning path the learner follows now
    active_path: Mapped[str | None] = mapped_column(String(60))
    created_at: Mapped[datetime.datetime] = mapped_column(default=utcnow)
    #: set when the owner followed the confirmation link; login needs it
    email_verified_at: Mapped[datetime.datetime | None]
    last_active_at: Mapped[datetime.datetime | None]
    #: set when the learner erased the account; personal fields are then anonymised
    erased_at: Mapped[datetime.datetime | None]

    def set_password(self, password: str) -> None:
        """Hash with the configured method (``PASSWORD_HASH_METHOD``; scrypt outside the tests)."""
        self.password_hash = generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)
