"""Assessment you can trust: no position cues, parallel forms, a pass mark on the post-test,
the certificate issued only on the POST that completes the path (issue 13), through HTTP."""

import re

from conftest import get_token, logged_in, post_form
from helpers import (
    answer,
    fill_confidence,
    gain_rows,
    question_ids_in_order,
    read_all,
    run_choices,
    start_quiz,
    take_quiz,
    walk_vignette,
)
from sqlalchemy import delete, select
from test_trainer import create_cohort, join

from elearn.content.model import Option, Question, Quiz
from elearn.extensions import db
from elearn.models import Certificate, FormAssignment, PathEnrollment, QuizAttempt, VignetteRun
from elearn.quiz import parallel


def certificates(app):
    with app.app_context():
        return db.session.scalar(select(db.func.count()).select_from(Certificate))


def start_run(client):
    response = post_form(client, "/vignettes/proef-casus/start", {}, token_from="/vignettes/proef-casus")
    return int(response.headers["Location"].rsplit("/", 1)[1])


def shown_texts(client, run_id):
    """The choice texts of the run's current decision point, in page order."""
    page = client.get(f"/vignettes/run/{run_id}").get_data(as_text=True)
    return re.findall(r'name="choice" value="\d+" required> <span>(.*?)</span>', page)


# --- 1. no position cues --------------------------------------------------------------------


def test_vignette_choice_order_is_stable_within_a_run_and_differs_between_runs(app, learner):
    first = start_run(learner)
    order = shown_texts(learner, first)
    assert sorted(order) == ["Meteen doorverwijzen", "Niets zeggen", "Open vraag stellen"]
    assert shown_texts(learner, first) == order  # reload
    learner.get("/vignettes/proef-casus")  # away and back
    assert shown_texts(learner, first) == order
    orders = {tuple(order)}
    for _ in range(12):  # 6 possible orders: twelve new runs all alike would be a 1 in 6**11 chance
        orders.add(tuple(shown_texts(learner, start_run(learner))))
    assert len(orders) > 1


def test_vignette_form_posts_positions_not_choice_ids(app, learner):
    run_id = start_run(learner)
    page = learner.get(f"/vignettes/run/{run_id}").get_data(as_text=True)
    assert re.findall(r'name="choice" value="([^"]+)"', page) == ["1", "2", "3"]
    node = app.extensions["course"].vignettes["proef-casus"].nodes["start"]
    shown = run_choices(app, run_id, node)
    position = [c.id for c in shown].index("a") + 1
    response = post_form(learner, f"/vignettes/run/{run_id}", {"node": "start", "choice": str(position)})
    assert response.status_code == 302
    with app.app_context():
        run = db.session.get(VignetteRun, run_id)
        assert run.node_id == "midden" and run.trust == 2  # choice 'a' was applied


def test_replayed_and_finished_run_reviews_in_the_learners_own_order(app, learner):
    run_id = walk_vignette(learner, app, "proef-casus")
    node = app.extensions["course"].vignettes["proef-casus"].nodes["start"]
    own = [c.html for c in run_choices(app, run_id, node)]
    page = learner.get(f"/vignettes/run/{run_id}").get_data(as_text=True)
    listed = page[page.index("De keuzes zoals je ze zag") :]
    positions = [listed.index(text) for text in own]
    assert positions == sorted(positions)


def test_quiz_options_post_positions_not_option_ids(app, learner):
    attempt_id = start_quiz(learner, "proef")
    for number, shown in enumerate(question_ids_in_order(app, attempt_id), 1):
        page = learner.get(f"/attempt/{attempt_id}/{number}").get_data(as_text=True)
        values = re.findall(r'name="answer" value="([^"]+)"', page) + re.findall(r'<option value="([^"]+)"', page)
        if shown.question.type == "truefalse":
            assert values == ["true", "false"]
        elif shown.question.type == "matching":
            assert values == ["1", "2", "3"] * len(shown.question.pairs)
        else:
            assert values == [str(i) for i in range(1, len(shown.options) + 1)]


# --- 4. one count of answered questions -------------------------------------------------------


def test_a_skipped_question_is_not_counted_as_answered(app, learner):
    attempt_id = start_quiz(learner, "proef")
    response = answer(learner, attempt_id, 1, {})  # "next" without choosing anything
    assert response.status_code == 302
    page = learner.get(f"/attempt/{attempt_id}/2").get_data(as_text=True)
    assert "0 van 4 beantwoord" in page
    overview = learner.get(f"/attempt/{attempt_id}/submit").get_data(as_text=True)
    assert "Nog 4 vragen zonder antwoord" in overview and "badge-done" not in overview
    first = question_ids_in_order(app, attempt_id)[1]
    from helpers import right_answer

    answer(learner, attempt_id, 2, right_answer(first))
    assert "1 van 4 beantwoord" in learner.get(f"/attempt/{attempt_id}/3").get_data(as_text=True)
    overview = learner.get(f"/attempt/{attempt_id}/submit").get_data(as_text=True)
    assert "Nog 3 vragen zonder antwoord" in overview and overview.count("badge-done") == 1


# --- 2. parallel forms, counterbalanced -------------------------------------------------------


def test_counterbalancing_assigns_both_orders_within_a_cohort(app, trainer):
    _cohort_id, code = create_cohort(trainer)
    learners = [logged_in(app, f"c{i}@example.org", f"Leerling {i}") for i in range(4)]
    for client in learners:
        join(client, code)
        take_quiz(client, app, "pre-proefpad", correct=False)
    with app.app_context():
        forms = [db.session.scalar(select(QuizAttempt.form).where(QuizAttempt.user_id == c.user_id)) for c in learners]
        assert all(a.cohort_id == _cohort_id for a in db.session.scalars(select(FormAssignment)))
    assert sorted(forms) == ["A", "A", "B", "B"]  # half A first, half B first
    # each learner's post-test is the other form
    take_quiz(learners[0], app, "post-proefpad", correct=True)
    with app.app_context():
        post_form_ = db.session.scalar(
            select(QuizAttempt.form).where(QuizAttempt.user_id == learners[0].user_id, QuizAttempt.kind == "posttest")
        )
    assert post_form_ == parallel.other_form(forms[0])


def test_learner_outside_a_cohort_keeps_one_stored_assignment(app, learner):
    take_quiz(learner, app, "pre-proefpad", correct=False)
    take_quiz(learner, app, "post-proefpad", correct=False)
    take_quiz(learner, app, "post-proefpad", correct=True)  # a retake keeps the post-test form
    with app.app_context():
        attempts = db.session.scalars(
            select(QuizAttempt).where(QuizAttempt.kind != "module").order_by(QuizAttempt.id)
        ).all()
        [assignment] = db.session.scalars(select(FormAssignment)).all()
    assert [a.form for a in attempts] == [assignment.pre_form] + [parallel.other_form(assignment.pre_form)] * 2
    assert assignment.cohort_id is None


def test_choose_pre_form_balances_and_breaks_ties_either_way():
    assert parallel.choose_pre_form({"A": 3, "B": 1}) == "B"
    assert parallel.choose_pre_form({"B": 2}) == "A"
    assert {parallel.choose_pre_form({}) for _ in range(60)} == {"A", "B"}


def _q(qid, objective, module="m", correct="a"):
    options = (Option("a", "", correct == "a", ""), Option("b", "", correct == "b", ""))
    return Question(qid, "single", objective, module, "", "", options=options)


def test_objective_scores_and_matched_gains():
    quiz = Quiz("pre-p", "", "pretest", (_q("1", "o1"), _q("2", "o1"), _q("3", "o2"), _q("4", "o3", "n")))
    scores = parallel.objective_scores(quiz, {"1": ["a"], "2": ["b"], "3": ["a"]})
    assert scores == {("m", "o1"): 50.0, ("m", "o2"): 100.0, ("n", "o3"): 0.0}
    post = {("m", "o1"): 100.0, ("m", "o2"): 100.0, ("m", "o9"): 0.0}
    # o9 was only measured after, o3 only before: neither counts
    assert parallel.matched_module_scores(scores, post) == {"m": (75.0, 100.0)}


# --- 3. pass mark, retake, certificate on the completing POST ---------------------------------


def finish_everything_but_the_post_test(app, client):
    post_form(client, "/paths/proefpad/choose", {}, token_from="/paths")
    take_quiz(client, app, "pre-proefpad", correct=False)
    fill_confidence(client, app, "proefpad", "pre", 2)
    read_all(client, app, "proef")
    take_quiz(client, app, "proef", correct=True)
    walk_vignette(client, app, "proef-casus")
    response = fill_confidence(client, app, "proefpad", "post", 4)
    assert response.headers["Location"].endswith("/paths/proefpad/confidence/post")  # not complete yet


def test_zero_post_test_gives_no_certificate_and_says_why(app, learner):
    finish_everything_but_the_post_test(app, learner)
    attempt_id = take_quiz(learner, app, "post-proefpad", correct=False)
    assert certificates(app) == 0
    review = learner.get(f"/attempt/{attempt_id}/review").get_data(as_text=True)
    assert "Nog niet geslaagd voor de eindtoets" in review and "70%" in review
    assert "Modules om te herhalen" in review and 'href="/modules/proef"' in review
    assert "Leg de eindtoets opnieuw af" in review
    assert "juist antwoord" not in review  # the key stays hidden for the retake
    path = learner.get("/paths/proefpad").get_data(as_text=True)
    assert "Traject afgerond" not in path and "Je eindtoets haalde 0%" in path
    assert learner.get("/paths/proefpad/done").status_code == 302


def test_pass_after_retake_issues_the_certificate_and_lands_on_the_completion_page(app, learner):
    finish_everything_but_the_post_test(app, learner)
    take_quiz(learner, app, "post-proefpad", correct=False)
    retake = start_quiz(learner, "post-proefpad")
    from helpers import right_answer

    for n, shown in enumerate(question_ids_in_order(app, retake), 1):
        answer(learner, retake, n, right_answer(shown))
    assert certificates(app) == 0
    response = post_form(learner, f"/attempt/{retake}/submit", {})
    assert response.headers["Location"].endswith("/paths/proefpad/done")
    assert certificates(app) == 1
    page = learner.get("/paths/proefpad/done").get_data(as_text=True)
    with app.app_context():
        cert = db.session.scalar(select(Certificate))
        enrolment = db.session.scalar(select(PathEnrollment))
    assert enrolment.completed_at is not None
    assert "behaalde de eindtoets met 100%" in page
    assert f'href="/certificates/{cert.code}.pdf"' in page and f"/verify/{cert.code}" in page
    # a third attempt is not offered once passed
    overview = learner.get("/quiz/post-proefpad").get_data(as_text=True)
    assert "Leg de eindtoets opnieuw af" not in overview
    response = post_form(
        learner, "/quiz/post-proefpad/start", {}, token_from="/quiz/post-proefpad", follow_redirects=True
    )
    assert "geen pogingen meer" in response.get_data(as_text=True)


def test_the_first_post_attempt_is_what_the_gain_uses(app, learner):
    take_quiz(learner, app, "pre-proefpad", correct=True)
    take_quiz(learner, app, "post-proefpad", correct=False)
    retake = take_quiz(learner, app, "post-proefpad", correct=True)
    page = learner.get(f"/attempt/{retake}/review").get_data(as_text=True)
    assert "Je score: 100%" in page
    assert ["100 %", "0 %", "−100"] in gain_rows(page)  # first pre 100 %, first post 0 %
    course = app.extensions["course"]
    with app.app_context():
        gain = parallel.knowledge_gain(learner.user_id, course.quizzes["pre-proefpad"], course.quizzes["post-proefpad"])
    assert gain == {"proef": (100.0, 0.0)}


def test_no_get_issues_a_certificate(app, learner):
    finish_everything_but_the_post_test(app, learner)
    take_quiz(learner, app, "post-proefpad", correct=True)
    assert certificates(app) == 1
    with app.app_context():  # a learner who completed everything before certificates were issued on POST
        db.session.execute(delete(Certificate))
        db.session.commit()
    for url in (
        "/paths/proefpad",
        "/paths",
        "/paths/proefpad/done",
        "/certificates",
        "/modules",
        "/modules/proef",
        "/quiz/post-proefpad",
        "/paths/proefpad/confidence/post",
        "/vignettes/proef-casus",
        "/",
    ):
        assert learner.get(url).status_code in (200, 302), url
    assert certificates(app) == 0
    page = learner.get("/paths/proefpad").get_data(as_text=True)
    assert "Vraag je attest aan" in page
    response = post_form(learner, "/paths/proefpad/complete", {}, token_from="/paths/proefpad")
    assert response.headers["Location"].endswith("/paths/proefpad/done") and certificates(app) == 1


def test_complete_refuses_an_unfinished_path(app, learner):
    post_form(learner, "/paths/proefpad/choose", {}, token_from="/paths")
    response = post_form(learner, "/paths/proefpad/complete", {}, token_from="/paths/proefpad")
    assert response.headers["Location"].endswith("/paths/proefpad") and certificates(app) == 0
    assert learner.post("/paths/proefpad/complete", data={}).status_code == 400  # no CSRF token
    assert post_form(learner, "/paths/bestaat-niet/complete", {}, token_from="/paths").status_code == 404
    assert learner.get("/paths/bestaat-niet/done").status_code == 404


def test_path_status_needs_the_post_test_pass_mark():
    from elearn.content.model import LearningPath
    from elearn.learn.completion import ModuleStatus, PathStatus

    path = LearningPath("p", "P", "", (), ("m",), 60, post_pass_mark=70)
    done = ModuleStatus("m", 2, 2, True, True, 1, 1)

    def status(score, has_tests=True):
        return PathStatus(path, True, True, (done,), score is not None, True, has_tests, score)

    assert not status(None).complete and status(None).post_test_percent is None
    assert not status(69.9).complete and not status(69.9).posttest_passed
    assert status(70.0).complete and status(70.0).post_test_percent == 70
    assert status(None, has_tests=False).complete and status(None, has_tests=False).post_test_percent is None
    unread = PathStatus(path, True, True, (ModuleStatus("m", 1, 2, True, True, 1, 1),), True, True, True, 100.0)
    assert not unread.complete and unread.posttest_passed


def test_reading_the_last_section_by_scrolling_points_to_the_completion_page(app, learner):
    post_form(learner, "/paths/proefpad/choose", {}, token_from="/paths")
    take_quiz(learner, app, "pre-proefpad", correct=False)
    fill_confidence(learner, app, "proefpad", "pre", 2)
    take_quiz(learner, app, "proef", correct=True)
    walk_vignette(learner, app, "proef-casus")
    take_quiz(learner, app, "post-proefpad", correct=True)
    fill_confidence(learner, app, "proefpad", "post", 4)
    token = get_token(learner, "/modules/proef/eerste")
    scrolled = {"X-Requested-With": "fetch"}
    first = learner.post("/modules/proef/eerste/read", data={"csrf_token": token}, headers=scrolled)
    assert first.status_code == 204 and "X-Completed" not in first.headers and certificates(app) == 0
    last = learner.post("/modules/proef/tweede/read", data={"csrf_token": token}, headers=scrolled)
    assert last.status_code == 204 and last.headers["X-Completed"] == "/paths/proefpad/done"
    assert certificates(app) == 1


def test_a_run_whose_node_was_removed_by_a_content_change_restarts_cleanly(app, learner):
    with app.app_context():
        run = VignetteRun(
            user_id=learner.user_id, vignette_id="proef-casus", content_version="oud", node_id="verdwenen"
        )
        db.session.add(run)
        db.session.commit()
        run_id = run.id
    response = learner.get(f"/vignettes/run/{run_id}")
    assert response.status_code == 302 and response.headers["Location"].endswith("/vignettes/proef-casus")
    assert "werd aangepast" in learner.get(response.headers["Location"]).get_data(as_text=True)
