"""Branching vignettes: runs, steps and the debrief summary."""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass

from sqlalchemy import func, select, update

from ..content.model import Choice, Node, Vignette
from ..errors import NotFound
from ..extensions import db
from ..models import VignetteRun, VignetteStep, utcnow
from ..questiontypes.base import position_at


class InvalidChoice(ValueError):
    """The posted choice is not one of the current node's choices."""


def get_run(run_id: int, user_id: int) -> VignetteRun:
    """The learner's own run, NotFound for anyone else's."""
    run = db.session.scalar(select(VignetteRun).where(VignetteRun.id == run_id, VignetteRun.user_id == user_id))
    if run is None:
        raise NotFound
    return run


def latest_run(user_id: int, vignette_id: str) -> VignetteRun | None:
    return db.session.scalar(
        select(VignetteRun)
        .where(VignetteRun.user_id == user_id, VignetteRun.vignette_id == vignette_id)
        .order_by(VignetteRun.id.desc())
        .limit(1)
    )


def start_run(user_id: int, vignette: Vignette) -> VignetteRun:
    """A new walk from the start (replays keep the earlier runs)."""
    run = VignetteRun(
        user_id=user_id,
        vignette_id=vignette.id,
        content_version=vignette.version,
        node_id=vignette.start,
        seed=secrets.randbelow(2**31),
    )
    db.session.add(run)
    db.session.flush()
    return run


def shown_choices(run: VignetteRun, node: Node) -> tuple[Choice, ...]:
    """The node's choices in this run's order: shuffled per run, the same on every reload, back
    and replay of the run (runs from before the seed was stored use their id)."""
    choices = list(node.choices)
    seed = run.seed if run.seed is not None else run.id
    random.Random(f"{seed}:{node.id}").shuffle(choices)
    return tuple(choices)


def choose_shown(run: VignetteRun, vignette: Vignette, node_id: str, position: str) -> bool:
    """Apply the choice the learner picked by its position ("1", "2", ...) in the run's shown
    order; the form never carries the content's choice id. See ``choose`` for the result."""
    node = vignette.nodes.get(node_id)
    choice_id = position_at(shown_choices(run, node), position, lambda c: c.id) if node is not None else None
    return choose(run, vignette, node_id, choice_id or "")


def choose(run: VignetteRun, vignette: Vignette, node_id: str, choice_id: str) -> bool:
    """Apply a choice made at ``node_id``. A stale or repeated post (double click, two tabs) is
    ignored and returns False; an unknown choice raises ``InvalidChoice`` and stores nothing.

    One choice per step, atomically: the run moves on with a conditional UPDATE (only if it is
    still at ``node_id`` and open) that adds the scores in the database, so of two choices posted
    at once exactly one is recorded and no score update is lost. The step is numbered after
    that UPDATE, while the run row is locked, and (run, seq) is unique.
    """
    if run.finished_at is not None or run.node_id != node_id:
        return False
    node = vignette.nodes.get(node_id)
    choice = node.choice(choice_id) if node else None
    if choice is None:
        raise InvalidChoice(choice_id)
    values: dict = {"node_id": choice.next}
    for tag, value in choice.scores.items():
        values[tag] = getattr(VignetteRun, tag) + value
    if vignette.nodes[choice.next].ending:
        values.update(finished_at=utcnow(), ending_id=choice.next)
    moved = db.session.execute(
        update(VignetteRun)
        .where(VignetteRun.id == run.id, VignetteRun.node_id == node_id, VignetteRun.finished_at.is_(None))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if moved.rowcount != 1:
        db.session.refresh(run)
        return False
    seq = (db.session.scalar(select(func.max(VignetteStep.seq)).where(VignetteStep.run_id == run.id)) or 0) + 1
    db.session.add(VignetteStep(run_id=run.id, seq=seq, node_id=node_id, choice_id=choice_id))
    db.session.flush()
    db.session.refresh(run)
    return True


@dataclass(frozen=True)
class TakenStep:
    node_html: str
    choice: Choice
    #: every choice of that decision point, in the order this run showed them
    shown: tuple[Choice, ...] = ()


def taken_steps(run: VignetteRun, vignette: Vignette) -> list[TakenStep]:
    """The path so far, for the feedback and the debrief."""
    steps = db.session.scalars(
        select(VignetteStep).where(VignetteStep.run_id == run.id).order_by(VignetteStep.seq)
    ).all()
    out = []
    for s in steps:
        node = vignette.nodes.get(s.node_id)
        choice = node.choice(s.choice_id) if node else None
        if choice:
            out.append(TakenStep(node.html, choice, shown_choices(run, node)))
    return out


def best_choices(vignette: Vignette, steps: list[TakenStep]) -> int:
    """How many of the taken choices were the best on offer at that point (sum of scores)."""
    count = 0
    for step in steps:
        node = next(n for n in vignette.nodes.values() if step.choice in n.choices)
        top = max(sum(c.scores.values()) for c in node.choices)
        count += sum(step.choice.scores.values()) == top
    return count
