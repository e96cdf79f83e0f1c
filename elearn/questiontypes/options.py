"""Questions answered by picking written options: the shared part of single and multiple."""

from __future__ import annotations

from ..content.fields import Fields
from ..content.model import Option
from ..content.render import render_inline
from .base import QuestionType


class OptionsType(QuestionType):
    """Options with an id, a text, whether they are correct and feedback, listed in the YAML."""

    fields = frozenset({"options"})

    def parse_fields(self, f: Fields, raw) -> dict[str, tuple]:
        items = f.get(raw, "options", list, default=[])
        out, seen = [], {}
        for item in items:
            if f.mapping(item, "option", items.line) is None:
                continue
            f.known(item, {"id", "text", "correct", "feedback"}, "option")
            oid, text = f.ident(item), f.get(item, "text", str)
            correct = f.get(item, "correct", bool, default=False)
            feedback = f.get(item, "feedback", str)
            if oid and text and feedback:
                f.unique(seen, oid, item.line, "option id")
                out.append(Option(oid, render_inline(text), bool(correct), render_inline(feedback)))
        if items and len(items) < 2:
            f.problem(items.line, "a question needs at least 2 options")
        if out:
            self.check_key(f, raw, sum(o.correct for o in out))
        return {"options": tuple(out)}

    def check_key(self, f: Fields, raw, n_correct: int) -> None:
        """Record a problem when ``n_correct`` correct options do not fit this type."""
        raise NotImplementedError
