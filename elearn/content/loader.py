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

    glossary, term_lines = [], {}
    glossary_file = root / "reference" / "glossary.yaml"
    if glossary_file.exists():
        data, _ = r.yaml(glossary_file)
        if data is not None:
            glossary, term_lines = parse_glossary(data, r.rel(glossary_file), r.problems)
    term_forms = [(form, t.id, glossary_href(t.id)) for t in glossary for form in t.link_forms]

    modules, seen_slugs = [], {}
    for path in r.glob("modules/*.md"):
        text, version = r.text(path)
        module = parse_module(text, r.rel(path), r.problems, version, term_forms, source_href)
        if module:
            if module.slug in seen_slugs:
                r.problems.append(
                    Problem(
                        r.rel(path), 2, f"duplicate module slug '{module.slug}' (also in {seen_slugs[module.slug]})"
                    )
                )
                continue
            seen_slugs[module.slug] = r.rel(path)
            modules.append(module)
    modules.sort(key=lambda m: (m.order, m.slug))
    # A module that failed to parse would make every reference to it look unknown: say it once.
    modules_failed = any(p.path.startswith(r.rel(root / "modules")) for p in r.problems)
    by_slug = {m.slug: m for m in modules}

    question_ids: dict[str, str] = {}
    quizzes: dict[str, Quiz] = {}
    for path in r.glob("quizzes/*.quiz.yaml"):
        data, version = r.yaml(path)
        if data is None:
            continue
        quiz = parse_quiz_file(data, r.rel(path), r.problems, version, question_ids)
        if quiz is None:
            continue
        line = data.line_of("module")
        if quiz.module not in by_slug and not modules_failed:
            r.problems.append(Problem(r.rel(path), line, f"unknown module '{quiz.module}'"))
        elif quiz.id in quizzes:
            r.problems.append(Problem(r.rel(path), line, f"second quiz for module '{quiz.module}'"))
        else:
            quizzes[quiz.id] = quiz

    item_bank = []
    for path in r.glob("quizzes/itembank/*.yaml"):
        data, _ = r.yaml(path)
        if data is not None:
            items = parse_item_bank(data, r.rel(path), r.problems, question_ids, min_form_items)
            if items and items[0].module not in by_slug and not modules_failed:
                r.problems.append(Problem(r.rel(path), data.line_of("module"), f"unknown module '{items[0].module}'"))
            elif items and items[0].module in by_slug:
                _check_form_objectives(r, path, data, items, by_slug[items[0].module])
            item_bank.extend(items)

    for question in [q for quiz in quizzes.values() for q in quiz.questions] + item_bank:
        module = by_slug.get(question.module)
        if module and question.objective not in {o.id for o in module.objectives}:
            where, line = question_ids[question.id].rsplit(":", 1)
            r.problems.append(
                Problem(
                    where,
                    int(line),
                    f"question '{question.id}': unknown objective '{question.objective}' of module '{module.slug}'",
                )
            )

    vignettes, seen_v = {}, {}
    for path in r.glob("quizzes/vignettes/*.yaml"):
        data, version = r.yaml(path)
        if data is None:
            continue
        v = parse_vignette(data, r.rel(path), r.problems, version)
        if v is None:
            continue
        if v.module not in by_slug:
            if not modules_failed:
                r.problems.append(Problem(r.rel(path), data.line_of("module"), f"unknown module '{v.module}'"))
        elif v.id in seen_v:
            r.problems.append(
                Problem(r.rel(path), data.line_of("id"), f"duplicate vignette id '{v.id}' (also in {seen_v[v.id]})")
            )
        else:
            seen_v[v.id] = r.rel(path)
            vignettes[v.id] = v

    confidence = None
    conf_file = root / "quizzes" / "confidence.yaml"
    if conf_file.exists():
        data, _ = r.yaml(conf_file)
        if data is not None:
            confidence = parse_confidence(data, r.rel(conf_file), r.problems)

    referral_map = None
    org_file = root / "reference" / "organisations.yaml"
    if org_file.exists():
        data, _ = r.yaml(org_file)
        if data is not None:
            referral_map = parse_referral_map(data, r.rel(org_file), r.problems)

    if glossary:
        rel = r.rel(glossary_file)
        ids = {t.id for t in glossary}
        for t in glossary:
            if t.module not in by_slug and not modules_failed:
                r.problems.append(Problem(rel, term_lines[t.id], f"term '{t.id}': unknown module '{t.module}'"))
            for other in t.related:
                if other not in ids:
                    r.problems.append(
                        Problem(rel, term_lines[t.id], f"term '{t.id}': related term '{other}' does not exist")
                    )

    paths = []
    paths_file = root / "reference" / "paths.yaml"
    if paths_file.exists():
        data, _ = r.yaml(paths_file)
        if data is not None:
            for lp, line in parse_paths(data, r.rel(paths_file), r.problems):
                missing = [m for m in lp.modules if m not in by_slug]
                for m in missing if not modules_failed else ():
                    r.problems.append(Problem(r.rel(paths_file), line, f"path '{lp.slug}': unknown module '{m}'"))
                if not missing:
                    paths.append(lp)

    source_labels = {}
    labels_file = root / "reference" / "sources.yaml"
    if labels_file.exists():
        data, _ = r.yaml(labels_file)
        if isinstance(data, dict) and isinstance(data.get("labels"), dict):
            source_labels = {str(k): str(v) for k, v in data["labels"].items()}
        elif data is not None:
            r.problems.append(Problem(r.rel(labels_file), 1, "expected a mapping 'labels' of file name to name"))

    leaflet = None
    leaflet_file = root / "reference" / "leaflet.yaml"
    # A broken module, term or organisation would make the leaflet's references look unknown too.
    upstream = {r.rel(glossary_file), r.rel(org_file)}
    upstream_failed = modules_failed or any(p.path in upstream for p in r.problems)
    if leaflet_file.exists() and not upstream_failed:
        data, _ = r.yaml(leaflet_file)
        if data is not None:
            leaflet = parse_leaflet(
                data, r.rel(leaflet_file), r.problems, by_slug, {t.id: t for t in glossary}, referral_map
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
        if both:
            tests[pretest_id(lp.slug)] = Quiz(
                id=pretest_id(lp.slug),
                title=lp.title,
                kind="pretest",
                questions=both,
                pass_mark=0,
                partial_credit=True,
                version=version,
                forms=forms,
            )
            tests[posttest_id(lp.slug)] = Quiz(
                id=posttest_id(lp.slug),
                title=lp.title,
                kind="posttest",
                questions=both,
                pass_mark=lp.post_pass_mark,
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
