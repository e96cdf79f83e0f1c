"""The module reader, paths, confidence scale, glossary and referral map, through HTTP."""

from conftest import FIXTURE_CONTENT, post_form
from helpers import fill_confidence, read_all

from elearn.content import load_course


def test_module_list_shows_progress(app, learner):
    page = learner.get("/modules").get_data(as_text=True)
    assert "Proefmodule" in page and 'value="0"' in page
    read_all(learner, app, "proef")
    page = learner.get("/modules").get_data(as_text=True)
    assert "2 van 2 secties gelezen" in page


def test_reading_a_section_records_it_and_moves_on(app, learner):
    response = post_form(learner, "/modules/proef/eerste/read", {}, token_from="/modules/proef/eerste")
    assert response.headers["Location"].endswith("/modules/proef/tweede")
    page = learner.get("/modules/proef").get_data(as_text=True)
    assert 'href="/modules/proef/eerste"' in page and "gelezen" in page
    response = post_form(learner, "/modules/proef/tweede/read", {}, token_from="/modules/proef/tweede")
    assert response.headers["Location"].endswith("/modules/proef/sources")


def test_progress_survives_a_restart(make_app, app, learner):
    post_form(learner, "/modules/proef/eerste/read", {}, token_from="/modules/proef/eerste")
    restarted = make_app()
    client = restarted.test_client()
    from conftest import login

    login(client, "leerling@example.org")
    page = client.get("/modules/proef").get_data(as_text=True)
    assert "Verder lezen" in page
    assert '/modules/proef/tweede">Verder lezen' in page


def test_read_via_script_returns_no_content(learner):
    from conftest import get_token

    token = get_token(learner, "/modules/proef/eerste")
    response = learner.post(
        "/modules/proef/eerste/read", data={"csrf_token": token}, headers={"X-Requested-With": "fetch"}
    )
    assert response.status_code == 204


def test_reading_twice_is_harmless(app, learner):
    for _ in range(2):
        post_form(learner, "/modules/proef/eerste/read", {}, token_from="/modules/proef/eerste")
    from elearn.extensions import db
    from elearn.models import SectionRead

    with app.app_context():
        assert db.session.query(SectionRead).count() == 1


def test_unknown_module_and_section_404(learner):
    assert learner.get("/modules/bestaat-niet").status_code == 404
    assert learner.get("/modules/proef/bestaat-niet").status_code == 404


def test_section_page_has_objectives_toc_and_sanitised_text(learner):
    overview = learner.get("/modules/proef").get_data(as_text=True)
    assert overview.index("Leerdoelen") < overview.index("Inhoud")
    page = learner.get("/modules/proef/tweede").get_data(as_text=True)
    assert "<script>alert" not in page and "javascript:alert" not in page
    sources = learner.get("/modules/proef/sources").get_data(as_text=True)
    assert 'id="bron-bron-a"' in sources and "Een proef is klein." in sources


def test_paths_suggest_by_sector_and_choosing_enrols(app, learner):
    page = learner.get("/paths").get_data(as_text=True)
    assert "Voorgesteld voor jouw sector" in page
    response = post_form(learner, "/paths/proefpad/choose", {}, token_from="/paths")
    assert response.headers["Location"].endswith("/paths/proefpad")
    assert learner.get("/").headers["Location"].endswith("/paths/proefpad")


def test_confidence_requires_every_item_and_keeps_answers(app, learner):
    scale = app.extensions["course"].confidence
    first = scale.items[0].id
    response = post_form(learner, "/paths/proefpad/confidence/pre", {f"item_{first}": "4"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Beantwoord alle uitspraken" in page
    assert f'checked id="item_{first}-3"' in page


def test_confidence_before_and_after(app, learner):
    assert fill_confidence(learner, app, "proefpad", "pre", 2).status_code == 302
    assert fill_confidence(learner, app, "proefpad", "pre", 5).status_code == 302  # second time: ignored
    fill_confidence(learner, app, "proefpad", "post", 4)
    page = learner.get("/paths/proefpad/confidence/post").get_data(as_text=True)
    assert page.count("<td>2</td><td>4</td><td>+2</td>") == len(app.extensions["course"].confidence.items)


def test_glossary_search(client):
    page = client.get("/glossary?q=crystal").get_data(as_text=True)
    assert 'id="term-tina"' in page and 'id="term-slammen"' not in page
    assert "1 term gevonden" in page


def test_referral_map_filters(client):
    page = client.get("/sociale-kaart").get_data(as_text=True)
    assert "Proeforganisatie" in page and "Nederlandse organisatie" in page
    page = client.get("/sociale-kaart?country=NL").get_data(as_text=True)
    assert "Proeforganisatie" not in page and "Nederlandse organisatie" in page
    page = client.get("/sociale-kaart?kind=informatie&region=vlaanderen").get_data(as_text=True)
    assert "Proeforganisatie" in page and "Nederlandse organisatie" not in page


def test_referral_map_names_sources_readably(client):
    page = client.get("/sociale-kaart?country=NL").get_data(as_text=True)
    assert "003_605281ff6268c4af.txt" not in page and "Mainline, brochure" in page


def test_find_terms_searches_name_synonyms_and_definition_in_any_case():
    course = load_course(FIXTURE_CONTENT)
    assert course.find_terms("") == course.glossary
    assert course.find_terms("   ") == course.glossary
    assert [t.id for t in course.find_terms("CRYSTAL")] == ["tina"]  # a synonym, other case
    assert course.find_terms("geen-term-heet-zo") == ()
    term = course.glossary[0]
    assert term in course.find_terms(term.term.upper())


def test_referral_map_matching_treats_empty_and_unknown_filters_as_all():
    rmap = load_course(FIXTURE_CONTENT).referral_map
    everyone = rmap.for_region("")
    assert rmap.matching() == list(everyone)
    assert rmap.matching(region="nergens") == list(everyone)  # unknown region: all regions
    dutch = rmap.matching(country="NL")
    assert dutch and all(o.country == "NL" for o in dutch)
    informatie = rmap.matching(kind="informatie", region="vlaanderen")
    assert informatie and all("informatie" in o.kinds for o in informatie)
    assert set(informatie) <= set(rmap.for_region("vlaanderen"))
