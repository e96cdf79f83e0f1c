"""Question types: one class each, registered by name. Each parses form input and scores it.

Responses are JSON-able: a list of option ids, or for matching a mapping left-id -> right-id.
Scoring is pure: (question, response, partial_credit) -> credit between 0 and 1.
"""
from __future__ import annotations

from typing import Any, Mapping

from ..content.model import Question


class InvalidAnswer(ValueError):
    """The submitted value is not one the question offers (a tampered or stale form)."""


class QuestionType:
    name = ""
    template = ""

    def parse(self, question: Question, form: Mapping) -> Any:
        raise NotImplementedError

    def score(self, question: Question, response: Any, partial_credit: bool = True) -> float:
        raise NotImplementedError

    def is_correct_option(self, question: Question, option_id: str) -> bool:
        return any(o.id == option_id and o.correct for o in question.options)


class SingleChoice(QuestionType):
    name, template = "single", "quiz/types/choice.html"

    def parse(self, question, form):
        value = form.get("answer")
        if value is None:
            return []
        if value not in {o.id for o in question.options}:
            raise InvalidAnswer(value)
        return [value]

    def score(self, question, response, partial_credit=True):
        return 1.0 if response and len(response) == 1 and self.is_correct_option(question, response[0]) else 0.0


class TrueFalse(SingleChoice):
    name, template = "truefalse", "quiz/types/truefalse.html"


class MultipleResponse(QuestionType):
    name, template = "multiple", "quiz/types/choice.html"

    def parse(self, question, form):
        values = form.getlist("answer") if hasattr(form, "getlist") else list(form.get("answer", []))
        known = {o.id for o in question.options}
        if any(v not in known for v in values) or len(set(values)) != len(values):
            raise InvalidAnswer(",".join(values))
        return sorted(values)

    def score(self, question, response, partial_credit=True):
        correct = {o.id for o in question.options if o.correct}
        chosen = set(response or [])
        if not partial_credit:
            return 1.0 if chosen == correct else 0.0
        right, wrong = len(chosen & correct), len(chosen - correct)
        return max(0.0, (right - wrong) / len(correct))


class Matching(QuestionType):
    name, template = "matching", "quiz/types/matching.html"

    @staticmethod
    def right_ids(question: Question) -> list[str]:
        return [p.id for p in question.pairs] + [f"extra-{i}" for i in range(len(question.extra_rights))]

    def parse(self, question, form):
        allowed = set(self.right_ids(question))
        response = {}
        for pair in question.pairs:
            value = form.get(f"match-{pair.id}") or ""
            if value and value not in allowed:
                raise InvalidAnswer(value)
            if value:
                response[pair.id] = value
        return response

    def score(self, question, response, partial_credit=True):
        response = response or {}
        hits = sum(1 for p in question.pairs if response.get(p.id) == p.id)
        return hits / len(question.pairs)


REGISTRY: dict[str, QuestionType] = {t.name: t for t in (SingleChoice(), MultipleResponse(), TrueFalse(), Matching())}


def question_type(question: Question) -> QuestionType:
    return REGISTRY[question.type]


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
