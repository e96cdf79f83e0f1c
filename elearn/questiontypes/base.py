"""What every question type does, and the attempt's view of one question (``ShownQuestion``)."""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from ..content.fields import Fields
from ..content.model import Option, Question
from ..content.render import plain_text


class InvalidAnswer(ValueError):
    """The submitted value is not one the question offers (a tampered or stale form)."""


@dataclass(frozen=True)
class ShownQuestion:
    """A question with its options (or matching choices) in the attempt's stored order.

    The form posts an option's (or right-hand side's) position in this order, counted from 1,
    never its content id: the page source gives nothing away about the key.
    """

    question: Question
    options: tuple[Option, ...]
    rights: tuple[tuple[str, str], ...]  # (right id, text) for matching

    def option_at(self, value: str) -> str | None:
        """The option id shown at position ``value`` ("1", "2", ...), None when there is none."""
        return position_at(self.options, value, lambda o: o.id)

    def right_at(self, value: str) -> str | None:
        """The matching right-hand side id shown at position ``value``."""
        return position_at(self.rights, value, lambda r: r[0])


def position_at(items, value: str, key):
    """``key`` of the item a form shows at position ``value`` ("1", "2", ...; ASCII digits only),
    None when the value names no shown position."""
    if not (isinstance(value, str) and value.isascii() and value.isdigit()):  # not "¹" or "٣"
        return None
    index = int(value)
    return key(items[index - 1]) if 1 <= index <= len(items) else None


class QuestionType:
    """One kind of question, from its YAML fields to its templates.

    Responses are JSON-able and hold content ids (a list of option ids, or for matching a
    mapping left id -> right id); the database stores them and ``Question.type`` = ``name``.
    """

    #: the ``type`` value in the content files and the database
    name: ClassVar[str] = ""
    #: YAML fields this type reads besides the ones every question has
    fields: ClassVar[frozenset[str]] = frozenset()
    #: whether the item bank (the parallel pre/post-test forms) may hold this type
    in_item_bank: ClassVar[bool] = True

    @property
    def question_template(self) -> str:
        """The form fields of a question page (context: ``shown``, ``response``)."""
        return f"quiz/types/{self.name}/question.html"

    @property
    def review_template(self) -> str:
        """One answer on the review page (context: ``s``, ``q``, ``resp``, ``reveal``)."""
        return f"quiz/types/{self.name}/review.html"

    def parse_fields(self, f: Fields, raw) -> dict[str, tuple]:
        """The ``Question`` fields this type fills from its YAML mapping; problems go to ``f``."""
        raise NotImplementedError

    def shown(self, question: Question, seed: int) -> ShownQuestion:
        """The question as the attempt with ``seed`` shows it: options in a fixed shuffled order."""
        options = list(question.options)
        random.Random(f"{seed}:{question.id}").shuffle(options)
        return ShownQuestion(question, tuple(options), ())

    def parse_answer(self, shown: ShownQuestion, form: Mapping) -> Any:
        """The response (content ids) for a posted form; raises ``InvalidAnswer``."""
        raise NotImplementedError

    def score(self, question: Question, response: Any, partial_credit: bool = True) -> float:
        """Credit between 0 and 1 for a given (not None) response."""
        raise NotImplementedError

    def right_response(self, question: Question) -> Any:
        """A response that scores 1 (the demo's learners give it): the first correct option."""
        return [next(o.id for o in question.options if o.correct)]

    def wrong_response(self, question: Question, rng: random.Random) -> Any:
        """A plausible wrong response, drawn with ``rng``; the right one when there is none."""
        wrong = [o.id for o in question.options if not o.correct]
        return [rng.choice(wrong)] if wrong else self.right_response(question)

    def answer_cues(self, raw) -> dict[str, bool]:
        """The answer cues one item of this type shows, read from its YAML mapping (for
        ``elearn content check``): ``keyed_longest``, its one keyed option is strictly the longest;
        ``keyed_true``, it is keyed "waar". Only the cues the type can show."""
        return {}

    def chosen_ids(self, response: Any) -> list[str]:
        """The choice ids a response counts for in the distractor analysis: the option ids of a
        list, ``left=right`` per matched term of a mapping. Read from the response's shape, so an
        answer stored before its question changed type still counts."""
        if isinstance(response, dict):
            return [f"{left}={right}" for left, right in sorted(response.items())]
        return list(response or [])

    def answer_text(self, question: Question, choice: str, gettext: Callable[[str], str]) -> tuple[str, bool] | None:
        """The plain answer text a choice id (from ``chosen_ids``) stands for and whether it is
        right; None when the question no longer has it. ``gettext`` translates interface words."""
        option = find_option(question, choice)
        return None if option is None else (plain_text(option.html), option.correct)


def find_option(question: Question, option_id: str) -> Option | None:
    """The question's option with this id, None when it has none."""
    return next((o for o in question.options if o.id == option_id), None)
