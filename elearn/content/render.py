"""Markdown to sanitised HTML, plus glossary and citation links added after sanitising."""

from __future__ import annotations

import hashlib
import html as html_lib
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import markdown as md_lib
import nh3

_ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "h3",
    "h4",
    "h5",
    "h6",
    "strong",
    "em",
    "b",
    "i",
    "u",
    "s",
    "sub",
    "sup",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "blockquote",
    "code",
    "pre",
    "a",
    "abbr",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "caption",
    "span",
    "small",
    "mark",
}
_ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "h3": {"id"},
    "h4": {"id"},
    "h5": {"id"},
    "h6": {"id"},
    "ol": {"start"},
}
_EXTENSIONS = ["extra", "sane_lists"]
_md = md_lib.Markdown(extensions=_EXTENSIONS, output_format="html")


def sanitise(html: str) -> str:
    """Remove every tag, attribute and URL scheme outside the allow-list (no script, no style)."""
    return nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer",
    )


#: Names the renderer: the Markdown and nh3 versions and this file (extensions, allow-list).
#: Renderings kept from another process are reused only while this is unchanged.
RENDERER = hashlib.sha256(
    f"{md_lib.__version__} {nh3.__version__} ".encode() + Path(__file__).read_bytes()
).hexdigest()[:16]

# Rendering is a pure function of the text, so its results can be kept. Markdown is most of the
# start-up time; renderings kept from an earlier process (see elearn/course.py) halve it.
_memo: dict[str, str] = {}
_recordings: list[dict[str, str]] = []


def render_block(text: str) -> str:
    """Render block Markdown (paragraphs, lists, quotes) to sanitised HTML."""
    text = text or ""
    html = _memo.get(text)
    if html is None:
        _md.reset()
        html = _memo[text] = sanitise(_md.convert(text))
    for recording in _recordings:
        recording[text] = html
    return html


@contextmanager
def recording() -> Iterator[dict[str, str]]:
    """Collect, by source text, every rendering used inside the ``with`` block."""
    used: dict[str, str] = {}
    _recordings.append(used)
    try:
        yield used
    finally:
        _recordings.remove(used)


def remember(renderings: Mapping[str, str]) -> None:
    """Reuse renderings made earlier by the same :data:`RENDERER`."""
    _memo.update(renderings)


def render_inline(text: str) -> str:
    """Render one line of inline Markdown without the wrapping paragraph."""
    html = render_block(text).strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return html


_BLOCK_END = re.compile(r"<(?:br|/p|/li|/h[1-6]|/div|/t[dhr])\b[^>]*>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")


def plain_text(html: str) -> str:
    """Rendered HTML as one line of plain text (exports, PDFs): inline tags dropped, a space where
    a block ends, entities decoded, runs of white space made one space."""
    return " ".join(html_lib.unescape(_TAG.sub("", _BLOCK_END.sub(" ", html))).split())


_WORD = re.compile(r"[\wÀ-ÿ'’-]+", re.UNICODE)


def count_words(markdown_text: str) -> int:
    """Count the words a reader sees, ignoring Markdown punctuation and heading ids."""
    text = re.sub(r"\{#[^}]*\}", " ", markdown_text)
    text = re.sub(r"\[bron:[^\]]*\]", " ", text)
    return sum(1 for w in _WORD.findall(text) if any(c.isalnum() for c in w))


_TAG_SPLIT = re.compile(r"(<[^>]+>)")
_SKIP_TAGS = {"a", "h1", "h2", "h3", "h4", "h5", "h6", "code", "pre"}


def _walk_text(html: str, transform: Callable[[str], str]) -> str:
    """Apply ``transform`` to text outside links, headings and code."""
    out, depth = [], 0
    for piece in _TAG_SPLIT.split(html):
        if piece.startswith("<"):
            name = re.match(r"</?\s*([a-zA-Z0-9]+)", piece)
            tag = name.group(1).lower() if name else ""
            if tag in _SKIP_TAGS and not piece.endswith("/>"):
                depth += -1 if piece.startswith("</") else 1
            out.append(piece)
        else:
            out.append(transform(piece) if depth == 0 and piece else piece)
    return "".join(out)


def link_terms(html: str, forms: Iterable[tuple[str, str, str]]) -> str:
    """Link the first occurrence of each term in ``html``.

    ``forms`` holds (word form, term id, href); one term links once, whichever form comes first.
    """
    forms = sorted(forms, key=lambda f: -len(f[0]))
    if not forms:
        return html
    by_form = {f[0]: f for f in forms}
    pattern = re.compile(r"(?<![\w-])(" + "|".join(re.escape(f[0]) for f in forms) + r")(?![\w-])")
    linked: set[str] = set()

    def transform(text: str) -> str:
        def repl(match: re.Match) -> str:
            form, term_id, href = by_form[match.group(1)]
            if term_id in linked:
                return match.group(0)
            linked.add(term_id)
            return f'<a class="term" href="{href}">{match.group(0)}</a>'

        return pattern.sub(repl, text)

    return _walk_text(html, transform)


_CITE = re.compile(r"\[bron:\s*([a-z0-9-]+(?:\s*,\s*[a-z0-9-]+)*)\s*\]")


def cited_ids(markdown_text: str) -> list[str]:
    """Source ids cited with ``[bron: id]`` in Markdown text."""
    ids: list[str] = []
    for match in _CITE.finditer(markdown_text):
        ids.extend(i.strip() for i in match.group(1).split(","))
    return ids


def link_citations(html: str, numbers: dict[str, int], href: Callable[[str], str]) -> str:
    """Turn ``[bron: id]`` into numbered links to the module's source list."""

    def link(source_id: str) -> str:
        number = numbers.get(source_id, "?")
        # the link names its target: a screen reader says "bron 3", not just "3"
        return f'<a href="{href(source_id)}" aria-label="bron {number}">{number}</a>'

    def repl(match: re.Match) -> str:
        links = ", ".join(link(i.strip()) for i in match.group(1).split(","))
        return f'<sup class="cite">[{links}]</sup>'

    return _CITE.sub(repl, html)
