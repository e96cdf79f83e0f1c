"""Ordinary bad input (NUL and control characters, numbers beyond any id) gets a friendly 400/404.

Before the request guard and the bounded converter these gave 500s on PostgreSQL
(``psycopg.DataError``, ``NumericValueOutOfRange``) and on SQLite (``OverflowError``).
"""

import pytest
from conftest import get_token, logged_in, post_form
from helpers import stored_certificate

from elearn.extensions import db
from elearn.security import MAX_ID, BoundedIntConverter, has_control_characters, page_number

HUGE = "99999999999999999999"
FRIENDLY_400 = "onzichtbaar stuurteken"


@pytest.fixture
def people(app):
    learner = logged_in(app, "leerling@example.org", "Lea Leerling")
    trainer = logged_in(app, "trainer@example.org", "Tine Trainer", role="trainer", sector="andere")
    admin = logged_in(app, "admin@example.org", "Ad Min", role="admin", sector="andere")
    with app.app_context():
        db.session.add(
            stored_certificate(learner.user_id, "AAAA-BBBB-CCCC-DDDD", learner_name="Lea", path_title="Proef")
        )
        db.session.commit()
    return {"anon": app.test_client(), "learner": learner, "trainer": trainer, "admin": admin}


NUL_GETS = [
    ("anon", "/verify/AB%00CD"),
    ("admin", "/admin/users?q=a%00b"),
    ("admin", "/admin/audit?event=a%00b"),
    ("learner", "/modules?x=%01"),
    ("anon", "/glossary?q=a%7fb"),
]

NUL_POSTS = [  # (who, url, page with the form, data)
    ("anon", "/login", "/login", {"email": "a\x00@t.test", "password": "x"}),
    ("anon", "/register", "/register", {"name": "N\x00", "email": "n@t.test"}),
    ("learner", "/account", "/account", {"name": "Lea\x00", "sector": "andere"}),
    ("learner", "/trainer/join", "/trainer/join", {"code": "AB\x00CD"}),
    (
        "trainer",
        "/trainer/cohorts/new",
        "/trainer/cohorts/new",
        {"name": "Groep\x00", "path_slug": "proefpad", "starts_on": "2026-01-01"},
    ),
    (
        "admin",
        "/certificates/AAAA-BBBB-CCCC-DDDD/revoke",
        "/certificates/AAAA-BBBB-CCCC-DDDD/revoke",
        {"reason": "fout\x00"},
    ),
    ("anon", "/password/forgot", "/password/forgot", {"email\x00": "a@t.test"}),
]


@pytest.mark.parametrize("who,url", NUL_GETS)
def test_control_characters_in_urls_give_a_friendly_400(people, who, url):
    response = people[who].get(url)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert FRIENDLY_400 in html and "geen medisch advies" in html  # the error page in the layout


@pytest.mark.parametrize("who,url,page,data", NUL_POSTS)
def test_control_characters_in_forms_give_a_friendly_400(people, who, url, page, data):
    response = post_form(people[who], url, data, token_from=page)
    assert response.status_code == 400
    assert FRIENDLY_400 in response.get_data(as_text=True)


def test_line_breaks_and_tabs_in_text_are_still_accepted(people):
    response = post_form(
        people["trainer"],
        "/trainer/cohorts/new",
        {
            "name": "Groep B",
            "path_slug": "proefpad",
            "starts_on": "2026-01-01",
            "description": "Regel een\r\n\tRegel twee",
        },
    )
    assert response.status_code == 302


@pytest.mark.parametrize(
    "who,url",
    [
        ("learner", f"/attempt/{HUGE}/1"),
        ("learner", f"/attempt/1/{HUGE}"),
        ("learner", f"/attempt/{MAX_ID + 1}/1"),
        ("learner", f"/vignettes/run/{HUGE}"),
        ("trainer", f"/trainer/cohorts/{HUGE}"),
        ("trainer", f"/trainer/cohorts/{HUGE}/summary"),
        ("trainer", f"/trainer/cohorts/{HUGE}/export.csv"),
        ("learner", f"/attempt/{MAX_ID}/1"),  # the largest id is allowed, and simply not found
    ],
)
def test_numbers_beyond_any_id_are_404(people, who, url):
    response = people[who].get(url)
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.get_data(as_text=True)


def test_posting_to_a_huge_id_is_404(people):
    admin = people["admin"]
    token = get_token(admin, "/admin/users")
    assert admin.post(f"/admin/users/{HUGE}/role", data={"csrf_token": token, "role": "trainer"}).status_code == 404
    trainer = people["trainer"]
    token = get_token(trainer, "/trainer/cohorts")
    response = trainer.post(f"/trainer/cohorts/1/members/{HUGE}/remove", data={"csrf_token": token})
    assert response.status_code == 404


@pytest.mark.parametrize("page", [HUGE, "-5", "0", "abc", "1e9", str(MAX_ID)])
def test_page_numbers_are_clamped(people, page):
    admin = people["admin"]
    for url in ("/admin/users", "/admin/audit"):
        response = admin.get(f"{url}?page={page}")
        assert response.status_code == 200, (url, page)
    users = admin.get(f"/admin/users?page={page}").get_data(as_text=True)
    assert "Lea Leerling" in users  # clamped to the last (only) page, not an empty one past the end


def test_every_integer_url_part_is_bounded(app):
    """One mechanism: every ``<int:...>`` of every route uses the bounded converter."""
    ints = [
        (rule.rule, name)
        for rule in app.url_map.iter_rules()
        for name, conv in rule._converters.items()
        if "Integer" in type(conv).__name__ or isinstance(conv, BoundedIntConverter)
    ]
    assert ints, "expected id routes"
    for rule in app.url_map.iter_rules():
        for name, conv in rule._converters.items():
            if "Integer" in type(conv).__name__ or "Int" in type(conv).__name__:
                assert isinstance(conv, BoundedIntConverter) and conv.max <= MAX_ID, (rule.rule, name)


def test_control_character_detection():
    assert has_control_characters("a\x00b") and has_control_characters("\x1b[31m") and has_control_characters("\x85")
    assert not has_control_characters("Regel\r\nmet\ttab, é en ’ en 😀")


def test_page_number_unit():
    assert page_number(None) == 1 and page_number("abc") == 1 and page_number("-3") == 1
    assert page_number("7") == 7 and page_number("7", last=3) == 3 and page_number(HUGE) == 100_000
