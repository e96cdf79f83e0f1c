"""Parse one module file: YAML front matter plus ``## Title {#id}`` sections in Markdown."""

from __future__ import annotations

import re
from collections.abc import Callable

from ..vocabulary import AUDIENCES
from .errors import Problem
from .fields import Fields
from .model import Module, Objective, Section, Source
from .render import cited_ids, count_words, link_citations, link_terms, render_block
from .yamlsource import parse_yaml

_HEADING = re.compile(r"^##\s+(?P<title>.+?)\s*(?:\{#(?P<id>[^}\s]*)\})?\s*$")
_FENCE = re.compile(r"^(```|~~~)")
_LANG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


def parse_module(
    text: str,
    path: str,
    problems: list[Problem],
    version: str,
    term_forms: list[tuple[str, str, str]],
    source_href: Callable[[str, str], str],
) -> Module | None:
    """Build a ``Module`` from a Markdown file's text, or record problems and return None."""
    f = Fields(path, problems)
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        f.problem(1, "module must start with YAML front matter between '---' lines")
        return None
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        f.problem(1, "front matter is not closed with a '---' line")
        return None
    meta, yaml_problems = parse_yaml("\n".join(lines[1:end]), path, line_offset=1)
    problems.extend(yaml_problems)
    if yaml_problems or f.mapping(meta, "front matter", 2) is None:
        return None
    before = len(problems)
    f.known(
        meta,
        {"slug", "title", "summary", "order", "minutes", "audience", "objectives", "takeaways", "sources"},
        "front matter",
    )
    slug = f.ident(meta, "slug")
    title = f.get(meta, "title", str)
    summary = f.get(meta, "summary", str)
    order = f.get(meta, "order", int, default=0)
    minutes = f.get(meta, "minutes", int, default=0)
    if minutes is not None and minutes <= 0 and "minutes" in meta:
        f.problem(meta.line_of("minutes"), "field 'minutes' must be positive")
    audience = f.str_list(meta, "audience")
    for a in audience:
        if a not in AUDIENCES:
            f.problem(meta.line_of("audience"), f"unknown audience '{a}' (use {', '.join(AUDIENCES)})")
    objectives = _objectives(f, meta)
    takeaways = f.str_list(meta, "takeaways")
    sources = _sources(f, meta)
    sections = _sections(f, lines, end + 1)
    source_ids = {s.id for s in sources}
    for line_no, section_text in sections:
        for cited in cited_ids(section_text[2]):
            if cited not in source_ids:
                at = next(
                    (i + 1 for i in range(line_no - 1, len(lines)) if cited in lines[i] and "bron" in lines[i]), line_no
                )
                f.problem(at, f"[bron: {cited}] names no source of this module")
    if len(problems) > before or slug is None:
        return None
    numbers = {s.id: n for n, s in enumerate(sources, 1)}
    built = []
    for _, (sid, stitle, body) in sections:
        html = render_block(body)
        html = link_terms(html, term_forms)
        html = link_citations(html, numbers, lambda i: source_href(slug, i))
        built.append(Section(id=sid, title=stitle, html=html, words=count_words(body)))
    return Module(
        slug=slug,
        title=title,
        summary=summary,
        order=order,
        minutes=minutes,
        audience=audience,
        objectives=objectives,
        takeaways=takeaways,
        sources=sources,
        sections=tuple(built),
        version=version,
        path=path,
    )


def _objectives(f: Fields, meta) -> tuple[Objective, ...]:
    raw = f.get(meta, "objectives", list, default=[])
    if "objectives" in meta and not raw:
        f.problem(meta.line_of("objectives"), "a module needs at least one learning objective")
    out, seen = [], {}
    for item in raw:
        if f.mapping(item, "objective", raw.line) is None:
            continue
        f.known(item, {"id", "text"}, "objective")
        oid, text = f.ident(item), f.get(item, "text", str)
        if oid and text:
            f.unique(seen, oid, item.line, "objective id")
            out.append(Objective(oid, text))
    return tuple(out)


def _sources(f: Fields, meta) -> tuple[Source, ...]:
    raw = f.get(meta, "sources", list, default=[])
    if "sources" in meta and not raw:
        f.problem(meta.line_of("sources"), "a module needs at least one source")
    out, seen = [], {}
    for item in raw:
        if f.mapping(item, "source", raw.line) is None:
            continue
        f.known(item, {"id", "title", "publisher", "year", "file", "url", "checked", "lang"}, "source")
        sid = f.ident(item)
        title, publisher = f.get(item, "title", str), f.get(item, "publisher", str)
        year = f.get(item, "year", int, required=False)  # omitted when the source states none
        file, url = f.get(item, "file", str, required=False), f.get(item, "url", str, required=False)
        if url and not url.startswith(("https://", "http://")):
            f.problem(item.line_of("url"), "source url must start with http:// or https://")
        checked = f.checked_date(item, required=False)
        lang = f.get(item, "lang", str, required=False)  # only when the title is not in Dutch
        if lang is not None and not _LANG.match(lang):
            f.problem(item.line_of("lang"), f"field 'lang' must be a language code such as 'en' or 'fr', not {lang!r}")
            lang = None
        if sid and title and publisher:
            f.unique(seen, sid, item.line, "source id")
            out.append(Source(sid, title, publisher, year, file, url, checked, lang))
    return tuple(out)


def _sections(f: Fields, lines: list[str], start: int):
    """Split the body at ``##`` headings outside code fences: [(line, (id, title, body))]."""
    sections, seen, current, in_fence = [], {}, None, False
    for index in range(start, len(lines)):
        line, line_no = lines[index], index + 1
        if _FENCE.match(line.strip()):
            in_fence = not in_fence
        match = None if in_fence else _HEADING.match(line)
        if match and not line.startswith("###"):
            sid = match.group("id")
            if not sid:
                f.problem(line_no, "section heading needs a stable id: '## Title {#id}'")
                sid = f"section-{line_no}"
            elif not re.match(r"^[a-z0-9][a-z0-9-]*$", sid):
                f.problem(line_no, f"section id must be lowercase letters, digits and '-': {sid!r}")
            f.unique(seen, sid, line_no, "section id")
            current = [line_no, [sid, match.group("title").strip(), []]]
            sections.append(current)
        elif current is None:
            if line.strip():
                f.problem(line_no, "text before the first '## ' section heading")
                current = [line_no, ["", "", []]]  # keep going to report more problems
        else:
            current[1][2].append(line)
    if not sections:
        f.problem(start, "a module needs at least one '## Title {#id}' section")
    return [(n, (sid, title, "\n".join(body).strip())) for n, (sid, title, body) in sections if sid]
