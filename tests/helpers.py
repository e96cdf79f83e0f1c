"""Small builders for test data and walking the learner flows over HTTP."""

from __future__ import annotations

import re

from conftest import get_token, post_form


def start_quiz(client, quiz_id: str) -> int:
    response = post_form(client, f"/quiz/{quiz_id}/start", {}, token_from=f"/quiz/{quiz_id}")
    assert response.status_code == 302, response.status_code
    return int(re.search(r"/attempt/(\d+)/1", response.headers["Location"]).group(1))


def question_ids_in_order(app, attempt_id: int) -> list:
    """The attempt's shown questions (``ShownQuestion``: question plus option order), read from
    the database the way the page orders them."""
    from elearn.extensions import db
    from elearn.models import QuizAttempt
    from elearn.quiz.service import shown_questions

    with app.app_context():
        attempt = db.session.get(QuizAttempt, attempt_id)
        quiz = app.extensions["course"].quizzes[attempt.quiz_id].for_form(attempt.form)
        return shown_questions(quiz, attempt.seed)


def _positions(shown, correct: bool) -> list[str]:
    """Form values (positions in the shown order, from 1) of the right or the wrong options."""
    return [str(i) for i, o in enumerate(shown.options, 1) if o.correct == correct]


def right_answer(shown) -> dict:
    """Form data answering a shown question correctly, as a learner clicking would post it."""
    question = shown.question
    if question.type == "truefalse":
        return {"answer": next(o.id for o in question.options if o.correct)}
    if question.type == "single":
        return {"answer": _positions(shown, True)[0]}
    if question.type == "multiple":
        return {"answer": _positions(shown, True)}
    position = {rid: str(i) for i, (rid, _text) in enumerate(shown.rights, 1)}
    return {f"match-{p.id}": position[p.id] for p in question.pairs}


def wrong_answer(shown) -> dict:
    question = shown.question
    if question.type == "truefalse":
        return {"answer": next(o.id for o in question.options if not o.correct)}
    if question.type == "single":
        return {"answer": _positions(shown, False)[0]}
    if question.type == "multiple":
        return {"answer": _positions(shown, False)}
    position = {rid: str(i) for i, (rid, _text) in enumerate(shown.rights, 1)}
    ids = [p.id for p in question.pairs]
    return {f"match-{p.id}": position[ids[(i + 1) % len(ids)]] for i, p in enumerate(question.pairs)}


def answer(client, attempt_id: int, number: int, data: dict, go: str = "next"):
    url = f"/attempt/{attempt_id}/{number}"
    token = get_token(client, url)
    return client.post(url, data={**data, "csrf_token": token, "go": go})


def take_quiz(client, app, quiz_id: str, correct: bool = True) -> int:
    """Start, answer every question (right or wrong) and submit; return the attempt id."""
    attempt_id = start_quiz(client, quiz_id)
    for n, q in enumerate(question_ids_in_order(app, attempt_id), 1):
        response = answer(client, attempt_id, n, right_answer(q) if correct else wrong_answer(q))
        assert response.status_code == 302
    response = post_form(client, f"/attempt/{attempt_id}/submit", {})
    # the review, or the completion page when this test was the path's last step
    assert response.status_code == 302
    assert response.headers["Location"].endswith((f"/attempt/{attempt_id}/review", "/done"))
    return attempt_id


def best_choice(node):
    """The choice with the highest summed scores (the content's best answer)."""
    return max(node.choices, key=lambda c: sum(c.scores.values()))


def run_choices(app, run_id: int, node):
    """The node's choices in the order the run shows them."""
    from elearn.extensions import db
    from elearn.models import VignetteRun
    from elearn.quiz.vignette_service import shown_choices

    with app.app_context():
        return shown_choices(db.session.get(VignetteRun, run_id), node)


def choose_in_run(client, app, run_id: int, node, choice):
    """Post a choice the way the page does: by its position in the run's shown order."""
    position = [c.id for c in run_choices(app, run_id, node)].index(choice.id) + 1
    return post_form(client, f"/vignettes/run/{run_id}", {"node": node.id, "choice": str(position)})


def walk_vignette(client, app, vignette_id: str, pick=best_choice) -> int:
    """Start a run and choose (by default the best choice) until an ending; return the run id."""
    response = post_form(client, f"/vignettes/{vignette_id}/start", {}, token_from=f"/vignettes/{vignette_id}")
    run_id = int(response.headers["Location"].rsplit("/", 1)[1])
    vignette = app.extensions["course"].vignettes[vignette_id]
    node = vignette.nodes[vignette.start]
    while not node.ending:
        choice = pick(node)
        response = choose_in_run(client, app, run_id, node, choice)
        assert response.status_code == 302
        node = vignette.nodes[choice.next]
    return run_id


def fill_confidence(client, app, path_slug: str, phase: str, value: int = 3):
    scale = app.extensions["course"].confidence
    data = {f"item_{i.id}": str(value) for i in scale.items}
    return post_form(client, f"/paths/{path_slug}/confidence/{phase}", data)


def read_all(client, app, module_slug: str):
    module = app.extensions["course"].module(module_slug)
    for s in module.sections:
        response = post_form(
            client, f"/modules/{module_slug}/{s.id}/read", {}, token_from=f"/modules/{module_slug}/{s.id}"
        )
        assert response.status_code == 302


def complete_path(app, client, path="proefpad", module="proef", vignette="proef-casus"):
    """Walk a whole fixture path as a learner: tests, scales, reading, quiz (failed, then passed), vignette."""
    post_form(client, f"/paths/{path}/choose", {}, token_from="/paths")
    take_quiz(client, app, f"pre-{path}", correct=False)
    fill_confidence(client, app, path, "pre", 2)
    read_all(client, app, module)
    take_quiz(client, app, module, correct=False)
    take_quiz(client, app, module, correct=True)
    walk_vignette(client, app, vignette)
    take_quiz(client, app, f"post-{path}", correct=True)
    fill_confidence(client, app, path, "post", 4)


def gain_rows(html: str) -> list[list[str]]:
    """The learner's per-module gain table on a review page: [pre, post, difference] per module,
    with the non-breaking spaces of the Dutch percent format as plain spaces."""
    rows = re.findall(r'<tr><th scope="row">.*?</th>(.*?)</tr>', html, re.S)
    return [
        [c.replace("\xa0", " ").strip() for c in re.findall(r'<td class="num"[^>]*>(.*?)</td>', row)] for row in rows
    ]


def add_submitted_attempt(course, user_id: int, quiz_id: str, score, passed, answer):
    """Store a submitted attempt straight in the database (call inside an app context): one answer
    per question of the quiz, ``answer(question)`` giving its (response JSON, credit)."""
    from elearn.extensions import db
    from elearn.models import AttemptAnswer, QuizAttempt, utcnow

    now = utcnow()
    quiz = course.quizzes[quiz_id]
    attempt = QuizAttempt(
        user_id=user_id,
        quiz_id=quiz_id,
        kind=quiz.kind,
        seed=1,
        content_version="x",
        started_at=now,
        submitted_at=now,
        score=score,
        passed=passed,
    )
    db.session.add(attempt)
    db.session.flush()
    for q in quiz.questions:
        response, credit = answer(q)
        db.session.add(
            AttemptAnswer(attempt_id=attempt.id, question_id=q.id, response=response, credit=credit, saved_at=now)
        )
    return attempt


def stored_certificate(user_id: int, code: str, **overrides):
    """A certificate row as issuing would store it (add it to the session yourself); any column
    can be overridden."""
    import datetime

    from elearn.models import Certificate

    values = dict(
        code=code,
        user_id=user_id,
        path_slug="proefpad",
        learner_name="Lea Leerling",
        path_title="Proeftraject",
        hours=1,
        completed_on=datetime.date(2026, 1, 1),
        issuer="K",
        content_version="x",
    )
    values.update(overrides)
    return Certificate(**values)


def row_cells(page: str, row_start: str) -> list[str]:
    """The text of the data cells of the first table row that matches the regular expression
    ``row_start`` (the row's beginning); fails when there is none."""
    from elearn.content.render import plain_text

    row = re.search(row_start + r".*?</tr>", page, re.S)
    assert row, row_start
    return [plain_text(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row.group(0), re.S)]
