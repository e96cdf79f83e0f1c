"""Headers, cookies, escaping of user text, throttling, audit log, erasure."""

import datetime

import pytest
from conftest import PASSWORD, get_token, login, make_user, post_form
from helpers import stored_certificate
from sqlalchemy import select

from elearn.admin import service as admin_service
from elearn.extensions import db
from elearn.models import AuditEvent, User

PAYLOADS = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "javascript:alert(1)"]


def test_security_headers(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "Strict-Transport-Security" not in response.headers
    secure = client.get("/", base_url="https://localhost")
    assert "max-age=" in secure.headers["Strict-Transport-Security"]


def test_no_inline_script_or_style_in_pages(app, learner):
    for url in ("/", "/modules", "/modules/proef/eerste", "/paths/proefpad", "/glossary", "/account"):
        html = learner.get(url).get_data(as_text=True)
        assert "<script>" not in html and " style=" not in html and "onclick" not in html, url


def test_session_cookie_flags(make_app):
    app = make_app(SESSION_COOKIE_SECURE=True, REMEMBER_COOKIE_SECURE=True)
    make_user(app)
    client = app.test_client()
    token = get_token(client, "/login")
    response = client.post(
        "/login", data={"email": "leerling@example.org", "password": PASSWORD, "remember": "y", "csrf_token": token}
    )
    cookies = response.headers.getlist("Set-Cookie")
    session = next(c for c in cookies if c.startswith("session="))
    remember = next(c for c in cookies if c.startswith("remember_token="))
    for cookie in (session, remember):
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" in cookie


def test_production_config_has_secure_cookies(monkeypatch, tmp_path):
    monkeypatch.setenv("ELEARN_ENV", "production")
    monkeypatch.setenv("ELEARN_INSTANCE_PATH", str(tmp_path))
    from conftest import FIXTURE_CONTENT

    from elearn import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "CONTENT_DIR": FIXTURE_CONTENT})
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]


def test_session_is_fresh_after_login(app, client):
    make_user(app)
    client.get("/login")
    with client.session_transaction() as s:
        s["planted"] = "by-attacker"
    login(client, "leerling@example.org")
    with client.session_transaction() as s:
        assert "planted" not in s


def test_user_text_is_escaped_everywhere(app, trainer):
    for payload in PAYLOADS:
        email = f"x{abs(hash(payload))}@example.org"
        uid = make_user(app, email=email, name=payload)
        with app.app_context():
            db.session.get(User, uid).organisation = payload
            db.session.commit()
        client = app.test_client()
        login(client, email)
        for url in ("/account", "/paths", "/trainer/join"):
            html = client.get(url).get_data(as_text=True)
            if payload.startswith("javascript:"):  # harmless as text; never as a link target
                assert 'href="javascript:' not in html and 'src="javascript:' not in html
            else:
                assert payload not in html, (payload, url)
    response = post_form(
        trainer,
        "/trainer/cohorts/new",
        {"name": PAYLOADS[1], "path_slug": "proefpad", "starts_on": "2026-01-01", "description": PAYLOADS[0]},
    )
    page = trainer.get(response.headers["Location"]).get_data(as_text=True)
    assert PAYLOADS[0] not in page and PAYLOADS[1] not in page
    assert "&lt;script&gt;" in page


def test_revocation_reason_is_escaped_on_verify_page(app, client):
    uid = make_user(app)
    with app.app_context():
        db.session.add(
            stored_certificate(
                uid,
                "QQQQ-WWWW-EEEE-RRRR",
                learner_name=PAYLOADS[1],
                revoked_at=datetime.datetime(2026, 2, 1),
                revoked_reason=PAYLOADS[0],
            )
        )
        db.session.commit()
    html = client.get("/verify/QQQQ-WWWW-EEEE-RRRR").get_data(as_text=True)
    assert "Ingetrokken" in html
    assert PAYLOADS[0] not in html and PAYLOADS[1] not in html


def test_verify_page_shows_no_email_and_unknown_is_404(app, client):
    uid = make_user(app)
    with app.app_context():
        db.session.add(stored_certificate(uid, "ZZZZ-XXXX-CCCC-VVVV"))
        db.session.commit()
    html = client.get("/verify/ZZZZ-XXXX-CCCC-VVVV").get_data(as_text=True)
    assert "Geldig" in html and "Lea Leerling" in html and "@" not in html.split("<main")[1].split("</main>")[0]
    assert client.get("/verify/ONBEKEND-0000").status_code == 404


def test_verify_is_rate_limited(client):
    codes = [client.get("/verify/NOPE").status_code for _ in range(35)]
    assert codes[0] == 404 and 429 in codes


def test_audit_log_records_failures_and_role_changes(app, admin):
    uid = make_user(app)
    anon = app.test_client()
    post_form(anon, "/login", {"email": "leerling@example.org", "password": "fout-wachtwoord"})
    response = post_form(admin, f"/admin/users/{uid}/role", {"role": "trainer"}, token_from="/admin/users")
    assert response.status_code == 302
    with app.app_context():
        events = [e.event for e in db.session.query(AuditEvent).all()]
        assert "login.failed" in events and "role.changed" in events
    page = admin.get("/admin/audit").get_data(as_text=True)
    assert "Rol gewijzigd" in page and "Deelnemer → Opleider" in page  # human labels, not raw codes


def test_role_change_ends_sessions_of_that_user(app, admin, learner):
    post_form(admin, f"/admin/users/{learner.user_id}/role", {"role": "trainer"}, token_from="/admin/users")
    assert learner.get("/modules").status_code == 302


def test_erasure_anonymises_and_keeps_certificate_verifiable(app, learner):
    with app.app_context():
        db.session.add(stored_certificate(learner.user_id, "ERAS-EDAC-COUN-TTTT"))
        db.session.commit()
    response = post_form(learner, "/account/erase", {"password": PASSWORD, "confirm": "y"}, token_from="/account")
    assert response.status_code == 302
    with app.app_context():
        user = db.session.get(User, learner.user_id)
        assert user.erased_at and user.name == "—" and "leerling" not in user.email
        assert db.session.query(AuditEvent).filter_by(event="data.erased").count() == 1
    html = app.test_client().get("/verify/ERAS-EDAC-COUN-TTTT").get_data(as_text=True)
    assert "Lea Leerling" not in html and "account gewist" in html
    fresh = app.test_client()
    response = post_form(fresh, "/login", {"email": "leerling@example.org", "password": PASSWORD})
    assert "horen niet bij elkaar" in response.get_data(as_text=True)


def test_erasure_needs_the_password(learner):
    response = post_form(
        learner, "/account/erase", {"password": "verkeerd-wachtwoord", "confirm": "y"}, token_from="/account"
    )
    assert response.status_code == 400 and "wachtwoord klopt niet" in response.get_data(as_text=True)
    assert learner.get("/modules").status_code == 200


def test_error_pages_use_layout(client):
    response = client.get("/bestaat-niet")
    assert response.status_code == 404 and "Pagina niet gevonden" in response.get_data(as_text=True)
    assert "geen medisch advies" in response.get_data(as_text=True)


def test_server_error_page_and_rollback(make_app):
    app = make_app()

    @app.route("/boom")
    def boom():
        db.session.add(AuditEvent(event="half.written"))
        db.session.flush()
        raise RuntimeError("boom")

    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = app.test_client().get("/boom")
    assert response.status_code == 500 and "Er liep iets mis" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(AuditEvent).filter_by(event="half.written").count() == 0


def test_admin_cannot_take_away_their_own_admin_role(app, admin):
    with app.app_context():
        me = db.session.scalar(select(User).where(User.role == "admin"))
        with pytest.raises(admin_service.OwnAdminRole):
            admin_service.change_role(me, me, "learner")
        assert admin_service.change_role(me, me, "admin") is False  # unchanged: nothing to log
        my_id = me.id
    token = get_token(admin, "/admin/users")
    response = admin.post(f"/admin/users/{my_id}/role", data={"csrf_token": token, "role": "learner"})
    assert response.status_code == 302
    assert "beheerdersrol niet afnemen" in admin.get("/admin/users").get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, my_id).role == "admin"
