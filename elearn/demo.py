"""Demo data: a cohort of fictitious learners at realistic stages, made through the real services.

``build_demo_cohort`` creates (once) a cohort owned by the demo trainer with about 25 learners:
some only joined, some with the pre-test and opening scale done, some reading modules and taking
quizzes (a few failing first), some through the vignettes, and several who finished, passed the
post-test (one on a retake) and hold a certificate. Answers come from a seeded random generator,
so the same content always gives the same data; timestamps are spread over the last weeks.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select, update

from .certs import service as certs
from .content import Course
from .extensions import db
from .learn import progress
from .learn.service import complete_paths, save_survey
from .models import (
    AttemptAnswer,
    Certificate,
    Cohort,
    CohortMember,
    PathEnrollment,
    QuizAttempt,
    SectionRead,
    SurveyResponse,
    User,
    utcnow,
)
from .questiontypes import question_type
from .quiz import service as quiz_service
from .quiz import vignette_service
from .trainer import cohorts

DEMO_COHORT_NAME = "Demogroep (voorbeeldgegevens)"
DEMO_DESCRIPTION = (
    "Voorbeeldgegevens om het platform te tonen: de deelnemers van deze groep zijn "
    "fictief en hun resultaten zijn automatisch aangemaakt."
)
DEMO_DOMAIN = "demo.kruispunt.example.org"
DEMO_ORGANISATION = "Demo-organisatie"
SEED = 20260418

NAMES = [
    "Amira Benali",
    "Bram Claes",
    "Charlotte De Smet",
    "Dieter Peeters",
    "Elif Yilmaz",
    "Femke Janssens",
    "Gilles Maes",
    "Hanne Willems",
    "Ilias El Amrani",
    "Jolien Mertens",
    "Kobe Goossens",
    "Lotte Wouters",
    "Mathias Vermeulen",
    "Nora Jacobs",
    "Olivier Dubois",
    "Pieter Hermans",
    "Quinten Lambrechts",
    "Roos Van den Broeck",
    "Sofie Aerts",
    "Thomas Desmet",
    "Ute Verstraeten",
    "Vincent Michiels",
    "Wout De Clercq",
    "Yasmine Haddou",
    "Zoë Vandenberghe",
]
SECTORS = ["jeugd-welzijn", "jeugd-welzijn", "drughulp", "andere"]

# Stage per learner (same order as NAMES): how far each one got.
JOINED, PRETEST, READING, VIGNETTES, POSTTEST_FAILED, FINISHED = range(6)
STAGES = [JOINED] * 3 + [PRETEST] * 4 + [READING] * 5 + [VIGNETTES] * 3 + [POSTTEST_FAILED] + [FINISHED] * 9


@dataclass(frozen=True)
class DemoCohort:
    cohort: Cohort
    created: bool
    certificates: list[Certificate]


def preferred_path(course: Course):
    """The path the demo cohort follows: ``basis`` when it exists, else the first path with tests."""
    with_tests = [p for p in course.paths if f"post-{p.slug}" in course.quizzes]
    return next((p for p in with_tests if p.slug == "basis"), with_tests[0] if with_tests else course.paths[0])


def demo_certificates(cohort: Cohort) -> list[Certificate]:
    return list(
        db.session.scalars(
            select(Certificate)
            .join(CohortMember, CohortMember.user_id == Certificate.user_id)
            .where(CohortMember.cohort_id == cohort.id, Certificate.path_slug == cohort.path_slug)
            .order_by(Certificate.id)
        )
    )


def build_demo_cohort(course: Course, trainer: User, now: datetime.datetime | None = None) -> DemoCohort:
    """The demo cohort of ``trainer``, created with its learners and their history when missing
    (idempotent: an existing demo cohort is returned untouched). The caller commits."""
    existing = db.session.scalar(select(Cohort).where(Cohort.owner_id == trainer.id, Cohort.name == DEMO_COHORT_NAME))
    if existing is not None:
        return DemoCohort(existing, False, demo_certificates(existing))
    now = now or utcnow()
    path = preferred_path(course)
    rng = random.Random(SEED)
    start = now - datetime.timedelta(days=42)
    cohort = cohorts.create_cohort(
        trainer,
        name=DEMO_COHORT_NAME,
        path_slug=path.slug,
        starts_on=start.date(),
        ends_on=None,
        description=DEMO_DESCRIPTION,
    )
    cohort.created_at = start
    for index, (name, stage) in enumerate(zip(NAMES, STAGES, strict=True)):
        first, last = name.split(" ", 1)
        email = f"{first}.{last}".lower().replace(" ", "").replace("ë", "e") + f"@{DEMO_DOMAIN}"
        if stage in (FINISHED, POSTTEST_FAILED):  # the early ones, weeks ago
            joined = start + datetime.timedelta(days=rng.uniform(0, 20), hours=rng.uniform(8, 10))
        else:  # later, most still active now (some not for over two weeks: "inactive")
            joined = now - datetime.timedelta(days=rng.uniform(2, 18), hours=rng.uniform(0, 8))
        user = User(
            email=email,
            name=name,
            organisation=DEMO_ORGANISATION,
            sector=SECTORS[index % 4],
            role="learner",
            email_verified_at=joined,
            created_at=joined,
            password_hash="!demo",
        )  # matches no password: fictitious learners never log in
        db.session.add(user)
        db.session.flush()
        cohorts.join(user, cohort.invite_code)
        db.session.flush()
        db.session.execute(update(CohortMember).where(CohortMember.user_id == user.id).values(joined_at=joined))
        db.session.execute(update(PathEnrollment).where(PathEnrollment.user_id == user.id).values(started_at=joined))
        _Learner(course, path, user, rng, joined, now).walk(stage, retake=(index == len(NAMES) - 1))
    db.session.flush()
    return DemoCohort(cohort, True, demo_certificates(cohort))


class _Learner:
    """One fictitious learner walking the path through the services, with a moving clock."""

    def __init__(self, course, path, user, rng, clock, now):
        self.course, self.path, self.user, self.rng = course, path, user, rng
        self.clock, self.now = clock, now
        self.ability = rng.uniform(0.3, 0.6)  # share right on the pre-test
        self.gain = rng.uniform(0.15, 0.4)

    def tick(self, minutes: float) -> datetime.datetime:
        """Move the clock on (never past now - one hour) and return it."""
        self.clock = min(self.clock + datetime.timedelta(minutes=minutes), self.now - datetime.timedelta(hours=1))
        return self.clock

    def walk(self, stage: int, retake: bool) -> None:
        if stage == JOINED:
            return
        self.tick(self.rng.uniform(10, 600))
        self.take_test(f"pre-{self.path.slug}", self.ability)
        self.survey("pre", self.rng.uniform(2.0, 3.2))
        if stage == PRETEST:
            return
        modules = [m for m in (self.course.module(s) for s in self.path.modules) if m is not None]
        for number, module in enumerate(modules):
            if stage == READING and number == len(modules) - 1 and len(modules) > 1:
                break  # still busy: the last module is not started yet
            self.tick(self.rng.uniform(600, 3000))  # another day
            for section in module.sections:
                progress.mark_read(self.user.id, module, section.id)
                at = self.tick(self.rng.uniform(3, 12))
                db.session.execute(
                    update(SectionRead)
                    .where(
                        SectionRead.user_id == self.user.id,
                        SectionRead.module_slug == module.slug,
                        SectionRead.section_id == section.id,
                    )
                    .values(read_at=at)
                )
            if module.slug in self.course.quizzes:
                self.module_quiz(self.course.quizzes[module.slug], fail_first=self.rng.random() < 0.3)
            if stage == READING:
                continue
            for vignette in self.course.vignettes_for(module.slug):
                self.vignette(vignette)
        if stage == READING or stage == VIGNETTES:
            return
        self.tick(self.rng.uniform(600, 2000))
        post = self.ability + self.gain
        if stage == POSTTEST_FAILED:
            self.take_test(f"post-{self.path.slug}", min(post, 0.45), until_passed=False)
            return
        self.take_test(f"post-{self.path.slug}", 0.2 if retake else post, until_passed=True)
        self.survey("post", self.rng.uniform(2.8, 3.9))  # a bit more confident
        cert = complete_paths(self.user, self.course)
        if cert is not None:
            cert.issued_at = self.clock
            cert.completed_on = self.clock.date()
            enrolment = db.session.scalar(
                select(PathEnrollment).where(
                    PathEnrollment.user_id == self.user.id, PathEnrollment.path_slug == self.path.slug
                )
            )
            if enrolment is not None:
                enrolment.completed_at = self.clock

    # -- steps ---------------------------------------------------------------------------------
    def answer(self, question, right: bool):
        """A stored response to ``question``: the right one, or a plausible wrong one."""
        qtype = question_type(question)
        return qtype.right_response(question) if right else qtype.wrong_response(question, self.rng)

    def attempt(self, quiz, share_right: float) -> QuizAttempt:
        attempt = quiz_service.start_attempt(self.user.id, quiz)
        attempt.started_at = self.tick(self.rng.uniform(1, 5))
        taken = quiz.for_form(attempt.form)
        for question in taken.questions:
            quiz_service.save_answer(attempt, question, self.answer(question, self.rng.random() < share_right))
            self.tick(self.rng.uniform(0.5, 2))
        quiz_service.submit_attempt(attempt, taken)
        db.session.execute(
            update(AttemptAnswer).where(AttemptAnswer.attempt_id == attempt.id).values(saved_at=attempt.started_at)
        )
        attempt.submitted_at = self.clock
        return attempt

    def take_test(self, quiz_id: str, share_right: float, until_passed: bool = False) -> None:
        quiz = self.course.quizzes.get(quiz_id)
        if quiz is None:
            return
        attempt = self.attempt(quiz, min(share_right, 0.97))
        tries = 0
        while until_passed and (attempt.score or 0) < self.path.post_pass_mark and tries < 6:
            tries += 1
            self.tick(self.rng.uniform(600, 2000))
            attempt = self.attempt(quiz, 0.85 if tries < 5 else 1.0)

    def module_quiz(self, quiz, fail_first: bool) -> None:
        attempt = self.attempt(quiz, 0.4 if fail_first else 0.9)
        tries = 0
        while not attempt.passed and tries < 6:
            tries += 1
            self.tick(self.rng.uniform(20, 300))
            attempt = self.attempt(quiz, 0.9 if tries < 3 else 1.0)

    def vignette(self, vignette) -> None:
        run = vignette_service.start_run(self.user.id, vignette)
        run.started_at = self.tick(self.rng.uniform(2, 10))
        for _ in range(100):
            node = vignette.nodes[run.node_id]
            if node.ending or not node.choices:
                break
            best = max(node.choices, key=lambda c: sum(c.scores.values()))
            choice = best if self.rng.random() < 0.7 else self.rng.choice(node.choices)
            vignette_service.choose(run, vignette, node.id, choice.id)
            self.tick(self.rng.uniform(1, 4))
        if run.finished_at is not None:
            run.finished_at = self.clock

    def survey(self, phase: str, level: float) -> None:
        scale = self.course.confidence
        if scale is None:
            return
        values = {
            item.id: max(scale.min, min(scale.max, round(level + self.rng.uniform(-1, 1)))) for item in scale.items
        }
        save_survey(self.user.id, self.path.slug, phase, values)
        db.session.execute(
            update(SurveyResponse)
            .where(
                SurveyResponse.user_id == self.user.id,
                SurveyResponse.path_slug == self.path.slug,
                SurveyResponse.phase == phase,
            )
            .values(submitted_at=self.tick(self.rng.uniform(3, 8)))
        )


def invite_link(cohort: Cohort) -> str:
    """The cohort's absolute invite link, on the configured public base URL."""
    with current_app.test_request_context(base_url=certs.base_url()):
        return cohorts.invite_link(cohort)
