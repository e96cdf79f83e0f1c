"""Bulk queries that turn stored rows into ``LearnerRecord``s (a fixed number of queries)."""

from __future__ import annotations

from sqlalchemy import bindparam, func, select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import ModulePosition, QuizAttempt, SectionRead, SurveyResponse, VignetteRun, utcnow
from .completion import LearnerRecord


def load_records(user_ids: list[int]) -> dict[int, LearnerRecord]:
    """Records for a few learners in four queries (a cohort's dashboard aggregates in SQL
    instead: ``trainer/cohort_progress.py``)."""
    records = {uid: LearnerRecord() for uid in user_ids}
    if not user_ids:
        return records

    def latest(record, when):
        if when and (record.last_activity is None or when > record.last_activity):
            record.last_activity = when

    for uid, slug, sid, at in db.session.execute(
        select(SectionRead.user_id, SectionRead.module_slug, SectionRead.section_id, SectionRead.read_at).where(
            SectionRead.user_id.in_(user_ids)
        )
    ):
        records[uid].read.add((slug, sid))
        latest(records[uid], at)
    rows = db.session.execute(
        select(
            QuizAttempt.user_id,
            QuizAttempt.quiz_id,
            QuizAttempt.kind,
            QuizAttempt.score,
            QuizAttempt.passed,
            QuizAttempt.submitted_at,
        )
        .where(QuizAttempt.user_id.in_(user_ids), QuizAttempt.submitted_at.is_not(None))
        .order_by(QuizAttempt.submitted_at, QuizAttempt.id)
    )
    for uid, quiz_id, kind, score, passed, at in rows:
        rec = records[uid]
        best = max(score, rec.quiz_scores.get(quiz_id, (0.0, 0.0))[0])
        rec.quiz_scores[quiz_id] = (best, score)
        if kind == "module":
            if passed:
                rec.passed_quizzes.add(quiz_id)
        else:
            rec.submitted_tests.add(quiz_id)
        latest(rec, at)
    for uid, vid, at in db.session.execute(
        select(VignetteRun.user_id, VignetteRun.vignette_id, VignetteRun.finished_at).where(
            VignetteRun.user_id.in_(user_ids), VignetteRun.finished_at.is_not(None)
        )
    ):
        records[uid].finished_vignettes.add(vid)
        latest(records[uid], at)
    for uid, slug, phase, at in db.session.execute(
        select(
            SurveyResponse.user_id, SurveyResponse.path_slug, SurveyResponse.phase, SurveyResponse.submitted_at
        ).where(SurveyResponse.user_id.in_(user_ids))
    ):
        records[uid].surveys.add((slug, phase))
        latest(records[uid], at)
    return records


def load_record(user_id: int) -> LearnerRecord:
    return load_records([user_id])[user_id]


def mark_read(user_id: int, module, section_id: str) -> None:
    """Record a section as read (idempotent, safe when two requests race); the learner resumes
    at the section after it."""
    exists = db.session.scalar(
        select(func.count())
        .select_from(SectionRead)
        .where(
            SectionRead.user_id == user_id, SectionRead.module_slug == module.slug, SectionRead.section_id == section_id
        )
    )
    if not exists:
        try:
            with db.session.begin_nested():
                db.session.add(
                    SectionRead(
                        user_id=user_id, module_slug=module.slug, section_id=section_id, content_version=module.version
                    )
                )
        except IntegrityError:
            pass  # the other request recorded it first
    index = module.section_ids.index(section_id)
    remember_position(user_id, module.slug, module.section_ids[min(index + 1, len(module.sections) - 1)])


def remember_position(user_id: int, slug: str, section_id: str) -> None:
    position = db.session.get(ModulePosition, (user_id, slug))
    if position is None:
        try:
            with db.session.begin_nested():
                db.session.add(ModulePosition(user_id=user_id, module_slug=slug, section_id=section_id))
        except IntegrityError:
            pass
    elif position.section_id != section_id:
        position.section_id = section_id
        position.updated_at = utcnow()


# Built once: the reader's sidebar asks for it on every page turn.
_READ_IN_MODULE = select(SectionRead.section_id).where(
    SectionRead.user_id == bindparam("user_id"), SectionRead.module_slug == bindparam("slug")
)


def read_sections(user_id: int, slug: str) -> set[str]:
    """Section ids of one module the learner has read (one query)."""
    return set(db.session.scalars(_READ_IN_MODULE, {"user_id": user_id, "slug": slug}))


def resume_section(user_id: int, module) -> str:
    """The section to reopen: where the learner last was, else the first unread one."""
    position = db.session.get(ModulePosition, (user_id, module.slug))
    if position and module.section(position.section_id):
        return position.section_id
    read = read_sections(user_id, module.slug)
    return next((s.id for s in module.sections if s.id not in read), module.sections[0].id)
