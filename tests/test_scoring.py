"""Scoring is a pure function: every question type, partial credit and edge cases."""

import pytest
from werkzeug.datastructures import MultiDict

from elearn.content.model import Option, Pair, Question
from elearn.questiontypes import InvalidAnswer, ShownQuestion, question_type, score_attempt, score_question


def q(kind, correct=("a",), n=4, pairs=0):
    options = (
        tuple(Option(chr(97 + i), "", chr(97 + i) in correct, "fb") for i in range(n)) if kind != "matching" else ()
    )
    pair_objs = tuple(Pair(f"p{i}", f"L{i}", f"R{i}", "fb") for i in range(pairs))
    return Question(
        id="x",
        type=kind,
        objective="o",
        module="m",
        prompt_html="",
        explanation_html="",
        options=options,
        pairs=pair_objs,
    )


def test_single():
    question = q("single")
    assert score_question(question, ["a"]) == 1
    assert score_question(question, ["b"]) == 0
    assert score_question(question, []) == 0
    assert score_question(question, None) == 0


def test_truefalse():
    question = Question(
        "t", "truefalse", "o", "m", "", "", options=(Option("true", "", False, ""), Option("false", "", True, ""))
    )
    assert score_question(question, ["false"]) == 1
    assert score_question(question, ["true"]) == 0


@pytest.mark.parametrize(
    "chosen,partial,expected",
    [
        (["a", "b"], True, 1.0),
        (["a"], True, 0.5),
        (["a", "c"], True, 0.0),  # one right, one wrong
        (["a", "b", "c"], True, 0.5),  # all right ones plus a wrong one
        (["a", "b", "c", "d"], True, 0.0),  # everything ticked
        ([], True, 0.0),
        (["a"], False, 0.0),
        (["a", "b"], False, 1.0),
        (["c", "d"], True, 0.0),  # floored at zero
    ],
)
def test_multiple(chosen, partial, expected):
    assert score_question(q("multiple", correct=("a", "b")), chosen, partial) == expected


def test_matching_partial():
    question = q("matching", pairs=4)
    assert score_question(question, {"p0": "p0", "p1": "p1", "p2": "p2", "p3": "p3"}) == 1
    assert score_question(question, {"p0": "p0", "p1": "p2"}) == 0.25
    assert score_question(question, {}) == 0


def test_attempt_score_is_mean_percentage_with_unanswered_as_zero():
    questions = [q("single"), Question("y", "single", "o", "m", "", "", options=q("single").options)]
    assert score_attempt(questions, {"x": ["a"]}) == 50.0
    assert score_attempt([], {}) == 0.0


def test_parse_maps_shown_positions_to_option_ids_and_rejects_others():
    single, multiple = q("single"), q("multiple")
    # shown in reverse file order: position 1 is the last option of the file
    shown_single = ShownQuestion(single, tuple(reversed(single.options)), ())
    shown_multiple = ShownQuestion(multiple, tuple(reversed(multiple.options)), ())
    n = len(single.options)
    assert question_type(single).parse_answer(shown_single, MultiDict({"answer": "1"})) == [single.options[-1].id]
    for bad in ("z", "a", "0", str(n + 1), "-1", "¹", "²"):  # superscripts pass isdigit() but not int()
        with pytest.raises(InvalidAnswer):
            question_type(single).parse_answer(shown_single, MultiDict({"answer": bad}))
    with pytest.raises(InvalidAnswer):
        question_type(multiple).parse_answer(shown_multiple, MultiDict([("answer", "1"), ("answer", "1")]))
    assert question_type(multiple).parse_answer(
        shown_multiple, MultiDict([("answer", str(n)), ("answer", str(n - 1))])
    ) == [
        "a",
        "b",
    ]
    matching = q("matching", pairs=2)
    shown_matching = ShownQuestion(matching, (), (("p1", "rechts 1"), ("p0", "rechts 0")))
    with pytest.raises(InvalidAnswer):
        question_type(matching).parse_answer(shown_matching, MultiDict({"match-p0": "p1"}))
    assert question_type(matching).parse_answer(shown_matching, MultiDict({"match-p0": "1", "match-p1": "2"})) == {
        "p0": "p1",
        "p1": "p0",
    }
    truefalse = q("truefalse")
    shown_tf = ShownQuestion(truefalse, truefalse.options, ())
    assert question_type(truefalse).parse_answer(shown_tf, MultiDict({"answer": "false"})) == ["false"]
    with pytest.raises(InvalidAnswer):
        question_type(truefalse).parse_answer(shown_tf, MultiDict({"answer": "1"}))
