"""The loaded course, kept on the app; reloaded on change only in debug mode."""
from __future__ import annotations

import json
import logging
import os
import tempfile
from pathlib import Path

from flask import Flask, current_app

from .content import Course, load_course, render

log = logging.getLogger(__name__)


def _load(app: Flask) -> Course:
    prefix = app.config.get("APPLICATION_ROOT", "/").rstrip("/")
    cache = Path(app.instance_path) / "cache" / f"markdown-{render.RENDERER}.json"
    known = _read_renderings(cache)
    with render.recording() as used:
        course = load_course(
            app.config["CONTENT_DIR"],
            glossary_href=lambda term_id: f"{prefix}/glossary#term-{term_id}",
            source_href=lambda slug, sid: f"{prefix}/modules/{slug}/sources#bron-{sid}",
        )
    if used.keys() != known.keys():
        _write_renderings(cache, used)
    return course


def _read_renderings(path: Path) -> dict[str, str]:
    """Renderings saved by an earlier start-up; an unreadable file only costs time."""
    try:
        renderings = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        log.warning("ignoring the Markdown cache %s: %s", path, exc)
        return {}
    if not isinstance(renderings, dict) or not all(isinstance(v, str) for v in renderings.values()):
        log.warning("ignoring the Markdown cache %s: not a mapping of texts", path)
        return {}
    render.remember(renderings)
    return renderings


def _write_renderings(path: Path, renderings: dict[str, str]) -> None:
    """Save atomically (workers starting together never read half a file); drop older renderers' files."""
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".markdown-", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(renderings, f, ensure_ascii=False)
        os.replace(tmp, path)
        tmp = None
        for old in path.parent.glob("markdown-*.json"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError as exc:  # a read-only instance folder: start anyway, just slower next time
        log.warning("could not save the Markdown cache %s: %s", path, exc)
    finally:
        if tmp:
            Path(tmp).unlink(missing_ok=True)


def _stamp(content_dir: str) -> float:
    return max((p.stat().st_mtime for p in Path(content_dir).rglob("*.*")
                if p.suffix in (".md", ".yaml")), default=0.0)


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
