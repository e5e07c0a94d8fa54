"""Cluster portfolio quadrants: each region-cluster's LQ level in the end year against its change since the start
(Star, Mature, Emerging, Transforming; Porter 2003, U.S. Cluster Mapping Project region cluster portfolio).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import polars as pl

from pipeline.indices._common import IndexInputInvalid, first_note, join_notes, require_columns, require_unique
from pipeline.indices.growth import year_window
from pipeline.indices.specialisation import location_quotient

__all__ = ["portfolio_quadrant"]

QUADRANTS = ("Star", "Mature", "Emerging", "Transforming")


def portfolio_quadrant(
    frame: pl.DataFrame,
    *,
    region: str = "region_code",
    cluster: str = "cluster_code",
    value: str = "employment",
    year: str = "year",
    start: int | None = None,
    end: int | None = None,
    by: Sequence[str] = (),
    change: Literal["lq", "employment"] = "lq",
    threshold: float = 1.0,
    region_totals: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Portfolio quadrant of each region-cluster: LQ level in the end year against its change since the start.

    ============  ==============  =====================
    quadrant      LQ_end          change
    ============  ==============  =====================
    Star          >= threshold    rising (> 0)
    Mature        >= threshold    falling (<= 0)
    Emerging      < threshold     rising (> 0)
    Transforming  < threshold     falling (<= 0)
    ============  ==============  =====================

    Parameters
    ----------
    frame
        Long format, one row per (``*by``, region, cluster, year). Works as well with industries: pass their
        column as ``cluster``.
    region, cluster, value, year
        Column names (``value`` is employment: it is also the bubble size).
    start, end
        The two years; default the first and last year of each ``by`` partition.
    by
        Partition columns.
    change
        ``"lq"``: the change of the LQ (``lq_end − lq_start``); ``"employment"``: the change of employment.
    threshold
        The LQ level that counts as high (1 by default).
    region_totals
        Passed to ``location_quotient`` for both years (columns ``*by``, year, region, ``region_total``).

    Returns
    -------
    polars.DataFrame
        One row per (``*by``, region, cluster): ``start``, ``end``, ``lq_start``, ``lq_end``, ``lq_change``,
        ``employment_start``, ``employment`` (end year: the bubble size), ``employment_change``, ``quadrant``
        (``"Star"``, ``"Mature"``, ``"Emerging"``, ``"Transforming"``; null with a note where the LQ or the change
        is undefined) and ``note``.

    Notes
    -----
    A change of exactly 0 is not rising: the unit is Mature or Transforming, with the note "no change".
    Every unit with a defined level and change falls in exactly one quadrant.

    References
    ----------
    Porter, M. E. (2003), "The economic performance of regions", Regional Studies 37(6-7), 549-578 (cluster
    portfolio charts); U.S. Cluster Mapping Project, region cluster portfolio.

    Examples
    --------
    >>> import polars as pl
    >>> df = pl.DataFrame({"region_code": ["A"] * 3 + ["B"] * 3, "cluster_code": ["x", "y", "z"] * 2})
    >>> df = pl.concat([df.with_columns(year=2010, employment=pl.Series([20, 10, 10, 10, 10, 20])),
    ...                 df.with_columns(year=2020, employment=pl.Series([10, 10, 10, 10, 10, 20]))])
    >>> portfolio_quadrant(df).select("region_code", "cluster_code", "lq_start", "lq_end", "employment", "quadrant")
    shape: (6, 6)
    ┌─────────────┬──────────────┬──────────┬──────────┬────────────┬──────────────┐
    │ region_code ┆ cluster_code ┆ lq_start ┆ lq_end   ┆ employment ┆ quadrant     │
    │ ---         ┆ ---          ┆ ---      ┆ ---      ┆ ---        ┆ ---          │
    │ str         ┆ str          ┆ f64      ┆ f64      ┆ i64        ┆ str          │
    ╞═════════════╪══════════════╪══════════╪══════════╪════════════╪══════════════╡
    │ A           ┆ x            ┆ 1.333333 ┆ 1.166667 ┆ 10         ┆ Mature       │
    │ A           ┆ y            ┆ 1.0      ┆ 1.166667 ┆ 10         ┆ Star         │
    │ A           ┆ z            ┆ 0.666667 ┆ 0.777778 ┆ 10         ┆ Emerging     │
    │ B           ┆ x            ┆ 0.666667 ┆ 0.875    ┆ 10         ┆ Emerging     │
    │ B           ┆ y            ┆ 1.0      ┆ 0.875    ┆ 10         ┆ Transforming │
    │ B           ┆ z            ┆ 1.333333 ┆ 1.166667 ┆ 20         ┆ Mature       │
    └─────────────┴──────────────┴──────────┴──────────┴────────────┴──────────────┘
    """
    by = list(by)
    if change not in ("lq", "employment"):
        raise IndexInputInvalid(f"portfolio_quadrant: change must be 'lq' or 'employment', not {change!r}")
    require_columns(frame, [*by, region, cluster, year, value], what="portfolio_quadrant")
    require_unique(frame, [*by, region, cluster, year], what="portfolio_quadrant")
    keys = [*by, region, cluster]
    window = year_window(
        frame.select(*keys, year, value), year=year, by=by, start=start, end=end, what="portfolio_quadrant"
    )
    window = window.filter((pl.col(year) == pl.col("_start")) | (pl.col(year) == pl.col("_end")))
    quotients = location_quotient(
        window.select(*keys, year, value), region=region, industry=cluster, value=value, by=[*by, year],
        region_totals=region_totals,
    ).select(*keys, year, "lq", pl.col("note").alias("_lq_note"))  # fmt: skip
    rows = window.join(quotients, on=[*keys, year], how="left", nulls_equal=True, maintain_order="left")

    def at(column: str, which: str) -> pl.Expr:
        return pl.col(column).filter(pl.col(year) == pl.col(which)).first()

    out = rows.group_by(keys, maintain_order=True).agg(
        pl.col("_start").first().alias("start"),
        pl.col("_end").first().alias("end"),
        at("lq", "_start").alias("lq_start"),
        at("lq", "_end").alias("lq_end"),
        at(value, "_start").alias("employment_start"),
        at(value, "_end").alias("employment"),
        at("_lq_note", "_end").alias("_note_end"),
        at("_lq_note", "_start").alias("_note_start"),
        (pl.col(year) == pl.col("_start")).any().alias("_has_start"),
        (pl.col(year) == pl.col("_end")).any().alias("_has_end"),
    )
    out = out.with_columns(
        lq_change=pl.col("lq_end") - pl.col("lq_start"),
        employment_change=(pl.col("employment") - pl.col("employment_start")).cast(pl.Float64),
    )
    moved = pl.col("lq_change" if change == "lq" else "employment_change")
    high, rising = pl.col("lq_end") >= threshold, moved > 0
    undefined = first_note(
        (pl.col("start") >= pl.col("end"), "a single year in the partition: nothing to compare"),
        (~pl.col("_has_end") | pl.col("employment").is_null(), "no value for the end year"),
        (~pl.col("_has_start") | pl.col("employment_start").is_null(), "no value for the start year"),
        (pl.col("lq_end").is_null(), "LQ undefined in the end year"),
        (moved.is_null(), "LQ undefined in the start year"),
    )
    quadrant = (
        pl.when(high & rising).then(pl.lit("Star"))
        .when(high).then(pl.lit("Mature"))
        .when(rising).then(pl.lit("Emerging"))
        .otherwise(pl.lit("Transforming"))
    )  # fmt: skip
    return out.with_columns(_u=undefined).select(
        *keys,
        "start",
        "end",
        "lq_start",
        "lq_end",
        "lq_change",
        "employment_start",
        "employment",
        "employment_change",
        quadrant=pl.when(pl.col("_u").is_null()).then(quadrant),
        note=join_notes(
            pl.col("_u"),
            pl.when(pl.col("_u").is_not_null()).then(pl.coalesce("_note_end", "_note_start")),
            pl.when(pl.col("_u").is_null() & (moved == 0)).then(pl.lit("no change: counted as not rising")),
            pl.when(pl.col("_u").is_null()).then(pl.col("_note_end")),
        ),
    )
