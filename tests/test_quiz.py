"""Quizzes, pre/post tests and vignettes through HTTP with CSRF on."""

import datetime
import json
import re

import pytest
from conftest import get_token, login, post_form
from helpers import (
    answer,
    complete_path,
    gain_rows,
    question_ids_in_order,
    read_all,
    right_answer,
    run_choices,
    start_quiz,
    take_quiz,
    walk_vignette,
    wrong_answer,
)
from sqlalchemy import select

from elearn.errors import NotFound
from elearn.extensions import db
from elearn.models import AttemptAnswer, QuizAttempt, User, VignetteRun, VignetteStep, utcnow
from elearn.quiz.service import get_attempt, get_attempt_row


def count(app, model, **where):
    with app.app_context():
        return db.session.query(model).filter_by(**where).count()


def test_fail_review_retake_and_pass(app, learner):
    first = take_quiz(learner, app, "proef", correct=False)
    review = learner.get(f"/attempt/{first}/review").get_data(as_text=True)
    assert "Nog niet geslaagd" in review
    assert "Fout omdat het anders is." in review and "Juist omdat het zo is." in review  # feedback on every option
    assert "Uitleg bij vraag 1." in review
    second = take_quiz(learner, app, "proef", correct=True)
    assert "Geslaagd" in learner.get(f"/attempt/{second}/review").get_data(as_text=True)
    overview = learner.get("/quiz/proef").get_data(as_text=True)
    assert "Beste score: 100%, laatste: 100%." in overview


def test_answers_are_saved_as_given_and_survive_restart(make_app, app, learner):
    attempt_id = start_quiz(learner, "proef")
    first_q = question_ids_in_order(app, attempt_id)[0]
    answer(learner, attempt_id, 1, right_answer(first_q))
    restarted = make_app().test_client()
    login(restarted, "leerling@example.org")
    overview = restarted.get("/quiz/proef").get_data(as_text=True)
    assert f"/attempt/{attempt_id}/1" in overview  # resume the same attempt
    page = restarted.get(f"/attempt/{attempt_id}/1").get_data(as_text=True)
    assert "checked" in page or "selected" in page


def test_changed_answer_replaces_the_earlier_one(app, learner):
    attempt_id = start_quiz(learner, "proef")
    first_q = question_ids_in_order(app, attempt_id)[0]

    def stored():
        with app.app_context():
            return [
                (r.question_id, r.response)
                for r in db.session.scalars(select(AttemptAnswer).where(AttemptAnswer.attempt_id == attempt_id))
            ]

    answer(learner, attempt_id, 1, wrong_answer(first_q))
    [(qid, wrong)] = stored()
    answer(learner, attempt_id, 1, right_answer(first_q))
    [(qid_again, right)] = stored()
    assert qid == qid_again == first_q.question.id and right != wrong


def test_activity_is_recorded_at_most_every_five_minutes(app, learner):
    attempt_id = start_quiz(learner, "proef")
    first_q = question_ids_in_order(app, attempt_id)[0]

    def set_and_answer(minutes_ago):
        with app.app_context():
            user = db.session.get(User, learner.user_id)
            user.last_active_at = utcnow() - datetime.timedelta(minutes=minutes_ago)
            db.session.commit()
            before = user.last_active_at
        answer(learner, attempt_id, 1, right_answer(first_q))
        with app.app_context():
            return before, db.session.get(User, learner.user_id).last_active_at

    before, after = set_and_answer(10)
    assert after > before + datetime.timedelta(minutes=9)
    before, after = set_and_answer(2)
    assert after == before


def test_question_order_is_stable_per_attempt(app, learner):
    attempt_id = start_quiz(learner, "proef")
    one = learner.get(f"/attempt/{attempt_id}/1").get_data(as_text=True)
    two = learner.get(f"/attempt/{attempt_id}/1").get_data(as_text=True)

    def strip(html):  # CSRF tokens carry a timestamp: two loads a second apart differ only there
        return re.sub(r'(name="csrf_token"[^>]*value=")[^"]+', r"\1", html)

    assert strip(one) == strip(two)


def test_double_submit_records_one_result(app, learner):
    attempt_id = start_quiz(learner, "proef")
    token = get_token(learner, f"/attempt/{attempt_id}/submit")
    first = learner.post(f"/attempt/{attempt_id}/submit", data={"csrf_token": token})
    second = learner.post(f"/attempt/{attempt_id}/submit", data={"csrf_token": token})
    assert first.status_code == second.status_code == 302
    assert count(app, QuizAttempt, user_id=learner.user_id) == 1
    with app.app_context():
        assert db.session.query(QuizAttempt).one().submitted_at is not None


def test_submitted_attempt_cannot_change(app, learner):
    attempt_id = take_quiz(learner, app, "proef", correct=False)
    q = question_ids_in_order(app, attempt_id)[0]
    token = get_token(learner, "/quiz/proef")
    response = learner.post(f"/attempt/{attempt_id}/1", data={**right_answer(q), "csrf_token": token, "go": "next"})
    assert response.headers["Location"].endswith(f"/attempt/{attempt_id}/review")
    with app.app_context():
        assert db.session.get(QuizAttempt, attempt_id).score == 0


def test_other_learners_attempt_is_404(app, learner, other_learner):
    attempt_id = start_quiz(learner, "proef")
    assert other_learner.get(f"/attempt/{attempt_id}/1").status_code == 404
    assert other_learner.get(f"/attempt/{attempt_id}/review").status_code == 404
    token = get_token(other_learner, "/modules")
    assert other_learner.post(f"/attempt/{attempt_id}/submit", data={"csrf_token": token}).status_code == 404


def test_an_answer_needs_the_learners_own_token_and_attempt(app, learner, other_learner):
    attempt_id = start_quiz(learner, "proef")
    data = right_answer(question_ids_in_order(app, attempt_id)[0])
    url = f"/attempt/{attempt_id}/1"
    assert learner.post(url, data=data).status_code == 400
    assert learner.post(url, data={**data, "csrf_token": get_token(other_learner, "/modules")}).status_code == 400
    assert other_learner.post(url, data={**data, "csrf_token": get_token(other_learner, "/modules")}).status_code == 404
    assert count(app, AttemptAnswer, attempt_id=attempt_id) == 0
    assert learner.post(url, data={**data, "csrf_token": get_token(learner, url)}).status_code == 302
    assert count(app, AttemptAnswer, attempt_id=attempt_id) == 1


def test_tampered_option_is_rejected_and_nothing_stored(app, learner):
    attempt_id = start_quiz(learner, "proef")
    response = answer(learner, attempt_id, 1, {"answer": "x-bestaat-niet", "match-tina": "verzonnen"})
    assert response.status_code == 400
    assert "hoort niet bij deze vraag" in response.get_data(as_text=True)
    assert count(app, AttemptAnswer, attempt_id=attempt_id) == 0


def test_pretest_shows_modules_to_study_and_posttest_gain(app, learner):
    pre = take_quiz(learner, app, "pre-proefpad", correct=False)
    page = learner.get(f"/attempt/{pre}/review").get_data(as_text=True)
    assert "Waar je het meest zal bijleren" in page and 'href="/modules/proef"' in page
    assert learner.get("/quiz/pre-proefpad").status_code == 200
    post = take_quiz(learner, app, "post-proefpad", correct=True)
    page = learner.get(f"/attempt/{post}/review").get_data(as_text=True)
    assert "Wat je bijleerde per module" in page and ["0 %", "100 %", "+100"] in gain_rows(page)


def test_pre_and_post_test_take_the_two_parallel_forms(app, learner):
    pre = take_quiz(learner, app, "pre-proefpad", correct=False)
    post = take_quiz(learner, app, "post-proefpad", correct=True)
    with app.app_context():
        pre_attempt, post_attempt = db.session.get(QuizAttempt, pre), db.session.get(QuizAttempt, post)
        assert {pre_attempt.form, post_attempt.form} == {"A", "B"}
        pre_items = {
            r.question_id for r in db.session.scalars(select(AttemptAnswer).where(AttemptAnswer.attempt_id == pre))
        }
        post_items = {
            r.question_id for r in db.session.scalars(select(AttemptAnswer).where(AttemptAnswer.attempt_id == post))
        }
    course = app.extensions["course"]
    assert pre_items == {q.id for q in course.item_bank if q.form == pre_attempt.form}
    assert post_items == {q.id for q in course.item_bank if q.form == post_attempt.form}
    assert len(pre_items) == len(post_items) == 6 and not pre_items & post_items


def test_vignette_walk_feedback_and_debrief(app, learner):
    run_id = walk_vignette(learner, app, "proef-casus")
    page = learner.get(f"/vignettes/run/{run_id}").get_data(as_text=True)
    assert "Warme doorverwijzing" in page and "Je bouwde vertrouwen op" in page
    assert "Goed, dat bouwt vertrouwen." in page  # the path taken, with its feedback
    with app.app_context():
        run = db.session.get(VignetteRun, run_id)
        assert run.finished_at and run.ending_id == "goed-einde" and run.trust == 2 and run.safety == 2


def test_vignette_double_click_counts_once_and_bad_choice_rejected(app, learner):
    response = post_form(learner, "/vignettes/proef-casus/start", {}, token_from="/vignettes/proef-casus")
    run_id = int(response.headers["Location"].rsplit("/", 1)[1])
    token = get_token(learner, f"/vignettes/run/{run_id}")
    bad = learner.post(f"/vignettes/run/{run_id}", data={"csrf_token": token, "node": "start", "choice": "zz"})
    assert bad.status_code == 400 and count(app, VignetteStep, run_id=run_id) == 0
    assert (
        learner.post(f"/vignettes/run/{run_id}", data={"csrf_token": token, "node": "start", "choice": "a"}).status_code
        == 400
    )
    assert (
        learner.post(f"/vignettes/run/{run_id}", data={"csrf_token": token, "node": "start", "choice": "4"}).status_code
        == 400
    )
    for digit_like in ("¹", "٣"):  # isdigit() but not a position: refused, not a server error
        refused = learner.post(
            f"/vignettes/run/{run_id}", data={"csrf_token": token, "node": "start", "choice": digit_like}
        )
        assert refused.status_code == 400
    assert count(app, VignetteStep, run_id=run_id) == 0
    node = app.extensions["course"].vignettes["proef-casus"].nodes["start"]
    good = [c.id for c in run_choices(app, run_id, node)].index("a") + 1
    for _ in range(2):
        learner.post(f"/vignettes/run/{run_id}", data={"csrf_token": token, "node": "start", "choice": str(good)})
    assert count(app, VignetteStep, run_id=run_id) == 1
    page = learner.get(f"/vignettes/run/{run_id}").get_data(as_text=True)
    assert "Feedback op je keuze" in page and "De jongere vertelt meer." in page


def test_vignette_resume_and_replay(app, learner, other_learner):
    response = post_form(learner, "/vignettes/proef-casus/start", {}, token_from="/vignettes/proef-casus")
    run_id = int(response.headers["Location"].rsplit("/", 1)[1])
    assert "Ga verder waar je was" in learner.get("/vignettes/proef-casus").get_data(as_text=True)
    assert other_learner.get(f"/vignettes/run/{run_id}").status_code == 404
    walk_vignette(learner, app, "proef-casus", pick=lambda node: node.choices[-1])
    assert count(app, VignetteRun, user_id=learner.user_id) == 2


def test_full_learner_journey_completes_path(app, learner):
    complete_path(app, learner)
    assert "Traject afgerond" in learner.get("/paths/proefpad").get_data(as_text=True)


def test_path_is_not_complete_before_the_post_test(app, learner):
    post_form(learner, "/paths/proefpad/choose", {}, token_from="/paths")
    read_all(learner, app, "proef")
    take_quiz(learner, app, "proef", correct=True)
    walk_vignette(learner, app, "proef-casus")
    assert "Traject afgerond" not in learner.get("/paths/proefpad").get_data(as_text=True)


def test_export_contains_answers_and_paths(app, learner):
    take_quiz(learner, app, "proef", correct=True)
    walk_vignette(learner, app, "proef-casus")
    data = json.loads(learner.get("/account/export.json").get_data(as_text=True))
    assert data["profile"]["email"] == "leerling@example.org"
    assert data["quiz_attempts"][0]["answers"]
    assert data["vignettes"][0]["steps"]


def test_export_contains_the_test_forms_and_the_certificate_details(app, learner):
    complete_path(app, learner)
    data = json.loads(learner.get("/account/export.json").get_data(as_text=True))
    assert [f["path"] for f in data["test_forms"]] == ["proefpad"]
    assert data["test_forms"][0]["pre_test_form"] in ("A", "B")
    tests = [a for a in data["quiz_attempts"] if a["kind"] in ("pretest", "posttest")]
    assert tests and all(a["form"] in ("A", "B") for a in tests)
    (certificate,) = data["certificates"]
    assert certificate["modules"] and certificate["post_test_percent"] is not None


def test_capped_attempts(make_app, tmp_path):
    import shutil

    from conftest import FIXTURE_CONTENT, make_user

    content = tmp_path / "capped"
    shutil.copytree(FIXTURE_CONTENT, content)
    quiz = content / "quizzes" / "proef.quiz.yaml"
    quiz.write_text(quiz.read_text().replace("pass_mark: 80", "pass_mark: 80\nmax_attempts: 1"))
    app = make_app(CONTENT_DIR=str(content))
    make_user(app)
    client = app.test_client()
    login(client, "leerling@example.org")
    client.user_id = None
    take_quiz(client, app, "proef", correct=False)
    overview = client.get("/quiz/proef").get_data(as_text=True)
    assert "Je hebt 1 poging." in overview and "Start een nieuwe poging" not in overview
    response = post_form(client, "/quiz/proef/start", {}, token_from="/quiz/proef", follow_redirects=True)
    assert "geen pogingen meer" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(QuizAttempt).count() == 1


def test_pretest_is_taken_once(app, learner):
    take_quiz(learner, app, "pre-proefpad", correct=False)
    response = post_form(
        learner, "/quiz/pre-proefpad/start", {}, token_from="/quiz/pre-proefpad", follow_redirects=True
    )
    assert "geen pogingen meer" in response.get_data(as_text=True)


def test_the_attempt_row_is_the_learners_own_with_the_read_columns(app, learner, other_learner):
    attempt_id = start_quiz(learner, "proef")
    with app.test_request_context():
        row = get_attempt_row(attempt_id, learner.user_id)
        orm = get_attempt(attempt_id, learner.user_id)
        assert (row.id, row.user_id, row.quiz_id, row.form, row.seed, row.submitted_at) == (
            orm.id,
            orm.user_id,
            orm.quiz_id,
            orm.form,
            orm.seed,
            None,
        )
        for missing in ((attempt_id, other_learner.user_id), (attempt_id + 1000, learner.user_id)):
            with pytest.raises(NotFound):
                get_attempt_row(*missing)
