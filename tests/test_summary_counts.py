"""The summary's figures counted by the database equal the pure functions' results on the
learners' own rows (SQLite, and PostgreSQL when ELEARN_TEST_DATABASE_URL is set)."""

import datetime
import json
import random
import re

from conftest import post_form
from helpers import add_submitted_attempt, row_cells
from sqlalchemy import insert, select

from elearn.content.model import ConfidenceItem, ConfidenceScale
from elearn.extensions import db
from elearn.models import AttemptAnswer, Cohort, CohortMember, QuizAttempt, SurveyAnswer, SurveyResponse, User, utcnow
from elearn.questiontypes import question_type
from elearn.trainer import analytics, summary_counts
from elearn.trainer.stats import counted_paired_gain, paired_gain
from elearn.trainer.summary import confidence_gains, item_analysis, knowledge_gains, path_quiz_ids

TESTS = {"pre-proefpad": "pre", "post-proefpad": "post"}
RESPONSES = ('["a"]', '["b"]', '["a", "c"]', '["c", "a"]', "[]", '{"tina": "g", "g": "tina"}')


def _cohort(app, size: int, name: str = "Gevarieerd") -> tuple[int, list[int]]:
    """A cohort of ``size`` learners (inserted in bulk) and their ids."""
    from elearn.trainer.cohorts import create_cohort

    with app.app_context():
        owner = User(email=f"eigenaar-{name}@example.org", name="Eigenaar", password_hash="x", role="trainer")
        db.session.add(owner)
        db.session.flush()
        cohort = create_cohort(
            owner, name=name, path_slug="proefpad", starts_on=datetime.date(2026, 1, 1), ends_on=None, description=""
        )
        db.session.commit()
        return cohort.id, _members(app, cohort.id, size, name)


def _members(app, cohort_id: int, size: int, name: str) -> list[int]:
    """``size`` new learners (inserted in bulk) in the cohort; their ids."""
    now = utcnow()
    with app.app_context():
        db.session.execute(
            insert(User),
            [
                dict(email=f"{name}-{i}@example.org", name=f"Deelnemer {i}", password_hash="x", role="learner")
                for i in range(size)
            ],
        )
        uids = list(db.session.scalars(select(User.id).where(User.email.like(f"{name}-%")).order_by(User.id)))
        db.session.execute(insert(CohortMember), [dict(cohort_id=cohort_id, user_id=u, joined_at=now) for u in uids])
        db.session.commit()
        return uids


def _attempt(course, rng, uid: int, quiz_id: str, *, submitted: bool = True):
    """An attempt with random scores, credits (some None) and responses; some questions left out."""
    now = utcnow()
    attempt = QuizAttempt(
        user_id=uid,
        quiz_id=quiz_id,
        kind="module" if quiz_id == "proef" else quiz_id[:3] + "test",
        seed=1,
        content_version="x",
        started_at=now,
        submitted_at=now if submitted else None,
        score=rng.choice([0.0, 25.0, 50.0, 50.0, 75.0, 100.0, 100 / 3, None]) if submitted else None,
        passed=None,
    )
    db.session.add(attempt)
    db.session.flush()
    questions = [q.id for q in course.quizzes[quiz_id].questions] + ["niet-meer-in-de-inhoud"]
    for qid in questions:
        if rng.random() < 0.15:
            continue  # unanswered
        db.session.add(
            AttemptAnswer(
                attempt_id=attempt.id,
                question_id=qid,
                response=rng.choice(RESPONSES),
                credit=rng.choice([0.0, 1.0, 1.0, 0.5, None]) if submitted else None,
                saved_at=now,
            )
        )


def _varied_cohort(app, size: int = 40, seed: int = 7) -> int:
    """Retakes, open attempts, unanswered questions, ties in totals, partial survey answers, and a
    learner outside the cohort whose rows must not count."""
    rng = random.Random(seed)
    cohort_id, uids = _cohort(app, size)
    _other_cohort, outsiders = _cohort(app, 1, name="Buiten")
    course = app.extensions["course"]
    items = [i.id for i in course.confidence.items] + ["weg"]
    with app.app_context():
        for uid in uids + outsiders:
            for quiz_id, chance in (("pre-proefpad", 0.9), ("proef", 0.8), ("post-proefpad", 0.6)):
                if rng.random() < 0.1:
                    _attempt(course, rng, uid, quiz_id, submitted=False)  # opened first, never submitted
                    db.session.flush()
                if rng.random() < chance:
                    for _ in range(rng.choice([1, 1, 2, 3])):
                        _attempt(course, rng, uid, quiz_id)
            for phase, path_slug in (("pre", "proefpad"), ("post", "proefpad"), ("post", "ander-pad")):
                if rng.random() < 0.75:
                    response = SurveyResponse(user_id=uid, path_slug=path_slug, phase=phase, submitted_at=utcnow())
                    db.session.add(response)
                    db.session.flush()
                    for item in items:
                        if rng.random() < 0.8:
                            db.session.add(SurveyAnswer(response_id=response.id, item_id=item, value=rng.randint(1, 5)))
        db.session.commit()
    return cohort_id


def _members_rows(cohort_id: int):
    """The members' submitted attempts (by id) and their answers (by attempt), read plainly."""
    members = set(db.session.scalars(select(CohortMember.user_id).where(CohortMember.cohort_id == cohort_id)))
    attempts = {
        a.id: a
        for a in db.session.scalars(select(QuizAttempt).order_by(QuizAttempt.id))
        if a.user_id in members and a.submitted_at is not None
    }
    answers: dict[int, list] = {}
    for answer in db.session.scalars(select(AttemptAnswer).order_by(AttemptAnswer.id)):
        if answer.attempt_id in attempts:
            answers.setdefault(answer.attempt_id, []).append(answer)
    return members, attempts, answers


def _reference_knowledge(course, attempts, answers, modules):
    """The knowledge gains computed learner by learner, as the summary did before it counted in SQL."""
    first = {}
    for attempt in attempts.values():
        if attempt.quiz_id in TESTS:
            first.setdefault((attempt.user_id, attempt.quiz_id), attempt)
    overall = {"pre": {}, "post": {}}
    credits: dict[tuple, list] = {}
    for (uid, quiz_id), attempt in first.items():
        phase = TESTS[quiz_id]
        if attempt.score is not None:
            overall[phase][uid] = attempt.score
        for answer in answers.get(attempt.id, []):
            module = modules.get((quiz_id, answer.question_id))
            if module:
                credits.setdefault((phase, module, uid), []).append(answer.credit or 0.0)
    per: dict[str, dict] = {m: {"pre": {}, "post": {}} for m in set(modules.values())}
    for (phase, module, uid), values in credits.items():
        per[module][phase][uid] = 100 * sum(values) / len(values)
    return paired_gain(overall["pre"], overall["post"], 100), {
        m: paired_gain(v["pre"], v["post"], 100) for m, v in per.items()
    }


def _reference_items(course, quiz_ids, attempts, answers):
    """The item analysis from each member's first response per question, learner by learner."""
    first = {}
    for attempt in attempts.values():
        if attempt.quiz_id in quiz_ids:
            for answer in answers.get(attempt.id, []):
                first.setdefault((attempt.user_id, answer.question_id), (attempt, answer))
    grouped: dict[tuple, list] = {}
    for attempt, answer in first.values():
        question = course.quizzes[attempt.quiz_id].question(answer.question_id)
        if question is None:
            continue
        chosen = question_type(question).chosen_ids(json.loads(answer.response))
        grouped.setdefault((attempt.quiz_id, answer.question_id), []).append(
            (answer.credit or 0.0, attempt.score or 0.0, chosen)
        )
    return [
        analytics.item_stats(q.id, quiz_id, grouped.get((quiz_id, q.id), []))
        for quiz_id in quiz_ids
        for q in course.quizzes[quiz_id].questions
    ]


def _reference_confidence(scale, cohort_id, members):
    rows = db.session.execute(
        select(SurveyResponse.user_id, SurveyResponse.phase, SurveyAnswer.item_id, SurveyAnswer.value)
        .join(SurveyAnswer, SurveyAnswer.response_id == SurveyResponse.id)
        .where(SurveyResponse.path_slug == "proefpad")
    )
    per = {i.id: {"pre": {}, "post": {}} for i in scale.items}
    values: dict[tuple, list] = {}
    for uid, phase, item_id, value in rows:
        if uid in members and item_id in per:
            per[item_id][phase][uid] = value
            values.setdefault((phase, uid), []).append(value)
    means = {"pre": {}, "post": {}}
    for (phase, uid), vs in values.items():
        means[phase][uid] = sum(vs) / len(vs)
    return paired_gain(means["pre"], means["post"], scale.max), {
        k: paired_gain(v["pre"], v["post"], scale.max) for k, v in per.items()
    }


def test_counted_figures_equal_the_learner_by_learner_ones(app):
    cohort_id = _varied_cohort(app)
    course = app.extensions["course"]
    with app.app_context():
        cohort = db.session.get(Cohort, cohort_id)
        members, attempts, answers = _members_rows(cohort_id)
        modules = {(q, question.id): question.module for q in TESTS for question in course.quizzes[q].questions}
        overall, per_module = _reference_knowledge(course, attempts, answers, modules)
        assert overall.n >= 10 and overall.only_pre and overall.sd_gain
        assert knowledge_gains(course, cohort) == (overall, per_module)

        # two modules, so that the CASE over question ids assigns more than one
        split = {key: ("een" if n % 2 else "twee") for n, key in enumerate(sorted(modules))}
        _overall, reference = _reference_knowledge(course, attempts, answers, split)
        counted = summary_counts.module_share_patterns(cohort, TESTS, split)
        assert set(counted) == {"een", "twee"}
        for module, gain in reference.items():
            assert gain.n >= 10
            assert counted_paired_gain(counted[module], 100) == gain

        quiz_ids = path_quiz_ids(course, cohort)
        items = item_analysis(course, cohort, quiz_ids)
        assert items == _reference_items(course, quiz_ids, attempts, answers)
        # the post-test's items were mostly answered first in the pre-test: few responses, not shown
        assert {i.quiz_id for i in items if i.shown} == {"pre-proefpad", "proef"}
        assert any(i.responses for i in items if not i.shown) and any(i.choices["g=tina"] for i in items)

        confidence = confidence_gains(course.confidence, cohort)
        assert confidence == _reference_confidence(course.confidence, cohort_id, members)
        assert confidence[0].n >= 10


def test_confidence_gains_per_statement_and_overall(app):
    """Moved from test_stats (it fed the rows to the function; they now go through the database)."""
    scale = ConfidenceScale(1, 5, "laag", "hoog", (ConfidenceItem("a", "A"), ConfidenceItem("b", "B")))
    cohort_id, uids = _cohort(app, 3)
    rows = [
        (1, "pre", "a", 2),
        (1, "pre", "b", 4),
        (1, "post", "a", 4),
        (1, "post", "b", 4),
        (2, "pre", "a", 1),
        (2, "pre", "b", 1),
        (2, "post", "gone", 5),  # a statement no longer in the scale
        (3, "post", "a", 5),
    ]
    with app.app_context():
        responses = {}
        for learner, phase, item_id, value in rows:
            uid = uids[learner - 1]
            if (uid, phase) not in responses:
                response = SurveyResponse(user_id=uid, path_slug="proefpad", phase=phase, submitted_at=utcnow())
                db.session.add(response)
                db.session.flush()
                responses[uid, phase] = response.id
            db.session.add(SurveyAnswer(response_id=responses[uid, phase], item_id=item_id, value=value))
        db.session.commit()
        cohort = db.session.get(Cohort, cohort_id)
        overall, per = confidence_gains(scale, cohort)
        # learner 1: mean 3 -> 4; learner 2 has no (known) answers at the end, learner 3 none at the start
        assert overall.n == 1 and overall.mean_pre == 3 and overall.mean_post == 4 and overall.only_pre == 1
        assert per["a"].mean_gain == 2 and per["b"].mean_gain == 0 and per["a"].only_post == 1
        assert confidence_gains(None, cohort) == (None, {})


def test_discrimination_over_tied_totals_shows_on_the_page_and_in_the_export(app, trainer):
    """Ten learners with the same total: the upper and lower groups are the same learners pro rata,
    so the item does not discriminate, whatever order the database returns them in."""
    response = post_form(
        trainer,
        "/trainer/cohorts/new",
        {"name": "Gelijk", "path_slug": "proefpad", "starts_on": "2026-11-01", "ends_on": "", "description": ""},
    )
    cohort_id = int(re.search(r"/trainer/cohorts/(\d+)", response.headers["Location"]).group(1))
    uids = _members(app, cohort_id, 10, "gelijk")
    with app.app_context():
        course = app.extensions["course"]
        for n, uid in enumerate(uids):
            right = n % 2 == 0
            add_submitted_attempt(
                course, uid, "proef", 50.0, False, lambda q, r=right: ('["a"]' if r else '["b"]', 1.0 if r else 0.0)
            )
        db.session.commit()
    first = app.extensions["course"].quizzes["proef"].questions[0].id
    page = trainer.get(f"/trainer/cohorts/{cohort_id}/summary").get_data(as_text=True)
    cells = row_cells(page, r"proef · " + first)
    assert cells[:3] == ["10", "0,50", "0,00"] and "onderscheidt zwak" in cells[-1]
    assert "a: 5" in cells[3] and "b: 5" in cells[3]
    export = trainer.get(f"/trainer/cohorts/{cohort_id}/items.csv").get_data(as_text=True)
    line = next(line for line in export.splitlines() if first in line and "proef" in line)
    # facility 0.5, discrimination 0, no point-biserial (every total is the same)
    assert ';10;"0,5";"0,0";;' in line, line
