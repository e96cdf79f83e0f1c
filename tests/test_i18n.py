"""Both interface catalogues are complete and compiled; the English interface is English."""

import io
from pathlib import Path

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from conftest import post_form

TRANSLATIONS = Path(__file__).resolve().parent.parent / "elearn" / "translations"


def _read(path, reader):
    return reader(io.BytesIO(path.read_bytes()))


def _ids(catalog, fuzzy=True):
    return {
        tuple(m.id) if isinstance(m.id, (list, tuple)) else m.id for m in catalog if m.id and (fuzzy or not m.fuzzy)
    }


def _missing(catalog):
    return [m.id for m in catalog if m.id and (not m.string or (isinstance(m.string, tuple) and not all(m.string)))]


def test_catalogues_complete_and_compiled():
    template = _ids(_read(TRANSLATIONS / "messages.pot", read_po))
    for lang in ("nl", "en"):
        po = _read(TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po", read_po)
        assert _missing(po) == [], lang
        assert template <= _ids(po), f"{lang}: run scripts/i18n.py update"
        mo = _read(TRANSLATIONS / lang / "LC_MESSAGES" / "messages.mo", read_mo)
        assert _ids(mo) == _ids(po, fuzzy=False), f"{lang}: run scripts/i18n.py compile"


def test_english_interface(learner):
    post_form(learner, "/language", {"lang": "en", "next": "/paths"}, token_from="/paths")
    page = learner.get("/paths").get_data(as_text=True)
    assert "Learning paths" in page and "Sign out" in page and "not medical advice" in page
    assert "Leertrajecten" not in page.split("<main")[1]


def test_template_gettext_formats_and_escapes_like_jinja(app):
    """The fast template ``_()`` keeps Jinja's newstyle rules: ``%%`` and variables, escaped."""
    from flask import render_template_string

    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        page = render_template_string(
            "{{ _('Privacy') }}|{{ _('100%% anoniem') }}|{{ _('Dag %(naam)s', naam='<b>Lea</b>') }}|"
            "{{ gettext('Afmelden') }}"
        )
    assert page == "Privacy|100% anoniem|Dag &lt;b&gt;Lea&lt;/b&gt;|Sign out"
