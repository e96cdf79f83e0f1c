"""Question types: one class each, registered by name. Each parses form input and scores it.

Responses are JSON-able: a list of option ids, or for matching a mapping left-id -> right-id.
Forms post positions in the attempt's shown order (``ShownQuestion``), never content ids;
``parse`` turns them back into ids. Scoring is pure: (question, response, partial_credit) ->
credit between 0 and 1.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..content.model import Question


class InvalidAnswer(ValueError):
    """The submitted value is not one the question offers (a tampered or stale form)."""


class QuestionType:
    name = ""
    template = ""

    def parse(self, shown, form: Mapping) -> Any:
        """The response for a posted form; ``shown`` is the question as the attempt shows it."""
        raise NotImplementedError

    def score(self, question: Question, response: Any, partial_credit: bool = True) -> float:
        raise NotImplementedError

    def is_correct_option(self, question: Question, option_id: str) -> bool:
        return any(o.id == option_id and o.correct for o in question.options)


class SingleChoice(QuestionType):
    name, template = "single", "quiz/types/choice.html"

    def parse(self, shown, form):
        value = form.get("answer")
        if value is None:
            return []
        option_id = shown.option_at(value)
        if option_id is None:
            raise InvalidAnswer(value)
        return [option_id]

    def score(self, question, response, partial_credit=True):
        return 1.0 if response and len(response) == 1 and self.is_correct_option(question, response[0]) else 0.0


class TrueFalse(SingleChoice):
    name, template = "truefalse", "quiz/types/truefalse.html"

    def parse(self, shown, form):
        # "waar" / "niet waar" are the answers themselves, always in that order: nothing to hide.
        value = form.get("answer")
        if value is None:
            return []
        if value not in ("true", "false"):
            raise InvalidAnswer(value)
        return [value]


class MultipleResponse(QuestionType):
    name, template = "multiple", "quiz/types/choice.html"

    def parse(self, shown, form):
        values = form.getlist("answer") if hasattr(form, "getlist") else list(form.get("answer", []))
        ids = [shown.option_at(v) for v in values]
        if None in ids or len(set(ids)) != len(ids):
            raise InvalidAnswer(",".join(values))
        return sorted(ids)

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

    def parse(self, shown, form):
        response = {}
        for pair in shown.question.pairs:
            value = form.get(f"match-{pair.id}") or ""
            if value:
                right_id = shown.right_at(value)
                if right_id is None:
                    raise InvalidAnswer(value)
                response[pair.id] = right_id
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
