"""Normalisation: bring indicators onto a common scale, direction applied first (OECD/JRC Handbook 2008, step 5).

Every method compares a value with a *reference* set (by default the values themselves: the units of the same
year). Passing another reference (last year's values) measures a unit's own movement on a fixed scale, which the
change explanation uses. Missing values stay missing and are left out of the reference.
"""

from __future__ import annotations

import numpy as np
import polars as pl

ArrayLike = np.ndarray | pl.Series | list


def normalise(
    values: ArrayLike,
    method: str = "minmax",
    *,
    direction: int = 1,
    reference: ArrayLike | None = None,
    low: float = 0.0,
    high: float = 100.0,
    scale: float = 100.0,
    goalposts: tuple[float, float] | None = None,
    target: float | None = None,
) -> np.ndarray | pl.Series:
    """Normalised values of one indicator across units.

    Parameters
    ----------
    values
        The indicator's values (a polars Series gives a Series back, anything else a numpy array); missing values
        stay missing.
    method
        One of the methods below.
    direction
        1 when higher is better, -1 when lower is better; applied before normalising.
    reference
        The values that define the scale (default: ``values``).
    low, high
        The min-max range.
    scale
        Multiplier of the ratio methods (percentile, goalposts, distances, ratio to mean).
    goalposts
        ``(low, high)`` in the indicator's unit for ``goalposts``; truncation bounds for ``none``.
    target
        The target for ``distance_to_target``.

    Returns
    -------
    numpy.ndarray or polars.Series

    Notes
    -----
    Methods (``v = direction * x``, statistics over the reference ``r``; Handbook section 5 and Table 15):

    - ``minmax``: ``(v - min r) / (max r - min r) * (high - low) + low``; a constant reference gives the midpoint.
    - ``zscore``: ``(v - mean r) / sd r`` with the sample sd (n - 1); a constant reference gives 0.
    - ``rank``: 1 + the number of reference values below ``v`` (ties share the lowest rank; the best gets n).
    - ``percentile``: ``rank / n * scale`` (Handbook Table 15's percentile column).
    - ``goalposts``: ``(x - lo) / (hi - lo)`` (``(hi - x) / (hi - lo)`` for direction -1), capped to [0, 1], times
      ``scale`` (UNDP HDI).
    - ``distance_to_target``: ``(v - min r) / (direction * target - min r)`` capped to [0, 1], times ``scale``
      (COINr's n_dist2targ with cap_max); reaching the target scores the full scale.
    - ``distance_to_best``: ``x / max r`` (``min r / x`` for direction -1) times ``scale``: the ratio to the best
      unit (Handbook Table 15, "distance to reference country, c = best").
    - ``ratio_to_mean``: ``x / mean r`` (``mean r / x`` for direction -1) times ``scale``.
    - ``none``: the value itself, truncated to ``goalposts`` when given (WEF GGGI's equality benchmarks).

    References
    ----------
    OECD/JRC (2008), Handbook on Constructing Composite Indicators, section 5 and Table 15; UNDP (2022), HDI
    technical notes; WEF (2023), Global Gender Gap Report, methodology.

    Examples
    --------
    >>> x = pl.Series("x", [2.0, 4.0, 6.0, None])
    >>> normalise(x, "minmax").to_list()
    [0.0, 50.0, 100.0, None]
    >>> normalise(x, "minmax", direction=-1).to_list()
    [100.0, 50.0, 0.0, None]
    >>> normalise(np.array([3.0, 1.0, 3.0, 2.0]), "rank").tolist()
    [3.0, 1.0, 3.0, 2.0]
    >>> normalise(np.array([5.0, 5.0]), "minmax").tolist()  # a constant column is defined: the midpoint
    [50.0, 50.0]
    >>> normalise(np.array([10.0, 50.0, 90.0]), "goalposts", goalposts=(20, 85), scale=1).round(3).tolist()
    [0.0, 0.462, 1.0]
    """
    series = values if isinstance(values, pl.Series) else None
    x = _array(values)
    ref = x if reference is None else _array(reference)
    out = _normalise(x, ref, method, direction, low, high, scale, goalposts, target)
    if series is not None:
        return pl.Series(series.name, out, dtype=pl.Float64).fill_nan(None)
    return out


def _array(values: ArrayLike) -> np.ndarray:
    if isinstance(values, pl.Series):
        return values.cast(pl.Float64).fill_null(np.nan).to_numpy().astype(float)
    return np.asarray(values, dtype=float)


def _normalise(x, ref, method, direction, low, high, scale, goalposts, target) -> np.ndarray:  # noqa: C901
    r = ref[~np.isnan(ref)]
    v, rv = x * direction, r * direction
    with np.errstate(divide="ignore", invalid="ignore"):
        if method == "none":
            out = x.copy()
            if goalposts is not None:
                out = np.clip(out, goalposts[0], goalposts[1])
            return out
        if r.size == 0:
            return np.full_like(x, np.nan)
        if method == "minmax":
            lo, hi = rv.min(), rv.max()
            if hi == lo:
                return np.where(np.isnan(x), np.nan, (low + high) / 2)
            return (v - lo) / (hi - lo) * (high - low) + low
        if method == "zscore":
            sd = rv.std(ddof=1) if rv.size > 1 else 0.0
            if sd == 0:
                return np.where(np.isnan(x), np.nan, 0.0)
            return (v - rv.mean()) / sd
        if method in ("rank", "percentile"):
            srt = np.sort(rv)
            rank = np.searchsorted(srt, v, side="left") + 1.0
            rank = np.where(np.isnan(x), np.nan, rank)
            return rank if method == "rank" else rank / srt.size * scale
        if method == "goalposts":
            if goalposts is None:
                raise ValueError("goalposts normalisation needs goalposts = [low, high]")
            lo, hi = goalposts
            share = (x - lo) / (hi - lo) if direction == 1 else (hi - x) / (hi - lo)
            return np.clip(share, 0, 1) * scale
        if method == "distance_to_target":
            if target is None:
                raise ValueError("distance_to_target normalisation needs a target")
            lo, t = rv.min(), target * direction
            if t <= lo:
                return np.where(np.isnan(x), np.nan, scale)
            return np.clip((v - lo) / (t - lo), 0, 1) * scale
        if method == "distance_to_best":
            return (x / r.max() if direction == 1 else r.min() / x) * scale
        if method == "ratio_to_mean":
            return (x / r.mean() if direction == 1 else r.mean() / x) * scale
    raise ValueError(f"unknown normalisation {method!r}")
