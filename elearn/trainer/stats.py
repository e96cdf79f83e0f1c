"""Paired before/after statistics for a cohort: gain with its 95 % confidence interval,
normalised gain and the paired effect size. Pure functions on numbers, standard library only.

Definitions (also explained to trainers on the summary page and in the README):

- Only learners with both a before and an after value count (a *pair*); learners with only one
  of the two are counted separately and left out of every figure.
- *Mean gain* is the mean of the paired differences after - before. Its 95 % confidence
  interval is mean ± t(0.975, n-1) · sd / √n, with sd the sample standard deviation (n-1) of
  the differences and t the Student t quantile (table for 1-30 degrees of freedom, a
  Cornish-Fisher expansion above that; see :func:`t_critical`).
- *Normalised gain* is Hake's class-average gain: (mean after - mean before) / (maximum - mean
  before), the share of the possible improvement that the group realised. Averaging the
  individual gains instead would let one learner who started near the maximum swing the result,
  and is undefined for a learner who started at the maximum. Undefined (None) when the mean
  before is the maximum.
- *Cohen's d_z* is the mean difference divided by the standard deviation of the differences.
- With fewer than two pairs there is no spread, so no interval and no d_z. When every
  difference is the same (zero spread) the interval is that single value and d_z is undefined
  (a division by zero): reported as None, with :attr:`PairedGain.no_spread` set.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from statistics import NormalDist, fmean, stdev

#: below this many pairs the summary says "too few" instead of drawing a chart
MIN_PAIRS = 5

#: two-sided 95 % critical values of Student's t, t(0.975, df) for df = 1..30
T_975 = (
    12.7062,
    4.3027,
    3.1824,
    2.7764,
    2.5706,
    2.4469,
    2.3646,
    2.3060,
    2.2622,
    2.2281,
    2.2010,
    2.1788,
    2.1604,
    2.1448,
    2.1314,
    2.1199,
    2.1098,
    2.1009,
    2.0930,
    2.0860,
    2.0796,
    2.0739,
    2.0687,
    2.0639,
    2.0595,
    2.0555,
    2.0518,
    2.0484,
    2.0452,
    2.0423,
)


def t_critical(df: int, confidence: float = 0.95) -> float:
    """The two-sided critical value of Student's t for ``df`` degrees of freedom.

    For 95 % and df <= 30 the value comes from the table :data:`T_975` (four decimals); otherwise
    from the Cornish-Fisher expansion of the t quantile around the normal one (Abramowitz and
    Stegun 26.7.5), accurate to better than 0.001 from df = 10 on. Raises ValueError for df < 1.
    """
    if df < 1:
        raise ValueError("t needs at least one degree of freedom")
    if confidence == 0.95 and df <= len(T_975):
        return T_975[df - 1]
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    g1 = (z**3 + z) / 4
    g2 = (5 * z**5 + 16 * z**3 + 3 * z) / 96
    g3 = (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / 384
    g4 = (79 * z**9 + 776 * z**7 + 1482 * z**5 - 1920 * z**3 - 945 * z) / 92160
    return z + g1 / df + g2 / df**2 + g3 / df**3 + g4 / df**4


@dataclass(frozen=True)
class PairedGain:
    """Before/after figures over the learners who have both values."""

    n: int  #: pairs (learners with a before and an after value)
    maximum: float  #: top of the scale (100 for percentages, 5 for the scale)
    mean_pre: float | None
    mean_post: float | None
    mean_gain: float | None  #: mean of the paired differences after - before
    sd_gain: float | None  #: sample standard deviation of the differences (n >= 2)
    ci: tuple[float, float] | None  #: 95 % confidence interval of the mean gain (n >= 2)
    normalised_gain: float | None  #: Hake: (mean post - mean pre) / (maximum - mean pre)
    d_z: float | None  #: mean gain / sd of the differences (None when sd is 0)
    only_pre: int = 0  #: learners with a before value only
    only_post: int = 0  #: learners with an after value only

    @property
    def enough(self) -> bool:
        """Whether there are enough pairs to show a chart (:data:`MIN_PAIRS`)."""
        return self.n >= MIN_PAIRS

    @property
    def no_spread(self) -> bool:
        """Every learner changed by exactly the same amount (d_z undefined)."""
        return self.sd_gain == 0


def paired_gain(pre: Mapping[Hashable, float], post: Mapping[Hashable, float], maximum: float) -> PairedGain:
    """Statistics of the learners present in both ``pre`` and ``post`` (learner -> value)."""
    keys = [k for k in pre if k in post]
    only_pre = sum(1 for k in pre if k not in post)
    only_post = sum(1 for k in post if k not in pre)
    n = len(keys)
    if n == 0:
        return PairedGain(0, maximum, None, None, None, None, None, None, None, only_pre, only_post)
    before = [float(pre[k]) for k in keys]
    after = [float(post[k]) for k in keys]
    diffs = [a - b for a, b in zip(after, before)]
    mean_pre, mean_post, mean_gain = fmean(before), fmean(after), fmean(diffs)
    normalised = (mean_post - mean_pre) / (maximum - mean_pre) if mean_pre < maximum else None
    sd = ci = d_z = None
    if n >= 2:
        sd = stdev(diffs)
        if math.isclose(sd, 0.0, abs_tol=1e-12):
            sd = 0.0
        half = t_critical(n - 1) * sd / math.sqrt(n)
        ci = (mean_gain - half, mean_gain + half)
        d_z = mean_gain / sd if sd > 0 else None
    return PairedGain(n, maximum, mean_pre, mean_post, mean_gain, sd, ci, normalised, d_z, only_pre, only_post)


def counted_paired_gain(counts: Mapping[tuple[float | None, float | None], int], maximum: float) -> PairedGain:
    """:func:`paired_gain` of learners given as counts of their (before, after) values, where
    None is a missing value: the figures are those of the learners the counts stand for."""
    pre: dict[int, float] = {}
    post: dict[int, float] = {}
    learners = itertools.count()
    for (before, after), count in counts.items():
        for _ in range(count):
            learner = next(learners)
            if before is not None:
                pre[learner] = before
            if after is not None:
                post[learner] = after
    return paired_gain(pre, post, maximum)
