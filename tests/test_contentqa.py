"""Content QA: source dates and languages, consistent terms across the shipped course."""

import re
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURE_CONTENT, logged_in

from elearn.content import ContentError, load_course
from elearn.content.render import plain_text

REAL_CONTENT = Path(__file__).resolve().parent.parent / "elearn"
FIXTURE_SOURCE = """  - id: bron-a
    title: Een testbron
    publisher: Testuitgever
    year: 2024
    url: https://example.org/bron
"""


@pytest.fixture
def content(tmp_path):
    target = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, target)
    return target


def _module_file(content: Path) -> Path:
    return next((content / "modules").glob("*proef*.md"))


def _set_source(content: Path, extra: str):
    path = _module_file(content)
    text = path.read_text()
    assert FIXTURE_SOURCE in text
    path.write_text(text.replace(FIXTURE_SOURCE, FIXTURE_SOURCE + extra, 1))


def test_source_checked_date_and_language_are_read(content):
    _set_source(content, "    checked: 2026-12-01\n    lang: en\n")
    module = load_course(content).module("proef")
    source = module.sources[0]
    assert (source.checked, source.lang) == ("2026-12-01", "en")


def test_source_language_is_optional(content):
    assert load_course(content).module("proef").sources[0].lang is None


@pytest.mark.parametrize("bad", ["English", "e", "en_GB", "1"])
def test_source_language_must_be_a_language_code(content, bad):
    _set_source(content, f"    lang: {bad}\n")
    with pytest.raises(ContentError) as exc:
        load_course(content)
    problems = [str(p) for p in exc.value.problems]
    assert len(problems) == 1 and "field 'lang' must be a language code" in problems[0], problems
    assert re.match(r".*proef\.md:\d+: ", problems[0]), problems


def test_source_list_marks_foreign_titles_and_shows_the_date(make_app, content):
    _set_source(content, "    checked: 2026-12-01\n    lang: fr\n")
    app = make_app(CONTENT_DIR=str(content))
    with logged_in(app, "lea@example.org", "Lea") as client:
        page = client.get("/modules/proef/sources").get_data(as_text=True)
    assert '<span lang="fr">Een testbron.</span> Testuitgever, 2024.' in page
    assert "geraadpleegd op 2026-12-01" in page


def test_source_list_without_language_has_no_lang_attribute(app):
    with logged_in(app, "lea@example.org", "Lea") as client:
        page = client.get("/modules/proef/sources").get_data(as_text=True)
    item = re.search(r'<li id="bron-bron-a">.*?</li>', page, re.S).group(0)
    assert "lang=" not in item and "Een testbron." in item


# --- the shipped course ---------------------------------------------------------------


@pytest.fixture(scope="module")
def course():
    return load_course(REAL_CONTENT)


def test_no_check_date_is_left_in_source_titles_or_publishers(course):
    for module in course.modules:
        for s in module.sources:
            assert "geraadpleegd" not in s.title + s.publisher, (module.slug, s.id)
            if s.url:
                assert s.checked is None or re.match(r"\d{4}-\d{2}-\d{2}$", s.checked)


def test_english_and_french_source_titles_are_marked(course):
    by_id = {(m.slug, s.id): s for m in course.modules for s in m.sources}
    assert by_id[("schadebeperking", "who2024")].lang == "en"
    assert by_id[("schadebeperking", "belgium2025")].lang == "fr"
    assert by_id[("basis", "rodekruis-bewusteloos")].lang is None
    english = re.compile(r"\b(the|and|what|to|with|for|after)\b", re.I)
    for (slug, sid), s in by_id.items():
        if english.search(s.title) and not re.search(r"\b(de|het|een|van|wat)\b", s.title):
            assert s.lang == "en", (slug, sid, s.title)


NEW_TERMS = {
    "stabiele-zijligging": "schadebeperking",
    "tolerantie": "schadebeperking",
    "schuldig-hulpverzuim": "schadebeperking",
    "booster": "schadebeperking",
    "gedeeld-beroepsgeheim": "gesprek",
    "noodtoestand": "gesprek",
    "seksuele-meerderjarigheid": "consent",
}


@pytest.mark.parametrize("term_id,module_slug", sorted(NEW_TERMS.items()))
def test_new_glossary_terms_are_linked_from_the_module_that_teaches_them(course, term_id, module_slug):
    term = course.term(term_id)
    assert term is not None and term.module == module_slug
    html = "".join(s.html for s in course.module(module_slug).sections)
    assert f'<a class="term" href="/glossary#{term_id}">' in html, term_id


def test_glossary_states_the_safety_facts_the_modules_teach(course):
    defs = {t.id: plain_text(t.definition_html) for t in course.glossary}
    assert "GBL is sterker" in defs["ghb-gbl"] and "minstens twee uur" in defs["ghb-gbl"]
    assert "alcohol of andere dempende middelen" in defs["ghb-gbl"]
    assert "72 uur" in defs["pep"] and "hiv-referentiecentrum" in defs["pep"] and "spoedafdeling" in defs["pep"]
    assert "huisarts" in defs["pep"]
    assert "36 uur" in defs["erectiepillen"] and "poppers" in defs["erectiepillen"]
    assert "artikel 458" in defs["beroepsgeheim"] and "8 april 2026" in defs["beroepsgeheim"]
    assert "8 april 2026" in defs["consent"]
    assert "422bis" in defs["schuldig-hulpverzuim"]
    assert "16 jaar" in defs["seksuele-meerderjarigheid"] and "14" in defs["seksuele-meerderjarigheid"]
    assert "ritonavir" in defs["booster"] and "cobicistat" in defs["booster"]
    assert "dag en nacht" in defs["zsg"] and "72 uur" in defs["zsg"] and "zeven dagen" in defs["zsg"]


def test_chems_fr_is_taught_as_a_trigger_and_chemsfriendly_as_a_profile_word(course):
    for module in course.modules:
        html = "".join(s.html for s in module.sections)
        for block in re.findall(r"<(?:p|li)>(.*?)</(?:p|li)>", html, re.S):
            if "chems fr" in block:
                assert "trigger" in block, (module.slug, block)
    terminologie = "".join(s.html for s in course.module("terminologie").sections)
    assert 'href="/glossary#chems-fr"' in terminologie and 'href="/glossary#appcodes"' in terminologie
    assert course.term("chems-fr").module == "terminologie"
    assert "chemsfriendly" in course.term("appcodes").synonyms


def _all_text(course):
    parts = []
    for module in course.modules:
        parts += [s.html for s in module.sections]
    return plain_text(" ".join(parts))


def test_law_statements_are_instructive_and_point_to_the_official_text(course):
    text = _all_text(course)
    assert "vonden we" not in text and "kunnen citeren" not in text
    for slug in ("basis", "schadebeperking", "consent", "gesprek"):
        module = course.module(slug)
        assert "strafwetboek" in {s.id for s in module.sources}, slug
        justel = next(s for s in module.sources if s.id == "strafwetboek")
        assert justel.url.startswith("https://www.ejustice.just.fgov.be/") and justel.checked
    assert "vroeger art. 422bis" in text and "8 april 2026" in text


def test_pep_is_taught_the_same_way_in_every_module():
    course = load_course(REAL_CONTENT)
    for module in course.modules:
        body = plain_text(" ".join(s.html for s in module.sections))
        if "PEP" not in body:
            continue
        assert "72 uur" in body, module.slug
        assert "48 uur" not in body, module.slug
        if "huisarts" in body and "PEP" in body:
            assert "kan dat niet" not in body, module.slug


def test_every_section_stays_readable_under_600_words(course):
    for module in course.modules:
        for section in module.sections:
            assert section.words < 600, (module.slug, section.id, section.words)


BANNED = [
    "centrum voor seksuele gezondheid",
    "centra voor seksuele gezondheid",
    "drugdienst",
    "verdovende middelen",
    "harm-reductiondienst",
    "harm-reductionorganisatie",
    "studiefinanciering",
    "LGBTI+",
    "LGBT+",
    "LGBT-",
    "hij of zij ",
]


def test_content_files_use_the_agreed_belgian_terms():
    files = [p for d in ("modules", "quizzes") for p in (REAL_CONTENT / d).rglob("*") if p.is_file()]
    assert len(files) > 20
    for path in files:
        text = path.read_text(encoding="utf-8")
        for word in BANNED:
            assert word.lower() not in text.lower(), (path.name, word)


# --- English interface: Dutch content is announced and marked lang="nl" -----------------------

NOTICE_EN = "The course content (modules, glossary, referral map and leaflet) is written in Dutch."
NOTICE_NL = "De cursusinhoud (modules, woordenlijst, sociale kaart en folder) is in het Nederlands geschreven."


def _english(client, url="/paths"):
    from conftest import post_form

    post_form(client, "/language", {"lang": "en", "next": url}, token_from=url)
    return client


@pytest.fixture
def english_content(content):
    """Fixture content with English path texts and an English region label."""
    paths = content / "reference" / "paths.yaml"
    paths.write_text(
        paths.read_text().replace(
            "    title: Proeftraject\n",
            "    title: Proeftraject\n    title_en: Trial path\n    description_en: A path for the tests.\n",
        )
    )
    orgs = content / "reference" / "organisations.yaml"
    orgs.write_text(
        orgs.read_text().replace(
            "regions: {vlaanderen: Vlaanderen,", "regions: {vlaanderen: {name: Vlaanderen, en: Flanders},"
        )
    )
    return content


@pytest.mark.parametrize(
    "url",
    [
        "/modules",
        "/modules/proef",
        "/modules/proef/eerste",
        "/modules/proef/sources",
        "/glossary",
        "/sociale-kaart",
        "/folder",
        "/paths",
    ],
)
def test_english_interface_says_the_content_is_dutch(app, url):
    client = _english(logged_in(app, "lea@example.org", "Lea"))
    page = client.get(url).get_data(as_text=True)
    assert page.count(NOTICE_EN) == 1, url
    assert 'lang="nl"' in page.split("<main", 1)[1], url


@pytest.mark.parametrize("url", ["/modules/proef/eerste", "/glossary", "/paths"])
def test_dutch_interface_has_no_notice_and_no_lang_noise(app, url):
    client = logged_in(app, "lea@example.org", "Lea")
    page = client.get(url).get_data(as_text=True)
    assert NOTICE_NL not in page and NOTICE_EN not in page
    assert 'lang="nl"' not in page.split("<main", 1)[1]


def test_section_text_is_marked_dutch_in_the_english_interface(app):
    client = _english(logged_in(app, "lea@example.org", "Lea"))
    page = client.get("/modules/proef/eerste").get_data(as_text=True)
    body = re.search(r'<div class="section-body" lang="nl">(.*?)</div>', page, re.S)
    assert body and "Dit gaat over" in body.group(1)
    assert re.search(r'<h1 lang="nl">Eerste deel</h1>', page)


def test_glossary_terms_and_definitions_are_marked_dutch(app):
    client = _english(logged_in(app, "lea@example.org", "Lea"))
    page = client.get("/glossary").get_data(as_text=True)
    assert re.search(r'<dt id="term-[a-z0-9-]+" lang="nl">', page)
    assert '<p lang="nl">' in page.split('<dl class="glossary">', 1)[1]


def test_paths_use_their_english_title_and_description(make_app, english_content):
    app = make_app(CONTENT_DIR=str(english_content))
    client = logged_in(app, "lea@example.org", "Lea")
    dutch = client.get("/paths").get_data(as_text=True)
    assert "Proeftraject" in dutch and "Trial path" not in dutch
    page = _english(client).get("/paths").get_data(as_text=True)
    assert "<h2>Trial path</h2>" in page and "<p>A path for the tests.</p>" in page
    assert "Proeftraject" not in page.split("<main", 1)[1]


def test_path_without_english_text_stays_dutch_and_marked(app):
    page = _english(logged_in(app, "lea@example.org", "Lea")).get("/paths").get_data(as_text=True)
    assert '<h2 lang="nl">Proeftraject</h2>' in page


def test_referral_map_filter_labels_are_translated(make_app, english_content):
    app = make_app(CONTENT_DIR=str(english_content))
    client = logged_in(app, "lea@example.org", "Lea")
    assert '<option value="vlaanderen">Vlaanderen</option>' in client.get("/sociale-kaart").get_data(as_text=True)
    page = _english(client, "/sociale-kaart").get("/sociale-kaart").get_data(as_text=True)
    assert '<option value="vlaanderen">Flanders</option>' in page
    assert '<option value="brussel">Brussel</option>' in page  # no English label given: the Dutch one
    assert '<span lang="nl">Proeforganisatie</span>' in page


def test_referral_map_label_falls_back_to_dutch_and_to_the_id(english_content):
    rmap = load_course(english_content).referral_map
    assert rmap.label("regions", "vlaanderen", "en") == "Flanders"
    assert rmap.label("regions", "vlaanderen", "nl") == "Vlaanderen"
    assert rmap.label("regions", "brussel", "en") == "Brussel"
    assert rmap.label("kinds", "onbekend", "en") == "onbekend"


def test_english_labels_in_the_referral_map_must_be_text(content):
    orgs = content / "reference" / "organisations.yaml"
    orgs.write_text(
        orgs.read_text().replace(
            "audiences: {professionals: Hulpverleners,", "audiences: {professionals: {name: Hulpverleners, engels: x},"
        )
    )
    with pytest.raises(ContentError) as exc:
        load_course(content)
    assert any("organisations.yaml:" in str(p) and "engels" in str(p) for p in exc.value.problems)


def test_shipped_paths_and_filter_labels_all_have_english(course):
    for p in course.paths:
        assert p.title_en and p.description_en, p.slug
        assert p.title_in("en") == p.title_en and p.title_in("nl") == p.title
    rmap = course.referral_map
    for vocabulary in ("regions", "audiences", "kinds"):
        for key in getattr(rmap, vocabulary):
            assert key in rmap.labels_en[vocabulary], (vocabulary, key)


def test_a_source_cited_in_several_modules_is_named_the_same_way(course):
    seen = {}
    for module in course.modules:
        for s in module.sources:
            if s.url:
                named = (s.title, s.publisher, s.year, s.lang)
                assert seen.setdefault(s.url, named) == named, (module.slug, s.id, s.url)


def test_path_page_uses_english_path_texts_and_marks_dutch_content(make_app):
    from conftest import PASSWORD, login, make_user, post_form

    from elearn.config import PACKAGE_DIR

    real_app = make_app(CONTENT_DIR=str(PACKAGE_DIR))
    make_user(real_app, email="eng@example.org", name="Eve English")
    client = real_app.test_client()
    login(client, "eng@example.org", PASSWORD)
    post_form(client, "/language", {"lang": "en"}, token_from="/account")
    page = client.get("/paths/basis").get_data(as_text=True)
    path = real_app.extensions["course"].path("basis")
    assert f"<h1>{path.title_en}</h1>" in page and 'data-content-language="nl"' in page
    assert 'lang="nl">' in page  # module titles and case titles are Dutch content
