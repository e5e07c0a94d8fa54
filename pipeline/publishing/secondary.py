"""Secondary suppression by Gaussian elimination (issue 17; Langsrud 2024, "Secondary Cell Suppression by Gaussian
Elimination", PSD 2024, doi:10.1007/978-3-031-69651-0_6; the algorithm of SSBtools::GaussSuppression).

A table's published cells are sums of its inner cells: ``x`` (inner cells x published cells, 0/1) says which inner
cells each published cell adds up, so that ``published = x.T @ inner``. A primary cell is disclosed when its column
of ``x`` lies in the span of the columns published. The candidates (every other cell, in the order of
:func:`candidates_default`: large cells first) are taken one by one: a candidate whose publication would put a primary
column in that span is suppressed instead (secondary); any other is published and its column, reduced by those
before it, becomes a pivot. Whether a primary column lies in a span does not depend on the pivots chosen, so the
result depends only on the primary cells and the order of the candidates.

This is the algorithm without GaussSuppression's singleton handling (``singleton = NULL``, ``singletonMethod =
"none"``), which is what its golden tests here compare (tests/test_disclosure_secondary.py); singletons (a cell
whose only contributor could subtract itself) are the next part of issue 17.
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
                    hidden: Sequence[bool] | None = None, tol: float = 1e-9) -> np.ndarray:
    """The secondary suppressions (a boolean per cell) that keep every primary cell's column out of the span of the
    published columns. ``candidates``: the cells to try, in order (default: column order, as SSBtools'
    ``GaussSuppression``); primary and ``hidden`` cells are never published. A primary cell already determined by
    nothing (an all-zero column: an empty cell) cannot be protected and is left as it is."""
    x = np.asarray(x, dtype=float)
    n_inner, n_cells = x.shape
    primary = np.asarray(primary, dtype=bool)
    hidden = np.zeros(n_cells, dtype=bool) if hidden is None else np.asarray(hidden, dtype=bool)
    order = list(range(n_cells)) if candidates is None else list(candidates)
    # Gauss-Jordan: pivot k has 1 at its row rows[k] and 0 at every other pivot's row, so one product reduces a column
    pivots = np.zeros((min(n_inner, n_cells), n_inner))
    rows: list[int] = []
    protected = x[:, primary].T.copy()
    protected = protected[np.abs(protected).max(axis=1, initial=0.0) > tol]  # an empty cell: nothing to protect
    secondary = np.zeros(n_cells, dtype=bool)
    for j in order:
        if primary[j] or hidden[j]:
            continue
        k = len(rows)
        w = x[:, j].copy()
        if k:
            at = x[rows, j]
            nz = np.flatnonzero(at)  # the pivots whose rows the column touches
            if len(nz):
                w -= pivots[nz].T @ at[nz]
        r = int(np.argmax(np.abs(w)))
        if abs(w[r]) <= tol:
            continue  # already determined by what is published: publishing it adds nothing
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
