"""Logging out ends the session server-side; confirmation links confirm, they do not sign in;
a guessed-at account waits longer and longer instead of being locked out."""

import re

import pytest
from conftest import PASSWORD, get_token, login, make_user, post_form

from elearn import ratelimit
from elearn.extensions import db
from elearn.models import AuditEvent


def _remember_login(client, email="leerling@example.org"):
    token = get_token(client, "/login")
    response = client.post("/login", data={"email": email, "password": PASSWORD, "remember": "y", "csrf_token": token})
    assert response.status_code == 302
    return response


def _cookie(client, name):
    cookie = client.get_cookie(name)
    return cookie.value if cookie else None


def _client_with(app, **cookies):
    client = app.test_client()
    for name, value in cookies.items():
        client.set_cookie(name, value)
    return client


def test_logout_ends_the_remember_me_login(app):
    make_user(app)
    client = app.test_client()
    _remember_login(client)
    remember = _cookie(client, "remember_token")
    session = _cookie(client, "session")
    assert remember and session
    assert _client_with(app, remember_token=remember).get("/account").status_code == 200  # it did sign in
    response = post_form(client, "/logout", {}, token_from="/modules")
    assert response.status_code == 302
    assert any(c.startswith("remember_token=;") for c in response.headers.getlist("Set-Cookie"))
    assert client.get("/account").status_code == 302  # same browser
    # A new client holding only the old remember token, or only the old session cookie, is not signed in.
    assert _client_with(app, remember_token=remember).get("/account").status_code == 302
    assert _client_with(app, session=session).get("/account").status_code == 302


def test_logout_keeps_the_visitors_language_and_can_log_in_again(app):
    make_user(app)
    client = app.test_client()
    client.get("/language?lang=en")
    login(client, "leerling@example.org")
    post_form(client, "/logout", {}, token_from="/modules")
    assert "Sign in" in client.get("/login").get_data(as_text=True)
    login(client, "leerling@example.org")
    assert client.get("/account").status_code == 200


def _register(client, email="nieuw@example.org"):
    return post_form(
        client,
        "/register",
        {
            "name": "Nina Nieuw",
            "email": email,
            "organisation": "CAW",
            "sector": "jeugd-welzijn",
            "password": PASSWORD,
            "confirm": PASSWORD,
        },
    )


def _verify_link(app):
    body = app.extensions["outbox"][-1]["body"]
    return re.search(r"https?://[^/\s]+(/verify/email/\S+)", body).group(1)


def test_someone_elses_confirmation_link_does_not_sign_the_visitor_in(app):
    _register(app.test_client())
    link = _verify_link(app)
    visitor = app.test_client()
    response = visitor.get(link)
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert visitor.get("/account").status_code == 302  # not signed in as the new account
    assert "bevestigd" in visitor.get("/login").get_data(as_text=True)
    login(visitor, "nieuw@example.org")  # the address is confirmed: the owner can log in


def test_the_browser_that_registered_is_signed_in_by_its_link(app):
    browser = app.test_client()
    _register(browser)
    response = browser.get(_verify_link(app))
    assert response.status_code == 302 and response.headers["Location"].endswith("/paths")
    assert browser.get("/account").status_code == 200


def test_a_signed_in_visitor_stays_who_they_are(app, learner):
    _register(app.test_client(), email="derde@example.org")
    learner.get(_verify_link(app))
    page = learner.get("/account").get_data(as_text=True)
    assert "Lea Leerling" in page and "Nina Nieuw" not in page


class Clock:
    def __init__(self, monkeypatch):
        import time

        self.now = time.time()
        monkeypatch.setattr(ratelimit, "clock", lambda: self.now)


def _try(client, password, email="leerling@example.org"):
    token = get_token(client, "/login")
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token})


def test_correct_password_after_failures_works_after_the_wait(app, client, monkeypatch):
    """The probe: a correct password after six failures was refused four times out of four."""
    clock = Clock(monkeypatch)
    make_user(app)
    for _ in range(6):
        assert _try(client, "fout-fout-fout").status_code in (200, 429)
    refused = _try(client, PASSWORD)
    assert refused.status_code == 429 and refused.headers["Retry-After"].isdigit()
    text = refused.get_data(as_text=True)
    assert "Wacht" in text and re.search(r"\d+ (seconden|minuut|minuten)", text), text
    clock.now += int(refused.headers["Retry-After"]) + 1
    assert _try(client, PASSWORD).status_code == 302  # signed in: no lock-out


def test_delays_grow_and_say_how_long(app, client, monkeypatch):
    clock = Clock(monkeypatch)
    make_user(app)
    waits = []
    for _ in range(7):
        response = _try(client, "fout-fout-fout")
        assert response.status_code == 200
        match = re.search(r"nu (\d+) (seconden|minuut|minuten) wachten", response.get_data(as_text=True))
        waits.append((int(match.group(1)) * (60 if "minu" in match.group(2) else 1)) if match else 0)
        clock.now += 16 * 60  # past any delay
    assert waits[:3] == [0, 0, 0] and waits[3:] == [15, 30, 60, 120]


def test_waiting_says_the_same_for_unknown_addresses(app, client, monkeypatch):
    Clock(monkeypatch)
    make_user(app)
    known = [_try(client, "fout-fout-fout").status_code for _ in range(5)]
    unknown = [_try(client, "fout-fout-fout", email="niemand@example.org").status_code for _ in range(5)]
    assert known == unknown == [200, 200, 200, 200, 429]


def test_a_good_login_forgets_the_failures(app, client, monkeypatch):
    clock = Clock(monkeypatch)
    make_user(app)
    for _ in range(4):
        _try(client, "fout-fout-fout")
    clock.now += 60
    assert _try(client, PASSWORD).status_code == 302
    post_form(client, "/logout", {}, token_from="/modules")
    for _ in range(3):
        assert "wachten" not in _try(client, "fout-fout-fout").get_data(as_text=True)
    with app.app_context():
        assert db.session.query(AuditEvent).filter_by(event="login.failed").count() == 7


def test_wait_is_written_in_the_users_language(app):
    with app.test_request_context():
        assert ratelimit.format_wait(45) == "45 seconden"
        assert ratelimit.format_wait(60) == "60 seconden"
        assert ratelimit.format_wait(121) == "3 minuten"
        assert ratelimit.format_wait(3 * 3600) == "3 uur"
    with app.test_request_context(headers={"Accept-Language": "en"}):
        from flask import session

        session["lang"] = "en"
        assert ratelimit.format_wait(45) == "45 seconds"


@pytest.mark.parametrize(
    "argv,env,workers",
    [
        (["gunicorn", "-w", "4", "elearn:create_app()"], {}, 4),
        (["/x/bin/gunicorn", "--workers=3", "app"], {}, 3),
        (["/x/bin/gunicorn", "-w2", "app"], {}, 2),
        (["gunicorn", "app"], {"GUNICORN_CMD_ARGS": "--workers 5"}, 5),
        (["gunicorn", "app"], {"WEB_CONCURRENCY": "6"}, 6),
        (["flask", "run"], {}, 1),
        (["gunicorn", "-w", "many"], {}, 1),
    ],
)
def test_configured_workers(argv, env, workers):
    assert ratelimit.configured_workers(argv, env) == workers


def test_several_workers_with_memory_storage_warn_at_start_up(make_app, caplog, monkeypatch):
    monkeypatch.setattr("sys.argv", ["gunicorn", "-w", "4", "elearn:create_app()"])
    with caplog.at_level("WARNING"):
        make_app()
    assert any("4 workers" in r.getMessage() and "redis://" in r.getMessage() for r in caplog.records)
    caplog.clear()
    with caplog.at_level("WARNING"):
        app = make_app(RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379/4")
    assert not any("workers" in r.getMessage() for r in caplog.records)
    assert not ratelimit.warn_about_private_storage(app, workers=1)


def test_workers_starting_at_once_share_one_secret_key(tmp_path, monkeypatch):
    """Two workers creating the instance secret key at once must not end up with different keys."""
    import os as _os
    import threading

    from elearn import config

    real_link = _os.link
    barrier = threading.Barrier(4)

    def slow_link(src, dst):
        barrier.wait(5)  # every worker has written its own candidate before any is linked
        return real_link(src, dst)

    monkeypatch.setattr(config.os, "link", slow_link)
    keys = []
    threads = [
        threading.Thread(target=lambda: keys.append(config.instance_secret_key(str(tmp_path)))) for _ in range(4)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(keys) == 4 and len(set(keys)) == 1
    assert oct((tmp_path / "secret_key").stat().st_mode)[-3:] == "600"
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]  # no temporary files left
