"""The signed-in user read with one Core query (elearn/auth/current.py): same rules, writes still saved."""

from __future__ import annotations

import datetime

from conftest import logged_in, make_user, post_form
from sqlalchemy import event

from elearn.auth.current import SignedInUser, load_signed_in_user
from elearn.extensions import db
from elearn.models import User, utcnow


def _loaded(user: SignedInUser) -> bool:
    return object.__getattribute__(user, "_record") is not None


def test_reading_the_user_needs_one_query_and_no_orm_object(app):
    uid = make_user(app, role="trainer")
    with app.app_context():
        statements = []
        event.listen(db.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
        user = load_signed_in_user(f"{uid}:0")
        assert isinstance(user, SignedInUser)
        assert (user.id, user.name, user.role, user.is_trainer, user.is_admin, user.is_active) == (
            uid,
            "Lea Leerling",
            "trainer",
            True,
            False,
            True,
        )
        assert user.get_id() == f"{uid}:0" and user.is_authenticated
        assert len(statements) == 1 and not _loaded(user)
        assert user == db.session.get(User, uid) and hash(user) == hash(uid)


def test_a_stale_or_erased_session_is_not_signed_in(app):
    uid = make_user(app)
    with app.app_context():
        assert load_signed_in_user(f"{uid}:1") is None  # version bumped: password or role change
        assert load_signed_in_user("x:0") is None and load_signed_in_user(f"{uid}") is None
        assert load_signed_in_user("999999:0") is None
        db.session.get(User, uid).erased_at = utcnow()
        db.session.commit()
        assert load_signed_in_user(f"{uid}:0") is None


def test_writes_and_methods_go_to_the_orm_user_and_are_saved(app):
    uid = make_user(app)
    with app.app_context():
        user = load_signed_in_user(f"{uid}:0")
        user.locale = "en"
        user.session_version += 1
        assert _loaded(user) and user.locale == "en" and user.get_id() == f"{uid}:1"
        assert user.check_password("niet-het-wachtwoord") is False
        db.session.commit()
        db.session.remove()
        stored = db.session.get(User, uid)
        assert (stored.locale, stored.session_version) == ("en", 1)


def test_activity_is_written_only_when_it_is_stale(app):
    uid = make_user(app)
    with app.app_context():
        recent = utcnow() - datetime.timedelta(minutes=1)
        db.session.get(User, uid).last_active_at = recent
        db.session.commit()
        db.session.remove()
        user = load_signed_in_user(f"{uid}:0")
        user.note_activity()
        assert not _loaded(user)  # nothing to write, no ORM object
        db.session.get(User, uid).last_active_at = utcnow() - datetime.timedelta(hours=1)
        db.session.commit()
        db.session.remove()
        user = load_signed_in_user(f"{uid}:0")
        user.note_activity()
        db.session.commit()
        db.session.remove()
        assert utcnow() - db.session.get(User, uid).last_active_at < datetime.timedelta(minutes=1)


def test_role_change_applies_on_the_next_request(app, admin):
    trainer = logged_in(app, "tine@example.org", "Tine Trainer", role="trainer", sector="andere")
    assert trainer.get("/trainer/cohorts").status_code == 200
    response = post_form(admin, f"/admin/users/{trainer.user_id}/role", {"role": "learner"}, token_from="/admin/users")
    assert response.status_code == 302
    assert trainer.get("/trainer/cohorts").status_code == 302  # signed out: log in again with the new role


def test_profile_change_through_the_page_is_saved(app, learner):
    response = post_form(learner, "/account", {"name": "Lea Nieuw", "organisation": "CAW Gent", "sector": "andere"})
    assert response.status_code == 302
    assert "Lea Nieuw" in learner.get("/account").get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, learner.user_id).organisation == "CAW Gent"
