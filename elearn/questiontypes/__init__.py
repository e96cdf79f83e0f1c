"""Question types: one class per type, in one module each, registered in ``TYPES``.

A type owns everything that differs between kinds of question: parsing its YAML fields (called
by the content loader), the order an attempt shows its options in, turning a posted form into a
response, scoring, the choice ids for distractor counts and their answer texts, and its two
templates (``templates/quiz/types/<name>/question.html`` and ``review.html``). No Flask import:
the content loader uses this package.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..content.model import Question
from .base import InvalidAnswer, QuestionType, ShownQuestion
from .matching import Matching
from .multiple import MultipleResponse
from .single import SingleChoice
from .truefalse import TrueFalse

#: every question type, in the order the loader names them; a new type is registered here
TYPES: tuple[QuestionType, ...] = (SingleChoice(), MultipleResponse(), TrueFalse(), Matching())
#: every YAML field some question type reads
TYPE_FIELDS = frozenset().union(*(t.fields for t in TYPES))
REGISTRY: dict[str, QuestionType] = {t.name: t for t in TYPES}

__all__ = [
    "REGISTRY",
    "TYPES",
    "TYPE_FIELDS",
    "InvalidAnswer",
    "QuestionType",
    "ShownQuestion",
    "question_type",
    "score_attempt",
    "score_question",
    "shown_question",
    "type_names",
]


def question_type(question: Question) -> QuestionType:
    """The class instance that handles ``question``."""
    return REGISTRY[question.type]


def type_names(*, bank: bool = False) -> tuple[str, ...]:
    """The ``type`` values a module quiz (or with ``bank``, the item bank) may use."""
    return tuple(t.name for t in TYPES if t.in_item_bank or not bank)


def shown_question(question: Question, seed: int) -> ShownQuestion:
    """One question with its options (and matching choices) in the attempt's order."""
    return question_type(question).shown(question, seed)


def score_question(question: Question, response: Any, partial_credit: bool = True) -> float:
    """Credit 0..1 for one response; no answer scores 0."""
    if response is None:
        return 0.0
    return question_type(question).score(question, response, partial_credit)


def score_attempt(questions, responses: Mapping[str, Any], partial_credit: bool = True) -> float:
    """Percentage 0-100: the mean credit over all questions (unanswered ones count 0)."""
    if not questions:
        return 0.0
    total = sum(score_question(q, responses.get(q.id), partial_credit) for q in questions)
    return round(100 * total / len(questions), 2)
