"""Weights: equal, manual, or from principal components / factor analysis (OECD/JRC Handbook 2008, section 6.1).

The Handbook's PCA/FA weights: standardise the indicators, extract the factors (principal components of the
correlation matrix, or maximum-likelihood factor analysis), keep those that each explain more than 10% of the
variance (at least until 60% is explained cumulatively), rotate them (varimax), assign every indicator to the factor
on which it loads most, and weight it by its squared rotated loading on that factor. This reproduces the Handbook's
Table 18 (PC column) on the TAI data: its weights are the squared loadings divided by their sum.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl


@dataclass(frozen=True)
class FactorSolution:
    """Eigenvalues of the correlation matrix, rotated loadings (indicators x factors) and the resulting weights."""

    eigenvalues: np.ndarray
    loadings: np.ndarray
    explained: np.ndarray  # variance explained by each rotated factor (sum of its squared loadings)
    weights: np.ndarray


def pca_weights(values: np.ndarray | pl.DataFrame, *, method: str = "pca", n_factors: int | None = None) -> np.ndarray:
    """Weights summing to 1 for the columns of ``values`` (OECD/JRC Handbook 2008, section 6.1, Tables 16-18).

    Parameters
    ----------
    values
        Rows of units, columns of (normalised) indicators; rows with a missing value are left out.
    method
        ``pca`` (principal components of the correlation matrix) or ``fa`` (maximum-likelihood factor analysis,
        scikit-learn).
    n_factors
        Factors to keep; by default those explaining more than 10% of the variance each, and enough for 60%.

    Returns
    -------
    numpy.ndarray
        Each indicator's squared varimax-rotated loading on its dominant factor, rescaled to sum to 1.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> f = rng.normal(size=(200, 1))
    >>> x = np.hstack([f + 0.2 * rng.normal(size=(200, 2)), f + 1.0 * rng.normal(size=(200, 1))])
    >>> w = pca_weights(x, n_factors=1)
    >>> bool(w[2] < min(w[0], w[1])), round(float(w.sum()), 6)  # the noisier indicator weighs less
    (True, 1.0)
    """
    return factor_solution(values, method=method, n_factors=n_factors).weights


def factor_solution(values: np.ndarray | pl.DataFrame, *, method: str = "pca", n_factors: int | None = None
                    ) -> FactorSolution:
    """The full PCA (``method="pca"``) or maximum-likelihood factor analysis (``"fa"``, scikit-learn) solution."""
    x = values.to_numpy().astype(float) if isinstance(values, pl.DataFrame) else np.asarray(values, dtype=float)
    x = x[~np.isnan(x).any(axis=1)]
    if x.shape[0] < 3 or x.shape[1] < 2:
        raise ValueError("PCA weights need at least 3 complete rows and 2 indicators")
    sd = x.std(axis=0, ddof=1)
    if (sd == 0).any():
        raise ValueError("PCA weights need indicators that vary")
    z = (x - x.mean(axis=0)) / sd
    corr = np.corrcoef(z, rowvar=False)
    eig, vec = np.linalg.eigh(corr)
    order = eig.argsort()[::-1]
    eig, vec = eig[order], vec[:, order]
    k = n_factors or retained_factors(eig)
    if method == "pca":
        loadings = vec[:, :k] * np.sqrt(np.clip(eig[:k], 0, None))
    elif method == "fa":
        from sklearn.decomposition import FactorAnalysis

        loadings = FactorAnalysis(n_components=k, random_state=0).fit(z).components_.T
    else:
        raise ValueError(f"unknown weighting method {method!r}")
    rotated = varimax(loadings) if k > 1 else loadings
    rotated = rotated * np.where(rotated.sum(axis=0) < 0, -1.0, 1.0)  # a factor's sign is arbitrary
    return FactorSolution(eig, rotated, (rotated**2).sum(axis=0), weights_from_loadings(rotated))


def weights_from_loadings(loadings: np.ndarray) -> np.ndarray:
    """Each indicator's squared loading on the factor it loads most on, rescaled to sum to 1.

    This equals the Handbook's two-step rule (squared loadings scaled to unity sum within each factor, times the
    factor's share of the explained variance) with every indicator assigned to its highest-loading factor.

    >>> weights_from_loadings(np.array([[0.9, 0.1], [0.2, 0.6], [0.5, 0.5]])).round(3).tolist()  # 0.81 : 0.36 : 0.25
    [0.57, 0.254, 0.176]
    """
    loadings = np.asarray(loadings, dtype=float)
    top = np.abs(loadings).argmax(axis=1)
    squared = loadings[np.arange(len(top)), top] ** 2
    return squared / squared.sum()


def retained_factors(eigenvalues: np.ndarray) -> int:
    """Factors each explaining more than 10% of the variance, and as many as needed to explain 60% (Handbook 6.1).

    >>> retained_factors(np.array([3.35, 1.75, 0.98, 0.89, 0.47, 0.30, 0.17, 0.08]))
    4
    """
    share = eigenvalues / eigenvalues.sum()
    k = int((share > 0.10).sum())
    need = int(np.searchsorted(np.cumsum(share), 0.60) + 1)
    return max(1, k, min(need, len(share)))


def varimax(loadings: np.ndarray, *, normalize: bool = True, tol: float = 1e-10, max_iter: int = 1000) -> np.ndarray:
    """Varimax rotation of a loading matrix (Kaiser 1958, with Kaiser normalisation, as R's ``stats::varimax``)."""
    p, k = loadings.shape
    h = np.sqrt((loadings**2).sum(axis=1)) if normalize else np.ones(p)
    a = loadings / np.where(h > 0, h, 1)[:, None]
    rot, crit = np.eye(k), 0.0
    for _ in range(max_iter):
        b = a @ rot
        u, s, vt = np.linalg.svd(a.T @ (b**3 - b @ np.diag((b**2).sum(axis=0)) / p))
        rot = u @ vt
        if s.sum() < crit * (1 + tol):
            break
        crit = s.sum()
    return (a @ rot) * h[:, None]


def level_weights(base: np.ndarray, parents: list[str], how: str, data: np.ndarray | None = None) -> np.ndarray:
    """Weights of children within their parent, normalised to sum to 1 within each parent.

    ``how``: ``manual`` (``base``), ``equal``, or ``pca`` / ``fa`` (estimated per parent from ``data``, rows of
    children values; a parent with a single child, or too little data, falls back to equal weights).

    >>> level_weights(np.array([1.0, 3.0, 2.0]), ["a", "a", "b"], "manual").tolist()
    [0.25, 0.75, 1.0]
    >>> level_weights(np.array([1.0, 3.0, 2.0]), ["a", "a", "b"], "equal").tolist()
    [0.5, 0.5, 1.0]
    """
    w = np.ones_like(base, dtype=float) if how == "equal" else np.asarray(base, dtype=float).copy()
    parents_arr = np.asarray(parents)
    for p in dict.fromkeys(parents):
        idx = np.flatnonzero(parents_arr == p)
        if how in ("pca", "fa") and data is not None and len(idx) > 1:
            try:
                w[idx] = pca_weights(data[:, idx], method=how)
            except (ValueError, np.linalg.LinAlgError):
                w[idx] = 1.0
        total = w[idx].sum()
        w[idx] = w[idx] / total if total > 0 else 1.0 / len(idx)
    return w
