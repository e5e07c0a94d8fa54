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

from pipeline.indices._common import IndexInputInvalid, first_note, join_notes, require_columns
from pipeline.indices.inequality import _missing_note
from pipeline.indices.sparse import join_on, matrix_codes

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
        no row counts as 0 (the matrix is complete within each partition; the missing cells are never built).
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
    group, unit = (industry, region) if direction == "concentration" else (region, industry)
    group_word, unit_word = ("industry", "region") if direction == "concentration" else ("region", "industry")
    units_word = {"region": "regions", "industry": "industries"}[unit_word]

    # The matrix of each partition is complete: a (region, industry) pair without a row is a 0. Such a missing cell
    # is a unit of the group's curve with value 0 (LQ 0) wherever its unit total is positive, and is never built:
    # the present cells carry the curve, and the missing ones enter per group from per-partition sums.
    partition, in_region, in_industry = matrix_codes(
        frame, region=region, industry=industry, by=by, what="locational_gini"
    )
    in_group, in_unit = (in_industry, in_region) if direction == "concentration" else (in_region, in_industry)
    x, t, w = pl.col("_x"), pl.col("_unit_total"), pl.col("_w")
    cells = pl.DataFrame(
        [partition[0].alias("_p"), in_group[0].alias("_gk"), in_unit[0].alias("_u"),
         frame.get_column(value).cast(pl.Float64).alias("_x")]
    ).with_row_index("_row").with_columns(
        _unit_total=x.sum().over("_u"), _group_total=x.sum().over("_gk"), _e=x.sum().over("_p") if by else x.sum()
    )  # fmt: skip
    cells = cells.with_columns(_w=t / pl.col("_e")).with_columns(_lq=(x / pl.col("_group_total")) / w)
    # per partition: the units with a positive total (points of every group's curve) and their weight, and the units
    # with total 0 (left out, and counted in the note of every group, whether it has a row there or not)
    units = cells.group_by("_u").agg(pl.col("_p").first(), t.first(), w.first())
    partitions = units.group_by("_p").agg(
        _K=(t > 0).sum().cast(pl.Int64), _Z=(t == 0).sum().cast(pl.Int64), _W=pl.when(t > 0).then(w).sum()
    )
    kept = x.is_not_null() & (t > 0)
    out = cells.group_by("_gk").agg(
        pl.col("_row").min().alias("_first"),
        pl.col("_p").first(),
        kept.sum().cast(pl.Int64).alias("_kept"),
        x.null_count().cast(pl.Int64).alias("_missing"),
        (x.is_not_null() & (t == 0)).sum().cast(pl.Int64).alias("_empty"),
        (t > 0).sum().cast(pl.Int64).alias("_positive"),
        (t == 0).sum().cast(pl.Int64).alias("_zero"),
        pl.when(t > 0).then(w).sum().alias("_w_present"),
        pl.col("_group_total").first().alias("_total"),
    )
    z = pl.col("_z")
    out = join_on(out, partitions, "_p").with_columns(
        _z=pl.col("_K") - pl.col("_positive"),  # missing cells in the curve: units with a positive total, no row
        _empty=pl.col("_empty") + pl.col("_Z") - pl.col("_zero"),
    )
    # The curve of each group: its rows together, in LQ order (ties in their order of the frame; sorting each group
    # apart is much faster than sorting the whole frame). The missing cells have LQ 0 and no value: they come first.
    curve = (
        cells.filter(kept)
        .group_by("_gk")
        .agg(pl.struct("_x", "_w", "_lq").sort_by("_lq", maintain_order=True).alias("_curve"))
        .explode("_curve")
        .unnest("_curve")
    )
    if method == "lq":
        # The Gini of the group's LQs with its z zero LQs: ranks k = z + position among the present ones, so
        # G = (2 Σ_k k·LQ_(k) − (n + 1) Σ LQ) / (n Σ LQ), n = present + z.
        position = pl.int_range(1, pl.len() + 1, dtype=pl.Int64).over("_gk").cast(pl.Float64)
        sums = (
            curve.with_columns(_k=position)
            .group_by("_gk")
            .agg(
                _count=pl.len().cast(pl.Int64),
                _sum=pl.col("_lq").sum(),
                _min=pl.col("_lq").min(),
                _ranked=(pl.col("_k") * pl.col("_lq")).sum(),
            )
        )
        out = join_on(out, sums, "_gk")
        n = (pl.col("_count").fill_null(0) + z).cast(pl.Float64)
        total, ranked = pl.col("_sum").fill_null(0.0), pl.col("_ranked").fill_null(0.0)
        low = pl.when(z > 0).then(pl.min_horizontal(pl.col("_min"), pl.lit(0.0))).otherwise(pl.col("_min"))
        g = (2 * (ranked + z.cast(pl.Float64) * total) - (n + 1) * total) / (n * total)
        out = out.with_columns(_gini=pl.when((n > 0) & (low >= 0) & (total > 0)).then(g))
    else:
        # Krugman's Lorenz area ½ Σ_k (Y_{k+1} X_k − Y_k X_{k+1}) over the points after each unit, which is also
        # ½ Σ_k (y_k X_k − x_k Y_k) (x, y each unit's steps, X, Y the cumulative sums, all as shares). The missing
        # cells are one flat run of weight A at the start (LQ 0, no value), which adds A to every present X:
        # area = (S + A · Σe) / (2 (Σw + A) Σe), with S = Σ_k (e_k W_k − w_k E_k) over the present units.
        steps = curve.with_columns(_cw=pl.col("_w").cum_sum().over("_gk"), _cx=pl.col("_x").cum_sum().over("_gk"))
        sums = steps.group_by("_gk").agg(
            _S=(pl.col("_x") * pl.col("_cw") - pl.col("_w") * pl.col("_cx")).sum(),
            _sum_x=pl.col("_x").sum(),
            _sum_w=pl.col("_w").sum(),
        )
        out = join_on(out, sums, "_gk")
        block = pl.when(z > 0).then(pl.max_horizontal(pl.col("_W") - pl.col("_w_present"), pl.lit(0.0))).otherwise(0.0)
        e, whole = pl.col("_sum_x"), pl.col("_sum_w") + block
        out = out.with_columns(_gini=(pl.col("_S") + block * e) / (2 * whole * e))
    out = out.sort("_first")
    if direction == "concentration":  # the completed matrix lists a partition's industries together
        order = out.select("_p").unique(maintain_order=True).with_row_index("_order")
        out = join_on(out, order, "_p").sort("_order", maintain_order=True)
    labels = frame.select(pl.col(*by, group).gather(out.get_column("_first")))
    out = pl.concat([labels, out], how="horizontal").with_columns(n_units=pl.col("_kept") + pl.col("_z"))
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
        .then(pl.format(f"{{}} {units_word} with total 0 left out", "_empty"))
    )
    return out.select(
        *by,
        group,
        locational_gini=pl.when(~undefined).then(pl.col("_gini")),
        n_units="n_units",
        method=pl.lit(method),
        note=join_notes(
            reason,
            empty,
            _missing_note(pl.col("_missing"), pl.col("n_units") + pl.col("_empty"), what=unit_word),
        ),
    )
