"""Primary suppression: which cells of a magnitude table are confidential in themselves (issue 17; METHODS.md,
"Disclosure control"; Hundepool et al., Statistical Disclosure Control, 2012, ch. 4).

Pure functions over polars frames, no IO. A table's cells come from the records behind them: each record has a
contributor (a firm) and a value (output, employment ...). :func:`cell_contributions` sums each contributor's values
within a cell and keeps, per cell, the total, the number of contributors, the number with a non-zero value and the
largest two contributions. The rules then read those:

- **minimum frequency**: a cell with at most ``max_n`` contributors (default 2: fewer than 3) is primary;
- **dominance (n, k)**: a cell whose largest ``n`` contributions make at least ``k`` % of its total is primary, for
  each (n, k) given ((1, 85) and (2, 90) by default). *At least*, as GaussSuppression 1.2.3 (``MagnitudeRule``:
  ``prim >= k/100``) decides it; tau-ARGUS's manual says "more than": a cell exactly at k % differs between them;
- **p % rule**: a cell where the second largest contributor could estimate the largest within ``p`` % is primary:
  ``|X - x1 - x2| < p/100 * x1`` (X the total, x1 and x2 the largest contributions), as GaussSuppression's
  ``MagnitudeRule`` and Hundepool's Table 4.4.

Contributions are taken as absolute values (GaussSuppression's default ``removeCodes``-free case); a cell whose total
is zero is never dominated (nothing to disclose: ``num > 0`` in GaussSuppression's ``DominanceRule``).
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

DEFAULT_DOMINANCE: tuple[tuple[int, float], ...] = ((1, 85.0), (2, 90.0))
DEFAULT_MAX_N = 2


def cell_contributions(records: pl.DataFrame, cell: Sequence[str], value: str, contributor: str) -> pl.DataFrame:
    """Per cell (the ``cell`` columns): ``total``, ``n_contributors``, ``n_nonzero``, ``x1`` and ``x2`` (the largest
    and second largest contributions, 0 when absent). A contributor's records within a cell count as one
    contribution (their sum)."""
    cell = list(cell)
    per = (records.group_by([*cell, contributor])
           .agg(pl.col(value).fill_null(0).abs().sum().alias("_v")))
    return (per.group_by(cell, maintain_order=True)
            .agg(pl.col("_v").sum().alias("total"), pl.len().alias("n_contributors"),
                 (pl.col("_v") != 0).sum().alias("n_nonzero"),
                 pl.col("_v").sort(descending=True).first().alias("x1"),
                 pl.col("_v").sort(descending=True).slice(1, 1).first().fill_null(0).alias("x2"))
            .sort(cell))


def frequency_rule(cells: pl.DataFrame, max_n: int = DEFAULT_MAX_N) -> pl.Series:
    """True where a cell has at most ``max_n`` contributors (but at least one: an empty cell discloses nobody)."""
    n = cells.get_column("n_contributors")
    return ((n >= 1) & (n <= max_n)).alias("frequency")


def dominance_rule(cells: pl.DataFrame, rules: Sequence[tuple[int, float]] = DEFAULT_DOMINANCE) -> pl.Series:
    """True where, for some (n, k) of ``rules``, the largest n contributions make at least k % of the total.
    n is 1 or 2 (the two largest contributions are kept per cell)."""
    total = cells.get_column("total")
    hit = pl.Series("dominance", [False] * cells.height)
    for n, k in rules:
        if n not in (1, 2):
            raise ValueError(f"dominance (n, k) with n = {n}: this table keeps the two largest contributions only")
        top = cells.get_column("x1") if n == 1 else cells.get_column("x1") + cells.get_column("x2")
        hit = hit | ((total > 0) & (top >= total * k / 100))
    return hit.alias("dominance")


def p_percent_rule(cells: pl.DataFrame, p: float) -> pl.Series:
    """True where ``|X - x1 - x2| < p/100 * x1``: the second largest contributor, knowing the total, estimates the
    largest within p %."""
    x1, x2, total = cells.get_column("x1"), cells.get_column("x2"), cells.get_column("total")
    return ((total - x1 - x2).abs() < x1.abs() * p / 100).alias("p_percent")


__all__ = ["DEFAULT_DOMINANCE", "DEFAULT_MAX_N", "cell_contributions", "dominance_rule", "frequency_rule",
           "p_percent_rule"]
