"""Cohorts, invitations, dashboard, summary and exports over HTTP; query counts at scale."""
import csv
import datetime
import io
import json
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import event, insert

from conftest import get_token, login, make_user, post_form
from helpers import fill_confidence, read_all, take_quiz, walk_vignette

from elearn.extensions import db
from elearn.models import (AttemptAnswer, CohortMember, QuizAttempt, SectionRead, SurveyAnswer,
                           SurveyResponse, User, utcnow)


def create_cohort(trainer, name="Vorming Gent", path="proefpad"):
    response = post_form(trainer, "/trainer/cohorts/new", {"name": name, "path_slug": path, "starts_on": "2026-11-01",
                                                            "ends_on": "2026-12-31", "description": "Najaar"})
    assert response.status_code == 302
    cohort_id = int(re.search(r"/trainer/cohorts/(\d+)", response.headers["Location"]).group(1))
    page = trainer.get(f"/trainer/cohorts/{cohort_id}/manage").get_data(as_text=True)
    shown = re.search(r'class="invite-code">([A-Z0-9 ]+)<', page).group(1)
    return cohort_id, shown.replace(" ", "")


def join(client, code):
    return post_form(client, "/trainer/join", {"code": code})


def test_trainer_creates_cohort_learners_join_and_progress_shows(app, trainer, learner, other_learner):
    cohort_id, code = create_cohort(trainer)
    assert join(learner, code).status_code == 302
    assert join(other_learner, code.lower()).status_code == 302
    read_all(learner, app, "proef")
    take_quiz(learner, app, "proef", correct=True)
    page = trainer.get(f"/trainer/cohorts/{cohort_id}").get_data(as_text=True)
    assert "Lea Leerling" in page and "Ander Persoon" in page
    assert "2 deelnemers" in page
    assert "Proefmodule: 100%" in page
    assert "leerling@example.org" not in page  # trainers do not see e-mail addresses
    in_progress = trainer.get(f"/trainer/cohorts/{cohort_id}?state=in_progress").get_data(as_text=True)
    assert "Lea Leerling" in in_progress and "Ander Persoon" not in in_progress
    account = learner.get("/account").get_data(as_text=True)
    assert "Vorming Gent" in account and "zien je naam" in account


def test_join_refusals(app, trainer, learner, other_learner):
    cohort_id, code = create_cohort(trainer)
    response = join(learner, "ONBEKEND1")
    assert response.status_code == 400 and "onbekend" in response.get_data(as_text=True)
    post_form(trainer, f"/trainer/cohorts/{cohort_id}/manage", {"seat_limit": "1", "expires_on": ""})
    assert join(learner, code).status_code == 302
    full = join(other_learner, code)
    assert full.status_code == 400 and "volzet" in full.get_data(as_text=True)


def test_renewed_code_revokes_the_old_one(app, trainer, learner):
    cohort_id, code = create_cohort(trainer)
    post_form(trainer, f"/trainer/cohorts/{cohort_id}/invite/renew", {}, token_from=f"/trainer/cohorts/{cohort_id}/manage")
    assert join(learner, code).status_code == 400


def test_expired_code(app, trainer, learner):
    cohort_id, code = create_cohort(trainer)
    yesterday = (datetime.date.today() - datetime.timedelta(days=2)).isoformat()
    post_form(trainer, f"/trainer/cohorts/{cohort_id}/manage", {"expires_on": yesterday, "seat_limit": ""})
    response = join(learner, code)
    assert response.status_code == 400 and "verlopen" in response.get_data(as_text=True)


def test_join_link_prefills_code(trainer, learner):
    _cohort_id, code = create_cohort(trainer)
    assert f'value="{code}"' in learner.get(f"/trainer/join/{code}").get_data(as_text=True)


def test_cohort_form_keeps_input_on_error(trainer):
    response = post_form(trainer, "/trainer/cohorts/new", {"name": "Groep X", "path_slug": "proefpad",
                                                            "starts_on": "2026-11-10", "ends_on": "2026-11-01"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "einddatum ligt voor de startdatum" in page and 'value="Groep X"' in page


def test_second_trainer_gets_404_everywhere(app, trainer, other_trainer, learner):
    cohort_id, code = create_cohort(trainer)
    join(learner, code)
    for url in (f"/trainer/cohorts/{cohort_id}", f"/trainer/cohorts/{cohort_id}/summary",
                f"/trainer/cohorts/{cohort_id}/export.csv", f"/trainer/cohorts/{cohort_id}/export.xlsx",
                f"/trainer/cohorts/{cohort_id}/items.csv", f"/trainer/cohorts/{cohort_id}/manage",
                f"/trainer/cohorts/{cohort_id}/edit"):
        assert other_trainer.get(url).status_code == 404, url
    token = get_token(other_trainer, "/trainer/cohorts")
    for url in (f"/trainer/cohorts/{cohort_id}/invite/renew", f"/trainer/cohorts/{cohort_id}/trainers",
                f"/trainer/cohorts/{cohort_id}/members/{learner.user_id}/remove"):
        assert other_trainer.post(url, data={"csrf_token": token, "email": "x@example.org"}).status_code == 404, url
    assert "Vorming Gent" not in other_trainer.get("/trainer/cohorts").get_data(as_text=True)


def test_learner_gets_403_on_trainer_pages(trainer, learner):
    cohort_id, _code = create_cohort(trainer)
    for url in ("/trainer/cohorts", "/trainer/cohorts/new", f"/trainer/cohorts/{cohort_id}",
                f"/trainer/cohorts/{cohort_id}/summary", f"/trainer/cohorts/{cohort_id}/export.csv"):
        assert learner.get(url).status_code == 403, url


def test_co_trainer_and_remove_member(app, trainer, other_trainer, learner):
    cohort_id, code = create_cohort(trainer)
    join(learner, code)
    post_form(trainer, f"/trainer/cohorts/{cohort_id}/trainers", {"email": "trainer2@example.org"},
              token_from=f"/trainer/cohorts/{cohort_id}/manage")
    assert other_trainer.get(f"/trainer/cohorts/{cohort_id}").status_code == 200
    post_form(other_trainer, f"/trainer/cohorts/{cohort_id}/members/{learner.user_id}/remove", {},
              token_from=f"/trainer/cohorts/{cohort_id}")
    assert "Lea Leerling" not in trainer.get(f"/trainer/cohorts/{cohort_id}").get_data(as_text=True)


def test_admin_sees_all_cohorts(trainer, admin):
    cohort_id, _ = create_cohort(trainer)
    assert admin.get(f"/trainer/cohorts/{cohort_id}").status_code == 200
    assert "Vorming Gent" in admin.get("/trainer/cohorts").get_data(as_text=True)


def test_exports_match_the_filter(app, trainer, learner, other_learner):
    cohort_id, code = create_cohort(trainer)
    join(learner, code)
    join(other_learner, code)
    read_all(learner, app, "proef")
    body = trainer.get(f"/trainer/cohorts/{cohort_id}/export.csv?state=in_progress").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[0][0] == "Naam" and [r[0] for r in rows[1:]] == ["Lea Leerling"]
    xlsx = trainer.get(f"/trainer/cohorts/{cohort_id}/export.xlsx?sort=name&desc=1")
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    assert [c.value for c in sheet["A"]][1:] == ["Lea Leerling", "Ander Persoon"]


def test_export_neutralises_formulas(app, trainer):
    cohort_id, code = create_cohort(trainer)
    make_user(app, email="f@example.org", name="=HYPERLINK(\"http://x\")")
    client = app.test_client()
    login(client, "f@example.org")
    join(client, code)
    body = trainer.get(f"/trainer/cohorts/{cohort_id}/export.csv").get_data(as_text=True)
    assert "'=HYPERLINK" in body


def test_summary_shows_gain_confidence_and_items(app, trainer, learner):
    cohort_id, code = create_cohort(trainer)
    join(learner, code)
    take_quiz(learner, app, "pre-proefpad", correct=False)
    fill_confidence(learner, app, "proefpad", "pre", 2)
    take_quiz(learner, app, "post-proefpad", correct=True)
    fill_confidence(learner, app, "proefpad", "post", 5)
    page = trainer.get(f"/trainer/cohorts/{cohort_id}/summary").get_data(as_text=True)
    assert "<svg" in page and "<title id=\"funnel-title\">" in page
    assert "<td>0.0</td><td>100.0</td><td>+100.0</td>" in page
    assert "<td>2.0</td><td>5.0</td><td>+3.00</td>" in page
    assert "nog te weinig antwoorden" in page
    items = trainer.get(f"/trainer/cohorts/{cohort_id}/items.csv").get_data(as_text=True)
    assert "proef-a1" in items and "proef-b1" in items and "proef-q1" in items


def _bulk_cohort(app, size: int):
    """A cohort of ``size`` learners with realistic progress, inserted in bulk."""
    from elearn.trainer.cohorts import create_cohort as make
    course = app.extensions["course"]
    now = utcnow()
    with app.app_context():
        owner = db.session.get(User, make_user(app, email=f"owner{size}@example.org", role="trainer"))
        cohort = make(owner, name=f"Groot {size}", path_slug="proefpad", starts_on=datetime.date(2026, 1, 1),
                      ends_on=None, description="")
        db.session.commit()
        db.session.execute(insert(User), [dict(email=f"u{size}-{i}@example.org", name=f"Deelnemer {i:04d}",
                                               password_hash="x", organisation="Org", sector="drughulp", role="learner",
                                               session_version=0, created_at=now) for i in range(size)])
        ids = [u.id for u in db.session.query(User.id).filter(User.email.like(f"u{size}-%"))]
        db.session.execute(insert(CohortMember), [dict(cohort_id=cohort.id, user_id=i, joined_at=now) for i in ids])
        db.session.execute(insert(SectionRead), [dict(user_id=i, module_slug="proef", section_id=s, content_version="x",
                                                      read_at=now) for n, i in enumerate(ids) for s in ("eerste", "tweede")[: n % 3]])
        quiz = course.quizzes["pre-proefpad"]
        db.session.execute(insert(QuizAttempt), [dict(user_id=i, quiz_id=quiz.id, kind="pretest", seed=1, content_version="x",
                                                      started_at=now, submitted_at=now, score=50.0 * (n % 3), passed=True)
                                                 for n, i in enumerate(ids)])
        attempts = dict(db.session.query(QuizAttempt.user_id, QuizAttempt.id).filter(QuizAttempt.quiz_id == quiz.id))
        db.session.execute(insert(AttemptAnswer), [dict(attempt_id=attempts[i], question_id=q.id, response=json.dumps(["a"]),
                                                        credit=float(n % 2), saved_at=now)
                                                   for n, i in enumerate(ids) for q in quiz.questions])
        db.session.execute(insert(SurveyResponse), [dict(user_id=i, path_slug="proefpad", phase="pre", submitted_at=now) for i in ids])
        responses = dict(db.session.query(SurveyResponse.user_id, SurveyResponse.id))
        db.session.execute(insert(SurveyAnswer), [dict(response_id=responses[i], item_id=item.id, value=3)
                                                  for i in ids for item in course.confidence.items])
        db.session.commit()
        return cohort.id, owner.email


def _count_queries(app, client, url):
    statements = []

    def listener(conn, cursor, statement, *args):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", listener)
    try:
        response = client.get(url)
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert response.status_code == 200, url
    return len(statements)


def test_query_counts_do_not_grow_with_cohort_size(app):
    small_id, small_owner = _bulk_cohort(app, 10)
    big_id, big_owner = _bulk_cohort(app, 1000)
    counts = {}
    for cohort_id, owner in ((small_id, small_owner), (big_id, big_owner)):
        client = app.test_client()
        login(client, owner)
        counts[cohort_id] = [_count_queries(app, client, f"/trainer/cohorts/{cohort_id}{suffix}")
                             for suffix in ("", "?page=3", "/summary", "/export.csv", "/export.xlsx", "/items.csv")]
    assert counts[small_id] == counts[big_id]
    assert max(counts[big_id]) < 20
    client = app.test_client()
    login(client, big_owner)
    page = client.get(f"/trainer/cohorts/{big_id}").get_data(as_text=True)
    assert "1000 deelnemers" in page and "Pagina 1 van 20" in page
