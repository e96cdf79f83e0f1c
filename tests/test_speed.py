"""The template shortcuts of elearn/speed.py give what Flask's own functions give."""

from flask import render_template_string, url_for


def test_remembered_links_are_flasks_links(app):
    template = (
        "{{ url_for('learn.glossary') }}|{{ url_for('static', filename='css/site.css') }}|"
        "{{ url_for('learn.module', slug='basis') }}"
    )
    for root in ("", "/kruispunt"):
        for _ in range(2):  # built, then remembered
            with app.test_request_context("/", base_url=f"http://localhost{root}/"):
                page = render_template_string(template)
                expected = "|".join(
                    [
                        url_for("learn.glossary"),
                        url_for("static", filename="css/site.css"),
                        url_for("learn.module", slug="basis"),
                    ]
                )
            assert page == expected
            assert page.startswith(f"{root}/glossary|{root}/static/css/site.css|{root}/modules/basis")


def test_links_with_values_are_never_remembered(app):
    with app.test_request_context("/"):
        pages = [render_template_string("{{ url_for('learn.module', slug=s) }}", s=s) for s in ("a", "b")]
    assert pages == ["/modules/a", "/modules/b"]
