"""Protect one magnitude table (issue 17): the cells of a table of firm records crossed by hierarchical dimensions
(region -> prefecture -> province; industry class -> division -> section), their primary suppressions by the
methodology's rules and the secondary ones by Gaussian elimination.

:func:`protect_table` takes the firm records (one row per firm x cell: its dimension codes, its contributor id, its
value) and, per dimension, each code's parent. Every published cell is a combination of one code per dimension at
any level of its hierarchy (a dimension with several roots also gets a total, ``Total``); its contributors are the
firms under it, so a prefecture total made by two firms is as confidential as an inner cell. Candidates for
secondary suppression are tried largest value first (GaussSuppression's ``CandidatesNum``: the cell's value, ties by
overlap). An inner cell of one firm is a singleton: a published sum of singletons only is suppressed too (that firm
would learn the others' figures from it; :func:`~pipeline.publishing.secondary.gauss_secondary`, "anySum").
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import polars as pl

from pipeline.publishing.axes import table_axes
from pipeline.publishing.certificates import certificate_suppression
from pipeline.publishing.intervals import interval_suppression
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
    """The protected table of ``records`` (firm x cell rows): its inner cells are the records' sums. See
    :func:`protect_cells` for what it returns."""
    names = list(dims)
    inner = records.group_by(names).agg(pl.col(value).fill_null(0).sum().alias("total")).sort(names)
    return protect_cells(inner, dims=dims, firms=records.rename({value: "_value", contributor: "_firm"}),
                         options=options)


def protect_cells(inner: pl.DataFrame, *, dims: Mapping[str, Mapping[str, str | None]],
                  firms: pl.DataFrame | None = None, counts: pl.DataFrame | None = None,
                  groups: Mapping[str, Mapping[str, Mapping[str, float]]] | None = None,
                  flagged: pl.DataFrame | None = None, options: DisclosureOptions | None = None) -> dict[str, object]:
    """Protect a table given by its inner cells (``inner``: the dimension columns and ``total``).

    The contributors behind each cell come from ``firms`` (one row per firm and inner cell: the dimension columns,
    ``_firm`` and ``_value``; every rule is assessed) and/or ``counts`` (the dimension columns and ``n``, the
    number of firms, e.g. the establishments an upload reports: the frequency rule). With both, a cell is
    confidential when either says it has fewer than the minimum of firms (a register may miss a cell's firms).
    ``groups``: per dimension, further published codes that are weighted sums of codes of that dimension (a cluster
    category over its industries: ``{"industry_code": {"C01": {"13": 1.0, "14": 1.0}}}``); a member may be at any
    level (its inner codes are found below it). ``flagged``: inner cells the uploader marked confidential
    (dimension columns), primary whatever their figures. The dominance and p % rules take each firm's share of
    what the cell's firms make together (as GaussSuppression does from its microdata); the table's own figure may
    come from another source.

    Secondary cells by Gaussian elimination and the attacker's programmes (``method`` "gauss", the methodology's
    default) or by certificates (:mod:`pipeline.publishing.certificates`: the methodology's "certificates", and
    any two-way table whose inner x published matrix is over :data:`MAX_ENTRIES`).

    Returns ``{"cells": frame, "x": inner x cells matrix (None with certificates), "inner": inner frame, "method":
    "gauss" | "certificates"}``; ``cells`` has the dimension columns, ``total``, ``n_contributors``, the rule flags
    ``frequency``, ``dominance``, ``p_percent``, ``flagged``, and ``primary``, ``secondary`` (by elimination or
    certificates, or ``interval``: to widen an attacker's bounds past the protection interval,
    :mod:`pipeline.publishing.intervals`), ``suppressed`` and ``leans_on_singleton`` (certificates: a primary cell
    whose certificate moves a one-firm cell, held against everyone but that firm)."""
    options = options or DisclosureOptions()
    names = list(dims)
    inner = inner.with_columns([pl.col(d).cast(pl.String) for d in names]).sort(names)
    up = {d: _chains(inner.get_column(d).unique().to_list(), dims[d], (groups or {}).get(d, {})) for d in names}
    cells, entries = _membership(inner, names, up)
    fits = cells.height * inner.height <= MAX_ENTRIES
    dense = fits and (options.method == "gauss" or len(names) != 2)  # certificates are for two-way tables
    if not dense and len(names) != 2:
        raise TableTooLargeError(f"{inner.height:,} inner cells x {cells.height:,} published cells")
    values = inner.get_column("total").fill_null(0).to_numpy().astype(float)
    inner_id, cell_id = entries.get_column("inner").to_numpy(), entries.get_column("cell").to_numpy()
    weight = entries.get_column("weight").to_numpy()
    totals = np.bincount(cell_id, weights=weight * values[inner_id], minlength=cells.height)
    cells = cells.with_columns(pl.Series("total", totals))
    if firms is None and counts is None:
        raise ValueError("protect_cells needs the firms behind the cells or their counts")
    frequency = np.zeros(cells.height, dtype=bool)
    cells = cells.with_columns(n_contributors=pl.lit(0, dtype=pl.Int64), x1=pl.lit(0.0), x2=pl.lit(0.0),
                               _firm_total=pl.lit(0.0))
    if firms is not None:
        contributions = _contributions(firms, names, up).rename({"n_contributors": "_n_firms"})
        cells = cells.drop("x1", "x2", "_firm_total").join(contributions, on=names, how="left",
                                                           maintain_order="left").with_columns(
            pl.col("_n_firms").fill_null(0), pl.col("x1").fill_null(0.0), pl.col("x2").fill_null(0.0),
            pl.col("_firm_total").fill_null(0.0))
        cells = cells.with_columns(n_contributors=pl.max_horizontal("n_contributors", "_n_firms"))
        frequency |= frequency_rule(cells.with_columns(n_contributors="_n_firms"),
                                    options.min_contributors - 1).to_numpy()
    if counts is not None:  # a cell the counts say has one or two firms is confidential whatever the register says
        n_inner = (inner.select(names).join(counts.with_columns([pl.col(d).cast(pl.String) for d in names]),
                                            on=names, how="left", maintain_order="left")
                   .get_column("n").fill_null(0).to_numpy().astype(float))
        n_cells = np.bincount(cell_id, weights=(weight > 0) * n_inner[inner_id], minlength=cells.height)
        cells = cells.with_columns(pl.Series("_n_counts", np.rint(n_cells).astype(np.int64)))
        cells = cells.with_columns(n_contributors=pl.max_horizontal("n_contributors", "_n_counts"))
        frequency |= frequency_rule(cells.with_columns(n_contributors="_n_counts"),
                                    options.min_contributors - 1).to_numpy()
    shares = cells.with_columns(total=pl.col("_firm_total"))  # each firm's share of what the firms make
    assessed = firms is not None
    cells = cells.with_columns(
        pl.Series("frequency", frequency),
        dominance_rule(shares, options.dominance) if assessed else pl.lit(False).alias("dominance"),
        p_percent_rule(shares, options.p_percent) if assessed and options.p_percent > 0
        else pl.lit(False).alias("p_percent"),
        _flagged(inner, flagged, names, inner_id, cell_id, cells.height)).drop(
        "_firm_total", "_n_firms", "_n_counts", strict=False)
    cells = cells.with_columns((pl.col("frequency") | pl.col("dominance") | pl.col("p_percent") | pl.col("flagged")
                                ).alias("primary"))
    n = cells.get_column("n_contributors").to_numpy().astype(float)
    primary = cells.get_column("primary").to_numpy()
    if not dense:  # a table too large to hold inner x published: a certificate per primary cell
        axes, where = table_axes(cells, names, up, groups or {})
        secondary, leaned = certificate_suppression(where[0], where[1], axes, totals, np.abs(totals) / (n + 1),
                                                    primary, protection=options.protection, singleton=n == 1)
        interval = np.zeros(cells.height, dtype=bool)
        x = None
    else:
        x = np.zeros((inner.height, cells.height))
        x[inner_id, cell_id] = weight
        order = candidates_default(n, x, weight=np.abs(totals) / (n + 1))  # CandidatesNum: |value| / (freq + 1)
        # singletons: inner cells of one firm, who knows its own figure (GaussSuppression's singleton handling)
        single = (inner.select(names).join(cells.select(*names, "n_contributors"), on=names, how="left",
                                           maintain_order="left")
                  .get_column("n_contributors").fill_null(0).to_numpy() == 1)
        secondary = gauss_secondary(x, primary, order, singleton=single)
        interval = interval_suppression(x, values, primary, primary | secondary, order, options.protection)
        leaned = np.zeros(cells.height, dtype=bool)  # elimination handles singletons as GaussSuppression does
    cells = cells.with_columns(pl.Series("interval", interval), pl.Series("secondary", secondary | interval),
                               pl.Series("leans_on_singleton", leaned),
                               pl.Series("suppressed", primary | secondary | interval))
    return {"cells": cells, "x": x, "inner": inner, "method": "gauss" if dense else "certificates"}


def _chains(codes: list[str], parents: Mapping[str, str | None], groups: Mapping[str, Mapping[str, float]]
            ) -> dict[str, list[tuple[str, float]]]:
    """Per inner code, the published codes it counts in, with its weight there: itself, its ancestors (and Total
    where the hierarchy has several roots), and the groups with a member at or above it."""
    chains = {c: ancestors(c, parents) for c in codes}
    if len({chain[-1] for chain in chains.values()}) > 1:
        chains = {c: [*chain, TOTAL] for c, chain in chains.items()}
    out = {c: [(code, 1.0) for code in chain] for c, chain in chains.items()}
    for group, members in sorted(groups.items()):  # in code order: the cells' order breaks the candidates' ties
        for c in codes:
            weight = next((members[a] for a in ancestors(c, parents) if a in members), 0.0)
            if weight:
                out[c].append((group, float(weight)))
    return out


class TableTooLargeError(ValueError):
    """A table beyond both methods of this version (more than two dimensions, too large for the dense one)."""


#: the largest inner x published matrix protected by Gaussian elimination (8 bytes each: 1 GB); the demo's tables
#: are 532 x 1,245; a larger two-way table gets a certificate per primary cell (:mod:`.certificates`)
MAX_ENTRIES = 125_000_000


def _membership(inner: pl.DataFrame, names: list[str], up: dict[str, dict[str, list[tuple[str, float]]]]
                ) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The published cells (every combination of one code per dimension that holds an inner cell: their codes, in
    order of first appearance, inner cells in order and each one's codes nearest first) and which inner cells each
    adds up with what weight (``inner``, ``cell``, ``weight``)."""
    frame = inner.select(names).with_row_index("inner").with_columns(pl.col("inner").cast(pl.Int64),
                                                                    _w=pl.lit(1.0))
    order = []
    for d in names:
        pairs = pl.DataFrame([(c, code, float(w), k) for c, chain in up[d].items()
                              for k, (code, w) in enumerate(chain)],
                             schema={d: pl.String, f"_{d}": pl.String, "_dw": pl.Float64, f"_k_{d}": pl.Int64},
                             orient="row")
        frame = (frame.join(pairs, on=d, how="inner").drop(d).rename({f"_{d}": d})
                 .with_columns(pl.col("_w") * pl.col("_dw")).drop("_dw"))
        order.append(f"_k_{d}")
    frame = frame.sort(["inner", *order])
    keys = frame.select(names).unique(maintain_order=True).with_row_index("cell").with_columns(
        pl.col("cell").cast(pl.Int64))
    entries = frame.join(keys, on=names, how="left", maintain_order="left").select("inner", "cell",
                                                                                  weight=pl.col("_w"))
    return keys.drop("cell"), entries


def _contributions(firms: pl.DataFrame, names: list[str], up: dict[str, dict[str, list[tuple[str, float]]]]
                   ) -> pl.DataFrame:
    """Per published cell, the number of firms and the largest two contributions (each firm's weighted sum). Each
    firm record counts in every published cell above it: the expansion is done on integer codes (a census year's
    2.5 million firm records become some 45 million rows; as strings they took a gigabyte more)."""
    expanded = firms.select(*names, "_firm", "_value").with_columns(
        pl.col("_firm").cast(pl.String).rank("dense").cast(pl.Int64), _w=pl.lit(1.0))
    codes = {}
    for d in names:
        codes[d] = sorted({code for chain in up[d].values() for code, _ in chain} | set(up[d]))
        index = {c: k for k, c in enumerate(codes[d])}
        pairs = pl.DataFrame([(index[c], index[code], w) for c, chain in up[d].items() for code, w in chain],
                             schema={d: pl.Int64, "_to": pl.Int64, "_dw": pl.Float64}, orient="row")
        expanded = (expanded.with_columns(pl.col(d).cast(pl.String).replace_strict(index, default=None,
                                                                                   return_dtype=pl.Int64))
                    .join(pairs, on=d, how="inner").drop(d).rename({"_to": d})
                    .with_columns(pl.col("_w") * pl.col("_dw")).drop("_dw"))
    expanded = expanded.with_columns((pl.col("_value").fill_null(0) * pl.col("_w")).alias("_value"))
    out = cell_contributions(expanded, names, "_value", "_firm")
    out = out.with_columns([pl.col(d).replace_strict(dict(enumerate(codes[d])), return_dtype=pl.String)
                            for d in names])
    return out.select(*names, "n_contributors", "x1", "x2", pl.col("total").alias("_firm_total"))


def _flagged(inner: pl.DataFrame, flagged: pl.DataFrame | None, names: list[str], inner_id: np.ndarray,
             cell_id: np.ndarray, n_cells: int) -> pl.Series:
    """True at the inner cells the uploader flagged confidential (a published cell that is exactly such an inner
    cell: it adds up that one inner cell only)."""
    out = np.zeros(n_cells, dtype=bool)
    if flagged is not None and flagged.height:
        marked = set(flagged.select([pl.col(d).cast(pl.String) for d in names]).iter_rows())
        rows = np.array([key in marked for key in inner.select(names).iter_rows()])
        parts = np.bincount(cell_id, minlength=n_cells)
        hit = rows[inner_id] & (parts[cell_id] == 1)
        out[cell_id[hit]] = True
    return pl.Series("flagged", out)


__all__ = ["MAX_ENTRIES", "TableTooLargeError", "ancestors", "protect_cells", "protect_table"]
