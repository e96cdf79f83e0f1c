"""Cohorts, invitations, dashboard, summary and exports over HTTP; query counts at scale."""

import csv
import datetime
import io
import json
import re

from conftest import get_token, login, make_user, post_form
from helpers import add_submitted_attempt, fill_confidence, read_all, row_cells, take_quiz
from openpyxl import load_workbook
from sqlalchemy import event, insert

from elearn.extensions import db
from elearn.models import (
    AttemptAnswer,
    Cohort,
    CohortMember,
    QuizAttempt,
    SectionRead,
    SurveyAnswer,
    SurveyResponse,
    User,
    utcnow,
)


def create_cohort(trainer, name="Vorming Gent", path="proefpad"):
    response = post_form(
        trainer,
        "/trainer/cohorts/new",
        {"name": name, "path_slug": path, "starts_on": "2026-11-01", "ends_on": "2026-12-31", "description": "Najaar"},
    )
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
    assert 'title="Proefmodule: 100\u00a0%"' in page and '<abbr title="Proefmodule">M1</abbr> 100\u00a0%' in page
    assert "leerling@example.org" not in page  # trainers do not see e-mail addresses
    in_progress = trainer.get(f"/trainer/cohorts/{cohort_id}?state=in_progress").get_data(as_text=True)
    assert "Lea Leerling" in in_progress and "Ander Persoon" not in in_progress
    account = learner.get("/account").get_data(as_text=True)
    assert "Vorming Gent" in account and "zien je naam" in account


def test_dashboard_is_compact_sorted_and_formatted_in_both_languages(app, trainer, learner, other_learner):
    cohort_id, code = create_cohort(trainer)
    join(learner, code)
    join(other_learner, code)
    take_quiz(learner, app, "pre-proefpad", correct=False)
    fill_confidence(learner, app, "proefpad", "pre", 2)
    take_quiz(learner, app, "post-proefpad", correct=True)
    fill_confidence(learner, app, "proefpad", "post", 4)
    page = trainer.get(f"/trainer/cohorts/{cohort_id}?sort=activity&desc=1").get_data(as_text=True)
    # the sorted column says so to screen readers; the others do not
    assert page.count("aria-sort=") == 1 and re.search(
        r'<th scope="col" aria-sort="descending"><a [^>]*>Laatst actief', page
    )
    # every remove button has its own accessible name
    names = re.findall(
        r'<button type="submit" class="link-button">Verwijderen<span class="sr-only"> (.*?)</span>', page
    )
    assert sorted(names) == ["uit de groep: Ander Persoon", "uit de groep: Lea Leerling"]
    # full names on hover, module titles behind a short key, numbers in Dutch
    assert (
        'title="Lea Leerling · JAC Gent"' in page
        and '<abbr title="Proefmodule">M1</abbr> <span lang="nl">Proefmodule</span>' in page
    )
    assert "0\u00a0% → 100\u00a0%" in page and "2,0 → 4,0" in page
    assert "<caption" in page and "Acties</th>" in page
    ascending = trainer.get(f"/trainer/cohorts/{cohort_id}").get_data(as_text=True)
    assert re.search(r'<th scope="col" aria-sort="ascending"><a [^>]*>Naam', ascending)

    post_form(trainer, "/language", {"lang": "en", "next": "/trainer/cohorts"}, token_from="/trainer/cohorts")
    page = trainer.get(f"/trainer/cohorts/{cohort_id}").get_data(as_text=True)
    assert "0% → 100%" in page and "2.0 → 4.0" in page
    assert 'Remove<span class="sr-only"> from the group: Lea Leerling</span>' in page


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
    post_form(
        trainer, f"/trainer/cohorts/{cohort_id}/invite/renew", {}, token_from=f"/trainer/cohorts/{cohort_id}/manage"
    )
    assert join(learner, code).status_code == 400


def test_expired_code(app, trainer, learner):
    cohort_id, code = create_cohort(trainer)
    today = utcnow().date().isoformat()
    assert (
        post_form(trainer, f"/trainer/cohorts/{cohort_id}/manage", {"expires_on": today, "seat_limit": ""}).status_code
        == 302
    )
    with app.app_context():  # the day passes
        cohort = db.session.get(Cohort, cohort_id)
        cohort.invite_expires_at = utcnow() - datetime.timedelta(minutes=1)
        db.session.commit()
    response = join(learner, code)
    assert response.status_code == 400 and "verlopen" in response.get_data(as_text=True)
    manage = trainer.get(f"/trainer/cohorts/{cohort_id}/manage").get_data(as_text=True)
    assert "Deze code is verlopen: niemand kan nog aansluiten." in manage


def test_past_expiry_date_is_refused(app, trainer, learner):
    cohort_id, code = create_cohort(trainer)
    yesterday = (utcnow().date() - datetime.timedelta(days=1)).isoformat()
    response = post_form(trainer, f"/trainer/cohorts/{cohort_id}/manage", {"expires_on": yesterday, "seat_limit": "12"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Deze datum ligt in het verleden. Kies vandaag of later, of laat het veld leeg." in page
    assert f'value="{yesterday}"' in page and 'value="12"' in page  # the input is kept to correct
    assert join(learner, code).status_code == 302  # nothing was saved: the code still works


def test_join_link_prefills_code(trainer, learner):
    _cohort_id, code = create_cohort(trainer)
    assert f'value="{code}"' in learner.get(f"/trainer/join/{code}").get_data(as_text=True)


def test_cohort_form_keeps_input_on_error(trainer):
    response = post_form(
        trainer,
        "/trainer/cohorts/new",
        {"name": "Groep X", "path_slug": "proefpad", "starts_on": "2026-11-10", "ends_on": "2026-11-01"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "einddatum ligt voor de startdatum" in page and 'value="Groep X"' in page


def test_second_trainer_gets_404_everywhere(app, trainer, other_trainer, learner):
    cohort_id, code = create_cohort(trainer)
    join(learner, code)
    for url in (
        f"/trainer/cohorts/{cohort_id}",
        f"/trainer/cohorts/{cohort_id}/summary",
        f"/trainer/cohorts/{cohort_id}/export.csv",
        f"/trainer/cohorts/{cohort_id}/export.xlsx",
        f"/trainer/cohorts/{cohort_id}/items.csv",
        f"/trainer/cohorts/{cohort_id}/manage",
        f"/trainer/cohorts/{cohort_id}/edit",
    ):
        assert other_trainer.get(url).status_code == 404, url
    token = get_token(other_trainer, "/trainer/cohorts")
    for url in (
        f"/trainer/cohorts/{cohort_id}/invite/renew",
        f"/trainer/cohorts/{cohort_id}/trainers",
        f"/trainer/cohorts/{cohort_id}/members/{learner.user_id}/remove",
    ):
        assert other_trainer.post(url, data={"csrf_token": token, "email": "x@example.org"}).status_code == 404, url
    assert "Vorming Gent" not in other_trainer.get("/trainer/cohorts").get_data(as_text=True)


def test_learner_gets_403_on_trainer_pages(trainer, learner):
    cohort_id, _code = create_cohort(trainer)
    for url in (
        "/trainer/cohorts",
        "/trainer/cohorts/new",
        f"/trainer/cohorts/{cohort_id}",
        f"/trainer/cohorts/{cohort_id}/summary",
        f"/trainer/cohorts/{cohort_id}/export.csv",
    ):
        assert learner.get(url).status_code == 403, url


def test_co_trainer_and_remove_member(app, trainer, other_trainer, learner):
    cohort_id, code = create_cohort(trainer)
    join(learner, code)
    post_form(
        trainer,
        f"/trainer/cohorts/{cohort_id}/trainers",
        {"email": "trainer2@example.org"},
        token_from=f"/trainer/cohorts/{cohort_id}/manage",
    )
    assert other_trainer.get(f"/trainer/cohorts/{cohort_id}").status_code == 200
    post_form(
        other_trainer,
        f"/trainer/cohorts/{cohort_id}/members/{learner.user_id}/remove",
        {},
        token_from=f"/trainer/cohorts/{cohort_id}",
    )
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
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff")), delimiter=";"))  # Dutch: Belgian Excel
    assert rows[0][0] == "Naam" and [r[0] for r in rows[1:]] == ["Lea Leerling"]
    xlsx = trainer.get(f"/trainer/cohorts/{cohort_id}/export.xlsx?sort=name&desc=1")
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    assert [c.value for c in sheet["A"]][1:] == ["Lea Leerling", "Ander Persoon"]


def test_export_neutralises_formulas(app, trainer):
    cohort_id, code = create_cohort(trainer)
    make_user(app, email="f@example.org", name='=HYPERLINK("http://x")')
    client = app.test_client()
    login(client, "f@example.org")
    join(client, code)
    body = trainer.get(f"/trainer/cohorts/{cohort_id}/export.csv").get_data(as_text=True)
    assert "'=HYPERLINK" in body


def test_summary_with_one_learner_says_too_few_and_shows_the_pair(app, trainer, learner):
    cohort_id, code = create_cohort(trainer)
    join(learner, code)
    take_quiz(learner, app, "pre-proefpad", correct=False)
    fill_confidence(learner, app, "proefpad", "pre", 2)
    take_quiz(learner, app, "post-proefpad", correct=True)
    fill_confidence(learner, app, "proefpad", "post", 5)
    page = trainer.get(f"/trainer/cohorts/{cohort_id}/summary").get_data(as_text=True)
    assert "<svg" in page and '<title id="funnel-title">' in page
    # one pair: no knowledge or confidence chart, a message saying why, the figures with n = 1
    assert 'id="knowledge-title"' not in page and 'id="confidence-title"' not in page
    assert page.count("Te weinig deelnemers voor een grafiek: 1 deelnemer heeft een meting voor én na") == 2
    assert _cells(page, "Hele toets")[:5] == ["1", "0,0", "100,0", "+100,0", "–"]
    assert _cells(page, "Alle uitspraken samen")[:4] == ["1", "2,00", "5,00", "+3,00"]
    assert "nog te weinig antwoorden" in page
    items = trainer.get(f"/trainer/cohorts/{cohort_id}/items.csv").get_data(as_text=True)
    assert "proef-a1" in items and "proef-b1" in items and "proef-q1" in items


def _cells(page: str, row_header: str) -> list[str]:
    """The text of the data cells in the table row whose header starts with ``row_header``."""
    return row_cells(page, r"<tr[^>]*><th scope=\"row\"[^>]*>" + re.escape(row_header))


def _seed_pairs(app, cohort_id: int, pre: list, post: list, conf_pre=(), conf_post=()):
    """Members with a submitted pre-test (score pre[i]) and post-test (post[i], None = none yet),
    each answer's credit equal to the score, and confidence answers (every statement the same)."""
    course = app.extensions["course"]
    now = utcnow()
    uids = [make_user(app, email=f"paar{cohort_id}-{i}@example.org", name=f"Paar {i}") for i in range(len(pre))]
    with app.app_context():
        for i, (uid, before) in enumerate(zip(uids, pre)):
            db.session.add(CohortMember(cohort_id=cohort_id, user_id=uid, joined_at=now))
            for quiz_id, score in (("pre-proefpad", before), ("post-proefpad", post[i] if i < len(post) else None)):
                if score is None:
                    continue
                add_submitted_attempt(course, uid, quiz_id, score, True, lambda q, s=score: ('["a"]', s / 100))
            for phase, values in (("pre", conf_pre), ("post", conf_post)):
                if i < len(values):
                    response = SurveyResponse(user_id=uid, path_slug="proefpad", phase=phase, submitted_at=now)
                    db.session.add(response)
                    db.session.flush()
                    for item in course.confidence.items:
                        db.session.add(SurveyAnswer(response_id=response.id, item_id=item.id, value=values[i]))
        db.session.commit()


def test_summary_shows_gain_with_interval_and_effect_size_in_both_languages(app, trainer):
    cohort_id, _code = create_cohort(trainer)
    # Hand-computed (see test_stats): differences 20, 15, 10, 20, 5 -> mean 14, sd 6.519,
    # 95 % interval 14 -/+ 2.7764 * 6.519 / sqrt(5) = 5.9 to 22.1, d_z 2.15, Hake (74-60)/(100-60) = 0.35.
    # The sixth learner has only a pre-test and is left out.
    _seed_pairs(
        app,
        cohort_id,
        pre=[40, 50, 60, 70, 80, 10],
        post=[60, 65, 70, 90, 85],
        conf_pre=[2, 3, 2, 4, 3],
        conf_post=[4, 4, 3, 5, 4],
    )
    page = trainer.get(f"/trainer/cohorts/{cohort_id}/summary").get_data(as_text=True)
    assert 'id="knowledge-title"' in page and 'id="confidence-title"' in page and "Te weinig" not in page
    assert _cells(page, "Hele toets") == ["5", "60,0", "74,0", "+14,0", "+5,9 tot +22,1", "+0,35", "+2,15"]
    assert _cells(page, "Proefmodule") == ["5", "60,0", "74,0", "+14,0", "+5,9 tot +22,1", "+0,35", "+2,15"]
    # confidence: differences 2, 1, 1, 1, 1 -> mean 1.2, interval 1.2 -/+ 0.555, d_z 2.68, Hake 1.2/2.2
    assert _cells(page, "Alle uitspraken samen") == ["5", "2,80", "4,00", "+1,20", "+0,64 tot +1,76", "+0,55", "+2,68"]
    assert "1 deelnemer maakte alleen de voortoets en telt nog niet mee." in page
    assert "een winst van +14,0 procentpunten (95%-interval +5,9 tot +22,1, n = 5)" in page
    assert "Gemiddeld 60\u00a0% voor en 74\u00a0% na" in page

    post_form(trainer, "/language", {"lang": "en", "next": "/trainer/cohorts"}, token_from="/trainer/cohorts")
    page = trainer.get(f"/trainer/cohorts/{cohort_id}/summary").get_data(as_text=True)
    assert _cells(page, "Whole test") == ["5", "60.0", "74.0", "+14.0", "+5.9 to +22.1", "+0.35", "+2.15"]
    assert "On average 60% before and 74% after: a gain of +14.0 percentage points" in page


def test_summary_zero_spread_has_no_effect_size(app, trainer):
    cohort_id, _code = create_cohort(trainer)
    _seed_pairs(app, cohort_id, pre=[50, 50, 50, 50, 50], post=[100, 100, 100, 100, 100])
    page = trainer.get(f"/trainer/cohorts/{cohort_id}/summary").get_data(as_text=True)
    assert _cells(page, "Hele toets") == ["5", "50,0", "100,0", "+50,0", "+50,0 tot +50,0", "+1,00", "geen spreiding"]


def _add_attempt(app, uid: int, quiz_id: str, score: float):
    """A submitted attempt with every answer's credit equal to the score (retakes of the pre- and
    post-test are stored like this; the quiz pages decide whether a learner may retake)."""
    with app.app_context():
        add_submitted_attempt(
            app.extensions["course"], uid, quiz_id, score, score >= 70, lambda q: ('["a"]', score / 100)
        )
        db.session.commit()


def test_summary_gain_uses_the_first_attempts(app, trainer, learner):
    cohort_id, code = create_cohort(trainer)
    join(learner, code)
    take_quiz(learner, app, "pre-proefpad", correct=True)  # first pre-test: 100
    _add_attempt(app, learner.user_id, "pre-proefpad", 0)
    take_quiz(learner, app, "post-proefpad", correct=False)  # first post-test: 0
    _add_attempt(app, learner.user_id, "post-proefpad", 100)
    page = trainer.get(f"/trainer/cohorts/{cohort_id}/summary").get_data(as_text=True)
    # a loss from 100 to 0, although the best and the latest scores would show a gain
    assert _cells(page, "Hele toets")[:4] == ["1", "100,0", "0,0", "−100,0"]
    assert _cells(page, "Proefmodule")[:4] == ["1", "100,0", "0,0", "−100,0"]


def test_item_analysis_counts_first_responses_only(app, trainer):
    cohort_id, _code = create_cohort(trainer)
    # ten learners: first module-quiz attempt all wrong, a retake all right
    _seed_pairs(app, cohort_id, pre=[50] * 10, post=[])
    course = app.extensions["course"]
    quiz = course.quizzes["proef"]
    with app.app_context():
        members = [m.user_id for m in db.session.query(CohortMember).filter_by(cohort_id=cohort_id)]
        for uid in members:
            for credit in (0.0, 1.0):
                add_submitted_attempt(
                    course,
                    uid,
                    "proef",
                    100 * credit,
                    bool(credit),
                    lambda q, c=credit: ('["a"]' if c else '["b"]', c),
                )
        db.session.commit()
    page = trainer.get(f"/trainer/cohorts/{cohort_id}/summary").get_data(as_text=True)
    first = quiz.questions[0].id
    cells = row_cells(page, r"proef · " + first)
    assert cells[:3] == ["10", "0,00", "0,00"] and "te moeilijk" in cells[-1]
    assert "b: 10" in cells[3] and "a:" not in cells[3]
    items = trainer.get(f"/trainer/cohorts/{cohort_id}/items.csv").get_data(as_text=True)
    fields = next(re.split(r"[;,]", line) for line in items.splitlines() if f"{first}" in line and "proef" in line)
    assert "10" in fields and "20" not in fields


def _bulk_cohort(app, size: int):
    """A cohort of ``size`` learners with realistic progress, inserted in bulk."""
    from elearn.trainer.cohorts import create_cohort as make

    course = app.extensions["course"]
    now = utcnow()
    with app.app_context():
        owner = db.session.get(User, make_user(app, email=f"owner{size}@example.org", role="trainer"))
        cohort = make(
            owner,
            name=f"Groot {size}",
            path_slug="proefpad",
            starts_on=datetime.date(2026, 1, 1),
            ends_on=None,
            description="",
        )
        db.session.commit()
        db.session.execute(
            insert(User),
            [
                dict(
                    email=f"u{size}-{i}@example.org",
                    name=f"Deelnemer {i:04d}",
                    password_hash="x",
                    organisation="Org",
                    sector="drughulp",
                    role="learner",
                    session_version=0,
                    created_at=now,
                )
                for i in range(size)
            ],
        )
        ids = [u.id for u in db.session.query(User.id).filter(User.email.like(f"u{size}-%"))]
        db.session.execute(insert(CohortMember), [dict(cohort_id=cohort.id, user_id=i, joined_at=now) for i in ids])
        db.session.execute(
            insert(SectionRead),
            [
                dict(user_id=i, module_slug="proef", section_id=s, content_version="x", read_at=now)
                for n, i in enumerate(ids)
                for s in ("eerste", "tweede")[: n % 3]
            ],
        )
        quiz = course.quizzes["pre-proefpad"]
        db.session.execute(
            insert(QuizAttempt),
            [
                dict(
                    user_id=i,
                    quiz_id=quiz.id,
                    kind="pretest",
                    seed=1,
                    content_version="x",
                    started_at=now,
                    submitted_at=now,
                    score=50.0 * (n % 3),
                    passed=True,
                )
                for n, i in enumerate(ids)
            ],
        )
        attempts = dict(db.session.query(QuizAttempt.user_id, QuizAttempt.id).filter(QuizAttempt.quiz_id == quiz.id))
        db.session.execute(
            insert(AttemptAnswer),
            [
                dict(
                    attempt_id=attempts[i],
                    question_id=q.id,
                    response=json.dumps(["a"]),
                    credit=float(n % 2),
                    saved_at=now,
                )
                for n, i in enumerate(ids)
                for q in quiz.questions
            ],
        )
        db.session.execute(
            insert(SurveyResponse), [dict(user_id=i, path_slug="proefpad", phase="pre", submitted_at=now) for i in ids]
        )
        responses = dict(db.session.query(SurveyResponse.user_id, SurveyResponse.id))
        db.session.execute(
            insert(SurveyAnswer),
            [dict(response_id=responses[i], item_id=item.id, value=3) for i in ids for item in course.confidence.items],
        )
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
        counts[cohort_id] = [
            _count_queries(app, client, f"/trainer/cohorts/{cohort_id}{suffix}")
            for suffix in ("", "?page=3", "/summary", "/export.csv", "/export.xlsx", "/items.csv")
        ]
    assert counts[small_id] == counts[big_id]
    assert max(counts[big_id]) < 20
    client = app.test_client()
    login(client, big_owner)
    page = client.get(f"/trainer/cohorts/{big_id}").get_data(as_text=True)
    assert "1000 deelnemers" in page and "Pagina 1 van 20" in page
