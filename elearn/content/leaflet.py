"""The printable leaflet for JAC/CAW workers, built from course content and the referral map.

``reference/leaflet.yaml`` holds no course text of its own except where the course has none yet:
each block names where its text comes from, and the loader refuses a name that does not exist
(``path:line``), so the leaflet can never drift from the course.

Block kinds (exactly one per block):

- ``glossary: <term id>``: the term's definition;
- ``takeaways: {module: <slug>, numbers: [1, 3]}``: key take-aways of a module (1-based);
- ``section: {module: <slug>, id: <section id>, list: 1}``: the items of the n-th list of a section;
- ``items: [...]`` with ``sources: [...]``: the leaflet's own short items (Markdown), each source
  with ``title``, ``publisher``, ``url`` and ``checked`` (only for what the course lacks);
- ``organisations: [<id>, ...]``: entries of the referral map (Belgian ones only).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import Problem
from .fields import Fields
from .model import Module, ReferralMap, Term
from .render import plain_text, render_inline

BLOCK_KINDS = ("glossary", "takeaways", "section", "items", "organisations")


@dataclass(frozen=True)
class LeafletSource:
    title: str
    publisher: str
    url: str
    checked: str


@dataclass(frozen=True)
class LeafletItem:
    html: str  #: sanitised inline HTML
    text: str  #: the same as plain text (for the PDF)


@dataclass(frozen=True)
class LeafletBlock:
    id: str
    heading: str
    kind: str
    items: tuple[LeafletItem, ...] = ()
    organisations: tuple[str, ...] = ()
    #: where the text comes from in the course: (module slug, section id or "") or None
    origin: tuple[str, str] | None = None
    sources: tuple[LeafletSource, ...] = ()


@dataclass(frozen=True)
class Leaflet:
    title: str
    subtitle: str
    blocks: tuple[LeafletBlock, ...]
    footer: str = ""

    def block(self, block_id: str) -> LeafletBlock | None:
        return next((b for b in self.blocks if b.id == block_id), None)


_CITE_HTML = re.compile(r'\s*<sup class="cite">.*?</sup>', re.S)
_LIST = re.compile(r"<(ul|ol)(?:\s[^>]*)?>(.*?)</\1>", re.S)
_ITEM = re.compile(r"<li>(.*?)</li>", re.S)


def _item(fragment: str) -> LeafletItem:
    fragment = _CITE_HTML.sub("", fragment).strip()
    fragment = re.sub(r"^<p>(.*)</p>$", r"\1", fragment, flags=re.S).strip()
    return LeafletItem(fragment, plain_text(fragment))


def section_list(html: str, number: int) -> tuple[LeafletItem, ...] | None:
    """The items of the ``number``-th top-level list (1-based) of a section's HTML, or None."""
    lists = _LIST.findall(html)
    if not 1 <= number <= len(lists):
        return None
    return tuple(_item(li) for li in _ITEM.findall(lists[number - 1][1]))


def parse_leaflet(
    data,
    path: str,
    problems: list[Problem],
    modules: dict[str, Module],
    glossary: dict[str, Term],
    referral_map: ReferralMap | None,
) -> Leaflet | None:
    """Build the leaflet, checking every module, section, term and organisation it names."""
    f = Fields(path, problems)
    if f.mapping(data, "leaflet file") is None:
        return None
    f.known(data, {"title", "subtitle", "footer", "blocks"}, "leaflet")
    title, subtitle = f.get(data, "title", str), f.get(data, "subtitle", str)
    footer = f.get(data, "footer", str, required=False) or ""
    blocks, seen = [], {}
    for raw in f.get(data, "blocks", list, default=[]):
        if f.mapping(raw, "block") is None:
            continue
        f.known(raw, {"id", "heading", "sources", *BLOCK_KINDS}, "block")
        bid, heading = f.ident(raw), f.get(raw, "heading", str)
        kinds = [k for k in BLOCK_KINDS if k in raw]
        if len(kinds) != 1:
            f.problem(raw.line, f"a block needs exactly one of: {', '.join(BLOCK_KINDS)}")
            continue
        kind = kinds[0]
        before = len(problems)
        block = _block(f, raw, kind, modules, glossary, referral_map)
        sources = _sources(f, raw)
        if kind == "items" and not sources:
            f.problem(raw.line, "a block with its own items needs 'sources' (title, publisher, url, checked)")
        if bid and heading and block is not None and len(problems) == before:
            f.unique(seen, bid, raw.line, "block id")
            items, orgs, origin = block
            blocks.append(LeafletBlock(bid, heading, kind, items, orgs, origin, sources))
    if "blocks" in data and not blocks and not problems:
        f.problem(data.line_of("blocks"), "the leaflet needs at least one block")
    if not title or not subtitle:
        return None
    return Leaflet(title, subtitle, tuple(blocks), footer)


def _module(f: Fields, raw, modules):
    slug = raw.get("module") if isinstance(raw, dict) else None
    if not isinstance(slug, str) or slug not in modules:
        f.problem(raw.line, f"unknown module {slug!r}")
        return None
    return modules[slug]


def _block(f: Fields, raw, kind, modules, glossary, referral_map):
    """(items, organisation ids, origin) for one block, or None after recording a problem."""
    value = raw[kind]
    line = raw.line_of(kind)
    if kind == "glossary":
        term = glossary.get(str(value))
        if term is None:
            f.problem(line, f"unknown glossary term '{value}'")
            return None
        return (_item(term.definition_html),), (), None
    if kind == "takeaways":
        if f.mapping(value, "takeaways", line) is None:
            return None
        f.known(value, {"module", "numbers"}, "takeaways")
        module = _module(f, value, modules)
        numbers = value.get("numbers")
        if module is None:
            return None
        if not isinstance(numbers, list) or not numbers or not all(isinstance(n, int) for n in numbers):
            f.problem(value.line_of("numbers"), "numbers must be a list of take-away numbers (1 = the first)")
            return None
        bad = [n for n in numbers if not 1 <= n <= len(module.takeaways)]
        if bad:
            f.problem(
                value.line_of("numbers"),
                f"module '{module.slug}' has no take-away {bad[0]} (it has {len(module.takeaways)})",
            )
            return None
        return tuple(_item(render_inline(module.takeaways[n - 1])) for n in numbers), (), (module.slug, "")
    if kind == "section":
        if f.mapping(value, "section", line) is None:
            return None
        f.known(value, {"module", "id", "list"}, "section")
        module = _module(f, value, modules)
        if module is None:
            return None
        section = module.section(str(value.get("id")))
        if section is None:
            f.problem(value.line_of("id"), f"module '{module.slug}' has no section '{value.get('id')}'")
            return None
        number = value.get("list", 1)
        items = section_list(section.html, number) if isinstance(number, int) else None
        if not items:
            f.problem(
                value.line_of("list") if "list" in value else value.line,
                f"section '{module.slug}#{section.id}' has no list {number!r}",
            )
            return None
        return items, (), (module.slug, section.id)
    if kind == "items":
        texts = f.str_list(raw, "items")
        if not texts:
            f.problem(line, "items must be a non-empty list of texts")
            return None
        return tuple(_item(render_inline(t)) for t in texts), (), None
    # organisations
    ids = f.str_list(raw, "organisations")
    if not ids:
        f.problem(line, "organisations must be a non-empty list of referral map ids")
        return None
    known = {o.id: o for o in referral_map.organisations} if referral_map else {}
    for oid in ids:
        if oid not in known:
            f.problem(line, f"unknown organisation '{oid}' (not in reference/organisations.yaml)")
            return None
        if known[oid].country != "BE":
            f.problem(line, f"organisation '{oid}' is not Belgian; the leaflet lists Belgian addresses")
            return None
    return (), tuple(ids), None


def _sources(f: Fields, raw) -> tuple[LeafletSource, ...]:
    out = []
    for item in f.get(raw, "sources", list, required=False, default=[]):
        if f.mapping(item, "source", raw.line) is None:
            continue
        f.known(item, {"title", "publisher", "url", "checked"}, "source")
        title, publisher, url = f.get(item, "title", str), f.get(item, "publisher", str), f.get(item, "url", str)
        needs = "source needs 'checked', the date (YYYY-MM-DD) you checked it"
        checked = f.checked_date(item, missing=needs, bad=needs)
        if url and not url.startswith("https://"):
            f.problem(item.line_of("url"), "source url must start with https://")
        if title and publisher and url and checked:
            out.append(LeafletSource(title, publisher, url, checked))
    return tuple(out)
