"""Invites that survive sign-up, and mail delivered over real SMTP in the user's language."""

import email
import email.policy
import re
import socket

import pytest
from aiosmtpd.controller import Controller
from conftest import PASSWORD, get_token, logged_in, login, make_user, post_form
from test_trainer import create_cohort, join


class Inbox:
    """An aiosmtpd handler keeping every message it receives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


@pytest.fixture
def mail_app(make_app, smtp):
    controller, _inbox = smtp
    return make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port, MAIL_USE_TLS=False)


def _parts(message):
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    return text, html


def _register(client, email_address, invite=None, lang=None):
    if lang:
        client.get(f"/language?lang={lang}")
    url = f"/register?invite={invite}" if invite else "/register"
    page = client.get(url).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    hidden_invite = re.search(r'name="invite" type="hidden" value="([^"]*)"', page)
    data = {
        "csrf_token": token,
        "name": "Nina Nieuw",
        "email": email_address,
        "organisation": "CAW Oost",
        "sector": "jeugd-welzijn",
        "password": PASSWORD,
        "confirm": PASSWORD,
        "invite": hidden_invite.group(1) if hidden_invite else "",
    }
    return client.post("/register", data=data)


def _link(text, path):
    return re.search(rf"https?://[^/\s]+({path}/\S+)", text).group(1)


def test_confirmation_mail_arrives_as_text_and_html_in_dutch(mail_app, smtp):
    _controller, inbox = smtp
    client = mail_app.test_client()
    assert _register(client, "nina@example.org").status_code == 200
    (message,) = inbox.messages
    assert message["To"] == "nina@example.org" and "Bevestig je e-mailadres" in message["Subject"]
    text, html = _parts(message)
    assert "Hallo Nina Nieuw" in text and "/verify/email/" in text
    assert re.search(r'<a href="https?://[^"]+/verify/email/[^"]+">', html) and 'lang="nl' in html
    response = client.get(_link(text, "/verify/email"))
    assert response.status_code == 302
    assert client.get("/account").status_code == 200  # the browser that registered is signed in


def test_confirmation_and_reset_mail_in_english_for_an_english_user(mail_app, smtp):
    _controller, inbox = smtp
    client = mail_app.test_client()
    _register(client, "eve@example.org", lang="en")
    text, html = _parts(inbox.messages[-1])
    assert "Confirm your email address" in inbox.messages[-1]["Subject"] and 'lang="en' in html
    client.get(_link(text, "/verify/email"))
    anon = mail_app.test_client()
    post_form(anon, "/password/forgot", {"email": "eve@example.org"})
    reset = inbox.messages[-1]
    assert "new password" in reset["Subject"].lower()
    text, _html = _parts(reset)
    link = _link(text, "/password/reset")
    new = "een-ander-sterk-wachtwoord-7"
    assert post_form(anon, link, {"password": new, "confirm": new}).status_code == 302
    login(mail_app.test_client(), "eve@example.org", new)


def test_confirmation_link_opened_elsewhere_confirms_but_signs_nobody_in(app, client):
    _register(client, "nina@example.org")
    link = _link(app.extensions["outbox"][-1]["body"], "/verify/email")
    stranger = app.test_client()
    response = stranger.get(link)
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert stranger.get("/account").status_code == 302
    login(stranger, "nina@example.org")  # the address is confirmed: the owner can log in


def test_reused_confirmation_link_says_the_address_is_confirmed(app, client):
    _register(client, "nina@example.org")
    link = _link(app.extensions["outbox"][-1]["body"], "/verify/email")
    client.get(link)
    again = app.test_client().get(link, follow_redirects=True).get_data(as_text=True)
    assert "al bevestigd" in again and "ongeldig" not in again
    bad = app.test_client().get("/verify/email/nonsense", follow_redirects=True).get_data(as_text=True)
    assert "ongeldig of verlopen" in bad


def test_invite_link_shows_the_group_and_survives_registration(app, trainer):
    with app.app_context():
        from elearn.extensions import db
        from elearn.models import User

        db.session.get(User, trainer.user_id).organisation = "CAW Oost-Vlaanderen"
        db.session.commit()
    cohort_id, code = create_cohort(trainer, name="Vorming Aalst")
    visitor = app.test_client()
    page = visitor.get(f"/trainer/join/{code}").get_data(as_text=True)
    assert "Vorming Aalst" in page and "CAW Oost-Vlaanderen" in page and "Proeftraject" in page
    assert f"/register?invite={code}" in page
    assert _register(visitor, "colleague@example.org", invite=code).status_code == 200
    message = app.extensions["outbox"][-1]
    assert "Vorming Aalst" in message["body"]
    landing = visitor.get(_link(message["body"], "/verify/email"))
    assert landing.status_code == 302 and landing.headers["Location"].endswith("/paths/proefpad")
    members = trainer.get(f"/trainer/cohorts/{cohort_id}").get_data(as_text=True)
    assert "Nina Nieuw" in members


def test_existing_account_logs_in_from_the_invite_and_joins(app, trainer):
    _cohort_id, code = create_cohort(trainer)
    make_user(app, email="bestaand@example.org", name="Bea Bestaand")
    client = app.test_client()
    page = client.get(f"/trainer/join/{code}").get_data(as_text=True)
    login_url = re.search(r'href="(/login\?next=[^"]+)"', page).group(1).replace("&amp;", "&")
    token = get_token(client, login_url)
    response = client.post(login_url, data={"csrf_token": token, "email": "bestaand@example.org", "password": PASSWORD})
    assert response.headers["Location"].endswith(f"/trainer/join/{code}")
    assert f'value="{code}"' in client.get(f"/trainer/join/{code}").get_data(as_text=True)
    assert join(client, code).status_code == 302


def test_codes_typed_with_spaces_dashes_or_lower_case_are_accepted(app, trainer, learner):
    _cohort_id, code = create_cohort(trainer)
    typed = f"{code[:4].lower()} {code[4:8]}-{code[8:]}"
    assert join(learner, typed).status_code == 302
    shown = trainer.get(f"/trainer/cohorts/{_cohort_id}/manage").get_data(as_text=True)
    assert f"{code[:4]} {code[4:8]} {code[8:]}" in shown


def test_unknown_invite_link_says_so(client):
    response = client.get("/trainer/join/ONBEKEND99")
    assert response.status_code == 404 and "onbekend of niet meer geldig" in response.get_data(as_text=True)


def test_trainer_mails_the_invite_to_a_list(make_app, smtp):
    controller, inbox = smtp
    app = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port, MAIL_USE_TLS=False)
    from conftest import logged_in

    trainer = logged_in(app, "trainer@example.org", "Tine Trainer", role="trainer", sector="andere")
    cohort_id, code = create_cohort(trainer, name="Vorming Brugge")
    url = f"/trainer/cohorts/{cohort_id}/invite/mail"
    bad = post_form(
        trainer, url, {"addresses": "a@example.org, geen-adres"}, token_from=f"/trainer/cohorts/{cohort_id}/manage"
    )
    assert bad.status_code == 400 and "geen-adres" in bad.get_data(as_text=True) and inbox.messages == []
    ok = post_form(
        trainer,
        url,
        {"addresses": "a@example.org\nB@example.org; a@example.org"},
        token_from=f"/trainer/cohorts/{cohort_id}/manage",
    )
    assert ok.status_code == 302
    assert sorted(m["To"] for m in inbox.messages) == ["a@example.org", "b@example.org"]
    text, _html = _parts(inbox.messages[0])
    assert f"/trainer/join/{code}" in text and "Vorming Brugge" in text
    with app.app_context():
        from elearn.extensions import db
        from elearn.models import AuditEvent

        assert db.session.query(AuditEvent).filter_by(event="cohort.invites_sent").one().details == "2"


def test_without_smtp_the_manage_page_offers_the_link_to_copy(app, trainer):
    cohort_id, code = create_cohort(trainer)
    page = trainer.get(f"/trainer/cohorts/{cohort_id}/manage").get_data(as_text=True)
    assert "verstuurt geen e-mail" in page and f"/trainer/join/{code}" in page
    response = post_form(
        trainer,
        f"/trainer/cohorts/{cohort_id}/invite/mail",
        {"addresses": "a@example.org"},
        token_from=f"/trainer/cohorts/{cohort_id}/manage",
    )
    assert response.status_code == 400


def test_privacy_page_names_the_controller_and_the_authority(make_app):
    app = make_app(CONTROLLER_NAME="VZW Kruispunt Vorming", CONTROLLER_CONTACT="privacy@kruispunt.example.org")
    page = app.test_client().get("/privacy").get_data(as_text=True)
    assert "VZW Kruispunt Vorming" in page and "privacy@kruispunt.example.org" in page
    assert "Gegevensbeschermingsautoriteit" in page and "„" not in page
    unset = make_app().test_client().get("/privacy").get_data(as_text=True)
    assert "nog niet ingevuld" in unset


def test_account_page_gives_every_field_its_own_id_and_name(learner):
    page = learner.get("/account").get_data(as_text=True)
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    for field_id in ("pw-current", "pw-password", "pw-confirm", "erase-password", "profile-name"):
        assert f'<label for="{field_id}"' in page
    assert re.search(r'<label class="check"><input[^>]*id="erase-confirm"', page)  # named by its wrapping label
    assert 'aria-describedby="pw-password-hint"' in page


def test_form_errors_are_summarised_announced_and_named_in_the_title(client):
    page = post_form(client, "/register", {"name": "", "email": "geen-adres", "password": "kort", "confirm": "x"})
    html = page.get_data(as_text=True)
    summary = re.search(r'<div class="error-summary" id="error-summary" role="alert"[^>]*>(.*?)</div>', html, re.S)
    assert summary and 'href="#email"' in summary.group(1) and 'href="#password"' in summary.group(1)
    assert re.search(r"<title>Fout: Registreren", html)
    assert 'value="geen-adres"' in html  # the input is kept
    clean = client.get("/register").get_data(as_text=True)
    assert "error-summary" not in clean and "<title>Registreren" in clean


def test_citation_links_name_their_source(learner):
    page = learner.get("/modules/proef/eerste").get_data(as_text=True)
    assert re.search(r'<sup class="cite">\[<a href="[^"]+#bron-[^"]+" aria-label="bron 1">1</a>', page)


def test_confirming_in_the_registering_browser_says_welcome_and_names_the_group(app, trainer):
    _cohort_id, code = create_cohort(trainer, name="Vorming Hasselt")
    visitor = app.test_client()
    _register(visitor, "hasselt@example.org", invite=code)
    page = visitor.get(_link(app.extensions["outbox"][-1]["body"], "/verify/email"), follow_redirects=True)
    text = page.get_data(as_text=True)
    assert "Welkom" in text and "Je bent aangesloten bij Vorming Hasselt" in text


def test_the_invite_mail_quota_survives_logging_out_and_in(make_app, smtp):
    """Five mailings an hour per trainer account: a new session (log-out ends the old one and
    changes the session id) does not start a new quota."""
    controller, _inbox = smtp
    app = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port, MAIL_USE_TLS=False)
    trainer = logged_in(app, "quota@example.org", "Tine Trainer", role="trainer", sector="andere")
    cohort_id, _code = create_cohort(trainer, name="Vorming Gent")
    manage = f"/trainer/cohorts/{cohort_id}/manage"
    url = f"/trainer/cohorts/{cohort_id}/invite/mail"
    for _ in range(5):
        assert post_form(trainer, url, {"addresses": "a@example.org"}, token_from=manage).status_code == 302
    post_form(trainer, "/logout", {}, token_from=manage)
    login(trainer, "quota@example.org")
    assert post_form(trainer, url, {"addresses": "a@example.org"}, token_from=manage).status_code == 429


def test_production_without_a_controller_warns_at_start_up(make_app, monkeypatch, caplog):
    monkeypatch.setenv("ELEARN_ENV", "production")
    make_app()
    assert any("ELEARN_CONTROLLER_NAME" in r.getMessage() for r in caplog.records)
    caplog.clear()
    make_app(CONTROLLER_NAME="VZW Kruispunt Vorming")
    assert not any("ELEARN_CONTROLLER_NAME" in r.getMessage() for r in caplog.records)
