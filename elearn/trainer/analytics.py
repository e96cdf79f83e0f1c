"""Learning analytics as pure functions: funnel and item analysis (gains: see ``stats``)."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from statistics import mean

MIN_RESPONSES = 10  # item statistics are shown from this many responses on
TOO_EASY, TOO_HARD, POOR_DISCRIMINATION = 0.9, 0.3, 0.2
GROUP_FRACTION = 0.27


def funnel(steps: list[tuple[str, int]]) -> list[tuple[str, int, float]]:
    """(label, count) per step -> (label, count, share of the first step)."""
    base = steps[0][1] if steps else 0
    return [(label, n, (n / base) if base else 0.0) for label, n in steps]


def facility(credits: list[float]) -> float:
    """Share correct: the mean credit (0..1) over all responses."""
    return sum(credits) / len(credits) if credits else 0.0


def discrimination(credits: list[float], totals: list[float], fraction: float = GROUP_FRACTION) -> float:
    """Upper-lower index: mean item credit of the top ``fraction`` of learners by total score
    minus that of the bottom ``fraction`` (between -1 and 1)."""
    n = len(credits)
    if n < 2:
        return 0.0
    size = max(1, round(n * fraction))
    order = sorted(range(n), key=lambda i: totals[i])
    lower = [credits[i] for i in order[:size]]
    upper = [credits[i] for i in order[-size:]]
    return mean(upper) - mean(lower)


def point_biserial(credits: list[float], totals: list[float]) -> float | None:
    """Correlation between the item credit and the total score (None when either is constant)."""
    n = len(credits)
    if n < 2:
        return None
    mc, mt = mean(credits), mean(totals)
    sc = math.sqrt(sum((c - mc) ** 2 for c in credits))
    st = math.sqrt(sum((t - mt) ** 2 for t in totals))
    if sc == 0 or st == 0:
        return None
    return sum((c - mc) * (t - mt) for c, t in zip(credits, totals)) / (sc * st)


@dataclass
class ItemStats:
    question_id: str
    quiz_id: str
    responses: int
    facility: float | None
    discrimination: float | None
    point_biserial: float | None
    choices: Counter = field(default_factory=Counter)  # choice id (``QuestionType.chosen_ids``) -> times chosen
    flags: tuple[str, ...] = ()

    @property
    def shown(self) -> bool:
        return self.responses >= MIN_RESPONSES


def item_stats(question_id: str, quiz_id: str, answers: list[tuple[float, float, list]]) -> ItemStats:
    """Statistics for one question from (credit, attempt total, chosen ids) per learner."""
    credits = [a[0] for a in answers]
    totals = [a[1] for a in answers]
    choices = Counter(choice for a in answers for choice in a[2])
    n = len(answers)
    if n < MIN_RESPONSES:
        return ItemStats(question_id, quiz_id, n, None, None, None, choices)
    fac = facility(credits)
    disc = discrimination(credits, totals)
    flags = []
    if fac > TOO_EASY:
        flags.append("too_easy")
    if fac < TOO_HARD:
        flags.append("too_hard")
    if disc < POOR_DISCRIMINATION:
        flags.append("poor_discrimination")
    return ItemStats(question_id, quiz_id, n, fac, disc, point_biserial(credits, totals), choices, tuple(flags))
