"""Locational Gini: how unevenly an industry is spread over regions (or a region over industries), by LQ order.

Notation (METHODS.md): ``e_ri`` value of industry i in region r, ``e_r``, ``e_i``, ``e`` the totals over the frame
within each ``by`` partition (internal reference economy); ``LQ_ri = (e_ri/e_r)/(e_i/e)``.

Two published forms, both offered (``method=``) in both directions (``direction=``):

- ``"krugman"``: Krugman (1991) as EconGeo 2.0 ``locational_gini``: the units ordered by LQ, the area between
  the diagonal and the curve of cumulative shares of the group (y) against cumulative shares of the whole (x);
  0 when the group is spread like the whole, at most 0.5;
- ``"lq"``: REAT 3.0.3 ``gini.conc`` / ``gini.spec``: the plain, unweighted Gini of the units' LQs, in [0, 1).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import polars as pl

from pipeline.indices._common import (
    IndexInputInvalid,
    first_note,
    join_notes,
    require_columns,
    require_unique,
    within,
)
from pipeline.indices.inequality import _missing_note, gini_coefficient

__all__ = ["locational_gini"]


def locational_gini(
    frame: pl.DataFrame,
    *,
    region: str = "region_code",
    industry: str = "industry_code",
    value: str = "value",
    by: Sequence[str] = (),
    method: Literal["krugman", "lq"] = "krugman",
    direction: Literal["concentration", "specialisation"] = "concentration",
) -> pl.DataFrame:
    """Locational Gini of each industry over the regions (concentration) or each region over the industries.

    ``direction="concentration"``: for industry i the units are the regions, ordered by ``LQ_ri``; the curve
    joins (cumulative ``Σ e_ri / e_i``, against cumulative ``Σ e_r / e``). ``direction="specialisation"``: for
    region r the units are the industries, ordered by ``LQ_ri``; the curve joins (cumulative ``Σ e_ri / e_r``,
    against cumulative ``Σ e_i / e``).

    .. math:: G^{K} = \\tfrac12 \\sum_{k=1}^{n-1} (Y_{k+1} X_k - Y_k X_{k+1}), \\qquad
              G^{LQ} = \\frac{2 \\sum_k k\\, LQ_{(k)} - (n + 1) \\sum_k LQ_k}{n \\sum_k LQ_k}

    with ``X_k``, ``Y_k`` the cumulative shares after the k-th unit in ascending LQ order (``G^K`` is the area
    between the diagonal and that curve, half the usual Gini-type ratio; maximum 0.5).

    Parameters
    ----------
    frame
        Long format, one row per (``*by``, region, industry), non-negative values. A (region, industry) pair with
        no row counts as 0 (the matrix is completed within each partition).
    region, industry, value, by
        Column names; partition columns (each partition is a separate economy).
    method
        ``"krugman"`` (default; EconGeo 2.0 ``locational_gini``) or ``"lq"`` (REAT 3.0.3 ``gini.conc`` for
        concentration, ``gini.spec`` for specialisation).
    direction
        ``"concentration"`` (default: one row per industry) or ``"specialisation"`` (one row per region).

    Returns
    -------
    polars.DataFrame
        ``*by``, the group column (industry or region), ``locational_gini``, ``n_units`` (units in the curve),
        ``method`` (the convention used) and ``note``, groups in order of first appearance.

    Notes
    -----
    - A unit whose own total is 0 (a region with no activity at all) has no LQ and no weight: left out, and
      the note says so. A null value is "not reported": that unit is left out of the group and counted in the
      note (the totals ignore nulls, as in :func:`~pipeline.indices.specialisation.location_quotient`).
    - A group total of 0 (e.g. an industry with no employment anywhere) gives null with a note.
    - A single unit in the curve gives 0 by construction, with a note.
    - REAT's ``gini.conc``/``gini.spec`` take the regional (industry) totals as given vectors, possibly larger
      than the listed parts; here every total is the sum over the frame: to reproduce a larger official total,
      add its remainder as an extra industry (region) row.

    References
    ----------
    Krugman (1991), Geography and Trade, ch. 2; Balland, P.-A. EconGeo 2.0, ``locational_gini``; Wieland, T.
    REAT 3.0.3, ``gini.conc`` and ``gini.spec``; Farhauer and Kroell (2013), Standorttheorien.

    Examples
    --------
    EconGeo's example matrix (5 regions of 100 each): industry I1 sits wholly in R1.

    >>> import polars as pl
    >>> rows = [[100, 0, 0, 0, 0], [0, 15, 5, 70, 10], [0, 20, 10, 20, 50], [0, 25, 30, 5, 40], [0, 40, 55, 5, 0]]
    >>> df = pl.DataFrame(
    ...     [(f"R{r + 1}", f"I{i + 1}", v) for r, row in enumerate(rows) for i, v in enumerate(row)],
    ...     schema=["region_code", "industry_code", "value"], orient="row")
    >>> locational_gini(df).drop("note")
    shape: (5, 4)
    ┌───────────────┬─────────────────┬─────────┬─────────┐
    │ industry_code ┆ locational_gini ┆ n_units ┆ method  │
    │ ---           ┆ ---             ┆ ---     ┆ ---     │
    │ str           ┆ f64             ┆ i64     ┆ str     │
    ╞═══════════════╪═════════════════╪═════════╪═════════╡
    │ I1            ┆ 0.4             ┆ 5       ┆ krugman │
    │ I2            ┆ 0.18            ┆ 5       ┆ krugman │
    │ I3            ┆ 0.27            ┆ 5       ┆ krugman │
    │ I4            ┆ 0.31            ┆ 5       ┆ krugman │
    │ I5            ┆ 0.28            ┆ 5       ┆ krugman │
    └───────────────┴─────────────────┴─────────┴─────────┘
    """
    if method not in ("krugman", "lq"):
        raise IndexInputInvalid(f"locational_gini: method must be 'krugman' or 'lq', not {method!r}")
    if direction not in ("concentration", "specialisation"):
        raise IndexInputInvalid(
            f"locational_gini: direction must be 'concentration' or 'specialisation', not {direction!r}"
        )
    by = list(by)
    require_columns(frame, [*by, region, industry, value], what="locational_gini")
    require_unique(frame, [*by, region, industry], what="locational_gini")
    group, unit = (industry, region) if direction == "concentration" else (region, industry)
    group_word, unit_word = ("industry", "region") if direction == "concentration" else ("region", "industry")

    data = frame.select(*by, region, industry, pl.col(value).cast(pl.Float64).alias("_x"))
    cells = _complete(data, by, region, industry)
    x = pl.col("_x")
    e_unit, e_group, e = within(x.sum(), [*by, unit]), within(x.sum(), [*by, group]), within(x.sum(), by)
    cells = cells.with_columns(_w=e_unit / e, _group_total=e_group, _unit_total=e_unit).with_columns(
        _lq=(x / pl.col("_group_total")) / pl.col("_w")
    )
    kept = x.is_not_null() & (pl.col("_unit_total") > 0)
    xs, ws, lqs = x.filter(kept), pl.col("_w").filter(kept), pl.col("_lq").filter(kept)
    if method == "krugman":
        cum_y = xs.sort_by(lqs, maintain_order=True).cum_sum() / xs.sum()
        cum_x = ws.sort_by(lqs, maintain_order=True).cum_sum() / ws.sum()
        index = ((cum_y.shift(-1) * cum_x - cum_y * cum_x.shift(-1)).sum() / 2).alias("_g")
    else:
        index = gini_coefficient(lqs).alias("_g")
    out = cells.group_by([*by, group], maintain_order=True).agg(
        index,
        kept.sum().cast(pl.Int64).alias("n_units"),
        x.null_count().cast(pl.Int64).alias("_missing"),
        (x.is_not_null() & (pl.col("_unit_total") == 0)).sum().cast(pl.Int64).alias("_empty"),
        pl.col("_group_total").first().alias("_total"),
    )
    undefined = (pl.col("n_units") == 0) | (pl.col("_total") == 0)
    reason = first_note(
        (pl.col("n_units") == 0, "no value reported"),
        (pl.col("_total") == 0, f"{group_word} total is 0: the index is undefined"),
        (pl.col("n_units") == 1, f"a single {unit_word}: the index is 0 by construction"),
    )
    empty = (
        pl.when(pl.col("_empty") == 1)
        .then(pl.lit(f"1 {unit_word} with total 0 left out"))
        .when(pl.col("_empty") > 1)
        .then(pl.format(f"{{}} {unit_word}s with total 0 left out", "_empty"))
    )
    return out.select(
        *by,
        group,
        locational_gini=pl.when(~undefined).then(pl.col("_g")),
        n_units="n_units",
        method=pl.lit(method),
        note=join_notes(
            reason,
            empty,
            _missing_note(pl.col("_missing"), pl.col("n_units") + pl.col("_empty"), what=unit_word),
        ),
    )


def _complete(data: pl.DataFrame, by: list[str], region: str, industry: str) -> pl.DataFrame:
    """Every (region, industry) pair of each partition: a missing row is a 0, an explicit null stays null."""
    regions = data.select(*by, region).unique(maintain_order=True)
    industries = data.select(*by, industry).unique(maintain_order=True)
    if by:
        grid = regions.join(industries, on=by, how="inner", nulls_equal=True, maintain_order="left")
    else:
        grid = regions.join(industries, how="cross")
    listed = data.with_columns(_listed=pl.lit(True))
    return (
        grid.join(listed, on=[*by, region, industry], how="left", nulls_equal=True, maintain_order="left")
        .with_columns(_x=pl.when(pl.col("_listed").is_null()).then(0.0).otherwise(pl.col("_x")))
        .drop("_listed")
    )
