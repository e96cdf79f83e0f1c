"""Accounts through HTTP with CSRF on: register, confirm, log in/out, reset, change password."""

import re

from conftest import PASSWORD, get_token, login, make_user, post_form


def _outbox(app):
    return app.extensions.setdefault("outbox", [])


def _link(message, path):
    return re.search(rf"https?://[^/\s]+({path}/\S+)", message["body"]).group(1)


def register(client, email="nieuw@example.org", **extra):
    data = {
        "name": "Nina Nieuw",
        "email": email,
        "organisation": "CAW Oost",
        "sector": "jeugd-welzijn",
        "password": PASSWORD,
        "confirm": PASSWORD,
    }
    data.update(extra)
    return post_form(client, "/register", data)


def test_register_confirm_and_land_on_paths(app, client):
    response = register(client)
    assert response.status_code == 200
    assert "Bevestig je e-mailadres" in response.get_data(as_text=True)
    link = _link(_outbox(app)[-1], "/verify/email")
    response = client.get(link)
    assert response.status_code == 302 and response.headers["Location"].endswith("/paths")
    page = client.get("/paths").get_data(as_text=True)
    assert "Voorgesteld voor jouw sector" in page
    assert "Nina Nieuw" not in client.get("/privacy").get_data(as_text=True)


def test_register_existing_email_gives_same_answer(app, client):
    make_user(app, email="bestaat@example.org")
    response = register(client, email="bestaat@example.org")
    assert response.status_code == 200
    assert "Bevestig je e-mailadres" in response.get_data(as_text=True)
    assert "al een account" in _outbox(app)[-1]["body"]


def test_register_form_keeps_input_and_explains_weak_password(client):
    response = register(client, password="password12", confirm="password12", name="Zoë Şahin")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "te vaak voor" in page or "minstens 10" in page
    assert 'value="Zoë Şahin"' in page


def test_short_password_refused(client):
    page = register(client, password="kort", confirm="kort").get_data(as_text=True)
    assert "minstens 10 tekens" in page


def test_unverified_account_cannot_log_in_yet(app, client):
    register(client)
    response = post_form(client, "/login", {"email": "nieuw@example.org", "password": PASSWORD})
    assert "Bevestig je e-mailadres" in response.get_data(as_text=True)
    assert client.get("/modules").status_code == 302


def test_login_generic_message_and_logout(app, client):
    make_user(app)
    wrong = post_form(client, "/login", {"email": "leerling@example.org", "password": "fout-wachtwoord-1"})
    unknown = post_form(client, "/login", {"email": "niemand@example.org", "password": "fout-wachtwoord-1"})
    message = "Dat e-mailadres en wachtwoord horen niet bij elkaar."
    assert message in wrong.get_data(as_text=True) and message in unknown.get_data(as_text=True)
    login(client, "leerling@example.org")
    assert client.get("/modules").status_code == 200
    response = post_form(client, "/logout", {}, token_from="/modules")
    assert response.status_code == 302
    assert client.get("/modules").status_code == 302


def test_login_without_csrf_token_is_refused(app, client):
    make_user(app)
    response = client.post("/login", data={"email": "leerling@example.org", "password": PASSWORD})
    assert response.status_code == 400


def test_login_redirects_only_to_local_next(app, client):
    make_user(app)
    token = get_token(client, "/login")
    response = client.post(
        "/login?next=https://evil.example.com/",
        data={"email": "leerling@example.org", "password": PASSWORD, "csrf_token": token},
    )
    assert response.headers["Location"] == "/"


def test_password_reset_is_single_use(app, client):
    make_user(app)
    response = post_form(client, "/password/forgot", {"email": "leerling@example.org"})
    assert response.status_code == 302
    link = _link(_outbox(app)[-1], "/password/reset")
    new = "nieuw-wachtwoord-2026"
    response = post_form(client, link, {"password": new, "confirm": new})
    assert response.status_code == 302
    login(client, "leerling@example.org", new)
    client.get("/")  # logged in
    again = client.get(link)
    assert again.status_code == 302 and "/password/forgot" in again.headers["Location"]


def test_reset_for_unknown_address_says_the_same(app, client):
    response = post_form(client, "/password/forgot", {"email": "niemand@example.org"}, follow_redirects=True)
    assert "Als er een account bestaat" in response.get_data(as_text=True)
    assert not _outbox(app)


def test_change_password_ends_other_sessions(app, learner):
    other_device = app.test_client()
    login(other_device, "leerling@example.org")
    new = "nog-een-sterk-wachtwoord"
    response = post_form(
        learner, "/account/password", {"current": PASSWORD, "password": new, "confirm": new}, token_from="/account"
    )
    assert response.status_code == 302
    assert learner.get("/modules").status_code == 200
    assert other_device.get("/modules").status_code == 302


def test_change_password_wrong_current(learner):
    response = post_form(
        learner,
        "/account/password",
        {"current": "niet-mijn-wachtwoord", "password": "x" * 3 + "abcdefghij", "confirm": "x" * 3 + "abcdefghij"},
        token_from="/account",
    )
    assert response.status_code == 400
    assert "huidige wachtwoord klopt niet" in response.get_data(as_text=True)


def test_language_switch_is_remembered(app, learner):
    response = post_form(learner, "/language", {"lang": "en", "next": "/modules"}, token_from="/modules")
    assert response.headers["Location"] == "/modules"
    page = learner.get("/modules").get_data(as_text=True)
    assert '<html lang="en-GB">' in page
    fresh = app.test_client()
    login(fresh, "leerling@example.org")
    assert '<html lang="en-GB">' in fresh.get("/modules").get_data(as_text=True)


def test_visitor_switches_language_without_a_session_cookie(client):
    page = client.get("/glossary")
    assert "Set-Cookie" not in page.headers  # no CSRF token, so no session for a mere visitor
    assert 'method="get" action="/language"' in page.get_data(as_text=True)
    response = client.get("/language?lang=en&next=/glossary")
    assert response.headers["Location"] == "/glossary"
    assert '<html lang="en-GB">' in client.get("/glossary").get_data(as_text=True)
    assert client.get("/language?lang=fr").status_code == 400
    assert client.get("/language?lang=nl&next=https://example.org/").headers["Location"] == "/"


def test_a_link_cannot_change_an_accounts_language(app, learner):
    assert learner.get("/language?lang=en&next=/modules").headers["Location"] == "/modules"
    assert '<html lang="nl-BE">' in learner.get("/modules").get_data(as_text=True)
    with app.app_context():
        from elearn.extensions import db
        from elearn.models import User

        assert db.session.get(User, learner.user_id).locale in (None, "nl")


def test_login_is_throttled_per_account(app, client):
    make_user(app)
    codes = []
    for _ in range(7):
        token = get_token(client, "/login")
        codes.append(
            client.post(
                "/login", data={"email": "leerling@example.org", "password": "fout-fout-fout", "csrf_token": token}
            ).status_code
        )
    assert 429 in codes


def test_reset_link_expires(make_app):
    app = make_app(PASSWORD_RESET_MAX_AGE=-1)
    make_user(app)
    client = app.test_client()
    post_form(client, "/password/forgot", {"email": "leerling@example.org"})
    link = _link(_outbox(app)[-1], "/password/reset")
    response = client.get(link)
    assert response.status_code == 302 and "/password/forgot" in response.headers["Location"]


def test_name_must_be_printable_on_the_certificate(client):
    page = register(client, name="王小明").get_data(as_text=True)
    assert "kan deze tekens niet afdrukken" in page and 'value="王小明"' in page


def test_production_hashes_passwords_with_scrypt(make_app):
    from elearn.config import Config

    app = make_app(PASSWORD_HASH_METHOD=Config.PASSWORD_HASH_METHOD)
    make_user(app, email="echt@example.org")
    with app.app_context():
        from elearn.extensions import db
        from elearn.models import User

        user = db.session.query(User).filter_by(email="echt@example.org").one()
        assert user.password_hash.startswith("scrypt:")
        assert user.check_password(PASSWORD) and not user.check_password(PASSWORD + "x")
    client = app.test_client()
    login(client, "echt@example.org")
    assert client.get("/account").status_code == 200
