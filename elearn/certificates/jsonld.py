"""JSON-LD with bundled contexts only: RDF Dataset Canonicalization (RDFC-1.0, URDNA2015) and a
"safe mode" check that every term and type of a document is defined by its contexts.

Contexts are never fetched: :func:`document_loader` serves the files in ``assets/contexts/`` and
refuses every other URL, so signing and verifying work offline and cannot be steered by a
remote server. The bundled files are byte-for-byte the published contexts:

- ``https://www.w3.org/ns/credentials/v2`` (W3C, W3C Software and Document License)
- ``https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json`` (1EdTech Open Badges 3.0)
- ``https://www.w3.org/ns/cid/v1`` (W3C Controlled Identifiers, W3C Software and Document License)
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

from pyld import jsonld

CONTEXTS_DIR = Path(__file__).resolve().parent / "assets" / "contexts"
VC_V2 = "https://www.w3.org/ns/credentials/v2"
OB_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
CID_V1 = "https://www.w3.org/ns/cid/v1"
BUNDLED = {VC_V2: "credentials-v2.jsonld", OB_V3: "ob-v3p0-context-3.0.3.json", CID_V1: "cid-v1.jsonld"}
#: a @vocab no context defines: a term or type expanded under it was not defined by the contexts
_TRAP = "urn:x-kruispunt-undefined:"


class ContextError(ValueError):
    """A document uses a context that is not bundled, or cannot be processed."""


@functools.cache
def _load(name: str) -> dict:
    return json.loads((CONTEXTS_DIR / name).read_text(encoding="utf-8"))


def document_loader(extra: dict[str, dict] | None = None):
    """A pyld document loader serving the bundled contexts (plus ``extra``: URL → document)."""

    def load(url: str, options=None) -> dict:
        if extra and url in extra:
            document = extra[url]
        elif url in BUNDLED:
            document = _load(BUNDLED[url])
        else:
            raise jsonld.JsonLdError(
                f"context {url} is not bundled; remote contexts are never fetched",
                "jsonld.LoadDocumentError",
                code="loading document failed",
            )
        return {"contextUrl": None, "documentUrl": url, "document": document}

    return load


def _check_contexts(node, extra) -> None:
    """ContextError naming the first context URL that is neither bundled nor in ``extra``."""
    if isinstance(node, list):
        for item in node:
            _check_contexts(item, extra)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key == "@context":
                for url in value if isinstance(value, list) else [value]:
                    if isinstance(url, str) and url not in BUNDLED and url not in (extra or {}):
                        raise ContextError(f"context {url} is not bundled; remote contexts are never fetched")
            _check_contexts(value, extra)


def _options(extra) -> dict:
    return {"documentLoader": document_loader(extra), "processingMode": "json-ld-1.1"}


def canonize(document: dict, extra: dict[str, dict] | None = None) -> str:
    """The canonical N-Quads of ``document`` (RDFC-1.0 / URDNA2015); ContextError when it cannot
    be processed offline."""
    _check_contexts(document, extra)
    try:
        return jsonld.normalize(
            document, {**_options(extra), "algorithm": "URDNA2015", "format": "application/n-quads"}
        )
    except jsonld.JsonLdError as error:
        raise ContextError(_message(error)) from None


def undefined_terms(document: dict, extra: dict[str, dict] | None = None) -> list[str]:
    """Properties and types of ``document`` its contexts do not define (what a JSON-LD processor in
    safe mode refuses, and what canonicalization would silently drop), sorted."""
    _check_contexts(document, extra)
    context = document.get("@context")
    context = list(context) if isinstance(context, list) else [context]
    trapped = {**document, "@context": [{"@vocab": _TRAP}, *context]}  # a later @vocab wins
    try:
        expanded = jsonld.expand(trapped, _options(extra))
    except jsonld.JsonLdError as error:
        raise ContextError(_message(error)) from None
    found: set[str] = set()

    def walk(node) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            for key, value in node.items():
                if key.startswith(_TRAP):
                    found.add(key[len(_TRAP) :])
                if key == "@type":
                    found.update(
                        t[len(_TRAP) :]
                        for t in (value if isinstance(value, list) else [value])
                        if isinstance(t, str) and t.startswith(_TRAP)
                    )
                walk(value)

    walk(expanded)
    return sorted(found)


def _message(error: Exception) -> str:
    return f"{getattr(error, 'type', 'jsonld')}: {str(getattr(error, 'message', '') or error).splitlines()[0]}"
