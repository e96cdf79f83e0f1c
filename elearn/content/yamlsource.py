"""YAML parsing that remembers line numbers and refuses duplicate keys."""

from __future__ import annotations

import yaml

from .errors import Problem


class LineDict(dict):
    """A mapping that knows the line of itself and of each key (1-based)."""

    line: int = 1
    key_lines: dict

    def line_of(self, key) -> int:
        return self.key_lines.get(key, self.line)


class LineList(list):
    """A sequence that knows its line (1-based)."""

    line: int = 1


class DuplicateKey(yaml.YAMLError):
    def __init__(self, key, line):
        super().__init__(f"duplicate key '{key}'")
        self.key, self.line = key, line


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    pass


def _mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in result:
            raise DuplicateKey(key, key_node.start_mark.line + 1)
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _sequence(loader: _Loader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _sequence)


def parse_yaml(text: str, path: str, line_offset: int = 0):
    """Parse YAML text; return (data, problems). Lines are shifted by ``line_offset``."""
    try:
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - SafeLoader subclass
    except DuplicateKey as exc:
        return None, [Problem(path, exc.line + line_offset, str(exc))]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 if mark else 1) + line_offset
        return None, [Problem(path, line, f"YAML error: {exc.problem or exc}")]
    except yaml.YAMLError as exc:  # pragma: no cover - every PyYAML error we know is marked
        return None, [Problem(path, 1 + line_offset, f"YAML error: {exc}")]
    if line_offset:
        _shift(data, line_offset)
    return data, []


def _shift(node, offset: int) -> None:
    if isinstance(node, LineDict):
        node.line += offset
        node.key_lines = {k: v + offset for k, v in node.key_lines.items()}
        for value in node.values():
            _shift(value, offset)
    elif isinstance(node, LineList):
        node.line += offset
        for value in node:
            _shift(value, offset)
