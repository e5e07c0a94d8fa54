"""Specialisation of regions in industries: the location quotient.

Notation (METHODS.md): ``e_ri`` value of industry i in region r, ``e_r = Σ_i e_ri``, ``e_i = Σ_r e_ri``,
``e = Σ e_ri``; ``s_ri = e_ri / e_r`` and ``s_i = e_i / e``. The reference economy here is internal: all
totals are sums over the frame (within each ``by`` partition). Explicit reference economies (national totals,
a restricted base such as traded-only employment) are future options of the same function.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import polars as pl

from pipeline.indices._common import IndexInputInvalid, first_note, require_columns, require_unique, within

__all__ = ["location_quotient", "lq"]

NOTE_NOT_REPORTED = "value not reported"
NOTE_REGION_NOT_GIVEN = "region total not given"
NOTE_REGION_ZERO = "region total is 0"
NOTE_INDUSTRY_ZERO = "industry total is 0"
NOTE_TOTAL_ZERO = "total is 0"
NOTE_SINGLE_REGION = "single region: LQ is 1 by construction"


def _totals(
    value: str, region: str, industry: str, by: Sequence[str]
) -> tuple[pl.Expr, pl.Expr, pl.Expr, pl.Expr]:
    """``e_ri`` (Float64) and the totals ``e_r``, ``e_i``, ``e`` over the reported values."""
    x = pl.col(value).cast(pl.Float64)
    return (
        x,
        within(x.sum(), [*by, region]),
        within(x.sum(), [*by, industry]),
        within(x.sum(), by),
    )


def lq(
    value: str = "value",
    *,
    region: str = "region_code",
    industry: str = "industry_code",
    by: Sequence[str] = (),
) -> pl.Expr:
    """Location quotient as an expression: ``LQ_ri = (e_ri / e_r) / (e_i / e)`` (internal reference).

    Use it in ``with_columns`` on a long frame with one row per (``*by``, region, industry). Null where the
    value is null or a total it divides by is 0; :func:`location_quotient` adds the ``note`` saying why.

    Examples
    --------
    >>> import polars as pl
    >>> df = pl.DataFrame({"region_code": ["A", "A", "B", "B"], "industry_code": ["x", "y", "x", "y"],
    ...                    "value": [30, 10, 10, 30]})
    >>> df.with_columns(lq=lq("value"))
    shape: (4, 4)
    ┌─────────────┬───────────────┬───────┬─────┐
    │ region_code ┆ industry_code ┆ value ┆ lq  │
    │ ---         ┆ ---           ┆ ---   ┆ --- │
    │ str         ┆ str           ┆ i64   ┆ f64 │
    ╞═════════════╪═══════════════╪═══════╪═════╡
    │ A           ┆ x             ┆ 30    ┆ 1.5 │
    │ A           ┆ y             ┆ 10    ┆ 0.5 │
    │ B           ┆ x             ┆ 10    ┆ 0.5 │
    │ B           ┆ y             ┆ 30    ┆ 1.5 │
    └─────────────┴───────────────┴───────┴─────┘
    """
    x, e_r, e_i, e = _totals(value, region, industry, by)
    return pl.when((e_r != 0) & (e_i != 0) & (e != 0)).then((x / e_r) / (e_i / e)).otherwise(None)


def location_quotient(
    frame: pl.DataFrame,
    *,
    region: str = "region_code",
    industry: str = "industry_code",
    value: str = "value",
    by: Sequence[str] = (),
    threshold: float = 1.0,
    region_totals: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Location quotient of every region-industry cell, with the internal reference economy.

    .. math:: LQ_{ri} = \\frac{e_{ri} / e_r}{e_i / e}

    The totals are sums over the frame within each ``by`` partition (e.g. ``by=("year", "measure")``):
    ``e_r`` over the region's industries, ``e_i`` over the industry's regions, ``e`` over everything.
    Also the additive form ``s_ri − s_i`` (REAT's ``locq`` "a" variant) and the binary "specialised" flag.

    Parameters
    ----------
    frame
        Long format, one row per (``*by``, region, industry), non-negative values.
    region, industry, value
        Column names.
    by
        Partition columns; each partition is a separate economy.
    threshold
        ``specialised`` is ``lq >= threshold`` (1 by default; 1.2, 1.25 and 2 are used elsewhere).
    region_totals
        Optional explicit ``e_r``: a frame of (``*by``, region, ``region_total``), for totals larger than the
        listed industries (official all-industry totals, or a cluster's region's whole economy when the frame
        holds clusters that do not partition it). ``e`` is then the sum of these totals in each partition.
        A region of the frame missing here gets ``lq`` null with note ``"region total not given"``.

    Returns
    -------
    polars.DataFrame
        In input row order: ``*by``, region, industry, value, ``region_total`` (e_r), ``industry_total``
        (e_i), ``total`` (e) (the totals as Float64), ``lq`` (Float64), ``lq_additive`` (``s_ri − s_i``),
        ``specialised`` (Boolean; null where ``lq`` is null) and ``note`` (String, null when nothing to say).

    Notes
    -----
    Conventions (METHODS.md, "Specialisation and concentration"):

    - A null value means "not reported": the row is kept with ``lq`` null, note ``"value not reported"``, and
      it does not count in any total.
    - ``e_r = 0``: ``lq`` null, note ``"region total is 0"``. ``e_i = 0``: the quotient is 0/0, ``lq`` null,
      note ``"industry total is 0"``. EconGeo 2.1 (``location.quotient``) writes 0 there; we return null so
      that an undefined LQ is never read as "not specialised". ``lq_additive`` is 0 there (both shares are 0).
    - A zero value with positive totals gives ``lq = 0`` (defined).
    - With a single reporting region in a partition every LQ is 1 by construction: the value is kept and the
      note ``"single region: LQ is 1 by construction"`` warns that it is not a finding.

    References
    ----------
    Wieland, T. REAT 3.0.3, ``locq``; Balland, P.-A. EconGeo 2.1, ``location.quotient``; Delgado, Porter and
    Stern (2016), J. Econ. Geography 16(1) (USCMP cluster LQs).

    Examples
    --------
    >>> import polars as pl
    >>> df = pl.DataFrame({
    ...     "region_code": ["A", "A", "A", "B", "B", "B"],
    ...     "industry_code": ["x", "y", "z", "x", "y", "z"],
    ...     "value": [30, 10, 0, 10, 30, None],
    ... })
    >>> location_quotient(df).select("region_code", "industry_code", "value", "lq", "specialised", "note")
    shape: (6, 6)
    ┌─────────────┬───────────────┬───────┬──────┬─────────────┬─────────────────────┐
    │ region_code ┆ industry_code ┆ value ┆ lq   ┆ specialised ┆ note                │
    │ ---         ┆ ---           ┆ ---   ┆ ---  ┆ ---         ┆ ---                 │
    │ str         ┆ str           ┆ i64   ┆ f64  ┆ bool        ┆ str                 │
    ╞═════════════╪═══════════════╪═══════╪══════╪═════════════╪═════════════════════╡
    │ A           ┆ x             ┆ 30    ┆ 1.5  ┆ true        ┆ null                │
    │ A           ┆ y             ┆ 10    ┆ 0.5  ┆ false       ┆ null                │
    │ A           ┆ z             ┆ 0     ┆ null ┆ null        ┆ industry total is 0 │
    │ B           ┆ x             ┆ 10    ┆ 0.5  ┆ false       ┆ null                │
    │ B           ┆ y             ┆ 30    ┆ 1.5  ┆ true        ┆ null                │
    │ B           ┆ z             ┆ null  ┆ null ┆ null        ┆ value not reported  │
    └─────────────┴───────────────┴───────┴──────┴─────────────┴─────────────────────┘
    """
    by = list(by)
    if not math.isfinite(threshold):
        raise IndexInputInvalid(f"location_quotient: threshold must be a finite number, not {threshold!r}")
    require_columns(frame, [*by, region, industry, value], what="location_quotient")
    require_unique(frame, [*by, region, industry], what="location_quotient")

    x, e_r, e_i, e = _totals(value, region, industry, by)
    regions = within(pl.col(region).filter(x.is_not_null()).n_unique(), by)
    base = frame.select(*by, region, industry, value)
    if region_totals is not None:
        base, e_r, e = _explicit_region_totals(base, region_totals, region=region, by=by)
    undefined = first_note(
        (x.is_null(), NOTE_NOT_REPORTED),
        (pl.col("region_total").is_null(), NOTE_REGION_NOT_GIVEN),
        (pl.col("region_total") == 0, NOTE_REGION_ZERO),
        (pl.col("industry_total") == 0, NOTE_INDUSTRY_ZERO),
        (pl.col("total") == 0, NOTE_TOTAL_ZERO),
    )
    additive = (x / pl.col("region_total")) - (pl.col("industry_total") / pl.col("total"))
    return (
        base
        .with_columns(region_total=e_r, industry_total=e_i, total=e, _regions=regions)
        .with_columns(_undefined=undefined)
        .with_columns(
            lq=pl.when(pl.col("_undefined").is_null())
            .then((x / pl.col("region_total")) / (pl.col("industry_total") / pl.col("total")))
            .otherwise(None),
            lq_additive=pl.when(
                x.is_not_null() & (pl.col("region_total") != 0) & (pl.col("total") != 0)
            ).then(additive),
        )
        .with_columns(
            specialised=pl.col("lq") >= threshold,
            note=pl.when(pl.col("_undefined").is_not_null())
            .then(pl.col("_undefined"))
            .when(pl.col("_regions") == 1)
            .then(pl.lit(NOTE_SINGLE_REGION))
            .otherwise(None),
        )
        .drop("_regions", "_undefined", "_region_total", "_total", strict=False)
    )


def _explicit_region_totals(
    base: pl.DataFrame, totals: pl.DataFrame, *, region: str, by: Sequence[str]
) -> tuple[pl.DataFrame, pl.Expr, pl.Expr]:
    """Join explicit ``e_r`` onto the frame; ``e`` is their sum in each partition."""
    require_columns(totals, [*by, region, "region_total"], what="location_quotient(region_totals=)")
    require_unique(totals, [*by, region], what="location_quotient(region_totals=)")
    keyed = totals.select(*by, region, pl.col("region_total").cast(pl.Float64).alias("_region_total"))
    grand = keyed.group_by(by).agg(pl.col("_region_total").sum().alias("_total")) if by else None
    joined = base.join(keyed, on=[*by, region], how="left", nulls_equal=True)
    if grand is not None:
        joined = joined.join(grand, on=list(by), how="left", nulls_equal=True)
    else:
        joined = joined.with_columns(pl.lit(keyed.get_column("_region_total").sum()).alias("_total"))
    return joined, pl.col("_region_total"), pl.col("_total")
