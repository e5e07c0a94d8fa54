"""Secondary suppression by Gaussian elimination (issue 17; Langsrud 2024, "Secondary Cell Suppression by Gaussian
Elimination", PSD 2024, doi:10.1007/978-3-031-69651-0_6; the algorithm of SSBtools::GaussSuppression).

A table's published cells are sums of its inner cells: ``x`` (inner cells x published cells, 0/1) says which inner
cells each published cell adds up, so that ``published = x.T @ inner``. A primary cell is disclosed when its column
of ``x`` lies in the span of the columns published. The candidates (every other cell, in the order of
:func:`candidates_default`: large cells first) are taken one by one: a candidate whose publication would put a primary
column in that span is suppressed instead (secondary); any other is published and its column, reduced by those
before it, becomes a pivot. Whether a primary column lies in a span does not depend on the pivots chosen, so
without singletons the result depends only on the primary cells and the order of the candidates.

Singletons (an inner cell of one contributor, who knows its own value and may subtract it from a published sum)
are handled as GaussSuppression does by default (``singletonMethod = "anySum"``), which pivots on a column's
first row with the singletons last: see :func:`gauss_secondary`. The golden tests (tests/test_disclosure_secondary.py,
tests/test_disclosure_singletons.py) run GaussSuppressionFromData's documented examples with their default singleton
handling and without it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import polars as pl

TOTAL = "Total"


def cell_matrix(inner: pl.DataFrame, cells: pl.DataFrame, dims: Sequence[str], *, total: str = TOTAL,
                levels: dict[str, Sequence[str]] | None = None) -> np.ndarray:
    """``x``: for each published cell (a row of ``cells``: a value per dimension, ``total`` for "all"), which rows of
    ``inner`` it adds up (inner rows x cells, 0/1). ``levels``: a dimension whose values are codes of several
    levels of a hierarchy (a region, its prefecture, its zone) names the inner columns holding each level; a cell's
    code matches an inner row holding it at any level (the levels' codes must not overlap)."""
    levels = levels or {}
    out = np.zeros((inner.height, cells.height))
    columns = {d: [np.asarray(inner.get_column(c).cast(pl.String).to_list(), dtype=object)
                   for c in levels.get(d, [d])] for d in dims}
    for j, cell in enumerate(cells.select(dims).cast(pl.String).iter_rows(named=True)):
        match = np.ones(inner.height, dtype=bool)
        for d in dims:
            if cell[d] != total:
                match &= np.logical_or.reduce([col == cell[d] for col in columns[d]])
        out[match, j] = 1.0
    return out


def _freq_plus_1(freq: np.ndarray) -> np.ndarray:
    """freq + 1, but - 1 more for the non-positive results (GaussSuppression's FreqPlus1)."""
    out = freq + 1.0
    out[out <= 0] -= 1.0
    return out


def candidates_default(freq: Sequence[float], x: np.ndarray, *, secondary_zeros: bool = False,
                       weight: Sequence[float] | None = None) -> list[int]:
    """The order in which cells are tried for publication (GaussSuppression 1.2.3, ``CandidatesDefault``): by
    (freq + 1) x weight, ties broken by how much the cell overlaps the others, largest first; zeros first of all
    unless ``secondary_zeros`` (they disclose nothing when published)."""
    freq = np.asarray(freq, dtype=float)
    w = np.ones_like(freq) if weight is None else np.maximum(np.asarray(weight, dtype=float), 0.0)
    if weight is not None and w.min() == 0:
        w = w + w.max() * 1e-20
    f1w = _freq_plus_1(freq) * w
    tie = np.abs(x.T @ (x @ f1w))
    tie = tie / tie.max() if tie.max() > 0 else tie
    order_key = np.abs(f1w) + 0.99 * tie
    if not secondary_zeros:
        order_key[freq == 0] = 0.01 + order_key.max() + order_key[freq == 0]
    return [int(i) for i in np.argsort(-order_key, kind="stable")]  # R's order(decreasing = TRUE): stable


def gauss_secondary(x: np.ndarray, primary: Sequence[bool], candidates: Sequence[int] | None = None, *,
                    hidden: Sequence[bool] | None = None, singleton: Sequence[bool] | None = None,
                    singleton_method: str = "anySum", tol: float = 1e-9) -> np.ndarray:
    """The secondary suppressions (a boolean per cell) that keep every primary cell's column out of the span of the
    published columns. ``candidates``: the cells to try, in order (default: column order, as SSBtools'
    ``GaussSuppression``); primary and ``hidden`` cells are never published. A primary cell already determined by
    nothing (an all-zero column: an empty cell) cannot be protected and is left as it is.

    ``singleton``: per inner cell, whether it is a singleton (one contributor, who knows its own value; in a
    frequency table GaussSuppression's ``SingletonDefault`` marks the ones, or the zeros when zeros are protected).
    ``singleton_method`` (SSBtools 1.8.6 ``GaussSuppression``): ``"anySum"`` suppresses a candidate that, once
    reduced by what is published, adds up singletons only (publishing it would let one singleton work out the
    others; with mixed signs and no singleton used before such a difference is let through once), and drops the
    primary cells made of singletons only (those candidates protect them); ``"anySumNOTprimary"`` (also chosen
    when some singleton inner cell is not primary) instead treats such a sum as known, unless that gives a primary
    cell away; ``"none"`` ignores singletons. Rows are pivoted in order, singletons last, as SSBtools does: which
    candidate reduces to singletons only depends on it."""
    x = np.asarray(x, dtype=float)
    n_inner, n_cells = x.shape
    primary = np.asarray(primary, dtype=bool)
    hidden = np.zeros(n_cells, dtype=bool) if hidden is None else np.asarray(hidden, dtype=bool)
    order = list(range(n_cells)) if candidates is None else list(candidates)
    single = np.zeros(n_inner, dtype=bool) if singleton is None or singleton_method == "none" else np.asarray(
        singleton, dtype=bool)
    if singleton_method not in ("anySum", "anySumNOTprimary", "none"):
        raise ValueError(f"singleton_method {singleton_method!r}: anySum, anySumNOTprimary or none")
    not_primary = singleton_method == "anySumNOTprimary"
    nz = x != 0
    if single.any() and not not_primary:  # a singleton inner cell published: SSBtools switches (with a warning)
        alone = (nz.sum(axis=0) == 1) & (nz[single].sum(axis=0) == 1)
        not_primary = bool(alone.sum() > alone[primary].sum())
    rank = np.empty(n_inner, dtype=np.int64)
    rank[np.argsort(single, kind="stable")] = np.arange(n_inner)  # the pivot is a column's first row: singletons last
    # Gauss-Jordan: pivot k has 1 at its row rows[k] and 0 at every other pivot's row, so one product reduces a column
    pivots = np.zeros((min(n_inner, n_cells), n_inner))
    rows: list[int] = []
    keep = primary & (np.abs(x).max(axis=0, initial=0.0) > tol)  # an empty cell: nothing to protect
    if single.any() and not not_primary:  # made of singletons only: the anySum candidates protect them
        keep &= nz[~single].any(axis=0)
    protected = x[:, keep].T.copy()
    alive = np.ones(n_inner, dtype=bool)  # rows not yet known as a published sum of singletons (anySumNOTprimary)
    used = np.zeros(n_inner, dtype=bool)
    secondary = np.zeros(n_cells, dtype=bool)
    for j in order:
        if primary[j] or hidden[j]:
            continue
        k = len(rows)
        w = x[:, j].copy()
        if k:
            at = x[rows, j]
            touch = np.flatnonzero(at)  # the pivots whose rows the column touches
            if len(touch):
                w -= pivots[touch].T @ at[touch]
        w[~alive] = 0.0
        support = np.flatnonzero(np.abs(w) > tol)
        if not len(support):
            continue  # already determined by what is published: publishing it adds nothing
        r = int(support[np.argmin(rank[support])])
        if single[r]:  # every part of it is a singleton
            if len(np.unique(np.sign(w[support]))) > 1 and not used[support].any():
                used[support] = True  # a difference of singletons: let through, once per singleton
            elif not_primary:
                rest = alive.copy()
                rest[support] = False
                emptied = (np.abs(protected).max(axis=1, initial=0.0) > tol) & (
                    np.abs(protected[:, rest]).max(axis=1, initial=0.0) <= tol)
                if emptied.any():
                    secondary[j] = True  # knowing that sum would give a primary cell away
                else:
                    alive[support] = False
                    protected[:, support] = 0.0
                    pivots[:, support] = 0.0
                continue
            else:
                secondary[j] = True
                continue
        v = w / w[r]
        touched = np.flatnonzero(protected[:, r])  # only the primary columns with a part at row r change
        reduced = protected[touched] - np.outer(protected[touched, r], v)
        if len(reduced) and (np.abs(reduced).max(axis=1) <= tol).any():
            secondary[j] = True  # it would give a primary cell away
            continue
        if k:
            hit = np.flatnonzero(pivots[:k, r])
            pivots[hit] -= np.outer(pivots[hit, r], v)
        pivots[k] = v
        rows.append(r)
        protected[touched] = reduced
    return secondary


__all__ = ["TOTAL", "candidates_default", "cell_matrix", "gauss_secondary"]
