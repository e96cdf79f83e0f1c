"""The content loader: good fixture content loads; each kind of bad file names its path:line."""
import re
import shutil
from pathlib import Path

import pytest

from elearn.content import ContentError, course_stats, load_course
from elearn.content.vignettes import paths_to_endings

from conftest import FIXTURE_CONTENT

REAL_CONTENT = Path(__file__).resolve().parent.parent / "elearn"


@pytest.fixture
def content(tmp_path):
    target = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, target)
    return target


def problems_for(content_dir):
    with pytest.raises(ContentError) as exc:
        load_course(content_dir)
    return [str(p) for p in exc.value.problems]


def edit(path: Path, old: str, new: str):
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


def test_fixture_content_loads_with_stable_ids(content):
    course = load_course(content)
    module = course.module("proef")
    assert module.section_ids == ("eerste", "tweede")
    assert [o.id for o in module.objectives] == ["p1", "p2"]
    assert course.quizzes["proef"].pass_mark == 80
    assert {q.type for q in course.quizzes["proef"].questions} == {"single", "multiple", "truefalse", "matching"}
    assert course.path("proefpad").minutes == 20 + 4 + 10
    assert [q.id for q in course.quizzes["pre-proefpad"].questions] == ["proef-i1", "proef-i2"]
    assert [q.id for q in course.quizzes["post-proefpad"].questions] == ["proef-i3", "proef-i4"]


def test_markdown_is_sanitised_and_terms_linked_once_per_section(content):
    module = load_course(content).module("proef")
    first, second = module.sections
    assert "<script" not in second.html and "javascript:" not in second.html
    assert first.html.count('href="/glossary#tina"') == 1
    assert second.html.count('href="/glossary#tina"') == 1
    assert '<a href="/modules/proef/sources#bron-bron-a">1</a>' in first.html


def test_missing_field_names_the_line(content):
    edit(content / "modules/01-proef.md", "summary: Een kleine module voor de tests.\n", "")
    assert problems_for(content) == ["content/modules/01-proef.md:2: missing field 'summary'"]


def test_yaml_error_names_the_line(content):
    edit(content / "quizzes/proef.quiz.yaml", "pass_mark: 80", "pass_mark: [80")
    found = problems_for(content)
    assert len(found) == 1 and found[0].startswith("content/quizzes/proef.quiz.yaml:") and "YAML error" in found[0]


def test_duplicate_key_is_refused(content):
    edit(content / "quizzes/proef.quiz.yaml", "pass_mark: 80\n", "pass_mark: 80\npass_mark: 70\n")
    assert problems_for(content) == ["content/quizzes/proef.quiz.yaml:3: duplicate key 'pass_mark'"]


def test_duplicate_section_id(content):
    edit(content / "modules/01-proef.md", "{#tweede}", "{#eerste}")
    assert problems_for(content) == ["content/modules/01-proef.md:29: duplicate section id 'eerste' (first at content/modules/01-proef.md:23)"]


def test_heading_without_id(content):
    edit(content / "modules/01-proef.md", " {#tweede}", "")
    assert problems_for(content) == ["content/modules/01-proef.md:29: section heading needs a stable id: '## Title {#id}'"]


def test_unknown_citation(content):
    edit(content / "modules/01-proef.md", "[bron: bron-a]", "[bron: onbekend]")
    assert problems_for(content) == ["content/modules/01-proef.md:25: [bron: onbekend] names no source of this module"]


def test_duplicate_question_id_across_files(content):
    edit(content / "quizzes/itembank/proef.yaml", "id: proef-i1", "id: proef-q1")
    found = problems_for(content)
    assert found == ["content/quizzes/itembank/proef.yaml:3: duplicate question id 'proef-q1' (first at content/quizzes/proef.quiz.yaml:5)"]


def test_single_choice_needs_exactly_one_correct(content):
    edit(content / "quizzes/proef.quiz.yaml", "Een fout antwoord, correct: false", "Een fout antwoord, correct: true")
    assert problems_for(content) == ["content/quizzes/proef.quiz.yaml:5: a single-choice question needs exactly 1 correct option, has 2"]


def test_option_without_feedback(content):
    edit(content / "quizzes/proef.quiz.yaml", ", feedback: Ook fout.}", "}")
    assert problems_for(content) == ["content/quizzes/proef.quiz.yaml:13: missing field 'feedback'"]


def test_unknown_objective(content):
    edit(content / "quizzes/proef.quiz.yaml", "objective: p2\n    prompt: \"Stelling", "objective: p9\n    prompt: \"Stelling")
    assert problems_for(content) == ["content/quizzes/proef.quiz.yaml:22: question 'proef-q3': unknown objective 'p9' of module 'proef'"]


def test_unknown_module_reference_in_path(content):
    edit(content / "reference/paths.yaml", "modules: [proef]", "modules: [proef, bestaat-niet]")
    assert problems_for(content) == ["content/reference/paths.yaml:2: path 'proefpad': unknown module 'bestaat-niet'"]


def test_vignette_choice_to_missing_node(content):
    edit(content / "quizzes/vignettes/proef-casus.yaml", "next: goed-einde", "next: nergens")
    found = problems_for(content)
    assert found[0] == "content/quizzes/vignettes/proef-casus.yaml:17: choice 'a' of node 'midden' leads to unknown node 'nergens'"


def test_vignette_unreachable_node(content):
    path = content / "quizzes/vignettes/proef-casus.yaml"
    path.write_text(path.read_text() + "  los:\n    ending: true\n    title: Los\n    debrief: Niemand komt hier.\n")
    assert problems_for(content) == ["content/quizzes/vignettes/proef-casus.yaml:29: node 'los' cannot be reached from 'start'"]


def test_vignette_cycle_needs_declaring(content):
    path = content / "quizzes/vignettes/proef-casus.yaml"
    edit(path, "next: slecht-einde, scores: {trust: -2}", "next: start, scores: {trust: -2}")
    assert problems_for(content) == ["content/quizzes/vignettes/proef-casus.yaml:8: cycle start -> midden -> start (set allow_cycles: true if meant)"]
    edit(path, "start: start\n", "start: start\nallow_cycles: true\n")
    assert load_course(content).vignettes["proef-casus"].allow_cycles


def test_vignette_paths_all_end(content):
    vignette = load_course(content).vignettes["proef-casus"]
    paths = paths_to_endings(vignette)
    assert all(vignette.nodes[p[-1]].ending for p in paths)
    assert len(paths) == 5


def test_glossary_related_must_exist(content):
    edit(content / "reference/glossary.yaml", "related: [slammen]", "related: [onbekend]")
    assert problems_for(content) == ["content/reference/glossary.yaml:2: term 'tina': related term 'onbekend' does not exist"]


def test_organisation_needs_source_and_date(content):
    edit(content / "reference/organisations.yaml", "    checked: 2026-11-23\n", "", )
    assert problems_for(content) == ["content/reference/organisations.yaml:5: missing field 'checked' (the date the entry was last checked)"]


def test_invalid_utf8(content):
    (content / "modules/02-kapot.md").write_bytes(b"---\nslug: kapot\n\xff\n")
    assert "content/modules/02-kapot.md:3: file is not valid UTF-8" in problems_for(content)


def test_shipped_content_is_valid_and_complete():
    course = load_course(REAL_CONTENT)
    stats = course_stats(course)
    assert stats["modules"], "the course ships at least one module"
    for module in course.modules:
        assert module.sources and module.objectives and module.takeaways
        quiz = course.module_quiz(module.slug)
        assert quiz is not None, module.slug
        for q in quiz.questions:
            assert all(o.feedback_html for o in q.options) and all(p.feedback_html for p in q.pairs)
        for vignette in course.vignettes_for(module.slug):
            for path in paths_to_endings(vignette):
                assert vignette.nodes[path[-1]].debrief_html
    for path in course.paths:
        assert course.quizzes.get(f"pre-{path.slug}") and course.quizzes.get(f"post-{path.slug}")


def test_unknown_field_is_reported(content):
    # A comma inside an unquoted flow-mapping value splits it into a stray key.
    edit(content / "quizzes/vignettes/proef-casus.yaml", 'feedback: "Goed, dat bouwt vertrouwen."', "feedback: Goed, dat bouwt vertrouwen.")
    assert problems_for(content) == ["content/quizzes/vignettes/proef-casus.yaml:11: unknown field 'dat bouwt vertrouwen.' in choice"]


OFFICIAL_NUMBERS = {"112", "101", "100", "1813", "106", "1712", "078151020", "070245245"}
PHONE = re.compile(r"(?<![\w.])(?:\+32 ?|0)\d[\d /.-]{6,}\d(?!\w)|(?<![\w.])(?:112|101|1813|106|1712)(?![\w.,]\d)")


def _texts(course):
    for m in course.modules:
        yield m.path, " ".join(s.html for s in m.sections)
    for quiz in course.quizzes.values():
        for q in quiz.questions:
            yield quiz.id, " ".join([q.prompt_html, q.explanation_html] + [o.html + " " + o.feedback_html for o in q.options]
                                    + [" ".join((p.left_html, p.right, p.feedback_html)) for p in q.pairs])
    for v in course.vignettes.values():
        yield v.path, " ".join(n.html + n.debrief_html + "".join(c.html + c.feedback_html for c in n.choices)
                               for n in v.nodes.values())


def test_no_contact_detail_without_a_source():
    """Phone numbers in course text are official ones; e-mail addresses never appear; every
    organisation with contact details names its source."""
    course = load_course(REAL_CONTENT)
    for where, text in _texts(course):
        plain = re.sub(r"<[^>]+>", " ", text)
        for number in PHONE.findall(plain):
            assert re.sub(r"\D", "", number) in OFFICIAL_NUMBERS, f"{where}: {number}"
        assert not re.search(r"[\w.+-]+@[\w-]+\.[a-z]{2,}", plain), where
    if course.referral_map:
        for org in course.referral_map.organisations:
            assert org.source and org.checked, org.id
            if org.phone:
                assert org.source, org.id


def test_glossary_links_resolve():
    course = load_course(REAL_CONTENT)
    ids = {t.id for t in course.glossary}
    for module in course.modules:
        for section in module.sections:
            for term_id in re.findall(r'href="/glossary#term-([a-z0-9-]+)"', section.html):
                assert term_id in ids, (module.slug, section.id, term_id)
            for source_id in re.findall(r'/sources#bron-([a-z0-9-]+)"', section.html):
                assert source_id in {s.id for s in module.sources}, (module.slug, section.id, source_id)


MINIMUM_WORDS = {"basis": 1200, "terminologie": 2000, "zorgkloof": 1800, "schadebeperking": 2500,
                 "consent": 1500, "gesprek": 2000}


def test_course_meets_the_content_brief():
    """The six modules, their assessment material and the reference data, as the brief asks."""
    course = load_course(REAL_CONTENT)
    stats = course_stats(course)
    assert [m["slug"] for m in stats["modules"]] == list(MINIMUM_WORDS)
    for m in stats["modules"]:
        module = course.module(m["slug"])
        assert m["words"] >= MINIMUM_WORDS[m["slug"]], m["slug"]
        assert 3 <= len(module.objectives) <= 6 and module.takeaways and module.sources
        quiz = course.module_quiz(m["slug"])
        assert len(quiz.questions) >= 12 and {q.type for q in quiz.questions} == {"single", "multiple", "truefalse", "matching"}
        assert {q.objective for q in quiz.questions} == {o.id for o in module.objectives}, m["slug"]
        vignettes = course.vignettes_for(m["slug"])
        assert len(vignettes) >= 2
        for v in vignettes:
            assert all(len(n.choices) >= 3 for n in v.nodes.values() if not n.ending), v.id
            assert all(sum(not v.nodes[n].ending for n in path) >= 3 for path in paths_to_endings(v)), v.id
        pre = [q for q in course.item_bank if q.module == m["slug"] and q.form == "pre"]
        post = [q for q in course.item_bank if q.module == m["slug"] and q.form == "post"]
        assert pre and post and {q.objective for q in pre} == {q.objective for q in post}, m["slug"]
    assert len(course.item_bank) >= 40
    assert 8 <= len(course.confidence.items) <= 12  # one thing per statement (issue 13 item 7)
    assert stats["glossary_terms"] >= 60
    assert stats["organisations"] >= 20
    basis = course.module("basis")
    assert 30 <= basis.minutes <= 45
