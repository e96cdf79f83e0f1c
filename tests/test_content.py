"""The content loader: good fixture content loads; each kind of bad file names its path:line."""

import re
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURE_CONTENT

from elearn.content import ContentError, course_stats, load_course
from elearn.content.render import plain_text
from elearn.content.vignettes import paths_to_endings

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
    assert course.path("proefpad").minutes == 20 + 12 + 10
    assert course.path("proefpad").post_pass_mark == 70
    pre = course.quizzes["pre-proefpad"]
    assert [q.id for q in pre.for_form("A").questions] == [f"proef-a{n}" for n in range(1, 7)]
    assert [q.id for q in pre.for_form("B").questions] == [f"proef-b{n}" for n in range(1, 7)]
    assert course.quizzes["post-proefpad"].pass_mark == 70 and pre.pass_mark == 0


def test_markdown_is_sanitised_and_terms_linked_once_per_section(content):
    module = load_course(content).module("proef")
    first, second = module.sections
    assert "<script" not in second.html and "javascript:" not in second.html
    assert first.html.count('href="/glossary#tina"') == 1
    assert second.html.count('href="/glossary#tina"') == 1
    assert '<a href="/modules/proef/sources#bron-bron-a" aria-label="bron 1">1</a>' in first.html


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
    assert problems_for(content) == [
        "content/modules/01-proef.md:29: duplicate section id 'eerste' (first at content/modules/01-proef.md:23)"
    ]


def test_heading_without_id(content):
    edit(content / "modules/01-proef.md", " {#tweede}", "")
    assert problems_for(content) == [
        "content/modules/01-proef.md:29: section heading needs a stable id: '## Title {#id}'"
    ]


def test_unknown_citation(content):
    edit(content / "modules/01-proef.md", "[bron: bron-a]", "[bron: onbekend]")
    assert problems_for(content) == ["content/modules/01-proef.md:25: [bron: onbekend] names no source of this module"]


def test_duplicate_question_id_across_files(content):
    edit(content / "quizzes/itembank/proef.yaml", "id: proef-b6", "id: proef-q1")
    edit(content / "quizzes/itembank/proef.yaml", "twin: proef-b6", "twin: proef-q1")
    found = problems_for(content)
    assert found == [
        "content/quizzes/itembank/proef.yaml:104: duplicate question id 'proef-q1' (first at "
        "content/quizzes/proef.quiz.yaml:5)"
    ]


def test_single_choice_needs_exactly_one_correct(content):
    edit(content / "quizzes/proef.quiz.yaml", "Een fout antwoord, correct: false", "Een fout antwoord, correct: true")
    assert problems_for(content) == [
        "content/quizzes/proef.quiz.yaml:5: a single-choice question needs exactly 1 correct option, has 2"
    ]


def test_option_without_feedback(content):
    edit(content / "quizzes/proef.quiz.yaml", ", feedback: Ook fout.}", "}")
    assert problems_for(content) == ["content/quizzes/proef.quiz.yaml:13: missing field 'feedback'"]


def test_unknown_objective(content):
    edit(
        content / "quizzes/proef.quiz.yaml",
        'objective: p2\n    prompt: "Stelling',
        'objective: p9\n    prompt: "Stelling',
    )
    assert problems_for(content) == [
        "content/quizzes/proef.quiz.yaml:22: question 'proef-q3': unknown objective 'p9' of module 'proef'"
    ]


def test_unknown_module_reference_in_path(content):
    edit(content / "reference/paths.yaml", "modules: [proef]", "modules: [proef, bestaat-niet]")
    assert problems_for(content) == ["content/reference/paths.yaml:2: path 'proefpad': unknown module 'bestaat-niet'"]


def test_vignette_choice_to_missing_node(content):
    edit(content / "quizzes/vignettes/proef-casus.yaml", "next: goed-einde", "next: nergens")
    found = problems_for(content)
    assert (
        found[0]
        == "content/quizzes/vignettes/proef-casus.yaml:18: choice 'a' of node 'midden' leads to unknown node 'nergens'"
    )


def test_vignette_unreachable_node(content):
    path = content / "quizzes/vignettes/proef-casus.yaml"
    path.write_text(path.read_text() + "  los:\n    ending: true\n    title: Los\n    debrief: Niemand komt hier.\n")
    assert problems_for(content) == [
        "content/quizzes/vignettes/proef-casus.yaml:29: node 'los' cannot be reached from 'start'"
    ]


def test_vignette_cycle_needs_declaring(content):
    path = content / "quizzes/vignettes/proef-casus.yaml"
    edit(path, "next: slecht-einde, scores: {trust: -2}", "next: start, scores: {trust: -2}")
    assert problems_for(content) == [
        "content/quizzes/vignettes/proef-casus.yaml:8: cycle start -> midden -> start (set allow_cycles: true if meant)"
    ]
    edit(path, "start: start\n", "start: start\nallow_cycles: true\n")
    assert load_course(content).vignettes["proef-casus"].allow_cycles


def test_vignette_paths_all_end(content):
    vignette = load_course(content).vignettes["proef-casus"]
    paths = paths_to_endings(vignette)
    assert all(vignette.nodes[p[-1]].ending for p in paths)
    assert len(paths) == 5


def test_glossary_related_must_exist(content):
    edit(content / "reference/glossary.yaml", "related: [slammen]", "related: [onbekend]")
    assert problems_for(content) == [
        "content/reference/glossary.yaml:2: term 'tina': related term 'onbekend' does not exist"
    ]


def test_organisation_needs_source_and_date(content):
    edit(
        content / "reference/organisations.yaml",
        "    checked: 2026-11-23\n",
        "",
    )
    assert problems_for(content) == [
        "content/reference/organisations.yaml:5: missing field 'checked' (the date the entry was last checked)"
    ]


def test_invalid_utf8(content):
    (content / "modules/02-kapot.md").write_bytes(b"---\nslug: kapot\n\xff\n")
    assert "content/modules/02-kapot.md:3: file is not valid UTF-8" in problems_for(content)


def test_shipped_content_has_no_answer_cues():
    from elearn.content.lint import lint_content

    load_course(REAL_CONTENT)
    assert [str(p) for p in lint_content(REAL_CONTENT)] == []


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
    edit(
        content / "quizzes/vignettes/proef-casus.yaml",
        'feedback: "Goed, dat bouwt vertrouwen."',
        "feedback: Goed, dat bouwt vertrouwen.",
    )
    assert problems_for(content) == [
        "content/quizzes/vignettes/proef-casus.yaml:12: unknown field 'dat bouwt vertrouwen.' in choice"
    ]


OFFICIAL_NUMBERS = {"112", "101", "100", "1813", "106", "1712", "078151020", "070245245"}
PHONE = re.compile(r"(?<![\w.])(?:\+32 ?|0)\d[\d /.-]{6,}\d(?!\w)|(?<![\w.])(?:112|101|1813|106|1712)(?![\w.,]\d)")


def _texts(course):
    for m in course.modules:
        yield m.path, " ".join(s.html for s in m.sections)
    for quiz in course.quizzes.values():
        for q in quiz.questions:
            yield (
                quiz.id,
                " ".join(
                    [q.prompt_html, q.explanation_html]
                    + [o.html + " " + o.feedback_html for o in q.options]
                    + [" ".join((p.left_html, p.right, p.feedback_html)) for p in q.pairs]
                ),
            )
    for v in course.vignettes.values():
        yield (
            v.path,
            " ".join(
                n.html + n.debrief_html + "".join(c.html + c.feedback_html for c in n.choices) for n in v.nodes.values()
            ),
        )


def test_no_contact_detail_without_a_source():
    """Phone numbers in course text are official ones; e-mail addresses never appear; every
    organisation with contact details names its source."""
    course = load_course(REAL_CONTENT)
    for where, text in _texts(course):
        plain = plain_text(text)
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


MINIMUM_WORDS = {
    "basis": 1200,
    "terminologie": 2000,
    "zorgkloof": 1800,
    "schadebeperking": 2500,
    "consent": 1500,
    "gesprek": 2000,
}


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
        assert len(quiz.questions) >= 12 and {q.type for q in quiz.questions} == {
            "single",
            "multiple",
            "truefalse",
            "matching",
        }
        assert {q.objective for q in quiz.questions} == {o.id for o in module.objectives}, m["slug"]
        vignettes = course.vignettes_for(m["slug"])
        assert len(vignettes) >= 2
        for v in vignettes:
            assert all(len(n.choices) >= 3 for n in v.nodes.values() if not n.ending), v.id
            assert all(sum(not v.nodes[n].ending for n in path) >= 3 for path in paths_to_endings(v)), v.id
        form_a = [q for q in course.item_bank if q.module == m["slug"] and q.form == "A"]
        form_b = [q for q in course.item_bank if q.module == m["slug"] and q.form == "B"]
        assert len(form_a) >= 6 and len(form_b) >= 6, m["slug"]
        objectives = {o.id for o in module.objectives}
        assert {q.objective for q in form_a} == {q.objective for q in form_b} == objectives, m["slug"]
    assert len(course.item_bank) >= 40
    assert 8 <= len(course.confidence.items) <= 12  # one thing per statement (issue 13 item 7)
    assert stats["glossary_terms"] >= 60
    assert stats["organisations"] >= 20
    basis = course.module("basis")
    assert 30 <= basis.minutes <= 45


# --- item bank: parallel forms A and B with twins ---

BANK = "quizzes/itembank/proef.yaml"


def test_item_bank_form_must_be_a_or_b(content):
    edit(
        content / BANK,
        "form: B\n    type: single\n    objective: p1",
        "form: post\n    type: single\n    objective: p1",
    )
    found = problems_for(content)
    assert "content/quizzes/itembank/proef.yaml:62: field 'form' must be 'A' or 'B', not 'post'" in found


def test_form_a_item_without_twin_is_refused(content):
    edit(content / BANK, "    twin: proef-b1\n", "")
    assert problems_for(content) == [
        "content/quizzes/itembank/proef.yaml:3: a form-A item needs 'twin': the id of its form-B item",
    ]


def test_twin_must_exist_in_the_file(content):
    edit(content / BANK, "twin: proef-b1", "twin: proef-b9")
    assert problems_for(content) == [
        "content/quizzes/itembank/proef.yaml:3: item 'proef-a1': twin 'proef-b9' is not an item of this file",
        "content/quizzes/itembank/proef.yaml:61: item 'proef-b1': form-B item is the twin of no form-A item",
    ]


def test_twins_are_one_to_one_same_objective_and_type(content):
    edit(content / BANK, "twin: proef-b3", "twin: proef-b1")
    found = problems_for(content)
    assert found == [
        "content/quizzes/itembank/proef.yaml:22: item 'proef-a3': twin 'proef-b1' is already the twin of 'proef-a1'",
        "content/quizzes/itembank/proef.yaml:78: item 'proef-b3': form-B item is the twin of no form-A item",
    ]


def test_twin_with_other_objective_or_type(content):
    edit(content / BANK, "twin: proef-b2", "twin: proef-b1")  # proef-a2 now names b1 ...
    edit(content / BANK, "twin: proef-b1", "twin: proef-b2")  # ... and proef-a1 names b2
    found = problems_for(content)
    assert (
        "content/quizzes/itembank/proef.yaml:3: item 'proef-a1': twin 'proef-b2' tests objective 'p2', not 'p1'"
        in found
    )
    assert (
        "content/quizzes/itembank/proef.yaml:3: item 'proef-a1': twin 'proef-b2' is of type 'truefalse', not 'single'"
        in found
    )


def test_twin_must_be_in_form_b_and_b_names_no_twin(content):
    edit(content / BANK, "twin: proef-b1", "twin: proef-a2")
    found = problems_for(content)
    assert "content/quizzes/itembank/proef.yaml:3: item 'proef-a1': twin 'proef-a2' must be a form-B item" in found
    content2 = content / BANK
    edit(content2, "twin: proef-a2", "twin: proef-b1")
    edit(content2, "  - id: proef-b1\n    form: B\n", "  - id: proef-b1\n    form: B\n    twin: proef-a1\n")
    assert problems_for(content) == [
        "content/quizzes/itembank/proef.yaml:63: only form-A items name a twin (the B item is named by its A twin)",
    ]


def test_each_form_needs_six_items_and_every_objective(content):
    assert len(load_course(content).item_bank) == 12
    with pytest.raises(ContentError) as exc:
        load_course(content, min_form_items=7)
    assert [str(p) for p in exc.value.problems] == [
        "content/quizzes/itembank/proef.yaml:2: form A has 6 items; at least 7 needed",
        "content/quizzes/itembank/proef.yaml:2: form B has 6 items; at least 7 needed",
    ]
    text = (content / BANK).read_text().replace("objective: p2", "objective: p1")
    (content / BANK).write_text(text)
    assert problems_for(content) == [
        "content/quizzes/itembank/proef.yaml:2: form A has no item for objective 'p2'",
        "content/quizzes/itembank/proef.yaml:2: form B has no item for objective 'p2'",
    ]


def test_path_post_pass_mark_is_read_and_checked(content):
    edit(content / "reference/paths.yaml", "modules: [proef]", "modules: [proef]\n    post_pass_mark: 85")
    course = load_course(content)
    assert course.path("proefpad").post_pass_mark == 85 and course.quizzes["post-proefpad"].pass_mark == 85
    edit(content / "reference/paths.yaml", "post_pass_mark: 85", "post_pass_mark: 0")
    assert problems_for(content) == ["content/reference/paths.yaml:7: post_pass_mark must be between 1 and 100"]


# --- answer-cue lint (elearn content check) ---


def test_lint_passes_on_the_fixture_content(content):
    from elearn.content.lint import lint_content

    assert lint_content(content) == []


def test_lint_reports_each_cue_with_path_and_line(content):
    """A crafted cue-laden module: keyed options longest, every statement 'niet waar', best choice first and longest."""
    from elearn.content.lint import lint_content

    quiz = content / "quizzes/proef.quiz.yaml"
    edit(quiz, "text: Het juiste antwoord,", "text: Het juiste antwoord dat veel langer is dan de rest,")
    bank = content / BANK
    text = bank.read_text().replace("text: Juist antwoord,", "text: Het juiste en veel langere antwoord,")
    text = text.replace("correct: true\n    feedback_true", "correct: false\n    feedback_true")
    bank.write_text(text)
    vignette = content / "quizzes/vignettes/proef-casus.yaml"
    lines = vignette.read_text().split("\n")
    lines[10], lines[11] = lines[11], lines[10]  # the best choice first again
    lines[16], lines[17] = lines[17], lines[16]
    vignette.write_text(
        "\n".join(lines).replace("text: Open vraag stellen,", "text: Een open vraag stellen over hoe het gaat,")
    )
    found = [str(p) for p in lint_content(content)]
    longest = (
        "module 'proef': the keyed option is strictly the longest in 7 of 7 single-choice items (at most 40 % allowed)"
    )
    bank_items = [(3, "a1"), (22, "a3"), (51, "a6"), (61, "b1"), (78, "b3"), (104, "b6")]
    v = "content/quizzes/vignettes/proef-casus.yaml"
    assert found == [
        "content/quizzes/itembank/proef.yaml:2: true/false items keyed 'waar' in 0 of 4 (0 %); keep it within 40-60 %",
        *[f"content/quizzes/itembank/proef.yaml:{line}: proef-{i}: {longest}" for line, i in bank_items],
        f"content/quizzes/proef.quiz.yaml:5: proef-q1: {longest}",
        f"{v}:8: node 'start': module 'proef': the best choice is listed first in 2 of 2 vignette decision "
        "points (at most 40 % allowed)",
        f"{v}:8: node 'start': module 'proef': the best choice is strictly the longest in 1 of 2 vignette "
        "decision points (at most 40 % allowed)",
        f"{v}:14: node 'midden': module 'proef': the best choice is listed first in 2 of 2 vignette decision "
        "points (at most 40 % allowed)",
    ]


def test_true_false_balance_allows_one_off_with_an_odd_count():
    from elearn.content.lint import _cues, _true_false_balance

    items = lambda *keys: [_cues({"type": "truefalse", "correct": k}) for k in keys]  # noqa: E731
    assert _true_false_balance("q.yaml", 4, items(True, False, False)) == []
    assert _true_false_balance("q.yaml", 4, items(True, True, False, False, False)) == []
    assert _true_false_balance("q.yaml", 4, items(True, False, False, False, False)) != []
    assert _true_false_balance("q.yaml", 4, items(True, True, True, False)) != []
    assert _true_false_balance("q.yaml", 4, [_cues({"type": "single"})]) == []


def test_plain_text_drops_inline_tags_and_separates_blocks():
    assert (
        plain_text("<p>GHB &amp; <strong>alcohol</strong>: <em>niet</em> mengen.</p>") == "GHB & alcohol: niet mengen."
    )
    assert plain_text("<ul><li>112 bellen</li><li>stabiele zijligging</li></ul>") == "112 bellen stabiele zijligging"
    assert plain_text("regel<br>volgende\n\n  regel") == "regel volgende regel"
    assert plain_text("&lt;script&gt;") == "<script>"  # decoded after the tags are gone, never re-parsed
