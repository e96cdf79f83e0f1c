"""Seed the benchmark database (run by run.py in a subprocess, after ``elearn init-db`` and
``elearn create-user`` for the learner; configured by the same ELEARN_* environment variables as
the servers).

    ELEARN_PASSWORD=... python benchmarks/seed.py LEARNER_EMAIL TRAINER_EMAIL COHORT_SIZE

Adds, for the learner, three read sections and a certificate row (for /verify/<code>); creates
the trainer (password ELEARN_PASSWORD) with a cohort on the path ``basis`` with COHORT_SIZE
learners in realistic states of progress, inserted in bulk (adapted from ``_bulk_cohort`` in
tests/test_trainer.py to the real content).
Prints one JSON line with what run.py needs: section id, certificate, cohort id and sizes.
"""

from __future__ import annotations

import datetime
import json
import os
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, select, update  # noqa: E402

from elearn import create_app  # noqa: E402
from elearn.certs.service import new_code, verify_url  # noqa: E402
from elearn.extensions import db  # noqa: E402
from elearn.models import (  # noqa: E402
    AttemptAnswer,
    Certificate,
    CohortMember,
    ModulePosition,
    PathEnrollment,
    QuizAttempt,
    SectionRead,
    SurveyAnswer,
    SurveyResponse,
    User,
    VignetteRun,
    utcnow,
)
from elearn.questiontypes import score_attempt, score_question  # noqa: E402

PATH = "basis"
MODULE = "basis"
QUIZ, PRETEST, POSTTEST = "basis", "pre-basis", "post-basis"
#: share of the cohort at each stage (the rest of the weights: 100)
STAGES = (("not_started", 10), ("pretest", 15), ("reading", 30), ("quiz", 15), ("vignettes", 10), ("completed", 20))
SECTORS = ("drughulp", "seksuele-gezondheid", "jeugd-welzijn", "andere")


def _answer(question, rng: random.Random, ability: float):
    """A response the question accepts: right with probability ``ability``."""
    if question.type == "matching":
        ids = [p.id for p in question.pairs]
        return {pid: (pid if rng.random() < ability else rng.choice(ids)) for pid in ids}
    correct = [o.id for o in question.options if o.correct]
    wrong = [o.id for o in question.options if not o.correct]
    if question.type == "multiple":
        chosen = [o for o in correct if rng.random() < ability]
        chosen += [o for o in wrong if rng.random() > ability + 0.2]
        return sorted(chosen or correct[:1])
    if rng.random() < ability or not wrong:
        return [correct[0]]
    return [rng.choice(wrong)]


class Seeder:
    def __init__(self, app, course):
        self.app, self.course = app, course
        self.attempts: list[dict] = []  # rows for QuizAttempt, plus "_answers"
        self.rows: dict[type, list[dict]] = {
            m: [] for m in (SectionRead, ModulePosition, PathEnrollment, VignetteRun, SurveyResponse, Certificate)
        }
        self.survey_values: list[list[int]] = []

    def attempt(self, user_id, quiz, when, rng, ability, submitted=True, form=None):
        quiz = quiz.for_form(form)  # a path test: one parallel form per attempt
        responses = {q.id: _answer(q, rng, ability) for q in quiz.questions}
        score = score_attempt(quiz.questions, responses, quiz.partial_credit) if submitted else None
        self.attempts.append(
            dict(
                user_id=user_id,
                quiz_id=quiz.id,
                kind=quiz.kind,
                seed=rng.randrange(2**31),
                form=form,
                content_version=quiz.version,
                started_at=when - datetime.timedelta(minutes=12),
                submitted_at=when if submitted else None,
                score=score,
                passed=(score >= quiz.pass_mark) if submitted else None,
                _answers=[
                    dict(
                        question_id=q.id,
                        response=json.dumps(responses[q.id]),
                        credit=score_question(q, responses[q.id], quiz.partial_credit) if submitted else None,
                        saved_at=when,
                    )
                    for q in quiz.questions
                ],
            )
        )
        return score

    def survey(self, user_id, phase, when, rng, centre):
        scale = self.course.confidence
        self.rows[SurveyResponse].append(dict(user_id=user_id, path_slug=PATH, phase=phase, submitted_at=when))
        self.survey_values.append([min(scale.max, max(scale.min, round(rng.gauss(centre, 0.8)))) for _ in scale.items])

    def learner(self, n: int, user_id: int, name: str, now: datetime.datetime) -> datetime.datetime | None:
        """Rows for learner ``n`` at a stage picked from STAGES; returns the last activity."""
        course, rng = self.course, random.Random(n)
        stage = rng.choices([s for s, _ in STAGES], weights=[w for _, w in STAGES])[0]
        if stage == "not_started":
            return None
        module = course.module(MODULE)
        ability = rng.uniform(0.35, 0.95)
        t = now - datetime.timedelta(days=rng.uniform(0, 45), hours=rng.uniform(0, 24))
        step = datetime.timedelta(minutes=rng.randint(3, 40))
        self.rows[PathEnrollment].append(dict(user_id=user_id, path_slug=PATH, started_at=t, completed_at=None))
        first = "A" if n % 2 else "B"  # counterbalanced, as the app assigns them in a cohort
        self.attempt(user_id, course.quizzes[PRETEST], t, rng, ability * 0.7, form=first)
        t += step
        self.survey(user_id, "pre", t, rng, 2.6)
        if stage == "pretest":
            return t
        sections = module.sections
        read = len(sections) if stage != "reading" else rng.randint(1, len(sections) - 1)
        for s in sections[:read]:
            t += step
            self.rows[SectionRead].append(
                dict(user_id=user_id, module_slug=MODULE, section_id=s.id, content_version=module.version, read_at=t)
            )
        self.rows[ModulePosition].append(
            dict(
                user_id=user_id, module_slug=MODULE, section_id=sections[min(read, len(sections) - 1)].id, updated_at=t
            )
        )
        quiz = course.quizzes[QUIZ]
        if stage == "reading":
            if rng.random() < 0.2:  # started the module quiz, not submitted yet
                self.attempt(user_id, quiz, t + step, rng, ability, submitted=False)
            return t
        for _ in range(rng.randint(1, 3)):
            t += step
            score = self.attempt(user_id, quiz, t, rng, ability)
            ability = min(1.0, ability + 0.15)
            if score >= quiz.pass_mark:
                break
        if stage == "quiz":
            return t
        if score < quiz.pass_mark:  # later stages passed the quiz in the end
            t += step
            self.attempt(user_id, quiz, t, rng, 1.0)
        vignettes = course.vignettes_for(MODULE)
        done = len(vignettes) if stage == "completed" else rng.randint(1, len(vignettes))
        for v in vignettes[:done]:
            t += step
            ending = next(node_id for node_id, node in v.nodes.items() if node.ending)
            self.rows[VignetteRun].append(
                dict(
                    user_id=user_id,
                    vignette_id=v.id,
                    content_version=v.version,
                    node_id=ending,
                    started_at=t - step,
                    finished_at=t,
                    ending_id=ending,
                    trust=rng.randint(0, 6),
                    safety=rng.randint(0, 6),
                    referral=rng.randint(0, 6),
                )
            )
        if stage == "vignettes":
            return t
        t += step
        self.attempt(
            user_id, course.quizzes[POSTTEST], t, rng, min(1.0, ability + 0.2), form="B" if first == "A" else "A"
        )
        t += step
        self.survey(user_id, "post", t, rng, 3.9)
        self.rows[PathEnrollment][-1]["completed_at"] = t
        path = course.path(PATH)
        self.rows[Certificate].append(
            dict(
                code=new_code(),
                user_id=user_id,
                path_slug=PATH,
                learner_name=name,
                path_title=path.title,
                hours=round(path.minutes / 60, 1),
                completed_on=t.date(),
                issuer=self.app.config["ISSUER_NAME"],
                content_version=course.version,
                issued_at=t,
                holder_erased=False,
            )
        )
        return t

    def flush(self):
        for model in (SectionRead, ModulePosition, PathEnrollment, VignetteRun, Certificate):
            if self.rows[model]:
                db.session.execute(insert(model), self.rows[model])
        if self.attempts:
            answers = [a.pop("_answers") for a in self.attempts]
            ids = db.session.scalars(
                insert(QuizAttempt).returning(QuizAttempt.id, sort_by_parameter_order=True), self.attempts
            ).all()
            db.session.execute(
                insert(AttemptAnswer), [dict(attempt_id=i, **row) for i, rows in zip(ids, answers) for row in rows]
            )
        if self.rows[SurveyResponse]:
            ids = db.session.scalars(
                insert(SurveyResponse).returning(SurveyResponse.id, sort_by_parameter_order=True),
                self.rows[SurveyResponse],
            ).all()
            items = self.course.confidence.items
            db.session.execute(
                insert(SurveyAnswer),
                [
                    dict(response_id=i, item_id=item.id, value=value)
                    for i, values in zip(ids, self.survey_values)
                    for item, value in zip(items, values)
                ],
            )


def seed(learner_email: str, trainer_email: str, size: int) -> dict:
    app = create_app()
    course = app.extensions["course"]
    module = course.module(MODULE)
    missing = [q for q in (QUIZ, PRETEST, POSTTEST) if q not in course.quizzes]
    if module is None or course.path(PATH) is None or missing:
        raise SystemExit(f"seed: the content lacks path/module {PATH!r} or quizzes {missing}")
    now = utcnow()
    with app.app_context():
        learner = db.session.scalar(select(User).where(User.email == learner_email))
        if learner is None:
            raise SystemExit("seed: run `elearn create-user` for the learner first")
        from elearn.auth.service import create_user

        owner = create_user(
            trainer_email,
            "Tom Benchmark",
            os.environ["ELEARN_PASSWORD"],
            role="trainer",
            sector="andere",
            organisation="Kruispunt",
            verified=True,
        )
        db.session.flush()
        # The benchmark learner: a few sections read and a certificate to verify.
        db.session.execute(
            insert(SectionRead),
            [
                dict(
                    user_id=learner.id, module_slug=MODULE, section_id=s.id, content_version=module.version, read_at=now
                )
                for s in module.sections[:3]
            ],
        )
        path = course.path(PATH)
        cert = Certificate(
            code=new_code(),
            user_id=learner.id,
            path_slug=PATH,
            learner_name=learner.name,
            path_title=path.title,
            hours=round(path.minutes / 60, 1),
            completed_on=now.date(),
            issuer=app.config["ISSUER_NAME"],
            content_version=course.version,
        )
        db.session.add(cert)

        from elearn.trainer.cohorts import create_cohort

        cohort = create_cohort(
            owner,
            name=f"Benchmark {size}",
            path_slug=PATH,
            starts_on=now.date() - datetime.timedelta(days=60),
            ends_on=None,
            description="Seeded by benchmarks/run.py",
        )
        db.session.commit()

        rng = random.Random(2026)
        users = [
            dict(
                email=f"bench-{i:05d}@example.org",
                name=f"Deelnemer {i:04d}",
                password_hash="!",
                organisation=rng.choice(("JAC Gent", "CAW Antwerpen", "Sensoa", "Free Clinic", "")),
                sector=rng.choice(SECTORS),
                role="learner",
                session_version=0,
                active_path=PATH,
                created_at=now - datetime.timedelta(days=70),
                email_verified_at=now - datetime.timedelta(days=70),
            )
            for i in range(size)
        ]
        ids = db.session.scalars(insert(User).returning(User.id, sort_by_parameter_order=True), users).all()
        db.session.execute(
            insert(CohortMember),
            [
                dict(cohort_id=cohort.id, user_id=uid, joined_at=now - datetime.timedelta(days=rng.uniform(45, 60)))
                for uid in ids
            ],
        )
        seeder = Seeder(app, course)
        last_active = {}
        for n, (uid, row) in enumerate(zip(ids, users)):
            last_active[uid] = seeder.learner(n, uid, row["name"], now)
        seeder.flush()
        active = [dict(id=uid, last_active_at=when) for uid, when in last_active.items() if when is not None]
        if active:
            db.session.execute(update(User), active)  # bulk UPDATE by primary key
        db.session.commit()
        counts = {model.__tablename__: len(rows) for model, rows in seeder.rows.items()}
        counts["quiz_attempts"] = len(seeder.attempts)
        result = dict(
            module=MODULE,
            section_id=module.sections[0].id,
            section_title=module.sections[0].title,
            sections=[s.id for s in module.sections],
            sections_read=min(3, len(module.sections)),
            quiz=QUIZ,
            certificate=dict(
                code=cert.code,
                learner_name=cert.learner_name,
                path_title=cert.path_title,
                hours=cert.hours,
                completed_on=cert.completed_on.isoformat(),
                issuer=cert.issuer,
                verify_url=verify_url(cert.code),
            ),
            cohort_id=cohort.id,
            cohort_size=size,
            rows=counts,
        )
        db.session.remove()
        db.engine.dispose()
    return result


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    print(json.dumps(seed(argv[0], argv[1], int(argv[2]))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
