"""Parse reference data: glossary, referral map, learning paths and the confidence scale."""

from __future__ import annotations

import re
from types import MappingProxyType

from ..vocabulary import SECTORS
from .errors import Problem
from .fields import Fields
from .model import (
    DEFAULT_POST_PASS_MARK,
    ConfidenceItem,
    ConfidenceScale,
    LearningPath,
    Organisation,
    ReferralMap,
    Term,
)
from .render import render_inline


def parse_glossary(data, path: str, problems: list[Problem]) -> tuple[list[Term], dict]:
    """Return the terms and a map of term id -> line, for cross-reference problems."""
    f = Fields(path, problems)
    if f.mapping(data, "glossary file") is None:
        return [], {}
    terms, seen = [], {}
    for raw in f.get(data, "terms", list, default=[]):
        if f.mapping(raw, "term") is None:
            continue
        f.known(raw, {"id", "term", "synonyms", "link_forms", "definition", "related", "module"}, "term")
        tid, term, definition = f.ident(raw), f.get(raw, "term", str), f.get(raw, "definition", str)
        module = f.ident(raw, "module")
        synonyms = f.str_list(raw, "synonyms", required=False)
        related = f.str_list(raw, "related", required=False)
        forms = f.str_list(raw, "link_forms", required=False) if "link_forms" in raw else (term,)
        if tid and term and definition and module:
            f.unique(seen, tid, raw.line, "term id")
            terms.append(Term(tid, term, synonyms, tuple(forms), render_inline(definition), related, module))
    lines = {k: int(v.rsplit(":", 1)[1]) for k, v in seen.items()}
    return terms, lines


_PHONE = re.compile(r"^\+?[0-9][0-9 ./-]{1,18}[0-9]$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$")
_SEED_FILE = re.compile(r"^[0-9]{3}_[0-9a-f]{16}\.txt$")
_ORG_FIELDS = {
    "id",
    "name",
    "country",
    "regions",
    "audiences",
    "kinds",
    "offer",
    "url",
    "phone",
    "email",
    "contact_source",
    "source",
    "checked",
}


def _regions(f: Fields, data, english: dict) -> tuple[dict, dict]:
    """Region names and parents: ``id: Name`` or ``id: {name: Name, en: English name, in: parent-id}``."""
    raw = f.get(data, "regions", dict, default={})
    names, parents = {}, {}
    for key, value in raw.items():
        key = str(key)
        if isinstance(value, dict):
            f.known(value, {"name", "en", "in"}, "region")
            name = f.get(value, "name", str)
            parent = f.get(value, "in", str, required=False)
            if parent:
                parents[key] = parent
            names[key] = name or key
            en = f.get(value, "en", str, required=False)
            if en:
                english[key] = en
        else:
            names[key] = str(value)
    for key, parent in parents.items():
        line = raw[key].line_of("in") if isinstance(raw[key], dict) else raw.line_of(key)
        if parent not in names:
            f.problem(line, f"region '{key}' lies in unknown region '{parent}'")
            continue
        seen, at = {key}, parent
        while at in parents:
            if at in seen:
                f.problem(line, f"region '{key}': the regions it lies in form a loop")
                break
            seen.add(at)
            at = parents[at]
    return names, {k: v for k, v in parents.items() if v in names}


def _contact(f: Fields, raw) -> tuple[str | None, str | None, str | None, str | None]:
    """The website, phone, e-mail and the page that states them; a phone number or e-mail
    address without that page is refused: contact details are never written from memory."""
    url = f.get(raw, "url", str, required=False)
    if url and not url.startswith("https://"):
        f.problem(raw.line_of("url"), "url must be the official website, starting with https://")
    phone = f.get(raw, "phone", str, required=False)
    if phone and not _PHONE.match(phone):
        f.problem(raw.line_of("phone"), f"phone number looks wrong: {phone!r}")
    email = f.get(raw, "email", str, required=False)
    if email and not _EMAIL.match(email):
        f.problem(raw.line_of("email"), f"e-mail address looks wrong: {email!r}")
    contact_source = f.get(raw, "contact_source", str, required=False)
    if contact_source and not (contact_source.startswith(("https://", "http://")) or _SEED_FILE.match(contact_source)):
        f.problem(
            raw.line_of("contact_source"),
            "contact_source must be the URL of the page (or the seed file) that states the contact details",
        )
    if (phone or email) and not contact_source:
        what = "phone number" if phone else "e-mail address"
        f.problem(
            raw.line_of("phone" if phone else "email"),
            f"{what} without 'contact_source' (the URL of the page that states it)",
        )
    return url, phone, email, contact_source


def parse_referral_map(data, path: str, problems: list[Problem]) -> ReferralMap | None:
    """Build the referral map; every organisation must name its source and check date, and every
    phone number or e-mail address the page it comes from."""
    f = Fields(path, problems)
    if f.mapping(data, "referral map file") is None:
        return None
    vocab, english = {}, {"regions": {}, "audiences": {}, "kinds": {}}
    vocab["regions"], parents = _regions(f, data, english["regions"])
    for key in ("audiences", "kinds"):
        raw = f.get(data, key, dict, default={})
        vocab[key] = {}
        for k, v in raw.items():  # ``id: Label`` or ``id: {name: Label, en: English label}``
            if isinstance(v, dict):
                f.known(v, {"name", "en"}, key[:-1])
                vocab[key][str(k)] = f.get(v, "name", str) or str(k)
                en = f.get(v, "en", str, required=False)
                if en:
                    english[key][str(k)] = en
            else:
                vocab[key][str(k)] = str(v)
    orgs, seen = [], {}
    for raw in f.get(data, "organisations", list, default=[]):
        if f.mapping(raw, "organisation") is None:
            continue
        before = len(problems)
        f.known(raw, _ORG_FIELDS, "organisation")
        oid, name, offer = f.ident(raw), f.get(raw, "name", str), f.get(raw, "offer", str)
        country = f.get(raw, "country", str)
        if country and country not in ("BE", "NL"):
            f.problem(raw.line_of("country"), "country must be BE or NL")
        lists = {}
        for key in ("regions", "audiences", "kinds"):
            lists[key] = f.str_list(raw, key)
            for value in lists[key]:
                if value not in vocab[key]:
                    f.problem(raw.line_of(key), f"unknown {key[:-1]} '{value}' (declare it under '{key}')")
        source = f.get(raw, "source", str)
        checked = f.checked_date(raw, missing="missing field 'checked' (the date the entry was last checked)")
        url, phone, email, contact_source = _contact(f, raw)
        if len(problems) == before:
            f.unique(seen, oid, raw.line, "organisation id")
            orgs.append(
                Organisation(
                    oid,
                    name,
                    country,
                    lists["regions"],
                    lists["audiences"],
                    lists["kinds"],
                    offer,
                    source,
                    checked,
                    url,
                    phone,
                    email,
                    contact_source,
                )
            )
    return ReferralMap(
        MappingProxyType(vocab["regions"]),
        MappingProxyType(vocab["audiences"]),
        MappingProxyType(vocab["kinds"]),
        tuple(orgs),
        MappingProxyType(parents),
        MappingProxyType({k: MappingProxyType(v) for k, v in english.items()}),
    )


def parse_paths(data, path: str, problems: list[Problem]) -> list[tuple[LearningPath, int]]:
    """Return (path, line) pairs; module references are checked by the loader."""
    f = Fields(path, problems)
    if f.mapping(data, "paths file") is None:
        return []
    out, seen = [], {}
    for raw in f.get(data, "paths", list, default=[]):
        if f.mapping(raw, "path") is None:
            continue
        f.known(
            raw,
            {"slug", "title", "description", "title_en", "description_en", "sectors", "modules", "post_pass_mark"},
            "path",
        )
        slug, title = f.ident(raw, "slug"), f.get(raw, "title", str)
        description = f.get(raw, "description", str)
        title_en = f.get(raw, "title_en", str, required=False)  # English interface, optional
        description_en = f.get(raw, "description_en", str, required=False)
        sectors = f.str_list(raw, "sectors", required=False)
        for s in sectors:
            if s not in SECTORS:
                f.problem(raw.line_of("sectors"), f"unknown sector '{s}' (use {', '.join(SECTORS)})")
        modules = f.str_list(raw, "modules")
        if "modules" in raw and not modules:
            f.problem(raw.line_of("modules"), "a path needs at least one module")
        pass_mark = f.get(raw, "post_pass_mark", int, required=False, default=DEFAULT_POST_PASS_MARK)
        if not 0 < pass_mark <= 100:
            f.problem(raw.line_of("post_pass_mark"), "post_pass_mark must be between 1 and 100")
        if slug and title and description and modules:
            f.unique(seen, slug, raw.line, "path slug")
            out.append(
                (
                    LearningPath(slug, title, description, sectors, modules, 0, pass_mark, title_en, description_en),
                    raw.line,
                )
            )
    return out


#: longest short label of a confidence statement (shown in the trainer's chart)
LABEL_MAX = 32


def parse_confidence(data, path: str, problems: list[Problem]) -> ConfidenceScale | None:
    """Build the self-efficacy scale; every statement has a short, distinct ``label``."""
    f = Fields(path, problems)
    if f.mapping(data, "confidence file") is None:
        return None
    scale = f.get(data, "scale", dict, default={})
    low_v, high_v = scale.get("min", 1), scale.get("max", 5)
    if not (isinstance(low_v, int) and isinstance(high_v, int) and low_v < high_v):
        f.problem(data.line_of("scale"), "scale min and max must be whole numbers, min < max")
        low_v, high_v = 1, 5
    items, seen, labels = [], {}, {}
    for raw in f.get(data, "items", list, default=[]):
        if f.mapping(raw, "item") is None:
            continue
        f.known(raw, {"id", "text", "label"}, "item")
        iid, text, label = f.ident(raw), f.get(raw, "text", str), f.get(raw, "label", str)
        if label and len(label) > LABEL_MAX:
            f.problem(
                raw.line_of("label"), f"label is {len(label)} characters long; keep it to {LABEL_MAX} (a chart label)"
            )
        elif label in labels:
            f.problem(raw.line_of("label"), f"label {label!r} is already used by '{labels[label]}'")
        if iid and text and label:
            f.unique(seen, iid, raw.line, "item id")
            labels.setdefault(label, iid)
            items.append(ConfidenceItem(iid, text, label))
    return ConfidenceScale(low_v, high_v, str(scale.get("low", "")), str(scale.get("high", "")), tuple(items))
