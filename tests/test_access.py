"""One access-control matrix over every registered route, and CSRF on every state change.

Each route is requested as anonymous, the owning learner, another learner, the cohort's trainer,
another trainer and an admin, with ids that belong to the owning learner or the first trainer.
A route without an entry in EXPECTED fails the test, so new routes must declare their rules.
"""

import datetime

import pytest
from conftest import csrf_token, login, make_user
from helpers import start_quiz, stored_certificate

from elearn.extensions import db
from elearn.models import VignetteRun

ROLES = ("anon", "owner", "other", "trainer", "trainer2", "admin")
LOGIN = "login"  # redirect to the login page
# Codes per role, in the order of ROLES. A route's entry is (method, codes).
PUBLIC = (200,) * 6
LOGGED_IN = (LOGIN, 200, 200, 200, 200, 200)
OWNER_ONLY = (LOGIN, 200, 404, 404, 404, 404)
TRAINER_ONLY = (LOGIN, 403, 403, 200, 200, 200)
COHORT = (LOGIN, 403, 403, 200, 404, 200)
ADMIN_ONLY = (LOGIN, 403, 403, 403, 403, 200)

EXPECTED = {
    "main.home": ("GET", (200, 302, 302, 302, 302, 302)),
    "main.healthz": ("GET", PUBLIC),
    "main.privacy": ("GET", PUBLIC),
    "static": ("GET", PUBLIC),
    "learn.glossary": ("GET", PUBLIC),
    "learn.referral_map": ("GET", PUBLIC),
    "leaflet.page": ("GET", PUBLIC),
    "leaflet.pdf": ("GET", PUBLIC),
    "certs.verify": ("GET", PUBLIC),
    "certs.issuer": ("GET", PUBLIC),
    "certs.verify_json": ("GET", PUBLIC),
    "certs.status_list": ("GET", PUBLIC),
    "auth.login": ("GET", (200, 302, 302, 302, 302, 302)),
    "auth.register": ("GET", (200, 302, 302, 302, 302, 302)),
    "auth.forgot": ("GET", PUBLIC),
    "auth.reset": ("GET", (302,) * 6),  # an invalid token sends everyone to "forgot"
    "auth.verify": ("GET", (LOGIN,) * 6),  # an invalid link sends everyone to the login page
    "auth.account": ("GET", LOGGED_IN),
    "auth.export": ("GET", LOGGED_IN),
    "auth.change_password": ("POST", (LOGIN, 400, 400, 400, 400, 400)),  # empty form: re-rendered with errors
    "auth.erase": ("POST", (LOGIN, 400, 400, 400, 400, 400)),
    "auth.language": ("POST", (400,) * 6),  # no language given
    "auth.visitor_language": ("GET", (400,) * 6),
    "auth.logout": ("POST", (302,) * 6),
    "learn.modules": ("GET", LOGGED_IN),
    "learn.module": ("GET", LOGGED_IN),
    "learn.sources": ("GET", LOGGED_IN),
    "learn.section": ("GET", LOGGED_IN),
    "learn.read": ("POST", (LOGIN, 302, 302, 302, 302, 302)),
    "learn.paths": ("GET", LOGGED_IN),
    "learn.path": ("GET", LOGGED_IN),
    "learn.choose": ("POST", (LOGIN, 302, 302, 302, 302, 302)),
    "learn.complete": ("POST", (LOGIN, 302, 302, 302, 302, 302)),
    # the completion page shows the signed-in learner's own certificate; without one, back to the path
    "learn.completed": ("GET", (LOGIN, 200, 302, 302, 302, 302)),
    "learn.confidence": ("GET", LOGGED_IN),
    "quiz.overview": ("GET", LOGGED_IN),
    "quiz.start": ("POST", (LOGIN, 302, 302, 302, 302, 302)),
    "quiz.question": ("GET", OWNER_ONLY),
    "quiz.confirm": ("GET", OWNER_ONLY),
    "quiz.review": ("GET", (LOGIN, 302, 404, 404, 404, 404)),  # not submitted yet: owner goes to confirm
    "quiz.vignette": ("GET", LOGGED_IN),
    "quiz.vignette_start": ("POST", (LOGIN, 302, 302, 302, 302, 302)),
    "quiz.run": ("GET", OWNER_ONLY),
    "certs.mine": ("GET", LOGGED_IN),
    "certs.pdf": ("GET", OWNER_ONLY),
    "certs.credential": ("GET", OWNER_ONLY),
    "certs.revoke": ("GET", (LOGIN, 404, 404, 200, 404, 200)),
    "trainer.cohorts": ("GET", TRAINER_ONLY),
    "trainer.new_cohort": ("GET", TRAINER_ONLY),
    "trainer.cohort": ("GET", COHORT),
    "trainer.summary": ("GET", COHORT),
    "trainer.export": ("GET", COHORT),
    "trainer.export_items": ("GET", COHORT),
    "trainer.edit_cohort": ("GET", COHORT),
    "trainer.manage": ("GET", COHORT),
    "trainer.invite_action": ("POST", (LOGIN, 403, 403, 302, 404, 302)),
    "trainer.add_trainer": ("POST", (LOGIN, 403, 403, 302, 404, 302)),
    "trainer.remove_member": ("POST", (LOGIN, 403, 403, 302, 404, 302)),
    "trainer.join": ("GET", LOGGED_IN),
    "trainer.invitation": ("GET", (404, 200, 200, 200, 200, 200)),  # no such group; signed in: the join form
    "trainer.invite_mail": ("POST", (LOGIN, 403, 403, 400, 404, 400)),  # no mail server in the tests
    "admin.users": ("GET", ADMIN_ONLY),
    "admin.change_role": ("POST", (LOGIN, 403, 403, 403, 403, 400)),  # no role given: bad request
    "admin.audit_log": ("GET", ADMIN_ONLY),
}


@pytest.fixture
def world(app):
    """Users of every role, and things that belong to the owner and to the first trainer."""
    ids = {
        "owner": make_user(app, "owner@example.org", "Owen Owner"),
        "other": make_user(app, "other@example.org", "Otto Other"),
        "trainer": make_user(app, "trainer@example.org", "Tina Trainer", role="trainer"),
        "trainer2": make_user(app, "trainer2@example.org", "Tom Tweede", role="trainer"),
        "admin": make_user(app, "admin@example.org", "Ada Admin", role="admin"),
    }
    clients = {"anon": app.test_client()}
    for role in ROLES[1:]:
        clients[role] = app.test_client()
        login(clients[role], f"{role}@example.org")
    attempt_id = start_quiz(clients["owner"], "proef")
    from elearn.models import CohortMember, User
    from elearn.trainer.cohorts import create_cohort

    with app.app_context():
        cohort = create_cohort(
            db.session.get(User, ids["trainer"]),
            name="Groep A",
            path_slug="proefpad",
            starts_on=datetime.date(2026, 1, 1),
            ends_on=None,
            description="",
        )
        db.session.add(CohortMember(cohort_id=cohort.id, user_id=ids["owner"]))
        run = VignetteRun(user_id=ids["owner"], vignette_id="proef-casus", content_version="x", node_id="start")
        cert = stored_certificate(
            ids["owner"], "AAAA-BBBB-CCCC-DDDD", learner_name="Owen Owner", hours=0.6, issuer="Kruispunt"
        )
        # A certificate of the owner for a path that the trainer's cohort does not follow.
        other_path = stored_certificate(
            ids["owner"],
            "EEEE-FFFF-GGGG-HHHH",
            path_slug="ander-pad",
            learner_name="Owen Owner",
            path_title="Ander traject",
            issuer="Kruispunt",
        )
        db.session.add_all([run, cert, other_path])
        db.session.commit()
        values = {
            "attempt_id": attempt_id,
            "number": 1,
            "run_id": run.id,
            "cohort_id": cohort.id,
            "user_id": ids["owner"],
            "code": cert.code,
            "token": "ongeldig",
            "quiz_id": "proef",
            "slug": "proef",
            "section_id": "eerste",
            "vignette_id": "proef-casus",
            "phase": "pre",
            "action": "renew",
            "filename": "css/site.css",
            "fmt": "csv",
        }
    return clients, values


def _url(app, rule, values):
    args = {name: values[name] for name in rule.arguments}
    if (
        rule.endpoint.startswith("learn.")
        and "slug" in args
        and rule.endpoint in ("learn.path", "learn.choose", "learn.confidence", "learn.complete", "learn.completed")
    ):
        args["slug"] = "proefpad"
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **args)


def _outcome(response):
    if response.status_code == 302 and "/login" in response.headers["Location"]:
        return LOGIN
    return response.status_code


def test_every_route_has_an_entry(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints - set(EXPECTED) == set(), "declare the access rules of new routes in EXPECTED"
    assert set(EXPECTED) - endpoints == set(), "EXPECTED names routes that no longer exist"


def test_access_matrix(app, world):
    clients, values = world
    failures = []
    rules = sorted(app.url_map.iter_rules(), key=lambda r: (r.endpoint == "auth.logout", r.endpoint))
    for rule in rules:
        method, codes = EXPECTED[rule.endpoint]
        url = _url(app, rule, values)
        for role, expected in zip(ROLES, codes):
            client = clients[role]
            if method == "GET":
                response = client.get(url)
            else:
                token = csrf_token(client.get("/password/forgot").get_data(as_text=True))  # a form for every role
                response = client.post(url, data={"csrf_token": token})
            outcome = _outcome(response)
            response.close()  # static files are streamed from an open file
            if outcome != expected:
                failures.append(f"{method} {url} as {role}: {outcome} (expected {expected})")
    assert not failures, "\n".join(failures)


HUGE = "99999999999999999999"
#: Cases beyond one URL per route: scope limits and bad input, as (method, URL, codes per role).
EXTRA = [
    # A trainer revokes only certificates of the cohort's own path; admins keep full power.
    ("GET", "/certificates/EEEE-FFFF-GGGG-HHHH/revoke", (LOGIN, 404, 404, 404, 404, 200)),
    ("POST", "/certificates/EEEE-FFFF-GGGG-HHHH/revoke", (LOGIN, 404, 404, 404, 404, 400)),  # no reason given
    # Numbers beyond any id name no URL: a 404 for everyone, never a database error.
    ("GET", f"/attempt/{HUGE}/1", (404,) * 6),
    ("GET", f"/vignettes/run/{HUGE}", (404,) * 6),
    ("GET", f"/trainer/cohorts/{HUGE}", (404,) * 6),
    ("POST", f"/admin/users/{HUGE}/role", (404,) * 6),
    ("GET", f"/admin/users?page={HUGE}", ADMIN_ONLY),
    ("GET", f"/admin/audit?page={HUGE}", ADMIN_ONLY),
    # NUL and control characters: a 400 for everyone, before any view runs.
    ("GET", "/verify/AB%00CD", (400,) * 6),
    ("GET", "/admin/users?q=a%00b", (400,) * 6),
    ("POST", "/trainer/join?x=%1b", (400,) * 6),
]


def test_access_matrix_extra_cases(app, world):
    clients, _values = world
    failures = []
    for method, url, codes in EXTRA:
        for role, expected in zip(ROLES, codes):
            client = clients[role]
            if method == "GET":
                response = client.get(url)
            else:
                token = csrf_token(client.get("/password/forgot").get_data(as_text=True))
                response = client.post(url, data={"csrf_token": token})
            outcome = _outcome(response)
            if outcome != expected:
                failures.append(f"{method} {url} as {role}: {outcome} (expected {expected})")
    assert not failures, "\n".join(failures)


def test_state_changing_requests_need_a_csrf_token(app, world):
    clients, values = world
    failures = []
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods:
            continue
        url = _url(app, rule, values)
        for role in ROLES:
            response = clients[role].post(url, data={})
            if response.status_code != 400:
                failures.append(f"POST {url} as {role} without token: {response.status_code}")
    assert not failures, "\n".join(failures)
