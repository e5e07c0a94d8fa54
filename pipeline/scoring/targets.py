"""Plan targets (issue 20; METHODS.md, "Cultivation tiers, targets and warnings"): how far a cluster or region is from
its target, the growth it needs each year to reach it, the growth it achieved, and where its trend leads.

- distance = target - actual (and in % of the target);
- needed growth = (target / actual) ** (1 / years left) - 1, the constant yearly rate that reaches the target;
- achieved growth: the compound annual growth rate (CAGR) = (end / start) ** (1 / years) - 1 over the years before;
- the projection to the target year: a **log-linear trend** (ordinary least squares of ln(value) on the year over
  the last years observed), i.e. a constant growth rate, the same model as the two rates above, so the three
  figures speak of the same thing; its interval is the OLS prediction interval on the log scale (Student's t,
  n - 2 degrees of freedom), taken back with exp: asymmetric, never negative. It needs three years at least, and
  says so rather than guess from fewer.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from scipy import stats


def needed_growth(actual: float | None, target: float | None, years_left: int) -> float | None:
    """The constant yearly growth from ``actual`` that reaches ``target`` in ``years_left`` years (None when it is
    undefined: a value not positive, or no year left).

    >>> round(needed_growth(100.0, 121.0, 2), 12)
    0.1
    """
    if actual is None or target is None or actual <= 0 or target <= 0 or years_left <= 0:
        return None
    return (target / actual) ** (1 / years_left) - 1


def cagr(start: float | None, end: float | None, years: int) -> float | None:
    """Compound annual growth from ``start`` to ``end`` over ``years`` years (None when undefined).

    >>> round(cagr(100.0, 133.1, 3), 12)
    0.1
    """
    if start is None or end is None or start <= 0 or end <= 0 or years <= 0:
        return None
    return (end / start) ** (1 / years) - 1


@dataclass(frozen=True)
class Projection:
    """The trend's value in ``year`` with its interval, and the trend's growth rate."""

    year: int
    value: float
    low: float
    high: float
    growth: float  # exp(slope) - 1: the trend's constant yearly growth
    n: int  # years fitted
    level: float  # the interval's coverage


def project(series: list[tuple[int, float]], year: int, *, level: float = 0.90, last: int = 5) -> Projection | None:
    """The log-linear trend of the last ``last`` positive values of ``series`` ((year, value) pairs), projected to
    ``year`` with a ``level`` prediction interval; None with fewer than three values."""
    points = sorted((y, v) for y, v in series if v is not None and v > 0)[-last:]
    n = len(points)
    if n < 3:
        return None
    xs = [float(y) for y, _ in points]
    ys = [math.log(v) for _, v in points]
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sxx
    intercept = my - slope * mx
    sse = sum((y - intercept - slope * x) ** 2 for x, y in zip(xs, ys, strict=True))
    s2 = sse / (n - 2)
    at = intercept + slope * year
    half = float(stats.t.ppf(0.5 + level / 2, n - 2)) * math.sqrt(s2 * (1 + 1 / n + (year - mx) ** 2 / sxx))
    return Projection(year, math.exp(at), math.exp(at - half), math.exp(at + half), math.exp(slope) - 1, n, level)


__all__ = ["Projection", "cagr", "needed_growth", "project"]
