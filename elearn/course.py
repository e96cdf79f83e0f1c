"""The loaded course, kept on the app; reloaded on change only in debug mode."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app

from . import speed
from .content import Course, load_course, render


def _load(app: Flask) -> Course:
    prefix = app.config.get("APPLICATION_ROOT", "/").rstrip("/")
    cache = Path(app.instance_path) / "cache" / f"markdown-{render.RENDERER}.json"
    known = speed.read_renderings(cache)
    render.remember(known)
    with render.recording() as used:
        course = load_course(
            app.config["CONTENT_DIR"],
            glossary_href=lambda term_id: f"{prefix}/glossary#term-{term_id}",
            source_href=lambda slug, sid: f"{prefix}/modules/{slug}/sources#bron-{sid}",
        )
    if used.keys() != known.keys():
        speed.write_renderings(cache, used)
    return course


def _stamp(content_dir: str) -> float:
    return max((p.stat().st_mtime for p in Path(content_dir).rglob("*.*") if p.suffix in (".md", ".yaml")), default=0.0)


def init_course(app: Flask) -> None:
    """Load the content once; a ``ContentError`` propagates and stops start-up."""
    app.extensions["course"] = _load(app)
    if app.debug:
        app.extensions["course_stamp"] = _stamp(app.config["CONTENT_DIR"])


def get_course() -> Course:
    """The current course. In debug mode an edited content file is picked up on the next request."""
    app = current_app
    if app.debug:
        stamp = _stamp(app.config["CONTENT_DIR"])
        if stamp != app.extensions.get("course_stamp"):
            app.extensions["course"] = _load(app)
            app.extensions["course_stamp"] = stamp
    return app.extensions["course"]
