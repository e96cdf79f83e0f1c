"""Analytics functions on hand-computed examples."""

import random
from collections import Counter

import pytest

from elearn.trainer.analytics import (
    MIN_RESPONSES,
    cells_item_stats,
    discrimination,
    facility,
    funnel,
    item_stats,
    point_biserial,
    tally,
)


def test_funnel_shares():
    assert funnel([("joined", 4), ("started", 3), ("done", 1)]) == [
        ("joined", 4, 1.0),
        ("started", 3, 0.75),
        ("done", 1, 0.25),
    ]
    assert funnel([("joined", 0)]) == [("joined", 0, 0.0)]


def test_facility_is_share_correct():
    assert facility([1, 1, 0, 0.5]) == 0.625
    assert facility([]) == 0.0


def test_discrimination_upper_lower():
    # 10 learners; 27 % of 10 rounds to 3 per group.
    totals = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100]
    credits = [0, 0, 1, 0, 1, 1, 0, 1, 1, 1]
    # lower three (10, 20, 30): 0, 0, 1 -> 1/3; upper three (80, 90, 100): 1, 1, 1 -> 1
    assert discrimination(credits, totals) == pytest.approx(2 / 3)
    assert discrimination([1], [5]) == 0.0


def test_point_biserial():
    assert point_biserial([0, 0, 1, 1], [1, 2, 3, 4]) == pytest.approx(0.8944, abs=1e-4)
    assert point_biserial([1, 1, 1], [1, 2, 3]) is None


def test_item_stats_flags_and_threshold():
    few = item_stats("q", "quiz", [(1.0, 90.0, ["a"])] * (MIN_RESPONSES - 1))
    assert not few.shown and few.facility is None and few.choices["a"] == MIN_RESPONSES - 1
    easy = item_stats("q", "quiz", [(1.0, float(t), ["a"]) for t in range(10)])
    assert easy.shown and easy.facility == 1.0 and set(easy.flags) == {"too_easy", "poor_discrimination"}
    hard = item_stats("q", "quiz", [(0.0, float(t), ["b"]) for t in range(9)] + [(1.0, 100.0, ["a"])])
    assert "too_hard" in hard.flags and hard.choices == {"b": 9, "a": 1}


def test_discrimination_splits_tied_totals_pro_rata():
    # 4 learners: 27 % of 4 rounds to 1 per group. The lowest total (10) is shared by a learner
    # with credit 0 and one with credit 1: the lower group gets half of each, mean 0.5.
    assert discrimination([0, 1, 1, 1], [10, 10, 20, 30]) == 0.5
    assert discrimination([1, 0, 1, 1], [10, 10, 20, 30]) == 0.5
    # everyone tied: both groups are everyone pro rata
    assert discrimination([1, 0] * 5, [50] * 10) == 0.0


def test_item_stats_do_not_depend_on_the_order_of_the_responses():
    answers = [(float(n % 2), float(10 * (n % 4)), ["a"] if n % 2 else ["b"]) for n in range(23)]
    reference = item_stats("q", "quiz", answers)
    assert reference.discrimination is not None and reference.point_biserial is not None
    for seed in range(5):
        shuffled = answers[:]
        random.Random(seed).shuffle(shuffled)
        assert item_stats("q", "quiz", shuffled) == reference


def test_counted_item_stats_from_cells():
    answers = [(c, t) for c, t in [(1.0, 90.0), (0.5, 60.0), (0.0, 60.0), (1.0, 100 / 3)] * 4]
    cells = tally([a[0] for a in answers], [a[1] for a in answers])
    assert cells == {(1.0, 90.0): 4, (0.5, 60.0): 4, (0.0, 60.0): 4, (1.0, 100 / 3): 4}
    stats = cells_item_stats("q", "quiz", cells, Counter(x=16))
    assert stats.responses == 16 and stats.facility == 0.625 and stats.choices == {"x": 16}
    # 27 % of 16 learners = 4 per group: the top four all scored 90 (credit 1), the lowest
    # four 33.3 (credit 1): no difference between the groups
    assert stats.discrimination == 0.0


def test_point_biserial_of_a_constant_non_binary_total_is_none():
    assert point_biserial([0, 1, 0, 1], [100 / 3] * 4) is None
    assert point_biserial([0.3] * 3, [1, 2, 3]) is None
