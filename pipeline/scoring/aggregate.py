"""Aggregation: combine children scores into their parent with weights renormalised over the present children.

All functions work along the last axis of numpy arrays, so one call aggregates every unit (and every Monte Carlo
sample) at once. A missing child drops out and the weights of the present ones are rescaled to sum to 1; when the
present weight is below ``min_coverage`` of the total, or nothing is present, the result is missing.
"""

from __future__ import annotations

import numpy as np
import polars as pl


def aggregate(
    values: np.ndarray | pl.DataFrame,
    weights: np.ndarray | list[float] | None = None,
    method: str = "arithmetic",
    *,
    power: float = 1.0,
    min_coverage: float = 0.0,
) -> np.ndarray | pl.Series:
    """Weighted aggregate of the last axis (of each row of a polars frame, returning a Series).

    Parameters
    ----------
    values
        Children scores, units (and samples) x children; a polars frame aggregates each row over its columns.
    weights
        Relative weights of the children (broadcast against ``values``); equal when omitted.
    method
        ``arithmetic``, ``geometric``, ``harmonic``, ``generalised`` or ``mazziotta_pareto`` (below).
    power
        Exponent p of the generalised mean.
    min_coverage
        Share of the total weight the present children must carry for a result.

    Returns
    -------
    numpy.ndarray or polars.Series
        NaN (null) where nothing is present or the coverage is too low.

    Notes
    -----
    - ``arithmetic``: ``sum w x``
    - ``geometric``: ``prod x^w`` (strictly positive inputs; a 0 gives 0, a negative value gives null)
    - ``harmonic``: ``1 / sum (w / x)`` (same domain as geometric)
    - ``generalised``: ``(sum w x^p)^(1/p)`` with ``power`` p (p = 1 arithmetic, 0 geometric, -1 harmonic)
    - ``mazziotta_pareto``: ``M - S * S / M`` with M the weighted mean and S the weighted standard deviation of the
      unit's values: the mean penalised by the unevenness of the profile (Mazziotta & Pareto 2016, the negative
      polarity MPI⁻ for indicators where higher is better).

    with ``w`` the weights renormalised over the present values.

    References
    ----------
    OECD/JRC (2008), Handbook on Constructing Composite Indicators, section 6; Mazziotta, M. and Pareto, A. (2016),
    On a generalized non-compensatory composite index for measuring socio-economic phenomena, Social Indicators
    Research 127, 983-1003.

    Examples
    --------
    >>> x = np.array([[40.0, 60.0], [50.0, 50.0], [80.0, np.nan]])
    >>> aggregate(x, [1, 1]).tolist()
    [50.0, 50.0, 80.0]
    >>> aggregate(x, [1, 1], min_coverage=1.0).tolist()  # the third unit lacks half the weight: no score
    [50.0, 50.0, nan]
    >>> aggregate(x, [1, 1], "geometric").round(3).tolist()
    [48.99, 50.0, 80.0]
    >>> aggregate(x, [1, 1], "mazziotta_pareto").round(3).tolist()  # the uneven unit is penalised: 50 - 10*10/50
    [48.0, 50.0, 80.0]
    >>> aggregate(pl.DataFrame({"a": [1.0, 2.0], "b": [3.0, None]}), [3, 1]).to_list()
    [1.5, 2.0]
    """
    if isinstance(values, pl.DataFrame):
        x = values.cast(pl.Float64).fill_null(np.nan).to_numpy().astype(float)
        w = np.ones(x.shape[-1]) if weights is None else np.asarray(weights, dtype=float)
        out = aggregate(x, w, method, power=power, min_coverage=min_coverage)
        return pl.Series("aggregate", out).fill_nan(None)
    x = np.asarray(values, dtype=float)
    w = np.ones(x.shape[-1]) if weights is None else np.asarray(weights, dtype=float)
    w = np.broadcast_to(w, x.shape)
    present = ~np.isnan(x)
    wp = np.where(present, w, 0.0)
    total, have = w.sum(-1), wp.sum(-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        wn = wp / have[..., None]
        xz = np.where(present, x, 0.0)
        if method == "arithmetic" or (method == "generalised" and power == 1):
            out = (wn * xz).sum(-1)
        elif method == "geometric" or (method == "generalised" and power == 0):
            out = _positive_mean(xz, wn, present, lambda v: np.log(v), np.exp)
        elif method == "harmonic" or (method == "generalised" and power == -1):
            out = _positive_mean(xz, wn, present, lambda v: 1 / v, lambda s: 1 / s)
        elif method == "generalised":
            out = _positive_mean(xz, wn, present, lambda v: v**power, lambda s: s ** (1 / power))
        elif method == "mazziotta_pareto":
            mean = (wn * xz).sum(-1)
            sd = np.sqrt((wn * (xz - mean[..., None]) ** 2 * present).sum(-1))
            out = np.where(mean != 0, mean - sd * sd / mean, mean)
        else:
            raise ValueError(f"unknown aggregation {method!r}")
        ok = (have > 0) & (have >= min_coverage * total - 1e-12)
    return np.where(ok, out, np.nan)


def _positive_mean(x, wn, present, fwd, back) -> np.ndarray:
    """A quasi-arithmetic mean over positive values: 0 if any present value is 0, null if any is negative."""
    neg = (present & (x < 0)).any(-1)
    zero = (present & (x == 0)).any(-1)
    safe = np.where(present & (x > 0), x, 1.0)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        out = back((wn * np.where(present, fwd(safe), 0.0)).sum(-1))
    return np.where(neg, np.nan, np.where(zero, 0.0, out))


def renormalised(weights: np.ndarray, present: np.ndarray) -> np.ndarray:
    """Weights rescaled to sum to 1 over the present children (0 for the missing), along the last axis.

    >>> renormalised(np.array([1.0, 1.0, 2.0]), np.array([True, False, True])).tolist()
    [0.3333333333333333, 0.0, 0.6666666666666666]
    """
    wp = np.where(present, weights, 0.0)
    s = wp.sum(-1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(s > 0, wp / s, 0.0)
