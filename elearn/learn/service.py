"""Learner-side logic for paths and the confidence scale."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import PathEnrollment, SurveyAnswer, SurveyResponse, User


def choose_path(user: User, slug: str) -> None:
    """Make ``slug`` the learner's active path and enrol them once."""
    user.active_path = slug
    if not db.session.scalar(select(PathEnrollment.id).where(
            PathEnrollment.user_id == user.id, PathEnrollment.path_slug == slug)):
        try:
            with db.session.begin_nested():
                db.session.add(PathEnrollment(user_id=user.id, path_slug=slug))
        except IntegrityError:
            pass


def survey_answers(user_id: int, path_slug: str, phase: str) -> dict[str, int] | None:
    """The stored answers of one confidence scale, or None when not filled in."""
    response = db.session.scalar(select(SurveyResponse).where(
        SurveyResponse.user_id == user_id, SurveyResponse.path_slug == path_slug,
        SurveyResponse.phase == phase))
    if response is None:
        return None
    return dict(db.session.execute(select(SurveyAnswer.item_id, SurveyAnswer.value)
                                   .where(SurveyAnswer.response_id == response.id)).all())


def save_survey(user_id: int, path_slug: str, phase: str, values: dict[str, int]) -> bool:
    """Store one filled-in scale; a second submission of the same phase is ignored (False)."""
    try:
        with db.session.begin_nested():
            response = SurveyResponse(user_id=user_id, path_slug=path_slug, phase=phase)
            db.session.add(response)
            db.session.flush()
            db.session.add_all(SurveyAnswer(response_id=response.id, item_id=k, value=v)
                               for k, v in values.items())
    except IntegrityError:
        return False
    return True
