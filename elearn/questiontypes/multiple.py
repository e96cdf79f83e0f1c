"""Multiple response: any number of correct options (at least one); partial credit for right
picks minus wrong picks when the quiz allows it."""

from __future__ import annotations

from .base import InvalidAnswer
from .options import OptionsType


class MultipleResponse(OptionsType):
    name = "multiple"

    def check_key(self, f, raw, n_correct):
        if n_correct < 1:
            f.problem(raw.line, "a multiple-response question needs at least 1 correct option")

    def parse_answer(self, shown, form):
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

    def right_response(self, question):
        return sorted(o.id for o in question.options if o.correct)

    def wrong_response(self, question, rng):
        """All correct options but the first, plus one wrong option."""
        correct = [o.id for o in question.options if o.correct]
        wrong = [o.id for o in question.options if not o.correct]
        return sorted(correct[1:] + [rng.choice(wrong)]) if wrong else self.right_response(question)
