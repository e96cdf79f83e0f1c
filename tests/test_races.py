"""Answers racing a submit, and two vignette choices at once: the stored score always equals the
stored answers, and a node accepts one choice per step. Each request is played by its own app
context (its own database session and connection), in the orders that went wrong before."""

import json
import threading
import time

import pytest
from conftest import get_token, logged_in
from helpers import question_ids_in_order, right_answer, start_quiz

from elearn.extensions import db
from elearn.models import AttemptAnswer, QuizAttempt, VignetteRun, VignetteStep
from elearn.questiontypes import score_attempt
from elearn.quiz import service, vignette_service


def _stored_score_matches_answers(app, attempt_id):
    with app.app_context():
        attempt = db.session.get(QuizAttempt, attempt_id)
        quiz = app.extensions["course"].quizzes[attempt.quiz_id]
        responses = service.load_responses(attempt_id)
        expected = score_attempt(quiz.questions, responses, quiz.partial_credit)
        return attempt.score == expected


def _response(shown, right=True):
    """The stored form of a right (or wrong) answer to a shown question: content ids, not positions."""
    question = shown.question
    if question.type == "matching":
        ids = [p.id for p in question.pairs]
        return {p.id: p.id if right else ids[(i + 1) % len(ids)] for i, p in enumerate(question.pairs)}
    picked = [o.id for o in question.options if o.correct == right]
    return picked if question.type == "multiple" else picked[:1]


@pytest.fixture
def open_attempt(app, learner):
    attempt_id = start_quiz(learner, "proef")
    return attempt_id, question_ids_in_order(app, attempt_id)


def _submit_in_own_context(app, attempt_id, result):
    with app.app_context():
        attempt = db.session.get(QuizAttempt, attempt_id)
        result.append(service.submit_attempt(attempt, app.extensions["course"].quizzes[attempt.quiz_id]))
        db.session.commit()


def test_a_save_from_a_page_loaded_before_the_submit_is_refused(app, open_attempt):
    attempt_id, questions = open_attempt
    with app.app_context():
        stale = db.session.get(QuizAttempt, attempt_id)  # the save request loaded the open attempt
        assert stale.submitted_at is None
        done = []
        thread = threading.Thread(target=_submit_in_own_context, args=(app, attempt_id, done))
        thread.start()
        thread.join()
        assert done == [True]
        with pytest.raises(service.AttemptClosed):
            service.save_answer(stale, questions[0].question, _response(questions[0]))
        db.session.commit()
    assert _stored_score_matches_answers(app, attempt_id)
    with app.app_context():
        assert db.session.query(AttemptAnswer).filter_by(attempt_id=attempt_id).count() == 0


def test_a_submit_waits_for_a_save_in_progress_and_scores_it(app, open_attempt):
    attempt_id, questions = open_attempt
    done = []
    with app.app_context():
        attempt = db.session.get(QuizAttempt, attempt_id)
        service.save_answer(attempt, questions[0].question, _response(questions[0]))  # not committed yet
        thread = threading.Thread(target=_submit_in_own_context, args=(app, attempt_id, done))
        thread.start()
        time.sleep(0.5)  # the submit runs now, while the save's transaction is open
        db.session.commit()
    thread.join(30)
    assert done == [True]
    assert _stored_score_matches_answers(app, attempt_id)
    with app.app_context():
        assert db.session.get(QuizAttempt, attempt_id).score > 0  # the saved right answer counted


def test_answers_posted_while_submitting_over_http(make_app):
    """The probe's reproduction: saves and a submit at once, many times; never a mismatch, no 500."""
    app = make_app(RATELIMIT_ENABLED=False)
    client = logged_in(app, "race@example.org", "Rita Race")
    for run in range(8):
        attempt_id = start_quiz(client, "proef")
        questions = question_ids_in_order(app, attempt_id)
        token = get_token(client, f"/attempt/{attempt_id}/1")
        codes, saved = [], []

        def post(url, data, question=None):
            response = client.post(url, data={**data, "csrf_token": token})
            codes.append(response.status_code)
            if question and response.status_code == 302 and not response.headers["Location"].endswith("/review"):
                saved.append(question.question.id)  # the learner was sent on: the answer is saved

        threads = [
            threading.Thread(target=post, args=(f"/attempt/{attempt_id}/{n}", right_answer(q), q))
            for n, q in enumerate(questions, 1)
        ]
        threads.insert(run % len(threads), threading.Thread(target=post, args=(f"/attempt/{attempt_id}/submit", {})))
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert all(code in (302, 409) for code in codes), codes
        with app.app_context():
            stored = set(service.load_responses(attempt_id))
        assert set(saved) <= stored, (saved, stored)
        with app.app_context():
            if db.session.get(QuizAttempt, attempt_id).submitted_at is None:
                service.submit_attempt(
                    db.session.get(QuizAttempt, attempt_id), app.extensions["course"].quizzes["proef"]
                )
                db.session.commit()
        assert _stored_score_matches_answers(app, attempt_id), run


def test_a_closed_attempt_that_reaches_a_view_gives_a_friendly_409(make_app):
    app = make_app()

    @app.route("/closed")
    def closed():
        raise service.AttemptClosed("attempt 1")

    response = app.test_client().get("/closed")
    assert response.status_code == 409
    assert "al ingediend" in response.get_data(as_text=True)


# Vignettes ---------------------------------------------------------------------------------


def _start_run(app, learner):
    from conftest import post_form

    response = post_form(learner, "/vignettes/proef-casus/start", {}, token_from="/vignettes/proef-casus")
    return int(response.headers["Location"].rsplit("/", 1)[1])


def _path_scores_match(app, run_id):
    vignette = app.extensions["course"].vignettes["proef-casus"]
    with app.app_context():
        run = db.session.get(VignetteRun, run_id)
        steps = db.session.query(VignetteStep).filter_by(run_id=run_id).order_by(VignetteStep.seq).all()
        totals = {"trust": 0, "safety": 0, "referral": 0}
        for step in steps:
            for tag, value in vignette.nodes[step.node_id].choice(step.choice_id).scores.items():
                totals[tag] += value
        seqs = [s.seq for s in steps]
        return (run.trust, run.safety, run.referral) == (
            totals["trust"],
            totals["safety"],
            totals["referral"],
        ) and seqs == list(range(1, len(steps) + 1)), steps


def test_two_choices_at_the_same_node_record_one(app, learner):
    vignette = app.extensions["course"].vignettes["proef-casus"]
    start = vignette.nodes[vignette.start]
    assert len(start.choices) >= 2
    run_id = _start_run(app, learner)
    with app.app_context():
        stale = db.session.get(VignetteRun, run_id)  # the second request loaded the run at the start node
        assert stale.node_id == start.id
        done = []

        def first():
            with app.app_context():
                run = db.session.get(VignetteRun, run_id)
                done.append(vignette_service.choose(run, vignette, start.id, start.choices[0].id))
                db.session.commit()

        thread = threading.Thread(target=first)
        thread.start()
        thread.join()
        assert done == [True]
        assert vignette_service.choose(stale, vignette, start.id, start.choices[1].id) is False
        db.session.commit()
    ok, steps = _path_scores_match(app, run_id)
    assert ok and [(s.node_id, s.choice_id) for s in steps] == [(start.id, start.choices[0].id)]


def test_a_choice_waits_for_one_in_progress(app, learner):
    vignette = app.extensions["course"].vignettes["proef-casus"]
    start = vignette.nodes[vignette.start]
    run_id = _start_run(app, learner)
    done = []

    def second():
        with app.app_context():
            run = db.session.get(VignetteRun, run_id)
            done.append(vignette_service.choose(run, vignette, start.id, start.choices[1].id))
            db.session.commit()

    with app.app_context():
        run = db.session.get(VignetteRun, run_id)
        thread = threading.Thread(target=second)
        assert vignette_service.choose(run, vignette, start.id, start.choices[0].id) is True
        thread.start()
        time.sleep(0.5)
        db.session.commit()
    thread.join(30)
    assert done == [False]
    ok, steps = _path_scores_match(app, run_id)
    assert ok and len(steps) == 1


def test_choices_posted_at_once_over_http(make_app):
    app = make_app(RATELIMIT_ENABLED=False)
    client = logged_in(app, "race@example.org", "Rita Race")
    vignette = app.extensions["course"].vignettes["proef-casus"]
    start = vignette.nodes[vignette.start]
    for _ in range(6):
        run_id = _start_run(app, client)
        token = get_token(client, f"/vignettes/run/{run_id}")
        codes = []

        def post(position):  # the form posts a choice's position in the run's shown order
            codes.append(
                client.post(
                    f"/vignettes/run/{run_id}", data={"node": start.id, "choice": position, "csrf_token": token}
                ).status_code
            )

        threads = [threading.Thread(target=post, args=(p,)) for p in ("1", "2") * 2]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert codes == [302] * 4
        ok, steps = _path_scores_match(app, run_id)
        assert ok and len(steps) == 1


def test_stored_answer_json_is_what_was_given(app, open_attempt):
    attempt_id, questions = open_attempt
    with app.app_context():
        attempt = db.session.get(QuizAttempt, attempt_id)
        service.save_answer(attempt, questions[0].question, _response(questions[0], right=False))
        service.save_answer(attempt, questions[0].question, _response(questions[0]))  # replaced, not added
        db.session.commit()
        rows = db.session.query(AttemptAnswer).filter_by(attempt_id=attempt_id).all()
        assert len(rows) == 1 and json.loads(rows[0].response) == _response(questions[0])
