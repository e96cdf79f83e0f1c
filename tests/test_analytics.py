"""Analytics functions on hand-computed examples."""

import pytest

from elearn.trainer.analytics import (
    MIN_RESPONSES,
    discrimination,
    facility,
    funnel,
    item_stats,
    point_biserial,
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
