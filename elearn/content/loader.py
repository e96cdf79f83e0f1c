"""Load the whole course from a content directory, once, into immutable objects.

No Flask import: the CLI and tests call :func:`load_course` directly.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType

from .errors import ContentError, Problem
from .leaflet import parse_leaflet
from .model import Course, Quiz
from .modules import parse_module
from .questions import FORMS, MIN_FORM_ITEMS, parse_item_bank, parse_quiz_file
from .reference import parse_confidence, parse_glossary, parse_paths, parse_referral_map
from .vignettes import parse_vignette
from .yamlsource import parse_yaml

#: minutes added to a path for each pre/post-test item and for each confidence scale
MINUTES_PER_ITEM = 1
MINUTES_PER_SCALE = 5


def _version(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:12]


class _Reader:
    """Reads files relative to the content dir, remembering versions and problems."""

    def __init__(self, root: Path):
        self.root = root
        self.problems: list[Problem] = []
        self.versions: list[str] = []

    def rel(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.root.parent))
        except ValueError:  # pragma: no cover - paths always sit under root
            return str(path)

    def text(self, path: Path) -> tuple[str, str]:
        raw = path.read_bytes()
        version = _version(raw)
        self.versions.append(version)
        try:
            return raw.decode("utf-8"), version
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            self.problems.append(Problem(self.rel(path), line, "file is not valid UTF-8"))
            return "", version

    def yaml(self, path: Path):
        text, version = self.text(path)
        data, problems = parse_yaml(text, self.rel(path))
        self.problems.extend(problems)
        return data, version

    def glob(self, pattern: str) -> list[Path]:
        return sorted(self.root.glob(pattern))

    def rel_of(self, name: str) -> str:
        """The reported path of a file given relative to the content directory."""
        return self.rel(self.root / name)

    def optional_yaml(self, name: str):
        """The parsed YAML of an optional file (relative to the content dir); None when the file
        is absent or could not be parsed (its problems are recorded)."""
        path = self.root / name
        return self.yaml(path)[0] if path.exists() else None


def load_course(
    content_dir: str | Path,
    *,
    glossary_href: Callable[[str], str] = lambda term_id: f"/glossary#{term_id}",
    source_href: Callable[[str, str], str] = lambda slug, sid: f"/modules/{slug}/sources#bron-{sid}",
    min_form_items: int = MIN_FORM_ITEMS,
) -> Course:
    """Parse and validate every content file under ``content_dir``.

    ``min_form_items`` is the fewest item-bank items per form and module (6 for real content).

    Returns a :class:`Course`; raises :class:`ContentError` listing every ``path:line: problem``.
    """
    root = Path(content_dir)
    r = _Reader(root)
    if not root.is_dir():
        raise ContentError([Problem(str(root), 1, "content directory does not exist")])

    glossary, term_lines = _glossary(r)
    term_forms = [(form, t.id, glossary_href(t.id)) for t in glossary for form in t.link_forms]
    modules = _modules(r, term_forms, source_href)
    # A module that failed to parse would make every reference to it look unknown: say it once.
    modules_failed = any(p.path.startswith(r.rel(root / "modules")) for p in r.problems)
    by_slug = {m.slug: m for m in modules}
    known = _KnownModules(r, by_slug, modules_failed)

    question_ids: dict[str, str] = {}
    quizzes = _quizzes(r, known, question_ids)
    item_bank = _item_bank(r, known, question_ids, min_form_items)
    _check_objectives(r, by_slug, [q for quiz in quizzes.values() for q in quiz.questions] + item_bank, question_ids)
    vignettes = _vignettes(r, known)
    data = r.optional_yaml("quizzes/confidence.yaml")
    confidence = parse_confidence(data, r.rel_of("quizzes/confidence.yaml"), r.problems) if data is not None else None
    data = r.optional_yaml(ORGANISATIONS)
    referral_map = parse_referral_map(data, r.rel_of(ORGANISATIONS), r.problems) if data is not None else None
    _check_glossary(r, glossary, term_lines, known)
    paths = _paths(r, known)
    source_labels = _source_labels(r)
    # A broken module, term or organisation would make the leaflet's references look unknown too.
    upstream = {r.rel_of(GLOSSARY), r.rel_of(ORGANISATIONS)}
    leaflet = None
    if not modules_failed and not any(p.path in upstream for p in r.problems):
        data = r.optional_yaml("reference/leaflet.yaml")
        if data is not None:
            leaflet = parse_leaflet(
                data, r.rel_of("reference/leaflet.yaml"), r.problems, by_slug, {t.id: t for t in glossary}, referral_map
            )

    if r.problems:
        raise ContentError(sorted(set(r.problems), key=lambda p: (p.path, p.line, p.message)))

    version = _version("".join(r.versions).encode())
    paths, tests = _build_paths(paths, by_slug, item_bank, confidence, version)
    quizzes.update(tests)
    return Course(
        modules=tuple(modules),
        quizzes=MappingProxyType(quizzes),
        vignettes=MappingProxyType(vignettes),
        item_bank=tuple(item_bank),
        confidence=confidence,
        glossary=tuple(sorted(glossary, key=lambda t: t.term.lower())),
        referral_map=referral_map,
        paths=tuple(paths),
        version=version,
        source_labels=MappingProxyType(source_labels),
        leaflet=leaflet,
    )


GLOSSARY = "reference/glossary.yaml"
ORGANISATIONS = "reference/organisations.yaml"


class _KnownModules:
    """Checks that a file names a module that exists (silent when a module file failed, since
    every reference to it would then look unknown)."""

    def __init__(self, r: _Reader, by_slug: dict, modules_failed: bool):
        self.r, self.by_slug, self.failed = r, by_slug, modules_failed

    def check(self, where: str, line: int, slug: str, what: str = "") -> bool:
        if slug in self.by_slug:
            return True
        if not self.failed:
            self.r.problems.append(Problem(where, line, f"{what}unknown module '{slug}'"))
        return False


def _glossary(r: _Reader):
    data = r.optional_yaml(GLOSSARY)
    if data is None:
        return [], {}
    return parse_glossary(data, r.rel_of(GLOSSARY), r.problems)


def _modules(r: _Reader, term_forms, source_href) -> list:
    modules, seen = [], {}
    for path in r.glob("modules/*.md"):
        text, version = r.text(path)
        module = parse_module(text, r.rel(path), r.problems, version, term_forms, source_href)
        if module is None:
            continue
        if module.slug in seen:
            message = f"duplicate module slug '{module.slug}' (also in {seen[module.slug]})"
            r.problems.append(Problem(r.rel(path), 2, message))
            continue
        seen[module.slug] = r.rel(path)
        modules.append(module)
    return sorted(modules, key=lambda m: (m.order, m.slug))


def _quizzes(r: _Reader, known: _KnownModules, question_ids: dict) -> dict[str, Quiz]:
    quizzes: dict[str, Quiz] = {}
    for path in r.glob("quizzes/*.quiz.yaml"):
        data, version = r.yaml(path)
        quiz = parse_quiz_file(data, r.rel(path), r.problems, version, question_ids) if data is not None else None
        if quiz is None:
            continue
        line = data.line_of("module")
        if quiz.id in quizzes and quiz.module in known.by_slug:
            r.problems.append(Problem(r.rel(path), line, f"second quiz for module '{quiz.module}'"))
        elif known.check(r.rel(path), line, quiz.module):
            quizzes[quiz.id] = quiz
    return quizzes


def _item_bank(r: _Reader, known: _KnownModules, question_ids: dict, min_form_items: int) -> list:
    item_bank = []
    for path in r.glob("quizzes/itembank/*.yaml"):
        data, _ = r.yaml(path)
        if data is None:
            continue
        items = parse_item_bank(data, r.rel(path), r.problems, question_ids, min_form_items)
        if items and known.check(r.rel(path), data.line_of("module"), items[0].module):
            _check_form_objectives(r, path, data, items, known.by_slug[items[0].module])
        item_bank.extend(items)
    return item_bank


def _check_objectives(r: _Reader, by_slug: dict, questions, question_ids: dict) -> None:
    """Every question tests an objective its module declares."""
    for question in questions:
        module = by_slug.get(question.module)
        if module and question.objective not in {o.id for o in module.objectives}:
            where, line = question_ids[question.id].rsplit(":", 1)
            message = f"question '{question.id}': unknown objective '{question.objective}' of module '{module.slug}'"
            r.problems.append(Problem(where, int(line), message))


def _vignettes(r: _Reader, known: _KnownModules) -> dict:
    vignettes, seen = {}, {}
    for path in r.glob("quizzes/vignettes/*.yaml"):
        data, version = r.yaml(path)
        v = parse_vignette(data, r.rel(path), r.problems, version) if data is not None else None
        if v is None or not known.check(r.rel(path), data.line_of("module"), v.module):
            continue
        if v.id in seen:
            message = f"duplicate vignette id '{v.id}' (also in {seen[v.id]})"
            r.problems.append(Problem(r.rel(path), data.line_of("id"), message))
        else:
            seen[v.id] = r.rel(path)
            vignettes[v.id] = v
    return vignettes


def _check_glossary(r: _Reader, glossary, term_lines: dict, known: _KnownModules) -> None:
    """Each term belongs to a known module and relates only to terms that exist."""
    rel = r.rel_of(GLOSSARY)
    ids = {t.id for t in glossary}
    for t in glossary:
        known.check(rel, term_lines[t.id], t.module, f"term '{t.id}': ")
        for other in t.related:
            if other not in ids:
                r.problems.append(
                    Problem(rel, term_lines[t.id], f"term '{t.id}': related term '{other}' does not exist")
                )


def _paths(r: _Reader, known: _KnownModules) -> list:
    """The learning paths whose modules all exist."""
    data = r.optional_yaml("reference/paths.yaml")
    if data is None:
        return []
    rel = r.rel_of("reference/paths.yaml")
    paths = []
    for lp, line in parse_paths(data, rel, r.problems):
        found = [known.check(rel, line, m, f"path '{lp.slug}': ") for m in lp.modules]
        if all(found):
            paths.append(lp)
    return paths


def _source_labels(r: _Reader) -> dict[str, str]:
    """Readable names for cited source files (``reference/sources.yaml``)."""
    data = r.optional_yaml("reference/sources.yaml")
    if isinstance(data, dict) and isinstance(data.get("labels"), dict):
        return {str(k): str(v) for k, v in data["labels"].items()}
    if data is not None:
        r.problems.append(
            Problem(r.rel_of("reference/sources.yaml"), 1, "expected a mapping 'labels' of file name to name")
        )
    return {}


def _check_form_objectives(r: _Reader, path: Path, data, items, module) -> None:
    """Every objective of the module is tested in both forms."""
    for form in FORMS:
        tested = {q.objective for q in items if q.form == form}
        for objective in module.objectives:
            if objective.id not in tested:
                r.problems.append(
                    Problem(
                        r.rel(path), data.line_of("items"), f"form {form} has no item for objective '{objective.id}'"
                    )
                )


def pretest_id(path_slug: str) -> str:
    return f"pre-{path_slug}"


def posttest_id(path_slug: str) -> str:
    return f"post-{path_slug}"


def _build_paths(paths, by_slug, item_bank, confidence, version):
    """Compute each path's study load and its pre/post tests from the item bank.

    Both tests hold the items of both forms (so any stored answer can be looked up); an attempt
    takes one form (``Quiz.for_form``): A and B are assigned as pre/post per learner.
    """
    built, tests = [], {}
    for lp in paths:
        forms = {form: tuple(q for q in item_bank if q.module in lp.modules and q.form == form) for form in FORMS}
        both = tuple(q for form in FORMS for q in forms[form])
        minutes = sum(by_slug[m].minutes for m in lp.modules)
        minutes += MINUTES_PER_ITEM * len(both)
        minutes += MINUTES_PER_SCALE * 2 if confidence and confidence.items else 0
        built.append(replace(lp, minutes=minutes))
        if not both:
            continue
        for quiz_id, kind, pass_mark in (
            (pretest_id(lp.slug), "pretest", 0),
            (posttest_id(lp.slug), "posttest", lp.post_pass_mark),
        ):
            tests[quiz_id] = Quiz(
                id=quiz_id,
                title=lp.title,
                kind=kind,
                questions=both,
                pass_mark=pass_mark,
                partial_credit=True,
                version=version,
                forms=forms,
            )
    return built, tests


def course_stats(course: Course) -> dict:
    """Counts per module and for the reference material (``elearn content stats``)."""
    return {
        "version": course.version,
        "modules": [
            {
                "slug": m.slug,
                "title": m.title,
                "sections": len(m.sections),
                "words": m.words,
                "questions": len(course.quizzes[m.slug].questions) if m.slug in course.quizzes else 0,
                "vignettes": len(course.vignettes_for(m.slug)),
                "item_bank": sum(1 for q in course.item_bank if q.module == m.slug),
                "minutes": m.minutes,
            }
            for m in course.modules
        ],
        "paths": [{"slug": p.slug, "modules": list(p.modules), "minutes": p.minutes} for p in course.paths],
        "item_bank": len(course.item_bank),
        "confidence_items": len(course.confidence.items) if course.confidence else 0,
        "glossary_terms": len(course.glossary),
        "organisations": len(course.referral_map.organisations) if course.referral_map else 0,
    }
