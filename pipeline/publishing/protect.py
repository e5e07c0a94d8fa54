"""Protect one magnitude table (issue 17): the cells of a table of firm records crossed by hierarchical dimensions
(region -> prefecture -> province; industry class -> division -> section), their primary suppressions by the
methodology's rules and the secondary ones by Gaussian elimination.

:func:`protect_table` takes the firm records (one row per firm x cell: its dimension codes, its contributor id, its
value) and, per dimension, each code's parent. Every published cell is a combination of one code per dimension at
any level of its hierarchy (a dimension with several roots also gets a total, ``Total``); its contributors are the
firms under it, so a prefecture total made by two firms is as confidential as an inner cell. Candidates for
secondary suppression are tried largest value first (GaussSuppression's ``CandidatesNum``: the cell's value, ties by
overlap).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping

import numpy as np
import polars as pl

from pipeline.publishing.primary import cell_contributions, dominance_rule, frequency_rule, p_percent_rule
from pipeline.publishing.secondary import TOTAL, candidates_default, gauss_secondary
from pipeline.scoring.options import DisclosureOptions


def ancestors(code: str, parents: Mapping[str, str | None]) -> list[str]:
    """``code`` and every code above it (nearest first); a cycle stops at its first repeat."""
    out, seen = [code], {code}
    while (up := parents.get(out[-1])) and up not in seen:
        out.append(up)
        seen.add(up)
    return out


def protect_table(records: pl.DataFrame, *, dims: Mapping[str, Mapping[str, str | None]], value: str,
                  contributor: str, options: DisclosureOptions | None = None) -> dict[str, object]:
    """The protected table: ``{"cells": frame, "x": inner x cells matrix, "inner": inner frame}``. ``cells`` has the
    dimension columns, ``total``, ``n_contributors``, ``x1``, ``x2``, the rule flags ``frequency``, ``dominance``,
    ``p_percent``, and ``primary``, ``secondary``, ``suppressed``."""
    options = options or DisclosureOptions()
    names = list(dims)
    inner = records.group_by(names).agg(pl.col(value).fill_null(0).sum().alias("total")).sort(names)
    # the levels each inner code stands under, per dimension, plus Total where the hierarchy has several roots
    up: dict[str, dict[str, list[str]]] = {}
    for d in names:
        codes = inner.get_column(d).cast(pl.String).unique().to_list()
        chains = {c: ancestors(c, dims[d]) for c in codes}
        if len({chain[-1] for chain in chains.values()}) > 1:
            chains = {c: [*chain, TOTAL] for c, chain in chains.items()}
        up[d] = chains
    # every record counted in every cell above it: the contributors of each published cell
    expanded = records.with_columns([pl.col(d).cast(pl.String).replace_strict(
        up[d], return_dtype=pl.List(pl.String)).alias(d) for d in names])
    for d in names:
        expanded = expanded.explode(d)
    cells = cell_contributions(expanded, names, value, contributor)
    cells = cells.with_columns(frequency_rule(cells, options.min_contributors - 1),
                               dominance_rule(cells, options.dominance),
                               p_percent_rule(cells, options.p_percent) if options.p_percent > 0
                               else pl.lit(False).alias("p_percent"))
    cells = cells.with_columns((pl.col("frequency") | pl.col("dominance") | pl.col("p_percent")).alias("primary"))
    x = _matrix(inner, cells, names, up)
    totals = cells.get_column("total").to_numpy().astype(float)
    n = cells.get_column("n_contributors").to_numpy().astype(float)
    order = candidates_default(n, x, weight=np.abs(totals) / (n + 1))  # CandidatesNum: |value| / (freq + 1)
    secondary = gauss_secondary(x, cells.get_column("primary").to_numpy(), order)
    cells = cells.with_columns(pl.Series("secondary", secondary),
                               (pl.col("primary") | pl.Series(secondary)).alias("suppressed"))
    return {"cells": cells, "x": x, "inner": inner}


def _matrix(inner: pl.DataFrame, cells: pl.DataFrame, names: list[str], up: dict[str, dict[str, list[str]]]
            ) -> np.ndarray:
    """Inner cells x published cells: 1 where the published cell's codes stand above (or are) the inner cell's."""
    position = {key: j for j, key in enumerate(cells.select(names).iter_rows())}
    x = np.zeros((inner.height, cells.height))
    for i, key in enumerate(inner.select([pl.col(d).cast(pl.String) for d in names]).iter_rows()):
        for combo in itertools.product(*(up[d][k] for d, k in zip(names, key, strict=True))):
            x[i, position[combo]] = 1.0
    return x


__all__ = ["ancestors", "protect_table"]
