"""The safety minimum of issue 16 in the shipped modules basis and schadebeperking.

A care worker who takes the course must meet each safety point in the module text and be tested
on it in both parallel forms of the item bank; the JAC vignette's best path must deal with PEP and
the Zorgcentra na Seksueel Geweld now, not later.
"""

from test_content import REAL_CONTENT

from elearn.content import load_course
from elearn.content.render import plain_text


def _section(course, slug, section_id):
    return plain_text(course.module(slug).section(section_id).html)


def test_schadebeperking_teaches_each_safety_point_with_its_source():
    course = load_course(REAL_CONTENT)
    emergency = _section(course, "schadebeperking", "noodsituatie")
    for needed in (
        "112",
        "stabiele zijligging",
        "ademhaling",
        "koffie",
        "koude douche",
        "uitslapen",
        "reanimeren",
        "schuldig hulpverzuim",
        "art. 422bis",
        "nieuwe Strafwetboek",
        "politie",
    ):
        assert needed in emergency, needed
    ghb = _section(course, "schadebeperking", "ghb-gbl")
    assert "GBL" in ghb and "sterker" in ghb and "twee uur" in ghb and "alcohol" in ghb
    tolerance = _section(course, "schadebeperking", "tolerantie")
    assert "hoeveelheid van vroeger" in tolerance and "overdosis" in tolerance and "laag beginnen" in tolerance
    pep = _section(course, "schadebeperking", "pep-zsg")
    assert "72 uur" in pep and "hiv-referentiecentrum" in pep and "huisarts" in pep and "Zorgcentrum" in pep
    hiv = _section(course, "schadebeperking", "hiv-medicatie")
    for needed in ("ritonavir", "cobicistat", "PrEP", "Liverpool"):
        assert needed in hiv, needed
    # every safety section cites a source the reader can follow
    for section_id in ("noodsituatie", "ghb-gbl", "tolerantie", "pep-zsg", "hiv-medicatie"):
        module = course.module("schadebeperking")
        html = next(s.html for s in module.sections if s.id == section_id)
        assert "/sources#bron-" in html, section_id


def test_basis_repeats_the_safety_points_briefly():
    course = load_course(REAL_CONTENT)
    text = _section(course, "basis", "veiligheid")
    for needed in (
        "112",
        "stabiele zijligging",
        "GBL",
        "twee uur",
        "pauze",
        "PEP",
        "72 uur",
        "Zorgcentrum na Seksueel Geweld",
        "beroepsgeheim",
    ):
        assert needed in text, needed
    all_basis = " ".join(plain_text(s.html) for s in course.module("basis").sections)
    assert "Vlaamse spelling" not in all_basis  # the spelling paragraph lives in terminologie only


def test_safety_objectives_are_tested_in_quiz_and_both_forms():
    course = load_course(REAL_CONTENT)
    for slug, objective in (("basis", "b5"), ("schadebeperking", "s6")):
        assert any(q.objective == objective for q in course.module_quiz(slug).questions), slug
        forms = {q.form for q in course.item_bank if q.module == slug and q.objective == objective}
        assert forms == {"A", "B"}, slug


def test_jac_vignette_best_path_checks_pep_and_zsg_now():
    course = load_course(REAL_CONTENT)
    vignette = course.vignettes["basis-jac-inloop"]
    node, seen = vignette.nodes[vignette.start], []
    while not node.ending:
        best = max(node.choices, key=lambda c: sum(c.scores.values()))
        seen.append(plain_text(best.html + " " + best.feedback_html))
        node = vignette.nodes[best.next]
    assert node.outcome == "good"
    path = " ".join(seen) + " " + plain_text(node.debrief_html)
    for needed in ("PEP", "zorgcentrum", "condoom", "toestemming", "72 uur", "soa-test"):
        assert needed.lower() in path.lower(), needed
