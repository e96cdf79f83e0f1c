"""Each question type class on its own: YAML fields, shuffling, form parsing, scoring, choice
ids and answer texts; and the registry as the one list of types."""

import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURE_CONTENT
from werkzeug.datastructures import MultiDict

from elearn import questiontypes
from elearn.content import ContentError, load_course
from elearn.content.fields import Fields
from elearn.content.model import Option, Pair, Question
from elearn.content.yamlsource import parse_yaml
from elearn.questiontypes import (
    REGISTRY,
    TYPES,
    InvalidAnswer,
    ShownQuestion,
    question_type,
    shown_question,
    type_names,
)
from elearn.questiontypes.matching import Matching
from elearn.questiontypes.multiple import MultipleResponse
from elearn.questiontypes.single import SingleChoice
from elearn.questiontypes.truefalse import TrueFalse

TEMPLATES = Path(__file__).resolve().parent.parent / "elearn" / "templates"


def parse(qtype, text):
    """``qtype.parse_fields`` on one YAML mapping; returns (fields, problems as strings)."""
    data, problems = parse_yaml(text, "q.yaml")
    assert not problems
    found = []
    body = qtype.parse_fields(Fields("q.yaml", found), data)
    return body, [str(p) for p in found]


def options_yaml(*rows):
    return "options:\n" + "".join(f"  - {{{row}}}\n" for row in rows)


def question(qtype, options=(), pairs=(), extra=()):
    return Question("x", qtype, "o", "m", "", "", options=options, pairs=pairs, extra_rights=extra)


OPTIONS = (Option("a", "<em>A</em> &amp; co", True, ""), Option("b", "B", False, ""), Option("c", "C", True, ""))
PAIRS = (Pair("p", "<strong>L1</strong>", "R1", ""), Pair("q", "L2", "R2", ""))


# -- parsing YAML fields ---------------------------------------------------------------------


def test_single_parses_options_and_needs_exactly_one_key():
    body, problems = parse(
        SingleChoice(),
        options_yaml(
            "id: a, text: '*Ja*', correct: true, feedback: Goed.", "id: b, text: Nee, correct: false, feedback: Fout."
        ),
    )
    assert problems == []
    assert body == {"options": (Option("a", "<em>Ja</em>", True, "Goed."), Option("b", "Nee", False, "Fout."))}
    _body, problems = parse(
        SingleChoice(),
        options_yaml("id: a, text: Ja, correct: true, feedback: G.", "id: b, text: Ook, correct: true, feedback: G."),
    )
    assert problems == ["q.yaml:1: a single-choice question needs exactly 1 correct option, has 2"]


def test_multiple_needs_a_key_and_two_options():
    _body, problems = parse(MultipleResponse(), options_yaml("id: a, text: Ja, correct: false, feedback: F."))
    assert problems == [
        "q.yaml:2: a question needs at least 2 options",
        "q.yaml:1: a multiple-response question needs at least 1 correct option",
    ]


def test_option_problems_name_their_line():
    _body, problems = parse(
        MultipleResponse(),
        options_yaml(
            "id: a, text: Ja, correct: true, feedback: F.", "id: a, text: Nee, correct: false, feedback: F., kleur: x"
        ),
    )
    assert problems == [
        "q.yaml:3: unknown field 'kleur' in option",
        "q.yaml:3: duplicate option id 'a' (first at q.yaml:2)",
    ]


def test_truefalse_makes_the_two_options_from_its_key():
    body, problems = parse(TrueFalse(), "correct: false\nfeedback_true: Nee.\nfeedback_false: Juist.\n")
    assert problems == []
    assert body == {"options": (Option("true", "", False, "Nee."), Option("false", "", True, "Juist."))}
    body, problems = parse(TrueFalse(), "correct: true\nfeedback_true: Ja.\n")
    assert body == {"options": ()} and problems == ["q.yaml:1: missing field 'feedback_false'"]


def test_matching_parses_pairs_and_extra_sides():
    body, problems = parse(
        Matching(),
        "pairs:\n  - {id: p, left: '**L**', right: R, feedback: F.}\n  - {id: q, left: M, right: S, feedback: G.}\n"
        "extra_right: [T]\n",
    )
    assert problems == []
    assert body == {
        "pairs": (Pair("p", "<strong>L</strong>", "R", "F."), Pair("q", "M", "S", "G.")),
        "extra_rights": ("T",),
    }
    _body, problems = parse(
        Matching(),
        "pairs:\n  - {id: p, left: L, right: R, feedback: F.}\n  - {id: q, left: M, right: R, feedback: G.}\n",
    )
    assert problems == ["q.yaml:3: duplicate right-hand side 'R' (first at q.yaml:2)"]
    _body, problems = parse(Matching(), "pairs:\n  - {id: p, left: L, right: R, feedback: F.}\n")
    assert problems == ["q.yaml:2: a matching question needs at least 2 pairs"]


# -- shuffling for an attempt ----------------------------------------------------------------


def test_option_types_shuffle_per_attempt_and_keep_the_order_for_one_attempt():
    for qtype in ("single", "multiple"):
        q = question(qtype, OPTIONS)
        orders = {tuple(o.id for o in shown_question(q, seed).options) for seed in range(30)}
        assert len(orders) > 1 and all(sorted(order) == ["a", "b", "c"] for order in orders)
        assert shown_question(q, 7) == shown_question(q, 7)
        assert shown_question(q, 7).rights == ()


def test_truefalse_is_never_shuffled():
    q = question("truefalse", (Option("true", "", True, ""), Option("false", "", False, "")))
    assert {tuple(o.id for o in shown_question(q, seed).options) for seed in range(30)} == {("true", "false")}


def test_matching_shuffles_all_right_hand_sides_including_the_extra_ones():
    q = question("matching", pairs=PAIRS, extra=("R3",))
    orders = {shown_question(q, seed).rights for seed in range(30)}
    assert len(orders) > 1
    assert all(sorted(order) == [("extra-0", "R3"), ("p", "R1"), ("q", "R2")] for order in orders)
    assert shown_question(q, 7).options == ()


# -- parsing the posted form -----------------------------------------------------------------


def test_form_positions_become_ids():
    single = ShownQuestion(question("single", OPTIONS), tuple(reversed(OPTIONS)), ())
    assert SingleChoice().parse_answer(single, MultiDict({"answer": "3"})) == ["a"]
    assert SingleChoice().parse_answer(single, MultiDict()) == []
    multiple = ShownQuestion(question("multiple", OPTIONS), tuple(reversed(OPTIONS)), ())
    assert MultipleResponse().parse_answer(multiple, MultiDict([("answer", "1"), ("answer", "3")])) == ["a", "c"]
    assert MultipleResponse().parse_answer(multiple, {"answer": ["2"]}) == ["b"]  # a plain mapping
    with pytest.raises(InvalidAnswer):
        MultipleResponse().parse_answer(multiple, MultiDict([("answer", "4")]))
    truefalse = ShownQuestion(question("truefalse"), (), ())
    assert TrueFalse().parse_answer(truefalse, MultiDict({"answer": "true"})) == ["true"]
    assert TrueFalse().parse_answer(truefalse, MultiDict()) == []
    matching = ShownQuestion(question("matching", pairs=PAIRS), (), (("extra-0", "R3"), ("q", "R2"), ("p", "R1")))
    assert Matching().parse_answer(matching, MultiDict({"match-p": "1", "match-q": ""})) == {"p": "extra-0"}
    with pytest.raises(InvalidAnswer):
        Matching().parse_answer(matching, MultiDict({"match-q": "4"}))


# -- scoring ---------------------------------------------------------------------------------


def test_each_type_scores_its_response():
    assert SingleChoice().score(question("single", OPTIONS), ["a"]) == 1.0
    assert SingleChoice().score(question("single", OPTIONS), ["a", "c"]) == 0.0
    assert MultipleResponse().score(question("multiple", OPTIONS), ["a", "b"]) == 0.0  # one right, one wrong
    assert MultipleResponse().score(question("multiple", OPTIONS), ["a"]) == 0.5
    assert MultipleResponse().score(question("multiple", OPTIONS), ["a"], partial_credit=False) == 0.0
    tf = question("truefalse", (Option("true", "", False, ""), Option("false", "", True, "")))
    assert TrueFalse().score(tf, ["false"]) == 1.0 and TrueFalse().score(tf, ["true"]) == 0.0
    assert Matching().score(question("matching", pairs=PAIRS), {"p": "p", "q": "extra-0"}) == 0.5


def test_right_and_wrong_responses_score_one_and_less():
    tf = question("truefalse", (Option("true", "", False, ""), Option("false", "", True, "")))
    questions = [question("single", OPTIONS[:2]), question("multiple", OPTIONS), tf]
    questions.append(question("matching", pairs=PAIRS))
    for q in questions:
        qtype = question_type(q)
        assert qtype.score(q, qtype.right_response(q)) == 1.0, q.type
        assert qtype.score(q, qtype.wrong_response(q, random.Random(1))) < 1.0, q.type
    assert MultipleResponse().wrong_response(question("multiple", OPTIONS), random.Random(1)) == ["b", "c"]
    assert Matching().wrong_response(question("matching", pairs=PAIRS), random.Random(1)) == {"p": "q", "q": "p"}
    only_right = question("single", OPTIONS[:1])  # nothing wrong to give
    assert SingleChoice().wrong_response(only_right, random.Random(1)) == ["a"]


# -- choice ids and their answer texts (item analysis) ---------------------------------------


def test_chosen_ids():
    assert question_type(question("single")).chosen_ids(["a", "c"]) == ["a", "c"]
    assert question_type(question("matching")).chosen_ids({"tina": "g", "g": "tina"}) == ["g=tina", "tina=g"]
    assert question_type(question("multiple")).chosen_ids(None) == []
    assert question_type(question("matching")).chosen_ids(None) == []


def test_answer_texts_are_plain_and_say_whether_right():
    upper = str.upper  # stands in for gettext: shows which words are translated
    q = question("multiple", OPTIONS)
    assert MultipleResponse().answer_text(q, "a", upper) == ("A & co", True)
    assert MultipleResponse().answer_text(q, "b", upper) == ("B", False)
    assert MultipleResponse().answer_text(q, "z", upper) is None
    tf = question("truefalse", (Option("true", "", False, ""), Option("false", "", True, "")))
    assert TrueFalse().answer_text(tf, "false", upper) == ("NIET WAAR", True)
    assert TrueFalse().answer_text(tf, "true", upper) == ("WAAR", False)
    assert TrueFalse().answer_text(tf, "maybe", upper) is None
    m = question("matching", pairs=PAIRS, extra=("R3",))
    assert Matching().answer_text(m, "p=p", upper) == ("L1 → R1", True)
    assert Matching().answer_text(m, "q=extra-0", upper) == ("L2 → R3", False)
    assert Matching().answer_text(m, "q=gone", upper) == ("L2 → gone", False)
    assert Matching().answer_text(m, "gone=p", upper) is None


# -- answer cues (``elearn content check``) -------------------------------------------------


def test_answer_cues_per_type():
    def cues(qtype, text):
        data, _problems = parse_yaml(text, "q.yaml")
        return qtype.answer_cues(data)

    longest = options_yaml("id: a, text: Het lange juiste antwoord, correct: true", "id: b, text: Kort, correct: false")
    shortest = options_yaml("id: a, text: Kort, correct: true", "id: b, text: Het lange foute antwoord, correct: false")
    tie = options_yaml("id: a, text: Even, correct: true", "id: b, text: lang, correct: false")
    assert cues(SingleChoice(), longest) == {"keyed_longest": True}
    assert cues(SingleChoice(), shortest) == {"keyed_longest": False}
    assert cues(SingleChoice(), tie) == {"keyed_longest": False}
    assert cues(SingleChoice(), options_yaml("id: a, text: A, correct: false")) == {}  # no single key
    assert cues(MultipleResponse(), longest) == {}
    assert cues(TrueFalse(), "correct: true\n") == {"keyed_true": True}
    assert cues(TrueFalse(), "correct: false\n") == {"keyed_true": False}
    assert cues(Matching(), "pairs: []\n") == {}


# -- the registry ----------------------------------------------------------------------------


def test_every_registered_type_has_its_template_folder():
    for qtype in TYPES:
        assert (TEMPLATES / qtype.question_template).is_file(), qtype.name
        assert (TEMPLATES / qtype.review_template).is_file(), qtype.name
    folders = {p.name for p in (TEMPLATES / "quiz" / "types").iterdir() if p.is_dir()}
    assert folders == set(REGISTRY)


def test_the_database_names_stay():
    assert type_names() == ("single", "multiple", "truefalse", "matching")
    assert type_names(bank=True) == ("single", "multiple", "truefalse")


class Statement(SingleChoice):
    """A made-up type, registered only in the test below."""

    name = "statement"
    in_item_bank = False


def test_the_loader_knows_exactly_the_registered_types(tmp_path, monkeypatch):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    quiz = content / "quizzes" / "proef.quiz.yaml"
    text = quiz.read_text()
    quiz.write_text(text.replace("type: single", "type: statement", 1))
    with pytest.raises(ContentError) as refused:
        load_course(content)
    assert [str(p) for p in refused.value.problems] == [
        "content/quizzes/proef.quiz.yaml:6: unknown question type 'statement' "
        "(use single, multiple, truefalse, matching)"
    ]
    monkeypatch.setattr(questiontypes, "TYPES", (*TYPES, Statement()))
    monkeypatch.setattr(questiontypes, "REGISTRY", {**REGISTRY, "statement": Statement()})
    assert load_course(content).quizzes["proef"].questions[0].type == "statement"
    quiz.write_text(text.replace("type: single", "type: essay", 1))
    with pytest.raises(ContentError) as refused:
        load_course(content)
    assert [str(p) for p in refused.value.problems] == [
        "content/quizzes/proef.quiz.yaml:6: unknown question type 'essay' "
        "(use single, multiple, truefalse, matching, statement)"
    ]


def test_the_item_bank_refuses_types_it_does_not_allow(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    bank = content / "quizzes" / "itembank" / "proef.yaml"
    bank.write_text(bank.read_text().replace("type: single", "type: matching", 1))
    with pytest.raises(ContentError) as refused:
        load_course(content)
    assert any(
        str(p).endswith("unknown question type 'matching' (use single, multiple, truefalse)")
        for p in refused.value.problems
    )


@pytest.mark.parametrize("first", ["elearn.questiontypes", "elearn.content"])
def test_importable_without_the_flask_parts_in_either_order(first):
    """The content loader and the types import each other's modules: either may load first, and
    neither pulls in the quiz blueprint or Flask-Babel beyond what ``elearn`` itself imports."""
    code = (
        "import sys, importlib, elearn\n"
        "before = set(sys.modules)\n"
        f"importlib.import_module({first!r})\n"
        "import elearn.content, elearn.questiontypes\n"
        "assert elearn.questiontypes.question_type is not None and elearn.content.load_course is not None\n"
        "new = set(sys.modules) - before\n"
        "bad = sorted(m for m in new if m.startswith(('flask', 'werkzeug', 'elearn.quiz', 'elearn.trainer')))\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
