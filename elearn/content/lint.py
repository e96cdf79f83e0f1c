"""Measurable answer cues in quizzes, item banks and vignettes (``elearn content check``).

Runs on content that already loads (the loader has checked its structure) and re-reads the YAML
files for their line numbers. Every finding is a :class:`Problem` (``path:line: what is wrong``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .. import questiontypes
from .cues import strictly_max, text_len
from .errors import Problem
from .yamlsource import parse_yaml

#: the most a module may show a cue, as a share of its items or decision points
MAX_CUE_SHARE = 0.40
#: the share of true/false items keyed "waar" must lie within these bounds
TRUE_SHARE = (0.40, 0.60)


@dataclass(frozen=True)
class _Cue:
    """One item or decision point: where it is and whether it shows the cue."""

    path: str
    line: int
    label: str
    cue: bool


def _cues(question) -> dict[str, bool]:
    """The answer cues one quiz or item-bank question shows, as its type measures them."""
    qtype = questiontypes.REGISTRY.get(question.get("type")) if isinstance(question.get("type"), str) else None
    return qtype.answer_cues(question) if qtype else {}


def lint_content(content_dir: str | Path) -> list[Problem]:
    """Every answer-cue finding in the content under ``content_dir``, sorted by path and line."""
    root = Path(content_dir)
    base = root.parent
    problems: list[Problem] = []

    def read(path: Path):
        data, found = parse_yaml(path.read_text(encoding="utf-8"), str(path.relative_to(base)))
        problems.extend(found)
        return data if isinstance(data, dict) else None

    longest_key: dict[str, list[_Cue]] = {}
    files = [(p, "questions") for p in sorted(root.glob("quizzes/*.quiz.yaml"))]
    files += [(p, "items") for p in sorted(root.glob("quizzes/itembank/*.yaml"))]
    for path, key in files:
        data = read(path)
        if data is None:
            continue
        rel = str(path.relative_to(base))
        module = str(data.get("module", ""))
        questions = [q for q in data.get(key) or [] if isinstance(q, dict)]
        cues_of = [(q, _cues(q)) for q in questions]
        for q, cues in cues_of:
            if "keyed_longest" in cues:
                longest_key.setdefault(module, []).append(_Cue(rel, q.line, str(q.get("id")), cues["keyed_longest"]))
        problems.extend(_true_false_balance(rel, data.line_of(key), [cues for _q, cues in cues_of]))
    for module, cues in sorted(longest_key.items()):
        problems.extend(
            _too_often(cues, f"module '{module}'", "single-choice items", "the keyed option is strictly the longest")
        )

    best_longest: dict[str, list[_Cue]] = {}
    best_first: dict[str, list[_Cue]] = {}
    for path in sorted(root.glob("quizzes/vignettes/*.yaml")):
        data = read(path)
        if data is None:
            continue
        rel = str(path.relative_to(base))
        module = str(data.get("module", ""))
        nodes = data.get("nodes") if isinstance(data.get("nodes"), dict) else {}
        for node_id, node in nodes.items():
            choices = [c for c in (node.get("choices") or []) if isinstance(c, dict)] if isinstance(node, dict) else []
            if len(choices) < 2:
                continue
            sums = [sum(v for v in (c.get("scores") or {}).values() if isinstance(v, int)) for c in choices]
            best = next((i for i in range(len(choices)) if strictly_max(sums, i)), None)
            lengths = [text_len(c.get("text", "")) for c in choices]
            label = f"node '{node_id}'"
            best_longest.setdefault(module, []).append(
                _Cue(rel, nodes.line_of(node_id), label, best is not None and strictly_max(lengths, best))
            )
            best_first.setdefault(module, []).append(_Cue(rel, nodes.line_of(node_id), label, best == 0))
    for module in sorted(best_longest):
        what = f"module '{module}'"
        problems.extend(
            _too_often(
                best_longest[module], what, "vignette decision points", "the best choice is strictly the longest"
            )
        )
        problems.extend(
            _too_often(best_first[module], what, "vignette decision points", "the best choice is listed first")
        )
    return sorted(set(problems), key=lambda p: (p.path, p.line, p.message))


def _too_often(cues: list[_Cue], what: str, unit: str, cue: str) -> list[Problem]:
    """One finding per cue-showing place when the cue shows in more than 40 % of them."""
    shown = [c for c in cues if c.cue]
    if not cues or len(shown) / len(cues) <= MAX_CUE_SHARE:
        return []
    summary = f"{what}: {cue} in {len(shown)} of {len(cues)} {unit} (at most {round(100 * MAX_CUE_SHARE)} % allowed)"
    return [Problem(c.path, c.line, f"{c.label}: {summary}") for c in shown]


def _true_false_balance(path: str, line: int, cues_per_question: list[dict]) -> list[Problem]:
    keys = [cues["keyed_true"] for cues in cues_per_question if "keyed_true" in cues]
    if not keys:
        return []
    n_true = sum(keys)
    n_false = len(keys) - n_true
    share = n_true / len(keys)
    balanced = TRUE_SHARE[0] <= share <= TRUE_SHARE[1] or (len(keys) % 2 == 1 and abs(n_true - n_false) <= 1)
    if balanced:
        return []
    return [
        Problem(
            path,
            line,
            f"true/false items keyed 'waar' in {n_true} of {len(keys)} "
            f"({round(100 * share)} %); keep it within 40-60 %",
        )
    ]
