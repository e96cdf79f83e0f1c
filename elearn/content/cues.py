"""Two measures the answer-cue lint and the question types share (no imports: both use it)."""

from __future__ import annotations


def text_len(value) -> int:
    """The length of a text as a reader sees it, surrounding blanks ignored."""
    return len(str(value).strip())


def strictly_max(values: list, index: int) -> bool:
    """True when ``values[index]`` is larger than every other value."""
    return all(values[index] > v for i, v in enumerate(values) if i != index)
