"""Content checks for the modules terminologie and zorgkloof (issues 13 and 16).

These parse the shipped files of the two modules on their own, so a learner can rely on what they
teach about emergencies (GHB/GBL, PEP, the Zorgcentra na Seksueel Geweld, loss of tolerance) staying
in the course, tested, and free of answer cues.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from elearn.content.errors import Problem
from elearn.content.modules import parse_module
from elearn.content.questions import parse_item_bank, parse_quiz_file
from elearn.content.vignettes import parse_vignette
from elearn.content.yamlsource import parse_yaml

CONTENT = Path(__file__).resolve().parents[1] / "elearn"
MODULE_FILES = {"terminologie": "01-terminologie.md", "zorgkloof": "02-zorgkloof.md"}
SLUGS = sorted(MODULE_FILES)


def _yaml(path: Path, problems: list[Problem]):
    data, found = parse_yaml(path.read_text(encoding="utf-8"), str(path))
    problems.extend(found)
    return data


def _load(slug: str):
    problems: list[Problem] = []
    text = (CONTENT / "modules" / MODULE_FILES[slug]).read_text(encoding="utf-8")
    module = parse_module(text, MODULE_FILES[slug], problems, "v", [], lambda s, x: f"#{x}")
    ids: dict = {}
    quiz = parse_quiz_file(
        _yaml(CONTENT / "quizzes" / f"{slug}.quiz.yaml", problems), f"{slug}.quiz.yaml", problems, "v", ids
    )
    bank_path = CONTENT / "quizzes" / "itembank" / f"{slug}.yaml"
    bank = parse_item_bank(_yaml(bank_path, problems), str(bank_path), problems, ids)
    vignettes = [
        parse_vignette(_yaml(p, problems), str(p), problems, "v")
        for p in sorted((CONTENT / "quizzes" / "vignettes").glob(f"{slug}-*.yaml"))
    ]
    raw_quiz = _yaml(CONTENT / "quizzes" / f"{slug}.quiz.yaml", problems)["questions"]
    raw_bank = _yaml(bank_path, problems)["items"]
    return problems, module, quiz, bank, vignettes, raw_quiz, raw_bank


@pytest.fixture(scope="module", params=SLUGS)
def loaded(request):
    return request.param, _load(request.param)


def test_files_of_both_modules_load_without_problems(loaded):
    slug, (problems, module, quiz, bank, vignettes, _, _) = loaded
    assert problems == []
    assert module.slug == slug and quiz.module == slug
    assert len(vignettes) >= 2 and all(v is not None for v in vignettes)


def test_every_objective_is_tested_in_the_quiz_and_in_both_forms(loaded):
    _, (_, module, quiz, _, _, _, raw_bank) = loaded
    objectives = {o.id for o in module.objectives}
    assert objectives == {q.objective for q in quiz.questions}
    for form in ("A", "B"):
        items = [i for i in raw_bank if i["form"] == form]
        assert len(items) >= 6
        assert {i["objective"] for i in items} == objectives
    twins = {i["id"]: i["twin"] for i in raw_bank if i["form"] == "A"}
    by_id = {i["id"]: i for i in raw_bank}
    for a, b in twins.items():
        assert (by_id[a]["objective"], by_id[a]["type"]) == (by_id[b]["objective"], by_id[b]["type"])


def _section(module, section_id: str) -> str:
    return re.sub(r"\s+", " ", next(s.html for s in module.sections if s.id == section_id))


def test_ghb_gbl_safety_is_taught_with_sources_and_tested():
    _, module, quiz, _, _, _, raw_bank = _load("terminologie")
    html = _section(module, "ghb-gbl")
    for fact in ("GBL", "sterker", "minstens twee uur", "afmeten", "dempende middelen", "112"):
        assert fact in html
    cited = {s.id for s in module.sources}
    assert {"londonfriendg", "peningtonghb", "jellinekghb"} <= cited
    assert "36 uur" in _section(module, "bijmiddelen")
    safety = [q for q in quiz.questions if q.objective == "t5"]
    assert len(safety) >= 4
    assert sum(1 for i in raw_bank if i["objective"] == "t5" and i["form"] == "A") >= 2


def test_what_cannot_wait_is_taught_and_tested():
    _, module, quiz, _, vignettes, _, raw_bank = _load("zorgkloof")
    html = _section(module, "niet-uitstellen").lower()
    for fact in (
        "72 uur",
        "hiv-referentiecentrum",
        "zorgcentrum na seksueel geweld",
        "soa",
        "toestemming",
        "gewenning",
    ):
        assert fact in html
    assert len([q for q in quiz.questions if q.objective == "z5"]) >= 4
    assert {i["type"] for i in raw_bank if i["objective"] == "z5"} == {"single", "truefalse"}
    residentieel = next(v for v in vignettes if v.id == "zorgkloof-residentieel-seks")
    assert any("gewend" in c.html for n in residentieel.nodes.values() for c in n.choices)


def _keyed_longest(options) -> bool:
    lengths = [len(o["text"]) for o in options]
    keyed = next(i for i, o in enumerate(options) if o.get("correct"))
    return lengths[keyed] == max(lengths) and lengths.count(max(lengths)) == 1


def test_items_carry_no_length_or_balance_cue(loaded):
    _, (_, _, _, _, _, raw_quiz, raw_bank) = loaded
    singles = [q for q in raw_quiz + raw_bank if q["type"] == "single"]
    assert sum(_keyed_longest(q["options"]) for q in singles) <= 0.4 * len(singles)
    for items in (raw_quiz, raw_bank):
        tf = [q for q in items if q["type"] == "truefalse"]
        assert 0.4 <= sum(q["correct"] for q in tf) / len(tf) <= 0.6


def test_half_of_the_quiz_starts_from_a_practice_situation(loaded):
    _, (_, _, _, _, _, raw_quiz, _) = loaded
    situational = re.compile(
        r"\b(cliënt|cliënte|bewoner|collega|team|CAW|JAC|je werkt|jouw|je doet|"
        r"vertelt|zegt|vraagt|komt|nam)\b",
        re.I,
    )
    assert sum(bool(situational.search(q["prompt"])) for q in raw_quiz) >= len(raw_quiz) / 2


def test_best_vignette_choice_is_not_systematically_first_or_longest(loaded):
    slug, _ = loaded
    points = first = longest = 0
    for path in (CONTENT / "quizzes" / "vignettes").glob(f"{slug}-*.yaml"):
        data, _ = parse_yaml(path.read_text(encoding="utf-8"), str(path))
        for node in data["nodes"].values():
            choices = node.get("choices") or []
            if not choices:
                continue
            points += 1
            totals = [sum(c["scores"].values()) for c in choices]
            best = totals.index(max(totals))
            first += best == 0
            lengths = [len(c["text"]) for c in choices]
            longest += lengths[best] == max(lengths) and lengths.count(max(lengths)) == 1
    assert points and first <= 0.4 * points and longest <= 0.4 * points


@pytest.mark.parametrize("slug", SLUGS)
def test_course_wide_terms_are_used(slug):
    files = [
        CONTENT / "modules" / MODULE_FILES[slug],
        CONTENT / "quizzes" / f"{slug}.quiz.yaml",
        CONTENT / "quizzes" / "itembank" / f"{slug}.yaml",
        *(CONTENT / "quizzes" / "vignettes").glob(f"{slug}-*.yaml"),
    ]
    text = "\n".join(p.read_text(encoding="utf-8") for p in files)
    for wrong in (
        "drugdienst",
        "verdovende middelen",
        "LGBTI",
        "centrum voor seksuele gezondheid",
        "harm-reductiondienst",
        "studiefinanciering",
    ):
        assert wrong not in text, wrong
    assert ("Vlaamse spelling" in text) == (slug == "terminologie")
