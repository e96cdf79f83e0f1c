"""The cohort dashboard's aggregate query against the per-record Python it replaced, on a varied
cohort (every state, stale content ids, retakes, erased accounts, revoked certificates), and the
streamed exports read as a client reads them."""

import csv
import datetime
import io
import random

import pytest
from conftest import login, make_user
from helpers import stored_certificate
from openpyxl import load_workbook
from sqlalchemy import select
from test_trainer import create_cohort, join

from elearn.config import Config
from elearn.content import posttest_id, pretest_id
from elearn.extensions import db
from elearn.learn.completion import path_status
from elearn.learn.progress import load_records
from elearn.models import (
    AuditEvent,
    Certificate,
    Cohort,
    CohortMember,
    CohortTrainer,
    QuizAttempt,
    SectionRead,
    SurveyAnswer,
    SurveyResponse,
    User,
    VignetteRun,
    utcnow,
)
from elearn.trainer import exports
from elearn.trainer.dashboard import SORTS, STATES, CohortProgress, LearnerRow, state_of
from elearn.trainer.labels import STATE_LABELS

PATH = "volledig"


def _reference_rows(course, cohort) -> list[LearnerRow]:
    """The dashboard's rows as they were computed before the aggregate query: every record of
    every member loaded, each learner's status computed in Python (members in user id order)."""
    path = course.path(cohort.path_slug)
    members = db.session.execute(
        select(User.id, User.name, User.organisation, User.erased_at, CohortMember.joined_at)
        .join(CohortMember, CohortMember.user_id == User.id)
        .where(CohortMember.cohort_id == cohort.id)
        .order_by(User.id)
    ).all()
    records = load_records([m.id for m in members])
    certs = {
        uid: "revoked" if revoked else "valid"
        for uid, revoked in db.session.execute(
            select(Certificate.user_id, Certificate.revoked_at).where(Certificate.path_slug == cohort.path_slug)
        )
    }
    surveys: dict = {}
    for uid, phase, value in db.session.execute(
        select(SurveyResponse.user_id, SurveyResponse.phase, SurveyAnswer.value)
        .join(SurveyAnswer, SurveyAnswer.response_id == SurveyResponse.id)
        .where(SurveyResponse.path_slug == cohort.path_slug)
    ):
        surveys.setdefault((uid, phase), []).append(value)

    def mean(values):
        return round(sum(values) / len(values), 2) if values else None

    def state(status, last, now):
        if status.complete:
            return "completed"
        if not status.started:
            return "not_started"
        if last is None or now - last > datetime.timedelta(days=14):
            return "inactive"
        return "in_progress"

    now = utcnow()
    rows = []
    for m in members:
        rec = records[m.id]
        status = path_status(course, path, rec) if path else None
        rows.append(
            LearnerRow(
                user_id=m.id,
                name=m.name,
                organisation=m.organisation,
                erased=m.erased_at is not None,
                status=status,
                quiz_best={s: rec.quiz_scores[s][0] for s in (path.modules if path else ()) if s in rec.quiz_scores},
                pre_score=rec.quiz_scores.get(pretest_id(cohort.path_slug), (None,))[0],
                post_score=rec.quiz_scores.get(posttest_id(cohort.path_slug), (None,))[0],
                confidence_pre=mean(surveys.get((m.id, "pre"), [])),
                confidence_post=mean(surveys.get((m.id, "post"), [])),
                certificate=certs.get(m.id, "none"),
                last_activity=rec.last_activity,
                joined_at=m.joined_at,
                state=state(status, rec.last_activity, now) if status else "not_started",
            )
        )
    return rows


def _reference_order(rows, state, sort, descending):
    if state in STATES:
        rows = [r for r in rows if r.state == state]
    keys = {
        "name": lambda r: r.name.lower(),
        "progress": lambda r: r.status.percent if r.status else 0,
        "activity": lambda r: r.last_activity or datetime.datetime.min,
    }
    return [r.user_id for r in sorted(rows, key=keys[sort], reverse=descending)]


def _varied_cohort(app, size=60, seed=7):
    """A cohort on the full path with learners at every stage, built row by row at random, plus
    hand-made cases: finished (recently and long ago), erased, revoked, stale content ids."""
    rng = random.Random(seed)
    course = app.extensions["course"]
    path = course.path(PATH)
    now = utcnow()
    with app.app_context():
        owner = make_user(app, email="eigenaar@example.org", name="Eigenaar", role="trainer")
        cohort = Cohort(name="Gevarieerd", path_slug=PATH, starts_on=now.date(), owner_id=owner, invite_code="VARIED01")
        outsider = User(email="buiten@example.org", name="Buitenstaander", password_hash="x")
        db.session.add_all([cohort, outsider])
        db.session.flush()
        db.session.add(CohortTrainer(cohort_id=cohort.id, user_id=owner))
        names = ["Émile", "emma", "Zoë", "anna", "Anna", "Bram", "bram", "Çelik", "Ödön", "Lotte"]
        users = []
        for i in range(size):
            user = User(
                email=f"v{i}@example.org",
                name=rng.choice(names) + (f" {i % 7}" if i % 3 else ""),
                organisation=rng.choice(["JAC", "CAW", ""]),
                password_hash="x",
            )
            if i % 11 == 5:
                user.name, user.erased_at = "—", now
            users.append(user)
        db.session.add_all(users)
        db.session.flush()
        db.session.add_all(
            CohortMember(cohort_id=cohort.id, user_id=u.id, joined_at=now - datetime.timedelta(days=i))
            for i, u in enumerate(users)
        )

        def when():
            return now - datetime.timedelta(days=rng.choice([0, 1, 5, 13, 15, 30, 60]), minutes=rng.randrange(1000))

        def attempt(user, quiz_id, kind, score, submitted=True):
            db.session.add(
                QuizAttempt(
                    user_id=user.id,
                    quiz_id=quiz_id,
                    kind=kind,
                    seed=1,
                    content_version="x",
                    started_at=now,
                    submitted_at=when() if submitted else None,
                    score=score if submitted else None,
                    passed=(score >= 80) if kind == "module" and submitted else None,
                )
            )

        def survey(user, path_slug, phase, values):
            response = SurveyResponse(user_id=user.id, path_slug=path_slug, phase=phase, submitted_at=when())
            db.session.add(response)
            db.session.flush()
            db.session.add_all(
                SurveyAnswer(response_id=response.id, item_id=f"s{k}", value=v) for k, v in enumerate(values)
            )

        def everything(user, at):
            for slug in path.modules:
                for s in course.module(slug).sections:
                    db.session.add(
                        SectionRead(user_id=user.id, module_slug=slug, section_id=s.id, content_version="x", read_at=at)
                    )
                attempt(user, slug, "module", 90.0)
                for v in course.vignettes_for(slug):
                    db.session.add(
                        VignetteRun(user_id=user.id, vignette_id=v.id, content_version="x", node_id="e", finished_at=at)
                    )
            attempt(user, pretest_id(PATH), "pretest", 40.0)
            attempt(user, posttest_id(PATH), "posttest", 85.0)
            survey(user, PATH, "pre", [2, 3])
            survey(user, PATH, "post", [4, 5, 4])

        for i, user in enumerate(users):
            kind = i % 6
            if kind == 0:
                continue  # joined only
            if kind == 5:
                everything(user, now - datetime.timedelta(days=40 if i % 12 == 5 else 1))
                if i % 4 == 1:
                    certificate = stored_certificate(
                        user.id,
                        f"c{i}",
                        path_slug=PATH,
                        completed_on=now.date(),
                        revoked_at=now if i % 8 == 5 else None,
                    )
                    db.session.add(certificate)
                continue
            for slug in rng.sample(path.modules, rng.randrange(len(path.modules) + 1)):
                ids = [s.id for s in course.module(slug).sections]
                for sid in rng.sample(ids, rng.randrange(len(ids) + 1)) + (
                    ["oude-sectie"] if rng.random() < 0.3 else []
                ):
                    db.session.add(
                        SectionRead(
                            user_id=user.id, module_slug=slug, section_id=sid, content_version="x", read_at=when()
                        )
                    )
                for _ in range(rng.randrange(3)):  # retakes, best first or last
                    attempt(user, slug, "module", rng.choice([40.0, 60.0, 80.0, 100.0, 66.66666666666667]))
                if rng.random() < 0.2:
                    attempt(user, slug, "module", 0.0, submitted=False)
                for v in course.vignettes_for(slug):
                    if rng.random() < 0.5:
                        finished = when() if rng.random() < 0.7 else None
                        db.session.add(
                            VignetteRun(
                                user_id=user.id,
                                vignette_id=v.id,
                                content_version="x",
                                node_id="n",
                                finished_at=finished,
                            )
                        )
            if rng.random() < 0.2:  # a module and a vignette that left the content
                db.session.add(
                    SectionRead(user_id=user.id, module_slug="weg", section_id="s", content_version="x", read_at=when())
                )
                db.session.add(
                    VignetteRun(
                        user_id=user.id, vignette_id="weg-casus", content_version="x", node_id="n", finished_at=when()
                    )
                )
            if rng.random() < 0.6:
                attempt(user, pretest_id(PATH), "pretest", rng.choice([20.0, 50.0, 72.5]))
            if rng.random() < 0.3:
                for _ in range(rng.randrange(1, 3)):
                    attempt(user, posttest_id(PATH), "posttest", rng.choice([50.0, 70.0, 95.0]))
            if rng.random() < 0.5:
                survey(user, PATH, "pre", [rng.randrange(1, 6) for _ in range(rng.randrange(0, 4))])
            if rng.random() < 0.3:
                survey(user, PATH, "post", [rng.randrange(1, 6) for _ in range(3)])
            if rng.random() < 0.2:
                survey(user, "basis", "pre", [1, 1])  # another path: activity only
            if rng.random() < 0.1:
                attempt(user, "pre-basis", "pretest", 10.0)
        # the outsider's progress must not appear anywhere
        db.session.add(SectionRead(user_id=outsider.id, module_slug="basis", section_id="x", content_version="x"))
        db.session.commit()
        return cohort.id


@pytest.fixture
def full_app(make_app):
    return make_app(CONTENT_DIR=Config.CONTENT_DIR)


def test_aggregate_equals_the_per_record_computation(full_app):
    cohort_id = _varied_cohort(full_app)
    course = full_app.extensions["course"]
    with full_app.test_request_context():
        cohort = db.session.get(Cohort, cohort_id)
        expected = _reference_rows(course, cohort)
        progress = CohortProgress(course, cohort)
        assert list(progress.learner_rows(progress.entries)) == expected
        # the dashboard's way: scales read apart, for the rows shown
        apart = CohortProgress(course, cohort, confidence=False)
        assert list(apart.learner_rows(apart.entries[:50])) == expected[:50]
        assert list(apart.learner_rows(apart.entries)) == expected
        states = {r.state for r in expected}
        assert states == set(STATES), states  # the cohort covers every state
        assert {r.certificate for r in expected} == {"none", "valid", "revoked"}
        assert any(r.erased for r in expected) and any(r.status.percent == 100 for r in expected)
        assert progress.counts() == {s: sum(r.state == s for r in expected) for s in STATES}
        statuses = [r.status for r in expected]
        assert progress.funnel_counts() == [
            ("joined", len(expected)),
            ("started", sum(s.started for s in statuses)),
            ("pretest", sum(s.pretest_done for s in statuses)),
            ("modules", sum(all(m.complete for m in s.modules) for s in statuses)),
            ("posttest", sum(s.posttest_done for s in statuses)),
            ("completed", sum(s.complete for s in statuses)),
        ]
        for state in ("", *STATES):
            for sort in SORTS:
                for descending in (False, True):
                    order = [e.row.user_id for e in progress.select(state, sort, descending)]
                    assert order == _reference_order(expected, state, sort, descending), (state, sort, descending)
        # learners with the same counts share one status object
        assert len({id(e.progress) for e in progress.entries}) < len(progress.entries)


def test_state_rule():
    class P:
        def __init__(self, started, complete):
            self.started, self.complete = started, complete

    now = utcnow()
    recent, old = now - datetime.timedelta(days=14), now - datetime.timedelta(days=14, seconds=1)
    assert state_of(None, recent, now) == "not_started"
    assert state_of(P(False, False), recent, now) == "not_started"
    assert state_of(P(True, True), old, now) == "completed"
    assert state_of(P(True, False), recent, now) == "in_progress"
    assert state_of(P(True, False), old, now) == "inactive"
    assert state_of(P(True, False), None, now) == "inactive"


def test_a_cohort_whose_path_left_the_content(app, trainer, learner):
    cohort_id, code = create_cohort(trainer)
    join(learner, code)
    with app.app_context():
        db.session.get(Cohort, cohort_id).path_slug = "weg"
        db.session.commit()
    page = trainer.get(f"/trainer/cohorts/{cohort_id}").get_data(as_text=True)
    assert "Lea Leerling" in page and "Niet gestart (1)" in page
    body = trainer.get(f"/trainer/cohorts/{cohort_id}/export.csv").get_data(as_text=True)
    assert body.splitlines()[1].startswith("Lea Leerling;JAC Gent;niet gestart;0;")


def _stream(response) -> bytes:
    """The body read chunk by chunk, as a client receives it."""
    chunks = list(response.response)
    response.close()
    return b"".join(chunks)


def test_exports_stream_what_the_dashboard_shows(full_app, monkeypatch):
    cohort_id = _varied_cohort(full_app, size=30)
    monkeypatch.setattr(exports, "CSV_CHUNK_LINES", 7)
    client = full_app.test_client()
    login(client, "eigenaar@example.org")
    course = full_app.extensions["course"]
    with full_app.test_request_context():
        cohort = db.session.get(Cohort, cohort_id)
        expected = _reference_rows(course, cohort)
    by_id = {r.user_id: r for r in expected}
    order = _reference_order(expected, "", "progress", True)

    response = client.get(f"/trainer/cohorts/{cohort_id}/export.csv?sort=progress&desc=1", buffered=False)
    assert response.status_code == 200 and response.is_streamed
    assert response.headers["Content-Disposition"] == f"attachment; filename=groep-{cohort_id}-deelnemers.csv"
    chunks = list(response.response)
    response.close()
    assert len(chunks) == 5  # 31 lines in chunks of 7
    text = b"".join(chunks).decode()
    assert text.startswith("\ufeffNaam;") and text.count("\ufeff") == 1
    lines = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert len(lines) == 31
    for line, uid in zip(lines[1:], order, strict=True):
        row = by_id[uid]
        assert line[0] == ("(gewist account)" if row.erased else row.name)
        assert line[2] == str(STATE_LABELS[row.state][1]) and line[3] == str(row.status.percent)
        assert line[-2] == (row.last_activity.strftime("%Y-%m-%d %H:%M") if row.last_activity else "")
    revoked = next(r for r in expected if r.certificate == "revoked")
    assert lines[1 + order.index(revoked.user_id)][-3] == "ingetrokken"

    response = client.get(f"/trainer/cohorts/{cohort_id}/export.xlsx?state=completed&sort=name", buffered=False)
    assert response.status_code == 200 and response.is_streamed
    sheet = load_workbook(io.BytesIO(_stream(response))).active
    completed = _reference_order(expected, "completed", "name", False)
    assert [c.value for c in sheet["A"]][1:] == [
        "(gewist account)" if by_id[u].erased else by_id[u].name for u in completed
    ]
    assert {c.value for c in sheet["C"][1:]} == {"afgerond"} and sheet.freeze_panes == "A2"


def test_xlsx_temporary_file_is_removed_once_sent(app, trainer, monkeypatch):
    import tempfile

    cohort_id, _code = create_cohort(trainer)
    opened = []
    real = tempfile.TemporaryFile

    def tracked(*args, **kwargs):
        opened.append(real(*args, **kwargs))
        return opened[-1]

    monkeypatch.setattr(exports.tempfile, "TemporaryFile", tracked)
    response = trainer.get(f"/trainer/cohorts/{cohort_id}/export.xlsx", buffered=False)
    assert len(opened) == 1 and not opened[0].closed  # built before the response, sent from the file
    assert load_workbook(io.BytesIO(_stream(response))).active["A1"].value == "Naam"
    assert opened[0].closed
    # a client that goes away early closes it too
    response = trainer.get(f"/trainer/cohorts/{cohort_id}/export.xlsx", buffered=False)
    next(iter(response.response))
    response.close()
    assert len(opened) == 2 and opened[1].closed


def test_a_csv_that_fails_midway_is_not_logged(app, trainer, learner, monkeypatch):
    cohort_id, code = create_cohort(trainer)
    join(learner, code)

    def failing(rows, course, path):
        yield from [["regel"]] * exports.CSV_CHUNK_LINES  # a first chunk goes out
        raise RuntimeError("database gone")

    monkeypatch.setattr(exports, "learner_lines", failing)
    response = trainer.get(f"/trainer/cohorts/{cohort_id}/export.csv", buffered=False)
    assert response.status_code == 200  # the headers went out before the failure
    with pytest.raises(RuntimeError):
        _stream(response)
    with app.app_context():
        assert db.session.query(AuditEvent).filter_by(event="data.exported").count() == 0


@pytest.mark.parametrize("url", ["export.pdf", "export.CSV", "items.json", "export.", "items.xlsx.csv"])
def test_only_csv_and_xlsx_are_export_formats(app, trainer, url):
    cohort_id, _code = create_cohort(trainer)
    assert trainer.get(f"/trainer/cohorts/{cohort_id}/{url}").status_code == 404
    for fmt in ("csv", "xlsx"):
        assert trainer.get(f"/trainer/cohorts/{cohort_id}/items.{fmt}").status_code == 200


def test_labels_come_from_one_list(app, trainer, learner):
    cohort_id, code = create_cohort(trainer)
    join(learner, code)
    page = trainer.get(f"/trainer/cohorts/{cohort_id}").get_data(as_text=True)
    for state, (chip, _cell) in STATE_LABELS.items():
        assert f"state={state}" in page and f">{chip} (" in page
    trainer_en = app.test_client()
    login(trainer_en, "trainer@example.org")
    from conftest import post_form

    post_form(trainer_en, "/language", {"lang": "en", "next": "/trainer/cohorts"}, token_from="/trainer/cohorts")
    english = trainer_en.get(f"/trainer/cohorts/{cohort_id}").get_data(as_text=True)
    assert "Not started (1)" in english and "Inactive for 14 days (0)" in english
    body = trainer_en.get(f"/trainer/cohorts/{cohort_id}/export.csv").get_data(as_text=True)
    assert body.splitlines()[1].split(",")[2] == "not started"
