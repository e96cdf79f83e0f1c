"""`elearn demo`: a demo cohort at realistic stages, made through the real services, on the fixture
content and on the real course content."""

from __future__ import annotations

import datetime
import statistics

import pytest
from conftest import FIXTURE_CONTENT, login
from sqlalchemy import func, select

from elearn.config import Config
from elearn.demo import DEMO_COHORT_NAME, DEMO_DOMAIN
from elearn.extensions import db
from elearn.models import (
    Certificate,
    Cohort,
    CohortMember,
    QuizAttempt,
    SectionRead,
    SurveyAnswer,
    SurveyResponse,
    User,
    VignetteRun,
)

DEMO_PASSWORD = "kruispunt-demo-2026"
TRAINER = "trainer@kruispunt.example.org"


def run_demo(app):
    result = app.test_cli_runner().invoke(args=["demo"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def counts():
    return {
        model.__name__: db.session.scalar(select(func.count()).select_from(model))
        for model in (User, Cohort, CohortMember, QuizAttempt, SectionRead, VignetteRun, SurveyResponse, Certificate)
    }


@pytest.fixture(params=["fixture", "real"])
def demo_app(request, make_app):
    return make_app(CONTENT_DIR=FIXTURE_CONTENT if request.param == "fixture" else Config.CONTENT_DIR)


def demo_cohort():
    return db.session.scalar(select(Cohort).where(Cohort.name == DEMO_COHORT_NAME))


def test_demo_is_idempotent_and_prints_the_links(demo_app):
    first = run_demo(demo_app)
    with demo_app.app_context():
        before = counts()
        cohort = demo_cohort()
        code = cohort.invite_code
        certificate_codes = set(db.session.scalars(select(Certificate.code)))
    second = run_demo(demo_app)
    with demo_app.app_context():
        assert counts() == before
        assert db.session.scalar(select(func.count()).select_from(Cohort).where(Cohort.name == DEMO_COHORT_NAME)) == 1
    for output in (first, second):
        assert f"{TRAINER} / {DEMO_PASSWORD}" in output
        assert f"https://kruispunt.example.org/trainer/join/{code}" in output
        verify = [line for line in output.splitlines() if "/verify/" in line]
        assert len(verify) == 1
        assert verify[0].split("https://kruispunt.example.org/verify/")[1].strip() in certificate_codes
    assert "(created)" in first and "(already there)" in second


def test_demo_cohort_is_marked_and_at_several_stages(demo_app):
    run_demo(demo_app)
    with demo_app.app_context():
        cohort = demo_cohort()
        trainer = db.session.scalar(select(User).where(User.email == TRAINER))
        assert cohort.owner_id == trainer.id
        assert "fictief" in cohort.description
        members = db.session.scalars(
            select(User).join(CohortMember, CohortMember.user_id == User.id).where(CohortMember.cohort_id == cohort.id)
        ).all()
        assert 22 <= len(members) <= 28
        assert all(m.email.endswith("@" + DEMO_DOMAIN) and m.organisation == "Demo-organisatie" for m in members)
        assert not any(m.check_password(DEMO_PASSWORD) for m in members)
        ids = [m.id for m in members]
        path = cohort.path_slug

        def attempts(uid, quiz_id):
            return db.session.execute(
                select(QuizAttempt.score, QuizAttempt.passed, QuizAttempt.submitted_at)
                .where(QuizAttempt.user_id == uid, QuizAttempt.quiz_id == quiz_id)
                .order_by(QuizAttempt.id)
            ).all()

        only_joined = [
            u
            for u in ids
            if not db.session.scalar(select(func.count()).select_from(QuizAttempt).where(QuizAttempt.user_id == u))
        ]
        pre_only = [
            u
            for u in ids
            if attempts(u, f"pre-{path}")
            and not db.session.scalar(select(func.count()).select_from(SectionRead).where(SectionRead.user_id == u))
        ]
        reading = [
            u
            for u in ids
            if db.session.scalar(select(func.count()).select_from(SectionRead).where(SectionRead.user_id == u))
            and not db.session.scalar(select(func.count()).select_from(VignetteRun).where(VignetteRun.user_id == u))
        ]
        certified = set(db.session.scalars(select(Certificate.user_id).where(Certificate.user_id.in_(ids))))
        assert len(only_joined) >= 2 and len(pre_only) >= 2 and len(reading) >= 2
        assert len(certified) >= 5
        assert all(a.submitted_at is not None for u in ids for a in attempts(u, f"pre-{path}"))
        # module quizzes: some learner failed one first and passed it later
        module_runs = db.session.execute(
            select(QuizAttempt.user_id, QuizAttempt.quiz_id, QuizAttempt.passed)
            .where(QuizAttempt.kind == "module", QuizAttempt.user_id.in_(ids))
            .order_by(QuizAttempt.id)
        ).all()
        by_quiz: dict = {}
        for uid, quiz_id, passed in module_runs:
            by_quiz.setdefault((uid, quiz_id), []).append(passed)
        assert any(runs[0] is False and runs[-1] is True for runs in by_quiz.values())
        # post-test: everyone certified passed it, one only on a retake, someone has not passed yet
        post = {u: attempts(u, f"post-{path}") for u in ids}
        pass_mark = demo_app.extensions["course"].path(path).post_pass_mark
        assert all(any(a.score >= pass_mark for a in post[u]) for u in certified)
        assert any(len(post[u]) >= 2 and post[u][0].score < pass_mark for u in certified)
        assert any(post[u] and not any(a.passed for a in post[u]) for u in ids if u not in certified)
        # first post-test beats first pre-test on average, with spread
        firsts = [(attempts(u, f"pre-{path}")[0].score, post[u][0].score) for u in ids if post[u]]
        assert statistics.mean(b for _a, b in firsts) > statistics.mean(a for a, _b in firsts)
        assert len({b for _a, b in firsts}) > 1
        # confidence rises a bit
        means = dict(
            db.session.execute(
                select(SurveyResponse.phase, func.avg(SurveyAnswer.value))
                .join(SurveyAnswer, SurveyAnswer.response_id == SurveyResponse.id)
                .where(SurveyResponse.user_id.in_(ids))
                .group_by(SurveyResponse.phase)
            ).all()
        )
        assert float(means["post"]) > float(means["pre"])
        # activity spread over the last weeks
        days = {
            a.date() for a in db.session.scalars(select(QuizAttempt.submitted_at).where(QuizAttempt.user_id.in_(ids)))
        }
        assert max(days) - min(days) >= datetime.timedelta(days=7)


def test_demo_certificates_verify_and_the_trainer_sees_data(demo_app):
    run_demo(demo_app)
    with demo_app.app_context():
        cohort_id = demo_cohort().id
        codes = list(db.session.scalars(select(Certificate.code).where(Certificate.revoked_at.is_(None))))
    assert len(codes) >= 5
    anonymous = demo_app.test_client()
    for code in codes:
        page = anonymous.get(f"/verify/{code}")
        assert page.status_code == 200
        assert "Geldig" in page.get_data(as_text=True)
        facts = anonymous.get(f"/verify/{code}.json").get_json()
        assert facts["status"] == "valid" and facts["holder"]

    trainer = demo_app.test_client()
    login(trainer, TRAINER, DEMO_PASSWORD)
    dashboard = trainer.get(f"/trainer/cohorts/{cohort_id}")
    assert dashboard.status_code == 200
    html = dashboard.get_data(as_text=True)
    assert "Amira Benali" in html and "Zoë Vandenberghe" in html
    summary = trainer.get(f"/trainer/cohorts/{cohort_id}/summary")
    assert summary.status_code == 200
    text = summary.get_data(as_text=True)
    assert "Te weinig deelnemers" not in text
    with demo_app.test_request_context():
        from elearn.trainer.dashboard import CohortProgress
        from elearn.trainer.summary import cohort_summary

        course = demo_app.extensions["course"]
        cohort = db.session.get(Cohort, cohort_id)
        progress = CohortProgress(course, cohort)
        result = cohort_summary(course, cohort, progress.funnel_counts())
        assert result.knowledge.n >= 5 and result.confidence.n >= 5
        assert {e.state for e in progress.entries} >= {"not_started", "in_progress", "completed"}
