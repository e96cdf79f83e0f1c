"""The template shortcuts of elearn/speed.py give what Flask's own functions give."""

import re
from types import SimpleNamespace

from conftest import csrf_token, logged_in
from flask import render_template_string, url_for

from elearn import speed


def test_remembered_links_are_flasks_links(app):
    template = (
        "{{ url_for('learn.glossary') }}|{{ url_for('static', filename='css/site.css') }}|"
        "{{ url_for('learn.module', slug='basis') }}"
    )
    for root in ("", "/kruispunt"):
        for _ in range(2):  # built, then remembered
            with app.test_request_context("/", base_url=f"http://localhost{root}/"):
                page = render_template_string(template)
                expected = "|".join(
                    [
                        url_for("learn.glossary"),
                        url_for("static", filename="css/site.css"),
                        url_for("learn.module", slug="basis"),
                    ]
                )
            assert page == expected
            assert page.startswith(f"{root}/glossary|{root}/static/css/site.css|{root}/modules/basis")


def test_links_with_values_are_remembered_per_value(app):
    with app.test_request_context("/"):
        pages = [render_template_string("{{ url_for('learn.module', slug=s) }}", s=s) for s in ("a", "b", "a")]
    assert pages == ["/modules/a", "/modules/b", "/modules/a"]


def test_links_with_options_or_other_values_go_to_flask_every_time(app):
    template = "{{ url_for('learn.module', slug=s, _external=True) }}|{{ url_for('learn.module', slug=s, n=n) }}"
    for host in ("a.example", "b.example"):
        with app.test_request_context("/", base_url=f"http://{host}/"):
            page = render_template_string(template, s="basis", n=True)
            assert page == f"http://{host}/modules/basis|/modules/basis?n=True"
            page = render_template_string(template, s="basis", n=1)
            assert page == f"http://{host}/modules/basis|/modules/basis?n=1"


def test_remembered_links_are_bounded(app, monkeypatch):
    monkeypatch.setattr(speed, "MAX_LINKS", 3)
    speed.install_template_url_for(app)  # a fresh memory with the small bound
    with app.test_request_context("/"):
        pages = [render_template_string("{{ url_for('certs.verify', code=c) }}", c=str(c)) for c in range(10)]
        known = app.jinja_env.globals["url_for"].__closure__
    assert pages == [f"/verify/{c}" for c in range(10)]
    sizes = [len(cell.cell_contents) for cell in known if isinstance(cell.cell_contents, dict)]
    assert sizes and max(sizes) <= 3


def _header(html: str) -> str:
    return html[html.index('<header class="site-header">') : html.index("</header>")]


def test_the_header_shows_each_role_its_menu_and_its_own_token(app):
    clients = {
        "learner": logged_in(app, "l1@example.org", "Lea Een"),
        "learner2": logged_in(app, "l2@example.org", "Lies Twee"),
        "trainer": logged_in(app, "t@example.org", "Tine Trainer", role="trainer", sector="andere"),
        "admin": logged_in(app, "a@example.org", "Ad Min", role="admin", sector="andere"),
        "visitor": app.test_client(),
    }
    headers = {}
    for _ in range(2):  # rendered, then remembered
        for role, client in clients.items():
            html = client.get("/glossary").get_data(as_text=True)
            headers[role] = _header(html)
            if role != "visitor":
                # every token of the page is this session's token
                assert set(re.findall(r'name="csrf_token" value="([^"]+)"', headers[role])) == {csrf_token(html)}
    assert "Groepen" not in headers["learner"] and "Beheer" not in headers["learner"]
    assert "Groepen" in headers["trainer"] and "Beheer" not in headers["trainer"]
    assert "Groepen" in headers["admin"] and "Beheer" in headers["admin"]
    assert "Aanmelden" in headers["visitor"] and "csrf_token" not in headers["visitor"]
    assert "Afmelden" not in headers["visitor"] and headers["learner"].count("Afmelden") == 2
    without_tokens = {role: re.sub(r'value="[^"]{40,}"', "", h) for role, h in headers.items()}
    assert without_tokens["learner"] == without_tokens["learner2"]
    assert headers["learner"] != headers["learner2"]


def test_signing_out_with_the_remembered_header_works_and_shows_the_visitors_header(app):
    learner = logged_in(app, "l1@example.org", "Lea Een")
    header = _header(learner.get("/glossary").get_data(as_text=True))
    token = re.search(r'name="csrf_token" value="([^"]+)"', header).group(1)
    assert learner.post("/logout", data={"csrf_token": token}).status_code == 302
    assert "Aanmelden" in _header(learner.get("/glossary").get_data(as_text=True))


def test_the_header_is_in_the_readers_language_and_returns_to_this_page(app):
    learner = logged_in(app, "l1@example.org", "Lea Een")
    dutch = _header(learner.get("/glossary?a=1&b=<2>").get_data(as_text=True))
    assert 'name="next" value="/glossary?a=1&amp;b=&lt;2&gt;"' in dutch and "Afmelden" in dutch
    token = re.search(r'name="csrf_token" value="([^"]+)"', dutch).group(1)
    learner.post("/language", data={"csrf_token": token, "lang": "en", "next": "/glossary"})
    english = _header(learner.get("/referral-map").get_data(as_text=True))
    assert "Sign out" in english and "Afmelden" not in english and 'value="nl"' in english
    assert 'name="next" value="/referral-map?"' in english


def test_a_fragment_sees_only_the_role_of_the_user():
    learner = SimpleNamespace(is_authenticated=True, is_trainer=False, is_admin=False, name="Lea")
    assert speed.viewer_of(learner) == speed.Viewer(True, False, False)
    assert not hasattr(speed.viewer_of(learner), "name")
    assert speed.viewer_of(SimpleNamespace(is_authenticated=False)) == speed.Viewer(False, False, False)


def test_the_templates_locale_follows_the_request_and_force_locale(app):
    from flask_babel import force_locale

    template = "{{ current_locale() }} {{ html_lang() }}"
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        assert render_template_string(template) == "en en-GB"
        with force_locale("nl_BE"):
            assert render_template_string(template) == "nl nl-BE"
        assert render_template_string(template) == "en en-GB"
    with app.test_request_context("/", headers={"Accept-Language": "nl"}):
        assert render_template_string(template) == "nl nl-BE"


def test_a_mail_in_another_language_mid_request_keeps_both_languages(app):
    from flask_babel import force_locale

    template = "{{ _('Afmelden') }}"
    with app.test_request_context("/", headers={"Accept-Language": "nl"}):
        assert render_template_string(template) == "Afmelden"
        with force_locale("en_GB"):
            assert render_template_string(template) == "Sign out"
        assert render_template_string(template) == "Afmelden"
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        with force_locale("nl_BE"):
            assert render_template_string(template) == "Afmelden"
        assert render_template_string(template) == "Sign out"
