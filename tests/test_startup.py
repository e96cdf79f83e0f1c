"""Start-up keeps the rendered Markdown in the instance folder, so that the next one is faster."""

import json
import logging
from pathlib import Path

import pytest

from elearn.content import render


@pytest.fixture
def fresh_memo(monkeypatch):
    """An empty in-process memo, as in a newly started worker."""
    monkeypatch.setattr(render, "_memo", {})


def _cache_file(app):
    return Path(app.instance_path) / "cache" / f"markdown-{render.RENDERER}.json"


def test_start_up_saves_the_renderings_it_used(make_app, fresh_memo):
    app = make_app()
    saved = json.loads(_cache_file(app).read_text(encoding="utf-8"))
    question = next(iter(app.extensions["course"].quizzes.values())).questions[0]
    assert question.explanation_html in saved.values()
    assert len(saved) == len(render._memo)  # only what this content needs


def test_next_start_up_reuses_the_saved_renderings(make_app, fresh_memo):
    app = make_app()
    cache = _cache_file(app)
    saved = json.loads(cache.read_text(encoding="utf-8"))
    question = next(iter(app.extensions["course"].quizzes.values())).questions[0]
    source = next(text for text, html in saved.items() if html == question.explanation_html)
    saved[source] = "<p>uit de cache</p>"
    cache.write_text(json.dumps(saved), encoding="utf-8")
    render._memo.clear()  # a new process

    again = make_app()
    reused = next(iter(again.extensions["course"].quizzes.values())).questions[0]
    assert reused.explanation_html == "<p>uit de cache</p>"


@pytest.mark.parametrize("content", ["{niet json", '["een lijst"]', '{"tekst": 3}'])
def test_unreadable_cache_is_ignored_and_replaced(make_app, fresh_memo, content, caplog):
    first = make_app()
    expected = first.extensions["course"].modules[0].sections[0].html
    cache = _cache_file(first)
    cache.write_text(content, encoding="utf-8")
    render._memo.clear()

    with caplog.at_level(logging.WARNING, logger="elearn"):
        app = make_app()
    assert "ignoring the Markdown cache" in caplog.text
    assert app.extensions["course"].modules[0].sections[0].html == expected
    assert isinstance(json.loads(cache.read_text(encoding="utf-8")), dict)


def test_files_of_an_older_renderer_are_removed(make_app, fresh_memo):
    app = make_app()
    old = _cache_file(app).with_name("markdown-0000000000000000.json")
    old.write_text("{}", encoding="utf-8")
    render._memo.clear()
    _cache_file(app).unlink()
    make_app()
    assert not old.exists() and _cache_file(app).exists()


def test_start_up_leaves_the_pdf_and_excel_libraries_for_their_first_use(tmp_path):
    """fpdf2 with Pillow and openpyxl take a few hundred milliseconds to import: a fresh
    ``create_app()`` does not import them; the first leaflet PDF or Excel export does."""
    import os
    import subprocess
    import sys

    code = (
        "import sys, elearn; app = elearn.create_app(); "
        "print(sorted(m for m in ('fpdf', 'PIL', 'openpyxl') if m in sys.modules)); "
        "app.test_client().get('/folder.pdf'); print('fpdf' in sys.modules)"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("ELEARN_")}
    env["ELEARN_INSTANCE_PATH"] = str(tmp_path)
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120, check=True)
    assert out.stdout.split("\n")[:2] == ["[]", "True"]
