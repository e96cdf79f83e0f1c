"""The signed-in user of a request, read with one Core query instead of the ORM.

Every signed-in request loads its user before the page does any work. Through the ORM
(``session.get``) that cost about twice as much as the query itself (identity map, instance
state, attribute instrumentation); see benchmarks/README.md. Most requests only read a few of
the user's columns (id, role, locale, name), so the loader reads the row with Core and wraps it
in :class:`SignedInUser`. A request that changes the user (profile, password, language, erasure,
activity) gets the ORM ``User`` transparently: the first attribute it sets, or the first
``User`` method it calls, loads the ORM object into the request's session, and from then on
every read and write goes to that object, so the change is committed as before.

The checks are unchanged: a session whose version is not the account's current
``session_version`` (password change, role change, logout elsewhere) or whose account was erased
is not signed in, on the very next request.
"""

from __future__ import annotations

from sqlalchemy import bindparam, select

from ..extensions import db
from ..models import User
from ..models.user import AccountRules

_USERS = User.__table__
_BY_ID = select(*_USERS.c).where(_USERS.c.id == bindparam("id"))


class SignedInUser(AccountRules):
    """A user row with the read-only behaviour of :class:`~elearn.models.User`; writes go to the ORM object."""

    __slots__ = ("_row", "_record")

    def __init__(self, row):
        object.__setattr__(self, "_row", row)
        object.__setattr__(self, "_record", None)

    @property
    def record(self) -> User:
        """The ORM ``User`` of this request's session, loaded on first use."""
        record = object.__getattribute__(self, "_record")
        if record is None:
            record = db.session.get(User, object.__getattribute__(self, "_row").id)
            object.__setattr__(self, "_record", record)
        return record

    def __getattr__(self, name: str):
        record = object.__getattribute__(self, "_record")
        if record is not None:
            return getattr(record, name)
        try:
            return getattr(object.__getattribute__(self, "_row"), name)
        except AttributeError:  # not a column: User's methods (set_password, check_password ...)
            return getattr(self.record, name)

    def __setattr__(self, name: str, value) -> None:
        setattr(self.record, name, value)

    def __eq__(self, other) -> bool:
        return isinstance(other, (SignedInUser, User)) and other.id == self.id

    def __hash__(self) -> int:
        return hash(self.id)

    def __repr__(self) -> str:
        return f"<SignedInUser {self.id}>"


def load_signed_in_user(token: str) -> SignedInUser | None:
    """The user of a session token ``"<id>:<session_version>"``; None when it no longer holds."""
    user_id, _, version = token.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    row = db.session.connection().execute(_BY_ID, {"id": int(user_id)}).first()
    if row is None or row.session_version != int(version) or row.erased_at is not None:
        return None
    return SignedInUser(row)
