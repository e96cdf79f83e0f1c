"""Reference data (referral map, paths, glossary, confidence scale, source lists) and the JAC/CAW
leaflet (/folder, /folder.pdf): the loader refuses bad data with path:line; pages as a visitor or a
learner sees them."""

import io
import re
import shutil
from pathlib import Path

import pypdf
import pytest
from conftest import FIXTURE_CONTENT, login, make_user

from elearn.content import ContentError, load_course
from elearn.content.leaflet import section_list
from elearn.leaflet.pdf import render_leaflet_pdf
from elearn.leaflet.service import UnknownRegion, leaflet_view

REAL_CONTENT = Path(__file__).resolve().parent.parent / "elearn"


@pytest.fixture(scope="module")
def real_course():
    return load_course(REAL_CONTENT)


@pytest.fixture
def content(tmp_path):
    target = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, target)
    return target


@pytest.fixture
def real_app(make_app):
    return make_app(CONTENT_DIR=str(REAL_CONTENT))


def problems_for(content_dir):
    with pytest.raises(ContentError) as exc:
        load_course(content_dir)
    return [str(p) for p in exc.value.problems]


def edit(path: Path, old: str, new: str):
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


def pdf_text(data: bytes) -> str:
    """The PDF's text with line breaks and hyphen-free wrapping joined into single spaces."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


# --- referral map -------------------------------------------------------------------------------


def test_phone_without_contact_source_is_refused(content):
    orgs = content / "reference/organisations.yaml"
    edit(orgs, "    contact_source: https://www.druglijn.be/over-ons/werking\n", "")
    assert problems_for(content) == [
        "content/reference/organisations.yaml:12: phone number without 'contact_source' (the URL of the page "
        "that states it)"
    ]


def test_email_needs_a_source_and_url_must_be_https(content):
    orgs = content / "reference/organisations.yaml"
    edit(
        orgs,
        "    offer: Drughulp in Nederland.\n",
        "    offer: Drughulp in Nederland.\n    email: info@example.org\n    url: http://example.org\n",
    )
    assert problems_for(content) == [
        "content/reference/organisations.yaml:23: e-mail address without 'contact_source' (the URL of the page "
        "that states it)",
        "content/reference/organisations.yaml:24: url must be the official website, starting with https://",
    ]


def test_regions_form_a_tree_and_unknown_parents_fail(content):
    orgs = content / "reference/organisations.yaml"
    edit(
        orgs,
        "regions: {vlaanderen: Vlaanderen, brussel: Brussel, nederland: Nederland}",
        "regions:\n  vlaanderen: Vlaanderen\n  brussel: Brussel\n  nederland: Nederland\n"
        "  gent: {name: Gent, in: oost-vlaanderen}",
    )
    assert problems_for(content) == [
        "content/reference/organisations.yaml:5: region 'gent' lies in unknown region 'oost-vlaanderen'"
    ]


def test_a_province_shows_its_own_services_and_the_flemish_and_national_ones(real_course):
    rmap = real_course.referral_map
    west = {o.id for o in rmap.for_region("west-vlaanderen")}
    assert {"zsg-west-vlaanderen", "de-druglijn", "noodnummer-112", "caw"} <= west
    assert not {"zsg-gent", "zsg-limburg", "zsg-brussel", "mainline", "regenbooghuis-limburg"} & west
    flanders = {o.id for o in rmap.for_region("vlaanderen")}
    assert {"zsg-gent", "zsg-limburg", "zsg-west-vlaanderen"} <= flanders and "zsg-brussel" not in flanders
    assert {o.id for o in rmap.for_region("")} == {o.id for o in rmap.organisations}


def test_every_shipped_contact_detail_names_the_page_it_comes_from(real_course):
    orgs = real_course.referral_map.organisations
    seeds = {p.name for p in (REAL_CONTENT.parent.parent / "shared" / "seeds").glob("*.txt")} or None
    for org in orgs:
        assert org.source and org.checked, org.id
        if org.url:
            assert org.url.startswith("https://"), org.id
        if org.phone or org.email:
            assert org.contact_source, org.id
            assert org.contact_source.startswith("https://") or re.match(
                r"^\d{3}_[0-9a-f]{16}\.txt$", org.contact_source
            ), org.id
            if seeds and not org.contact_source.startswith("https://"):
                assert org.contact_source in seeds, org.id
    belgian = [o for o in orgs if o.country == "BE"]
    assert sum(1 for o in belgian if o.url) >= 14
    zsg = [o for o in belgian if o.id.startswith("zsg-")]
    assert {r for o in zsg for r in o.regions} >= {
        "oost-vlaanderen",
        "west-vlaanderen",
        "antwerpen",
        "limburg",
        "vlaams-brabant",
        "brussel",
    }


def test_referral_map_page_filters_by_province_and_links_the_contact_page(real_app):
    client = real_app.test_client()
    page = client.get("/sociale-kaart?region=west-vlaanderen").get_data(as_text=True)
    assert "AZ Delta, Rumbeke" in page and "De DrugLijn" in page
    assert "UZ Gent" not in page and "Stichting Mainline" not in page
    page = client.get("/sociale-kaart").get_data(as_text=True)
    assert 'href="tel:078151020"' in page and "itg.be/en/clinics/service/emergencies" in page
    assert "003_605281ff6268c4af.txt" not in client.get("/sociale-kaart?country=NL").get_data(as_text=True)


# --- paths, glossary, confidence scale, source lists --------------------------------------------------------


def test_paths_include_harm_reduction_and_consent(real_course):
    assert "schadebeperking" in real_course.path("drughulpverlening").modules
    assert "consent" in real_course.path("seksuele-gezondheid").modules
    text = (REAL_CONTENT / "reference/paths.yaml").read_text()
    assert "# Why each path holds" in text


def test_glossary_uses_the_course_terms(real_course):
    terms = {t.id: t for t in real_course.glossary}
    assert terms["downers"].term == "dempende middelen"
    assert "poes" not in terms["3-mmc"].synonyms
    assert "Mainline" in terms["chems-fr"].definition_html and "chems fr" not in terms["appcodes"].link_forms
    everything = " ".join(t.term + " " + t.definition_html + " " + " ".join(t.synonyms) for t in real_course.glossary)
    for wrong in (
        "verdovende middelen",
        "drugdienst",
        "Drugdienst",
        "centrum voor seksuele gezondheid",
        "harm-reductiondienst",
    ):
        assert wrong not in everything, wrong


def test_confidence_statements_ask_one_thing_with_a_short_label(real_course):
    items = real_course.confidence.items
    ids = [i.id for i in items]
    assert not {"conf-seks", "conf-termen", "conf-schadebeperking", "conf-kaart"} & set(ids)  # retired, never reused
    labels = [i.label for i in items]
    assert all(labels) and len(set(labels)) == len(labels) and max(len(s) for s in labels) <= 32
    assert all(" en om " not in i.text and ", en " not in i.text for i in items)
    scale = real_course.confidence
    assert (scale.min, scale.max, scale.low, scale.high) == (1, 5, "helemaal niet zeker", "helemaal zeker")


def test_confidence_statement_without_label_or_with_a_used_one_fails(content):
    edit(content / "quizzes/confidence.yaml", "label: Druggebruik bevragen, ", "")
    assert problems_for(content) == ["content/quizzes/confidence.yaml:4: missing field 'label'"]
    edit(content / "quizzes/confidence.yaml", "{id: conf-drugs, ", "{id: conf-drugs, label: Seksueel gedrag bevragen, ")
    assert problems_for(content) == [
        "content/quizzes/confidence.yaml:4: label 'Seksueel gedrag bevragen' is already used by 'conf-seks'"
    ]


def test_source_list_shows_readable_references(real_app):
    make_user(real_app, email="bron@example.org", name="Bo Bron")
    client = real_app.test_client()
    login(client, "bron@example.org")
    page = client.get("/modules/basis/sources").get_data(as_text=True)
    assert "Stoppen met chemsex" in page and "brondocument van de opleiding" in page
    assert ".txt" not in page and "z.d.." not in page and ".." not in re.sub(r"<[^>]+>", "", page).replace("...", "")
    assert "Stichting Mainline, z.d." in page  # no year: "z.d." once, with one dot


# --- the leaflet: loader ------------------------------------------------------------------------------


def test_section_list_takes_the_nth_list_without_citations():
    html = (
        '<p>x</p><ul><li><strong>Een.</strong> tekst<sup class="cite">[<a href="/s#b">1</a>]</sup></li>'
        "<li>twee</li></ul><ol><li>drie</li></ol>"
    )
    first = section_list(html, 1)
    assert [i.text for i in first] == ["Een. tekst", "twee"] and "cite" not in first[0].html
    assert [i.text for i in section_list(html, 2)] == ["drie"]
    assert section_list(html, 3) is None


@pytest.mark.parametrize(
    "old, new, problem",
    [
        (
            "    glossary: tina\n",
            "    glossary: onbekend\n",
            "reference/leaflet.yaml:7: unknown glossary term 'onbekend'",
        ),
        ("numbers: [1]", "numbers: [4]", "reference/leaflet.yaml:10: module 'proef' has no take-away 4 (it has 1)"),
        (
            "    organisations: [proeforg]\n",
            "    organisations: [proeforg, weg]\n",
            "reference/leaflet.yaml:19: unknown organisation 'weg' (not in reference/organisations.yaml)",
        ),
        (
            "    organisations: [proeforg]\n",
            "    organisations: [nl-org]\n",
            "reference/leaflet.yaml:19: organisation 'nl-org' is not Belgian; the leaflet lists Belgian addresses",
        ),
        (
            "    takeaways: {module: proef, numbers: [1]}\n",
            "    section: {module: proef, id: derde}\n",
            "reference/leaflet.yaml:10: module 'proef' has no section 'derde'",
        ),
        (
            "    takeaways: {module: proef, numbers: [1]}\n",
            "    section: {module: proef, id: eerste}\n",
            "reference/leaflet.yaml:10: section 'proef#eerste' has no list 1",
        ),
        (
            "    sources:\n      - {title: Eerste hulp, publisher: Rode Kruis-Vlaanderen,"
            ' url: "https://example.org/eerste-hulp", checked: 2026-12-01}\n',
            "",
            "reference/leaflet.yaml:11: a block with its own items needs 'sources' (title, publisher, url, checked)",
        ),
        (
            "    glossary: tina\n",
            "    glossary: tina\n    organisations: [proeforg]\n",
            "reference/leaflet.yaml:5: a block needs exactly one of: glossary, takeaways, section, items, "
            "organisations",
        ),
    ],
)
def test_leaflet_names_what_does_not_exist(content, old, new, problem):
    edit(content / "reference/leaflet.yaml", old, new)
    assert problems_for(content) == [f"content/{problem}"]


def test_shipped_leaflet_is_built_from_the_basis_module(real_course):
    leaflet = real_course.leaflet
    basis = real_course.module("basis")
    for block_id in ("signalen", "gesprek", "valkuilen"):
        block = leaflet.block(block_id)
        assert block.origin == ("basis", block_id)
        assert [i.html for i in block.items] == [i.html for i in section_list(basis.section(block_id).html, 1)]
    assert leaflet.block("wat-is-chemseks").items[0].text.startswith("Chemseks is")
    first_aid = leaflet.block("eerste-hulp")
    # the leaflet's own cited block, until the basis module's #veiligheid list replaces it
    if first_aid.origin:
        assert first_aid.origin == ("basis", "veiligheid")
    else:
        assert first_aid.sources and all(s.url.startswith("https://www.rodekruis.be/") for s in first_aid.sources)
    text = " ".join(i.text for i in first_aid.items)
    assert "112" in text and "stabiele zijligging" in text


# --- the leaflet: pages ---------------------------------------------------------------------------------


def test_folder_pdf_has_first_aid_and_belgian_addresses(real_app, real_course):
    response = real_app.test_client().get("/folder.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "Set-Cookie" not in response.headers
    text = pdf_text(response.data)
    assert "112" in text and "stabiele zijligging" in text
    belgian = [o.name for o in real_course.referral_map.organisations if o.country == "BE"]
    found = [name for name in belgian if name in text]
    assert len(found) >= 8, found
    assert "078 15 10 20" in text and "Signalen die je kan opvangen" in text
    assert len(pypdf.PdfReader(io.BytesIO(response.data)).pages) <= 2  # one A4 sheet, both sides


def test_folder_regio_filters_the_addresses(real_app):
    client = real_app.test_client()
    west = pdf_text(client.get("/folder.pdf?regio=west-vlaanderen").data)
    assert "AZ Delta, Rumbeke" in west and "UZ Gent" not in west and "De DrugLijn" in west
    page = client.get("/folder?regio=limburg").get_data(as_text=True)
    assert "ZOL, Genk" in page and "AZ Delta" not in page and "Regenbooghuis Limburg" in page
    assert 'href="/folder.pdf?regio=limburg"' in page
    everything = client.get("/folder").get_data(as_text=True)
    assert "ZOL, Genk" in everything and "AZ Delta" in everything


def test_folder_with_an_unknown_region_says_so(real_app):
    client = real_app.test_client()
    response = client.get("/folder?regio=atlantis")
    assert response.status_code == 400
    assert "Die regio kennen we niet" in response.get_data(as_text=True)
    assert client.get("/folder.pdf?regio=nederland").status_code == 400


def test_folder_page_passes_the_csp(real_app):
    response = real_app.test_client().get("/folder")
    html = response.get_data(as_text=True)
    csp = response.headers["Content-Security-Policy"]
    assert "style-src 'self'" in csp and "unsafe-inline" not in csp
    assert "style=" not in html and "<style" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert 'href="/static/css/folder.css' in html
    assert "Set-Cookie" not in response.headers
    assert "<h1" in html and 'for="regio"' in html


def test_leaflet_service_refuses_a_region_outside_belgium(real_course):
    with pytest.raises(UnknownRegion):
        leaflet_view(real_course, "amsterdam")
    view = leaflet_view(real_course, "belgie")
    assert view.region == "" and ("brussel", "Brussel") in view.regions
    assert render_leaflet_pdf(view) == render_leaflet_pdf(view)  # reproducible


def test_trainer_finds_the_leaflet_on_the_cohort_page(app, trainer):
    from test_trainer import create_cohort

    cohort_id, _ = create_cohort(trainer)
    page = trainer.get(f"/trainer/cohorts/{cohort_id}").get_data(as_text=True)
    assert 'href="/folder"' in page
    assert trainer.get("/folder").status_code == 200
