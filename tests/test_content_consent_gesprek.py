"""Safety-critical and legal content of the modules consent and gesprek (issue 16).

Reads the shipped files directly, so the checks stay about these two modules only."""

import re
from pathlib import Path

import yaml

CONTENT = Path(__file__).resolve().parents[1] / "elearn"


def _module(name):
    text = (CONTENT / "modules" / name).read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    return yaml.safe_load(front), body


def _section(body, section_id):
    match = re.search(r"^## .*\{#" + re.escape(section_id) + r"\}\n(.*?)(?=^## |\Z)", body, re.S | re.M)
    assert match, section_id
    return match.group(1)


def _items(path):
    data = yaml.safe_load((CONTENT / "quizzes" / path).read_text(encoding="utf-8"))
    return data.get("questions") or data.get("items")


def _text(item):
    parts = [item["prompt"], item.get("explanation", "")]
    parts += [o["text"] + " " + o["feedback"] for o in item.get("options", [])]
    parts += [item.get("feedback_true", ""), item.get("feedback_false", "")]
    return " ".join(parts)


def _twin_pairs(bank):
    by_id = {i["id"]: i for i in bank}
    return [(i, by_id[i["twin"]]) for i in bank if i["form"] == "A"]


def test_consent_states_the_law_in_force_and_links_the_official_texts():
    front, body = _module("04-consent.md")
    law = _section(body, "wet")
    assert "8 april 2026" in law and "nieuw Strafwetboek" in law
    # the 1867 article number appears only as the former one
    assert "417/5 van het oude wetboek" in law
    sources = {s["id"]: s for s in front["sources"]}
    for sid in ("wet2022", "sw2024"):
        assert sources[sid]["url"].startswith("https://www.ejustice.just.fgov.be/"), sid
    minors = _section(body, "minderjarigen")
    assert "16 jaar" in minors and "14" in minors and "drie jaar" in minors
    assert "vroeger artikel 458bis" in minors and "spreekrecht, geen plicht" in minors


def test_pep_within_72_hours_is_taught_quizzed_and_in_both_forms():
    _, body = _module("04-consent.md")
    acute = _section(body, "eerste-72-uur")
    assert "PEP" in acute and "72 uur" in acute and "hiv-referentiecentrum" in acute
    quiz = _items("consent.quiz.yaml")
    assert any("72 uur" in _text(q) for q in quiz if q["objective"] == "c4")
    pep_pairs = [
        (a, b) for a, b in _twin_pairs(_items("itembank/consent.yaml")) if "PEP" in _text(a) and "PEP" in _text(b)
    ]
    assert pep_pairs and all(a["objective"] == b["objective"] == "c4" for a, b in pep_pairs)


def test_professional_secrecy_is_taught_and_assessed_in_both_modules():
    _, body = _module("05-gesprek.md")
    law = _section(body, "beroepsgeheim-wet")
    for fact in ("artikel 458", "Gedeeld beroepsgeheim", "Noodtoestand", "Geen meldplicht", "458bis"):
        assert fact in law, fact
    for bank, objective in (("itembank/gesprek.yaml", "g4"), ("itembank/consent.yaml", "c3")):
        pairs = [
            (a, b) for a, b in _twin_pairs(_items(bank)) if "beroepsgeheim" in _text(a) and "beroepsgeheim" in _text(b)
        ]
        assert pairs and all(a["objective"] == b["objective"] == objective for a, b in pairs), bank
    # the misconception "drug use must be reported" is keyed false wherever it is asked
    for path in ("consent.quiz.yaml", "gesprek.quiz.yaml", "itembank/gesprek.yaml"):
        reporting = [q for q in _items(path) if q["type"] == "truefalse" and "melden" in q["prompt"]]
        assert reporting and all(q["correct"] is False for q in reporting), path


def test_gesprek_language_fixes_and_one_spelling_paragraph():
    _, body = _module("05-gesprek.md")
    assert "alle twaalf de" not in body
    for name in ("04-consent.md", "05-gesprek.md"):
        _, text = _module(name)
        assert "op zijn Vlaams" not in text and "de Vlaamse spelling" not in text, name
        for word in ("drugdienst", "LGBTI", "studiefinanciering", "centrum voor seksuele gezondheid"):
            assert word not in text, (name, word)
