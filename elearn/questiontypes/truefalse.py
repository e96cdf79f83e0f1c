"""True or false: a statement keyed "waar" or "niet waar", with feedback for either answer."""

from __future__ import annotations

from ..content.model import Option
from ..content.render import render_inline
from .base import InvalidAnswer, ShownQuestion, find_option
from .single import SingleChoice


class TrueFalse(SingleChoice):
    """Scored like a single choice between the options "true" and "false"."""

    name = "truefalse"
    fields = frozenset({"correct", "feedback_true", "feedback_false"})

    def parse_fields(self, f, raw):
        correct = f.get(raw, "correct", bool)
        fb_true = f.get(raw, "feedback_true", str)
        fb_false = f.get(raw, "feedback_false", str)
        if correct is None or not fb_true or not fb_false:
            return {"options": ()}
        # The option texts are interface strings, translated when the question is shown.
        return {
            "options": (
                Option("true", "", correct is True, render_inline(fb_true)),
                Option("false", "", correct is False, render_inline(fb_false)),
            )
        }

    def shown(self, question, seed):
        # "waar" / "niet waar" are the answers themselves, always in that order: nothing to hide.
        return ShownQuestion(question, question.options, ())

    def parse_answer(self, shown, form):
        value = form.get("answer")
        if value is None:
            return []
        if value not in ("true", "false"):
            raise InvalidAnswer(value)
        return [value]

    def answer_cues(self, raw):
        return {"keyed_true": raw.get("correct") is True}

    def answer_text(self, question, choice, gettext):
        option = find_option(question, choice)
        if option is None:
            return None
        return (gettext("Waar") if choice == "true" else gettext("Niet waar")), option.correct
