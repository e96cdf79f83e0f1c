"""Typed field access on parsed YAML that records problems instead of raising."""

from __future__ import annotations

import datetime
import re

from .errors import Problem
from .yamlsource import LineDict, LineList

ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_MISSING = object()


class Fields:
    """Reads fields of one file's mappings, collecting ``Problem``s with their lines."""

    def __init__(self, path: str, problems: list[Problem]):
        self.path = path
        self.problems = problems

    def problem(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message))

    def line(self, obj, key=None) -> int:
        if isinstance(obj, LineDict):
            return obj.line_of(key) if key is not None else obj.line
        if isinstance(obj, LineList):
            return obj.line
        return 1

    def mapping(self, obj, what: str, line: int = 1) -> LineDict | None:
        if not isinstance(obj, dict):
            self.problem(self.line(obj) if obj is not None else line, f"{what} must be a mapping")
            return None
        return obj

    def get(self, obj: LineDict, key: str, kind, *, required: bool = True, default=None):
        """Return ``obj[key]`` checked against ``kind`` (str, int, bool, list, dict)."""
        value = obj.get(key, _MISSING)
        if value is _MISSING or value is None:
            if required:
                self.problem(obj.line, f"missing field '{key}'")
            return default
        ok = isinstance(value, kind) and not (kind is int and isinstance(value, bool))
        if kind is str and isinstance(value, (int, float)) and not isinstance(value, bool):
            value, ok = str(value), True
        if not ok or (kind is str and not value.strip()):
            self.problem(obj.line_of(key), f"field '{key}' must be a non-empty {_NAMES[kind]}")
            return default
        return value.strip() if kind is str else value

    def checked_date(self, obj: LineDict, *, required: bool = True, missing: str = "", bad: str = "") -> str | None:
        """The ``checked`` date (YYYY-MM-DD in YAML) as an ISO string; None, after recording
        ``missing`` (when required) or ``bad``, when it is absent or not a date."""
        value = obj.get("checked")
        if isinstance(value, datetime.date):
            return value.isoformat()
        if value is None:
            if required:
                self.problem(obj.line, missing or "missing field 'checked'")
        else:
            self.problem(obj.line_of("checked"), bad or "field 'checked' must be a date (YYYY-MM-DD)")
        return None

    def ident(self, obj: LineDict, key: str = "id", *, required: bool = True) -> str | None:
        value = self.get(obj, key, str, required=required)
        if value is not None and not ID_RE.match(value):
            self.problem(obj.line_of(key), f"'{key}' must be lowercase letters, digits and '-': {value!r}")
            return None
        return value

    def str_list(self, obj: LineDict, key: str, *, required: bool = True) -> tuple[str, ...]:
        value = self.get(obj, key, list, required=required, default=[])
        out = []
        for item in value:
            if isinstance(item, (str, int)) and str(item).strip():
                out.append(str(item).strip())
            else:
                self.problem(self.line(value), f"field '{key}' must be a list of texts")
        return tuple(out)

    def known(self, obj, allowed: set[str], what: str) -> None:
        """Report keys outside ``allowed`` (catches typos and YAML commas that split a value)."""
        if isinstance(obj, LineDict):
            for key in obj:
                if key not in allowed:
                    self.problem(obj.line_of(key), f"unknown field '{key}' in {what}")

    def unique(self, seen: dict, value: str, line: int, what: str) -> None:
        if value in seen:
            self.problem(line, f"duplicate {what} '{value}' (first at {seen[value]})")
        else:
            seen[value] = f"{self.path}:{line}"


_NAMES = {str: "text", int: "whole number", bool: "true/false", list: "list", dict: "mapping"}
