"""The stored answers of an attempt (shared by the attempt service and the parallel forms)."""

from __future__ import annotations

import json

from sqlalchemy import select

from ..extensions import db
from ..models import AttemptAnswer


def load_responses(attempt_id: int) -> dict[str, object]:
    """Question id -> the response stored for it in this attempt (decoded JSON)."""
    return {
        qid: json.loads(resp)
        for qid, resp in db.session.execute(
            select(AttemptAnswer.question_id, AttemptAnswer.response).where(AttemptAnswer.attempt_id == attempt_id)
        )
    }
