"""Learner-side logic for paths and the confidence scale."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..certs.service import issue_if_complete
from ..content import Course
from ..extensions import db
from ..models import Certificate, PathEnrollment, SurveyAnswer, SurveyResponse, User, utcnow
from .completion import path_status
from .progress import load_record


def choose_path(user: User, slug: str) -> None:
    """Make ``slug`` the learner's active path and enrol them once."""
    user.active_path = slug
    if not db.session.scalar(
        select(PathEnrollment.id).where(PathEnrollment.user_id == user.id, PathEnrollment.path_slug == slug)
    ):
        try:
            with db.session.begin_nested():
                db.session.add(PathEnrollment(user_id=user.id, path_slug=slug))
        except IntegrityError:
            pass


def survey_answers(user_id: int, path_slug: str, phase: str) -> dict[str, int] | None:
    """The stored answers of one confidence scale, or None when not filled in."""
    response = db.session.scalar(
        select(SurveyResponse).where(
            SurveyResponse.user_id == user_id, SurveyResponse.path_slug == path_slug, SurveyResponse.phase == phase
        )
    )
    if response is None:
        return None
    return dict(
        db.session.execute(
            select(SurveyAnswer.item_id, SurveyAnswer.value).where(SurveyAnswer.response_id == response.id)
        ).all()
    )


def save_survey(user_id: int, path_slug: str, phase: str, values: dict[str, int]) -> bool:
    """Store one filled-in scale; a second submission of the same phase is ignored (False)."""
    try:
        with db.session.begin_nested():
            response = SurveyResponse(user_id=user_id, path_slug=path_slug, phase=phase)
            db.session.add(response)
            db.session.flush()
            db.session.add_all(SurveyAnswer(response_id=response.id, item_id=k, value=v) for k, v in values.items())
    except IntegrityError:
        return False
    return True


def complete_paths(user: User, course: Course) -> Certificate | None:
    """Finish every path of the learner that is now complete: stamp the enrolment and issue the
    certificate once. Called on each POST that can complete a last step (reading, a quiz or
    test submitted, a vignette ending, the closing scale); never on a GET.

    Returns the certificate issued by this call, or None when nothing was newly completed.
    """
    enrolments = {
        e.path_slug: e
        for e in db.session.scalars(
            select(PathEnrollment).where(PathEnrollment.user_id == user.id, PathEnrollment.completed_at.is_(None))
        )
    }
    held = set(db.session.scalars(select(Certificate.path_slug).where(Certificate.user_id == user.id)))
    open_slugs = set(enrolments)
    if user.active_path and user.active_path not in held:
        open_slugs.add(user.active_path)
    paths = [p for p in course.paths if p.slug in open_slugs]
    if not paths:
        return None
    record = load_record(user.id)
    issued = None
    for lp in paths:
        status = path_status(course, lp, record)
        if not status.complete:
            continue
        if lp.slug in enrolments:
            enrolments[lp.slug].completed_at = utcnow()
        if lp.slug in held:
            continue
        cert = issue_if_complete(user, lp, status)
        if cert is not None and issued is None:
            issued = cert
    return issued
