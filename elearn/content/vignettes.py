"""Parse branching case vignettes and check their graphs."""

from __future__ import annotations

from types import MappingProxyType

from .errors import Problem
from .fields import Fields
from .model import Choice, Node, Vignette
from .render import render_block, render_inline

SCORE_TAGS = ("trust", "safety", "referral")
OUTCOMES = ("good", "mixed", "poor")


def parse_vignette(data, path: str, problems: list[Problem], version: str) -> Vignette | None:
    """Build a ``Vignette`` from parsed YAML and validate its graph."""
    f = Fields(path, problems)
    if f.mapping(data, "vignette file") is None:
        return None
    before = len(problems)
    f.known(data, {"id", "module", "title", "setting", "summary", "start", "allow_cycles", "nodes"}, "vignette")
    vid, module = f.ident(data), f.ident(data, "module")
    title, setting = f.get(data, "title", str), f.get(data, "setting", str)
    summary = f.get(data, "summary", str)
    start = f.get(data, "start", str)
    allow_cycles = f.get(data, "allow_cycles", bool, required=False, default=False)
    raw_nodes = f.get(data, "nodes", dict, default={})
    nodes, node_lines, choice_lines = {}, {}, {}
    for node_id, raw in raw_nodes.items():
        node_lines[node_id] = raw_nodes.line_of(node_id)
        node = _node(f, str(node_id), raw, raw_nodes.line_of(node_id), choice_lines)
        if node:
            nodes[node.id] = node
    if len(problems) == before:
        _check_graph(f, start, nodes, node_lines, choice_lines, allow_cycles, data.line_of("start"))
    if len(problems) > before:
        return None
    return Vignette(
        id=vid,
        module=module,
        title=title,
        setting=setting,
        summary=summary,
        start=start,
        nodes=MappingProxyType(nodes),
        allow_cycles=allow_cycles,
        version=version,
        path=path,
    )


def _node(f: Fields, node_id: str, raw, line: int, choice_lines: dict) -> Node | None:
    if f.mapping(raw, f"node '{node_id}'", line) is None:
        return None
    ending = f.get(raw, "ending", bool, required=False, default=False)
    f.known(
        raw, {"ending", "title", "outcome", "debrief", "text"} if ending else {"text", "choices"}, f"node '{node_id}'"
    )
    if ending:
        debrief = f.get(raw, "debrief", str)
        title = f.get(raw, "title", str)
        outcome = f.get(raw, "outcome", str, required=False, default="mixed")
        if outcome not in OUTCOMES:
            f.problem(raw.line_of("outcome"), f"outcome must be one of {', '.join(OUTCOMES)}")
        if "choices" in raw:
            f.problem(raw.line_of("choices"), f"ending '{node_id}' cannot have choices")
        text = f.get(raw, "text", str, required=False, default="")
        return Node(node_id, render_block(text), (), True, title or "", outcome, render_block(debrief or ""))
    text = f.get(raw, "text", str)
    if "debrief" in raw:
        f.problem(raw.line_of("debrief"), f"node '{node_id}' has a debrief but is not an ending")
    raw_choices = f.get(raw, "choices", list, default=[])
    if "choices" in raw and len(raw_choices) < 2:
        f.problem(raw.line_of("choices"), f"decision node '{node_id}' needs at least 2 choices")
    choices, seen = [], {}
    for rc in raw_choices:
        if f.mapping(rc, "choice", raw_choices.line) is None:
            continue
        f.known(rc, {"id", "text", "feedback", "next", "scores"}, "choice")
        cid, ctext = f.ident(rc), f.get(rc, "text", str)
        feedback, nxt = f.get(rc, "feedback", str), f.get(rc, "next", str)
        scores = f.get(rc, "scores", dict, required=False, default={})
        clean = {}
        for tag, value in scores.items():
            if tag not in SCORE_TAGS:
                f.problem(rc.line_of("scores"), f"unknown score tag '{tag}' (use {', '.join(SCORE_TAGS)})")
            elif not isinstance(value, int) or isinstance(value, bool) or not -2 <= value <= 2:
                f.problem(rc.line_of("scores"), f"score '{tag}' must be a whole number from -2 to 2")
            else:
                clean[tag] = value
        if cid and ctext and feedback and nxt:
            f.unique(seen, cid, rc.line, "choice id")
            choice_lines[(node_id, cid)] = rc.line
            choices.append(Choice(cid, render_inline(ctext), render_inline(feedback), nxt, MappingProxyType(clean)))
    if not text:
        return None
    return Node(node_id, render_block(text), tuple(choices))


def _check_graph(f: Fields, start, nodes: dict, lines: dict, choice_lines: dict, allow_cycles: bool, start_line: int):
    if start not in nodes:
        f.problem(start_line, f"start node '{start}' does not exist")
        return
    for node in nodes.values():
        for c in node.choices:
            if c.next not in nodes:
                f.problem(
                    choice_lines[(node.id, c.id)],
                    f"choice '{c.id}' of node '{node.id}' leads to unknown node '{c.next}'",
                )
    if any(c.next not in nodes for n in nodes.values() for c in n.choices):
        return
    reachable, stack = set(), [start]
    while stack:
        nid = stack.pop()
        if nid not in reachable:
            reachable.add(nid)
            stack.extend(c.next for c in nodes[nid].choices)
    for nid in nodes:
        if nid not in reachable:
            f.problem(lines[nid], f"node '{nid}' cannot be reached from '{start}'")
    if not any(n.ending for n in nodes.values()):
        f.problem(start_line, "the vignette has no ending node")
    # Every node must be able to reach an ending (no dead ends, no inescapable loops).
    can_end = {nid for nid, n in nodes.items() if n.ending}
    changed = True
    while changed:
        changed = False
        for nid, n in nodes.items():
            if nid not in can_end and any(c.next in can_end for c in n.choices):
                can_end.add(nid)
                changed = True
    for nid in reachable - can_end:
        f.problem(lines[nid], f"from node '{nid}' no path reaches an ending")
    if not allow_cycles:
        cycle = _find_cycle(start, nodes)
        if cycle:
            f.problem(lines[cycle[-1]], "cycle " + " -> ".join(cycle) + " (set allow_cycles: true if meant)")


def _find_cycle(start: str, nodes: dict) -> list[str] | None:
    state: dict[str, int] = {}  # 1 = on the stack, 2 = done

    def visit(nid: str, trail: list[str]):
        state[nid] = 1
        for c in nodes[nid].choices:
            if state.get(c.next) == 1:
                return trail + [nid, c.next]
            if c.next not in state:
                found = visit(c.next, trail + [nid])
                if found:
                    return found
        state[nid] = 2
        return None

    return visit(start, [])


def paths_to_endings(v: Vignette, limit: int = 10_000) -> list[list[str]]:
    """Every node path from the start to an ending (for content tests and statistics)."""
    out, stack = [], [[v.start]]
    while stack and len(out) < limit:
        trail = stack.pop()
        node = v.nodes[trail[-1]]
        if node.ending:
            out.append(trail)
            continue
        for c in node.choices:
            if c.next not in trail:
                stack.append(trail + [c.next])
    return out
