"""Parse module quizzes and item-bank files into ``Question`` and ``Quiz`` objects."""

from __future__ import annotations

# Imported as a module: the question types import this package's model, so neither side may
# need the other's names while it is still loading (either package can be imported first).
from .. import questiontypes
from .errors import Problem
from .fields import Fields
from .model import Question, Quiz
from .render import render_block, render_inline

#: the fields every question may have, besides its type's own
_COMMON_FIELDS = {"id", "type", "objective", "prompt", "explanation"}

#: the item bank's parallel forms; the app decides which one is a learner's pre-test
FORMS = ("A", "B")
#: fewest items per form per module in shipped content
MIN_FORM_ITEMS = 6


def parse_question(f: Fields, raw, module: str, *, bank: bool = False) -> Question | None:
    """Build one question; the shape depends on its type. Returns None after recording problems."""
    if f.mapping(raw, "question") is None:
        return None
    before = len(f.problems)
    f.known(raw, _COMMON_FIELDS | questiontypes.TYPE_FIELDS | ({"form", "twin"} if bank else set()), "question")
    qid = f.ident(raw)
    qtype = f.get(raw, "type", str)
    allowed = questiontypes.type_names(bank=bank)
    if qtype and qtype not in allowed:
        f.problem(raw.line_of("type"), f"unknown question type '{qtype}' (use {', '.join(allowed)})")
    objective = f.ident(raw, "objective")
    prompt = f.get(raw, "prompt", str)
    explanation = f.get(raw, "explanation", str, required=False, default="")
    form = twin = None
    if bank:
        form = f.get(raw, "form", str)
        if form and form not in FORMS:
            f.problem(raw.line_of("form"), f"field 'form' must be 'A' or 'B', not '{form}'")
        if form == "A":
            twin = f.ident(raw, "twin", required=False)
            if twin is None and "twin" not in raw:
                f.problem(raw.line, "a form-A item needs 'twin': the id of its form-B item")
        elif "twin" in raw and form == "B":
            f.problem(raw.line_of("twin"), "only form-A items name a twin (the B item is named by its A twin)")
    body = questiontypes.REGISTRY[qtype].parse_fields(f, raw) if qtype in questiontypes.REGISTRY else {}
    if len(f.problems) > before:
        return None
    return Question(
        id=qid,
        type=qtype,
        objective=objective,
        module=module,
        prompt_html=render_inline(prompt),
        explanation_html=render_block(explanation),
        form=form,
        twin=twin,
        **body,
    )


def parse_quiz_file(data, path: str, problems: list[Problem], version: str, question_ids: dict) -> Quiz | None:
    """Build a module quiz from a parsed ``<slug>.quiz.yaml``."""
    f = Fields(path, problems)
    if f.mapping(data, "quiz file") is None:
        return None
    f.known(data, {"module", "pass_mark", "max_attempts", "partial_credit", "questions"}, "quiz file")
    module = f.ident(data, "module")
    pass_mark = f.get(data, "pass_mark", int, required=False, default=80)
    if not 0 < pass_mark <= 100:
        f.problem(data.line_of("pass_mark"), "pass_mark must be between 1 and 100")
    max_attempts = f.get(data, "max_attempts", int, required=False)
    if max_attempts is not None and max_attempts < 1:
        f.problem(data.line_of("max_attempts"), "max_attempts must be at least 1 (or null)")
    partial = f.get(data, "partial_credit", bool, required=False, default=True)
    raw_questions = f.get(data, "questions", list, default=[])
    if "questions" in data and not raw_questions:
        f.problem(data.line_of("questions"), "a quiz needs at least one question")
    questions = []
    for raw in raw_questions:
        q = parse_question(f, raw, module or "")
        if q:
            f.unique(question_ids, q.id, raw.line, "question id")
            questions.append(q)
    if module is None:
        return None
    return Quiz(
        id=module,
        title="",
        kind="module",
        questions=tuple(questions),
        pass_mark=pass_mark,
        max_attempts=max_attempts,
        partial_credit=partial,
        module=module,
        version=version,
    )


def parse_item_bank(
    data, path: str, problems: list[Problem], question_ids: dict, min_form_items: int = MIN_FORM_ITEMS
) -> list[Question]:
    """Build the knowledge items of one ``itembank/<slug>.yaml`` and check its twins.

    Every form-A item names a form-B twin in the same file with the same objective and type;
    twins are one-to-one and every B item is some A item's twin; each form has at least
    ``min_form_items`` items.
    """
    f = Fields(path, problems)
    if f.mapping(data, "item bank file") is None:
        return []
    f.known(data, {"module", "items"}, "item bank file")
    module = f.ident(data, "module") or ""
    items, lines = [], {}
    before = len(problems)
    for raw in f.get(data, "items", list, default=[]):
        q = parse_question(f, raw, module, bank=True)
        if q:
            f.unique(question_ids, q.id, raw.line, "question id")
            items.append(q)
            lines[q.id] = raw.line
    if len(problems) == before:
        _check_twins(f, items, lines, min_form_items, data.line_of("items"))
    return items


def _check_twins(f: Fields, items: list[Question], lines: dict, min_form_items: int, items_line: int) -> None:
    by_id = {q.id: q for q in items}
    claimed: dict[str, str] = {}
    for q in items:
        if q.form != "A" or q.twin is None:
            continue
        twin = by_id.get(q.twin)
        line = lines[q.id]
        if twin is None:
            f.problem(line, f"item '{q.id}': twin '{q.twin}' is not an item of this file")
        elif twin.form != "B":
            f.problem(line, f"item '{q.id}': twin '{q.twin}' must be a form-B item")
        elif q.twin in claimed:
            f.problem(line, f"item '{q.id}': twin '{q.twin}' is already the twin of '{claimed[q.twin]}'")
        else:
            claimed[q.twin] = q.id
            if twin.objective != q.objective:
                f.problem(
                    line, f"item '{q.id}': twin '{q.twin}' tests objective '{twin.objective}', not '{q.objective}'"
                )
            if twin.type != q.type:
                f.problem(line, f"item '{q.id}': twin '{q.twin}' is of type '{twin.type}', not '{q.type}'")
    for q in items:
        if q.form == "B" and q.id not in claimed:
            f.problem(lines[q.id], f"item '{q.id}': form-B item is the twin of no form-A item")
    for form in FORMS:
        count = sum(1 for q in items if q.form == form)
        if count < min_form_items:
            f.problem(items_line, f"form {form} has {count} items; at least {min_form_items} needed")
