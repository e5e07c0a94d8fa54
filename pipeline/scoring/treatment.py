"""Imputation and outlier treatment of a cross-section (units x indicators), each treated value flagged.

Outliers follow COINr's default rule (COINr 1.1.14 ``Treat``: ``winsorise``, ``check_SkewKurt``, ``log_CT``):
an indicator fails when |skewness| >= 2 and kurtosis >= 3.5 (sample skewness and excess kurtosis, e1071 type 2);
a failing indicator has its highest (positive skew) or lowest values winsorised, one value at a time, up to 5
points while it fails; if it still fails, the original values are log-transformed instead, ``log(x - min + 0.01
(max - min))``. Indicators with fewer than 4 values are left as they are.
"""

from __future__ import annotations

import warnings

import numpy as np


def skewness(x: np.ndarray) -> float:
    """Sample skewness (e1071 type 2, Excel's SKEW), NaN-ignoring."""
    x = x[~np.isnan(x)]
    n = x.size
    d = x - x.mean()
    m2 = (d**2).sum()
    if n < 3 or m2 == 0:
        return 0.0
    return float(np.sqrt(n) * (d**3).sum() / m2**1.5 * np.sqrt(n * (n - 1)) / (n - 2))


def kurtosis(x: np.ndarray) -> float:
    """Sample excess kurtosis (e1071 type 2, Excel's KURT), NaN-ignoring."""
    x = x[~np.isnan(x)]
    n = x.size
    d = x - x.mean()
    m2 = (d**2).sum()
    if n < 4 or m2 == 0:
        return 0.0
    r = n * (d**4).sum() / m2**2
    return float(((n + 1) * (r - 3) + 6) * (n - 1) / ((n - 2) * (n - 3)))


def _passes(x: np.ndarray, skew: float, kurt: float) -> bool:
    return abs(skewness(x)) < skew or kurtosis(x) < kurt


def treat_outliers(
    x: np.ndarray, method: str = "coinr", *, winsor_max: int = 5, skew: float = 2.0, kurt: float = 3.5
) -> tuple[np.ndarray, list[str]]:
    """Treated copy of ``x`` and a flag per value ("" untreated, "winsorised high/low", "log").

    ``method``: ``coinr`` (winsorise, then log if still failing), ``winsorise`` (winsorise only), ``log`` (log
    if failing), ``none``.

    >>> x = np.array([1.0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 30, 100])
    >>> t, flags = treat_outliers(x)
    >>> t[-2:].tolist(), flags[-2:]  # 100 -> 30, after which the skewness and kurtosis pass
    ([30.0, 30.0], ['', 'winsorised high'])
    """
    x = np.asarray(x, dtype=float).copy()
    flags = [""] * x.size
    if method == "none" or (~np.isnan(x)).sum() < 4 or _passes(x, skew, kurt):
        return x, flags
    original = x.copy()
    if method in ("coinr", "winsorise"):
        n = 0
        while n < winsor_max and not _passes(x, skew, kurt):
            high = skewness(x) >= 0
            target = np.nanmax(x) if high else np.nanmin(x)
            at = np.flatnonzero(x == target)
            rest = np.delete(x, at)
            if np.isnan(rest).all():
                break
            x[at] = np.nanmax(rest) if high else np.nanmin(rest)
            n = int(((x == x[at[0]]) & (original != x)).sum())
            for i in at:
                flags[i] = "winsorised high" if high else "winsorised low"
        if method == "winsorise" or _passes(x, skew, kurt):
            return x, flags
    lo, hi = np.nanmin(original), np.nanmax(original)
    logged = np.log(original - lo + 0.01 * (hi - lo))
    return logged, ["" if np.isnan(v) else "log" for v in original]


def impute(
    x: np.ndarray,
    method: str,
    *,
    groups: np.ndarray | None = None,
    neighbours: int = 5,
    seed: int = 0,
) -> np.ndarray:
    """Cross-section imputation of a units x indicators matrix (``locf`` is done on the panel, see ``impute_panel``).

    ``mean``/``median`` per column; ``group_mean``/``group_median`` within ``groups`` (a group with no value stays
    missing); ``knn`` (scikit-learn KNNImputer on min-max scaled columns) and ``iterative`` (IterativeImputer,
    seeded) use the other indicators of the unit.

    >>> x = np.array([[1.0, 10.0], [3.0, np.nan], [np.nan, 30.0], [5.0, 50.0]])
    >>> impute(x, "mean")[:, 0].tolist(), impute(x, "mean")[:, 1].tolist()
    ([1.0, 3.0, 3.0, 5.0], [10.0, 30.0, 30.0, 50.0])
    >>> impute(x, "group_mean", groups=np.array(["a", "a", "b", "b"]))[:, 0].tolist()
    [1.0, 3.0, 5.0, 5.0]
    """
    x = np.asarray(x, dtype=float)
    if method in ("none", "locf") or not np.isnan(x).any():
        return x.copy()
    out = x.copy()
    if method in ("mean", "median", "group_mean", "group_median"):
        stat = np.nanmedian if method.endswith("median") else np.nanmean
        labels = groups if method.startswith("group_") else np.zeros(x.shape[0])
        if labels is None:
            raise ValueError(f"{method} imputation needs groups")
        keys = [g for g in dict.fromkeys(np.asarray(labels).tolist()) if g is not None and g == g]
        for g in keys:
            rows = np.array([v == g for v in np.asarray(labels).tolist()])
            block = out[rows]
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                fill = stat(block, axis=0)
            out[rows] = np.where(np.isnan(block), fill, block)
        return out
    usable = ~np.isnan(x).all(axis=0)
    if usable.sum() < 2 or x.shape[0] < 3:
        return out
    sub = x[:, usable]
    lo, span = np.nanmin(sub, axis=0), np.nanmax(sub, axis=0) - np.nanmin(sub, axis=0)
    span = np.where(span > 0, span, 1.0)
    scaled = (sub - lo) / span
    if method == "knn":
        from sklearn.impute import KNNImputer

        filled = KNNImputer(n_neighbors=min(neighbours, x.shape[0] - 1)).fit_transform(scaled)
    elif method == "iterative":
        from sklearn.experimental import enable_iterative_imputer  # noqa: F401
        from sklearn.impute import IterativeImputer

        filled = IterativeImputer(random_state=seed, max_iter=10).fit_transform(scaled)
    else:
        raise ValueError(f"unknown imputation {method!r}")
    out[:, usable] = filled * span + lo
    return out


def carry_forward(x: np.ndarray, unit_index: np.ndarray, year: np.ndarray) -> np.ndarray:
    """Last observation carried forward within each unit (rows of a panel, any order).

    >>> x = np.array([[1.0], [np.nan], [np.nan], [7.0]])
    >>> carry_forward(x, np.array([0, 0, 1, 1]), np.array([2020, 2021, 2020, 2021]))[:, 0].tolist()
    [1.0, 1.0, nan, 7.0]
    """
    out = np.asarray(x, dtype=float).copy()
    order = np.lexsort((year, unit_index))
    last: dict[tuple[int, int], float] = {}
    for r in order:
        for c in range(out.shape[1]):
            key = (int(unit_index[r]), c)
            if np.isnan(out[r, c]):
                if key in last:
                    out[r, c] = last[key]
            else:
                last[key] = out[r, c]
    return out
