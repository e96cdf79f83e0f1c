"""Matching: every left-hand term gets one right-hand side from a shuffled list that may hold
extra (wrong) sides; credit is the share of terms matched right. Not in the item bank."""

from __future__ import annotations

import random

from ..content.model import Pair
from ..content.render import plain_text, render_inline
from .base import InvalidAnswer, QuestionType, ShownQuestion


class Matching(QuestionType):
    """A response maps left id -> right id; a pair's own right side has the pair's id, the
    extra sides are ``extra-0``, ``extra-1``, ..."""

    name = "matching"
    fields = frozenset({"pairs", "extra_right"})
    in_item_bank = False

    def parse_fields(self, f, raw):
        items = f.get(raw, "pairs", list, default=[])
        out, seen, rights = [], {}, {}
        for item in items:
            if f.mapping(item, "pair", items.line) is None:
                continue
            f.known(item, {"id", "left", "right", "feedback"}, "pair")
            pid, left, right = f.ident(item), f.get(item, "left", str), f.get(item, "right", str)
            feedback = f.get(item, "feedback", str)
            if pid and left and right and feedback:
                f.unique(seen, pid, item.line, "pair id")
                f.unique(rights, right, item.line, "right-hand side")
                out.append(Pair(pid, render_inline(left), right, render_inline(feedback)))
        if items and len(items) < 2:
            f.problem(items.line, "a matching question needs at least 2 pairs")
        return {"pairs": tuple(out), "extra_rights": f.str_list(raw, "extra_right", required=False)}

    @staticmethod
    def right_sides(question) -> list[tuple[str, str]]:
        """(right id, text) of every right-hand side, the pairs' own first, then the extra ones."""
        return [(p.id, p.right) for p in question.pairs] + [
            (f"extra-{i}", text) for i, text in enumerate(question.extra_rights)
        ]

    def shown(self, question, seed):
        rights = self.right_sides(question)
        random.Random(f"{seed}:{question.id}:r").shuffle(rights)
        return ShownQuestion(question, (), tuple(rights))

    def parse_answer(self, shown, form):
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

    def right_response(self, question):
        return {p.id: p.id for p in question.pairs}

    def wrong_response(self, question, rng):
        """Every term matched to the next term's side."""
        ids = [p.id for p in question.pairs]
        if len(ids) < 2:
            return self.right_response(question)
        return dict(zip(ids, ids[1:] + ids[:1], strict=True))

    def answer_text(self, question, choice, gettext):
        left_id, _sep, right_id = choice.partition("=")
        pair = next((p for p in question.pairs if p.id == left_id), None)
        if pair is None:
            return None
        right = dict(self.right_sides(question)).get(right_id, right_id)
        return f"{plain_text(pair.left_html)} → {right}", right_id == pair.id
