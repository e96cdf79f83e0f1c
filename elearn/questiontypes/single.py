"""Single choice: one correct option among at least two, shown in a shuffled order."""

from __future__ import annotations

from ..content.cues import strictly_max, text_len
from .base import InvalidAnswer, find_option
from .options import OptionsType


class SingleChoice(OptionsType):
    name = "single"

    def check_key(self, f, raw, n_correct):
        if n_correct != 1:
            f.problem(raw.line, f"a single-choice question needs exactly 1 correct option, has {n_correct}")

    def parse_answer(self, shown, form):
        value = form.get("answer")
        if value is None:
            return []
        option_id = shown.option_at(value)
        if option_id is None:
            raise InvalidAnswer(value)
        return [option_id]

    def score(self, question, response, partial_credit=True):
        option = find_option(question, response[0]) if response and len(response) == 1 else None
        return 1.0 if option is not None and option.correct else 0.0

    def answer_cues(self, raw):
        options = [o for o in raw.get("options") or [] if isinstance(o, dict)]
        keyed = [i for i, o in enumerate(options) if o.get("correct") is True]
        if len(keyed) != 1:
            return {}
        return {"keyed_longest": strictly_max([text_len(o.get("text", "")) for o in options], keyed[0])}
