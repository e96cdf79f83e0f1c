"""Learning analytics as pure functions: funnel and item analysis (gains: see ``stats``).

The item statistics work on counted responses (:data:`Cells`), with exact sums, so that the
database can do the counting and a result never depends on the order the responses came in;
the per-learner functions (:func:`item_stats`, :func:`discrimination`, ...) count and call them.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction

MIN_RESPONSES = 10  # item statistics are shown from this many responses on
TOO_EASY, TOO_HARD, POOR_DISCRIMINATION = 0.9, 0.3, 0.2
GROUP_FRACTION = 0.27


def funnel(steps: list[tuple[str, int]]) -> list[tuple[str, int, float]]:
    """(label, count) per step -> (label, count, share of the first step)."""
    base = steps[0][1] if steps else 0
    return [(label, n, (n / base) if base else 0.0) for label, n in steps]


#: (item credit, attempt total) -> number of learners with that pair
Cells = Mapping[tuple[float, float], int]


def tally(credits: Iterable[float], totals: Iterable[float]) -> Counter:
    """The :data:`Cells` of per-learner credits and totals."""
    return Counter(zip(credits, totals))


def facility(credits: list[float]) -> float:
    """Share correct: the mean credit (0..1) over all responses."""
    return cells_facility(tally(credits, [0.0] * len(credits)))


def cells_facility(cells: Cells) -> float:
    """:func:`facility` of counted responses."""
    n = sum(cells.values())
    if not n:
        return 0.0
    credit, denominator = _as_integers(c for c, _t in cells)
    return sum(credit[c] * k for (c, _t), k in cells.items()) / (denominator * n)


def discrimination(credits: list[float], totals: list[float], fraction: float = GROUP_FRACTION) -> float:
    """Upper-lower index: mean item credit of the top ``fraction`` of learners by total score
    minus that of the bottom ``fraction`` (between -1 and 1). See :func:`cells_discrimination`."""
    return cells_discrimination(tally(credits, totals), fraction)


def cells_discrimination(cells: Cells, fraction: float = GROUP_FRACTION) -> float:
    """:func:`discrimination` of counted responses.

    Learners whose equal totals straddle a group's edge join it pro rata: the group gets the
    needed share of their summed credit, the mean over every order of the tied learners. The
    result therefore never depends on the order in which the responses were read.
    """
    n = sum(cells.values())
    if n < 2:
        return 0.0
    size = max(1, round(n * fraction))
    credit, denominator = _as_integers(c for c, _t in cells)
    blocks: dict[float, list[int]] = {}  # total -> [learners, summed credit numerators]
    for (c, total), k in cells.items():
        block = blocks.setdefault(total, [0, 0])
        block[0] += k
        block[1] += credit[c] * k
    ordered = [blocks[t] for t in sorted(blocks)]
    lower = _group_credit(ordered, size)
    upper = _group_credit(reversed(ordered), size)
    return float(upper / (denominator * size)) - float(lower / (denominator * size))


def _group_credit(blocks, size: int) -> Fraction:
    """Summed credit of the first ``size`` learners of the (learners, credit) blocks."""
    taken, credit = 0, Fraction(0)
    for learners, summed in blocks:
        share = min(learners, size - taken)
        credit += Fraction(summed * share, learners)
        taken += share
        if taken == size:
            break
    return credit


def point_biserial(credits: list[float], totals: list[float]) -> float | None:
    """Correlation between the item credit and the total score (None when either is constant)."""
    return cells_point_biserial(tally(credits, totals))


def cells_point_biserial(cells: Cells) -> float | None:
    """:func:`point_biserial` of counted responses, from exact sums (so a constant credit or
    total is recognised as such, whatever its floating-point value)."""
    n = sum(cells.values())
    if n < 2:
        return None
    credit, _ = _as_integers(c for c, _t in cells)
    total, _ = _as_integers(t for _c, t in cells)
    sc = st = scc = stt = sct = 0  # sums of the scaled values, exact integers
    for (c, t), k in cells.items():
        ci, ti = credit[c], total[t]
        sc += ci * k
        st += ti * k
        scc += ci * ci * k
        stt += ti * ti * k
        sct += ci * ti * k
    var_c, var_t = n * scc - sc * sc, n * stt - st * st  # n² times the variances, scaled
    if var_c == 0 or var_t == 0:
        return None
    return (n * sct - sc * st) / math.sqrt(var_c * var_t)  # the scales cancel


def _as_integers(values: Iterable[float]) -> tuple[dict[float, int], int]:
    """Each value as an integer numerator over one common denominator, so that sums are exact
    (a float is a binary fraction): (value -> numerator, denominator)."""
    ratios = {v: Fraction(v) for v in set(values)}
    denominator = math.lcm(*(r.denominator for r in ratios.values()))
    return {v: r.numerator * (denominator // r.denominator) for v, r in ratios.items()}, denominator


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
    choices = Counter(choice for a in answers for choice in a[2])
    return cells_item_stats(question_id, quiz_id, tally((a[0] for a in answers), (a[1] for a in answers)), choices)


def cells_item_stats(question_id: str, quiz_id: str, cells: Cells, choices: Counter) -> ItemStats:
    """Statistics for one question from counted (credit, total) pairs and chosen-id counts."""
    n = sum(cells.values())
    if n < MIN_RESPONSES:
        return ItemStats(question_id, quiz_id, n, None, None, None, choices)
    fac = cells_facility(cells)
    disc = cells_discrimination(cells)
    flags = []
    if fac > TOO_EASY:
        flags.append("too_easy")
    if fac < TOO_HARD:
        flags.append("too_hard")
    if disc < POOR_DISCRIMINATION:
        flags.append("poor_discrimination")
    return ItemStats(question_id, quiz_id, n, fac, disc, cells_point_biserial(cells), choices, tuple(flags))
