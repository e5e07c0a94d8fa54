"""Diversity of regions and ubiquity of industries: entropy, Hachman, diversity and ubiquity counts, Duranton-Puga.

Notation as in :mod:`pipeline.indices.specialisation`: ``s_ri = e_ri / e_r`` (industry i's share of region r),
``s_i = e_i / e`` (its share of the reference economy), ``LQ_ri = s_ri / s_i``. Every index that compares with
"the whole" takes the explicit reference options of
:func:`~pipeline.indices.specialisation.location_quotient` (``region_totals``, ``reference``,
``reference_total``) and records the reference used.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import polars as pl

from pipeline.indices._common import (
    IndexInputInvalid,
    as_names,
    first_note,
    join_notes,
    require_columns,
    require_unique,
)
from pipeline.indices.dissimilarity import count_note, krugman_specialisation
from pipeline.indices.sparse import (
    IND,
    PART,
    REG,
    SparseCells,
    TotalsOrNumber,
    cell_lq,
    join_on,
    sparse_cells,
    valid,
)

__all__ = ["diversity", "duranton_puga", "entropy", "hachman", "ubiquity"]


def _not_reported(count: pl.Expr, reported: pl.Expr, one: str, many: str) -> pl.Expr:
    return count_note(count, one, many, "not reported (ignored)", when=reported > 0)


def entropy(
    frame: pl.DataFrame,
    *,
    unit: str,
    group: str | Sequence[str],
    value: str = "value",
    by: Sequence[str] = (),
    base: float = 2.0,
) -> pl.DataFrame:
    """Shannon entropy of each group's distribution over its units: ``H = −Σ_k s_k log_b s_k``.

    Industries (unit) of a region (group) give the region's diversity: 0 when one industry holds everything,
    ``log_b n`` when n industries are equal.

    Parameters
    ----------
    frame
        Long format, one row per (``*by``, ``*group``, unit), non-negative values.
    unit, group, value, by
        Column names, as for :func:`~pipeline.indices.concentration.herfindahl`.
    base
        Base of the logarithm: 2 (bits; EconGeo 2.x ``entropy``, the default), ``math.e`` (nats) or 10.

    Returns
    -------
    polars.DataFrame
        ``*by``, ``*group``, ``entropy``, ``n_units`` (units with a reported value) and ``note``.

    Notes
    -----
    ``0 · log 0 = 0``: units with a zero value add nothing (EconGeo gets the same by adding 1e-9 inside the
    logarithm, which moves its result by less than 1e-8; it also rounds to 3 decimals, we do not). Null values
    are ignored and counted in the note; a group total of 0 gives null.

    References
    ----------
    Shannon, C.E. (1948), Bell Syst. Tech. J. 27; Frenken, K., Van Oort, F. and Verburg, T. (2007), Reg.
    Studies 41(5); Balland, P.-A. EconGeo 2.x, ``entropy``.

    Examples
    --------
    >>> import polars as pl
    >>> df = pl.DataFrame({"region_code": ["A", "A", "A", "A", "B", "B"],
    ...                    "industry_code": ["w", "x", "y", "z", "x", "y"], "value": [5, 5, 5, 5, 7, 0]})
    >>> entropy(df, unit="industry_code", group="region_code")
    shape: (2, 4)
    ┌─────────────┬─────────┬─────────┬──────┐
    │ region_code ┆ entropy ┆ n_units ┆ note │
    │ ---         ┆ ---     ┆ ---     ┆ ---  │
    │ str         ┆ f64     ┆ i64     ┆ str  │
    ╞═════════════╪═════════╪═════════╪══════╡
    │ A           ┆ 2.0     ┆ 4       ┆ null │
    │ B           ┆ 0.0     ┆ 2       ┆ null │
    └─────────────┴─────────┴─────────┴──────┘
    """
    by, groups = list(by), as_names(group)
    if isinstance(base, bool) or not isinstance(base, int | float) or not math.isfinite(base) or base <= 0:
        raise IndexInputInvalid(f"entropy: base must be a positive number other than 1, not {base!r}")
    if base == 1:
        raise IndexInputInvalid("entropy: base must be a positive number other than 1, not 1")
    require_columns(frame, [*by, *groups, unit, value], what="entropy")
    require_unique(frame, [*by, *groups, unit], what="entropy")
    x = pl.col(value).cast(pl.Float64)
    s = x / x.sum()
    out = frame.group_by([*by, *groups], maintain_order=True).agg(
        _h=pl.when(s > 0).then(s * s.log(base)).otherwise(0.0).sum().abs(),  # each term <= 0: |Σ| = −Σ, never -0.0
        n_units=x.count().cast(pl.Int64),
        _missing=x.null_count().cast(pl.Int64),
        _total=x.sum(),
    )
    reason = first_note((pl.col("n_units") == 0, "no value reported"), (pl.col("_total") == 0, "group total is 0"))
    return out.select(
        *by,
        *groups,
        entropy=pl.when(reason.is_null()).then(pl.col("_h")),
        n_units="n_units",
        note=join_notes(reason, _not_reported(pl.col("_missing"), pl.col("n_units"), "unit", "units")),
    )


def hachman(
    frame: pl.DataFrame,
    *,
    region: str = "region_code",
    industry: str = "industry_code",
    value: str = "value",
    by: Sequence[str] = (),
    region_totals: pl.DataFrame | None = None,
    reference: pl.DataFrame | None = None,
    reference_total: TotalsOrNumber = None,
) -> pl.DataFrame:
    """Hachman index of each region: ``HI_r = 1 / Σ_i LQ_ri s_ri = 1 / Σ_i s_ri² / s_i``, in (0, 1].

    The LQs are weighted by the region's own industry shares ``s_ri`` (as EconGeo 2.x ``hachman``: ``1 /
    rowSums(lq * share_tech_city)``). 1 when the region's structure equals the reference's; near 0 when it is
    concentrated in industries that are small in the reference.

    Parameters
    ----------
    frame, region, industry, value, by
        As for :func:`~pipeline.indices.specialisation.location_quotient`.
    region_totals, reference, reference_total
        Explicit totals as in :func:`~pipeline.indices.specialisation.location_quotient`.

    Returns
    -------
    polars.DataFrame
        ``*by``, region, ``hachman``, ``reference`` and ``note``, in order of first appearance.

    Notes
    -----
    An industry with a zero value in the region adds nothing, even where its LQ is undefined (an industry total
    of 0; EconGeo writes that LQ as 0 with the same effect). A positive value whose LQ is undefined (an industry
    missing from the reference) makes the index null, with a note; so does a region total of 0. Null values are
    ignored and counted in the note.

    References
    ----------
    Hachman, F. (1995), Utah Economic and Business Review; Balland, P.-A. EconGeo 2.x, ``hachman``.

    Examples
    --------
    >>> import polars as pl
    >>> df = pl.DataFrame({"region_code": ["A", "A", "B", "B"], "industry_code": ["x", "y"] * 2,
    ...                    "value": [30, 10, 10, 30]})
    >>> hachman(df).drop("reference")
    shape: (2, 3)
    ┌─────────────┬─────────┬──────┐
    │ region_code ┆ hachman ┆ note │
    │ ---         ┆ ---     ┆ ---  │
    │ str         ┆ f64     ┆ str  │
    ╞═════════════╪═════════╪══════╡
    │ A           ┆ 0.8     ┆ null │
    │ B           ┆ 0.8     ┆ null │
    └─────────────┴─────────┴──────┘
    """
    s = sparse_cells(
        frame, region=region, industry=industry, value=value, by=by, region_totals=region_totals,
        reference=reference, reference_total=reference_total, what="hachman",
    )  # fmt: skip
    # a missing cell (value 0) adds 0 to the sum and counts as reported: only the present cells are summed
    x, lq = pl.col("value"), cell_lq()
    term = pl.when(x == 0).then(0.0).otherwise(lq * x / pl.col("region_total"))
    present = s.cells.group_by(REG).agg(
        _sum=term.sum(), _missing=x.null_count().cast(pl.Int64), _undefined=((x > 0) & lq.is_null()).any()
    )
    out = join_on(join_on(s.regions, present, REG), _industries_per_partition(s), PART).with_columns(
        _reported=pl.col("_n_industries") - pl.col("_missing"),
        _e_r=pl.col("region_total"),
        reference=pl.lit(s.reference),
    )
    reason = first_note(
        (pl.col("_reported") == 0, "no value reported"),
        (pl.col("_e_r").is_null(), "region total not given"),
        (pl.col("_e_r") == 0, "region total is 0"),
        (pl.col("_undefined"), "the LQ of an industry with a positive value is undefined"),
    )
    return out.select(
        *by,
        region,
        hachman=pl.when(reason.is_null()).then(1 / pl.col("_sum")),
        reference="reference",
        note=join_notes(reason, _not_reported(pl.col("_missing"), pl.col("_reported"), "industry", "industries")),
    )


def _industries_per_partition(s: SparseCells) -> pl.DataFrame:
    """``__p`` and ``_n_industries``: every industry of the partition is a cell of each of its regions."""
    return s.industries.group_by(PART).agg(_n_industries=pl.len().cast(pl.Int64))


def _count_specialised(
    frame: pl.DataFrame,
    *,
    count_in: str,
    name: str,
    counted: str,
    region: str,
    industry: str,
    value: str,
    by: Sequence[str],
    threshold: float,
    region_totals: pl.DataFrame | None,
    reference: pl.DataFrame | None,
    reference_total: TotalsOrNumber,
) -> pl.DataFrame:
    """Per ``count_in`` (region or industry): how many cells have ``LQ >= threshold``."""
    if not math.isfinite(threshold):
        raise IndexInputInvalid(f"{name}: threshold must be a finite number, not {threshold!r}")
    s = sparse_cells(
        frame, region=region, industry=industry, value=value, by=by, region_totals=region_totals,
        reference=reference, reference_total=reference_total, what=name,
    )  # fmt: skip
    if count_in == region:
        groups, key, total, across, across_total = s.regions, REG, "region_total", s.industries, "industry_total"
    else:
        groups, key, total, across, across_total = s.industries, IND, "industry_total", s.regions, "region_total"
    x, lq = pl.col("value"), cell_lq()
    present = s.cells.group_by(key).agg(
        _n=(lq >= threshold).sum().cast(pl.Int64),
        _defined=lq.count().cast(pl.Int64),
        _undefined=(lq.is_null() & x.is_not_null()).sum().cast(pl.Int64),
        _missing=x.null_count().cast(pl.Int64),
        _present=pl.len().cast(pl.Int64),
        _across_valid=valid(across_total).sum().cast(pl.Int64),
    )
    partition = across.group_by(PART).agg(
        _across=pl.len().cast(pl.Int64), _across_valid_all=valid(across_total).sum().cast(pl.Int64)
    )
    # A missing cell has value 0: its LQ is 0 where its three totals are valid (counted when 0 >= threshold),
    # else undefined; either way it is reported.
    counts = ["_n", "_defined", "_undefined", "_missing", "_present", "_across_valid"]
    out = join_on(join_on(groups, present, key).with_columns(pl.col(counts).fill_null(0)), partition, PART)
    missing_defined = (
        pl.when(valid(total) & valid("total")).then(pl.col("_across_valid_all") - pl.col("_across_valid")).otherwise(0)
    )
    missing_cells = pl.col("_across") - pl.col("_present")
    out = out.with_columns(
        _n=pl.col("_n") + (missing_defined if threshold <= 0.0 else 0),
        _defined=pl.col("_defined") + missing_defined,
        _undefined=pl.col("_undefined") + missing_cells - missing_defined,
        _total=pl.col(total),
        reference=pl.lit(s.reference),
    )
    whose = "region" if count_in == region else "industry"
    one = "industry" if count_in == region else "region"
    reason = first_note(
        (pl.col("_total").is_null(), f"{whose} total not given"),
        (pl.col("_total") == 0, f"{whose} total is 0"),
        (pl.col("_defined") == 0, "no LQ is defined"),
    )
    undefined = pl.col("_undefined")
    return out.select(
        *by,
        count_in,
        pl.when(reason.is_null()).then(pl.col("_n")).alias(name),
        pl.col("_defined").alias(f"n_{counted}"),
        threshold=pl.lit(float(threshold)),
        reference="reference",
        note=join_notes(
            reason,
            count_note(undefined, one, counted, "with an undefined LQ (not counted)", when=reason.is_null()),
            _not_reported(pl.col("_missing"), pl.col("_defined") + undefined, one, counted),
        ),
    )


def diversity(
    frame: pl.DataFrame,
    *,
    region: str = "region_code",
    industry: str = "industry_code",
    value: str = "value",
    by: Sequence[str] = (),
    threshold: float = 1.0,
    region_totals: pl.DataFrame | None = None,
    reference: pl.DataFrame | None = None,
    reference_total: TotalsOrNumber = None,
) -> pl.DataFrame:
    """Diversity of each region: the number of industries in which it is specialised, ``#{i : LQ_ri >= t}``.

    EconGeo 2.x ``diversity(mat, rca = TRUE)`` counts the binary RCA matrix, where an LQ of exactly 1 counts
    (it sets ``lq < 1`` to 0 and ``lq > 1`` to 1): the same as ``threshold=1`` here.

    Returns
    -------
    polars.DataFrame
        ``*by``, region, ``diversity`` (Int64), ``n_industries`` (industries with a defined LQ), ``threshold``,
        ``reference`` and ``note``. Industries with an undefined LQ are not counted and the note says how many
        (EconGeo counts them as 0 as well); a region total of 0 gives null.

    References
    ----------
    Hidalgo, C.A. and Hausmann, R. (2009), PNAS 106(26); Balland, P.-A. and Rigby, D. (2017), Econ. Geogr.
    93(1); Balland, P.-A. EconGeo 2.x, ``diversity``.

    Examples
    --------
    >>> import polars as pl
    >>> df = pl.DataFrame({"region_code": ["A", "A", "A", "B", "B", "B"], "industry_code": ["x", "y", "z"] * 2,
    ...                    "value": [30, 10, 10, 10, 30, 10]})
    >>> diversity(df).drop("reference", "note")
    shape: (2, 4)
    ┌─────────────┬───────────┬──────────────┬───────────┐
    │ region_code ┆ diversity ┆ n_industries ┆ threshold │
    │ ---         ┆ ---       ┆ ---          ┆ ---       │
    │ str         ┆ i64       ┆ i64          ┆ f64       │
    ╞═════════════╪═══════════╪══════════════╪═══════════╡
    │ A           ┆ 2         ┆ 3            ┆ 1.0       │
    │ B           ┆ 2         ┆ 3            ┆ 1.0       │
    └─────────────┴───────────┴──────────────┴───────────┘
    """
    return _count_specialised(
        frame, count_in=region, name="diversity", counted="industries", region=region, industry=industry,
        value=value, by=by, threshold=threshold, region_totals=region_totals, reference=reference,
        reference_total=reference_total,
    )  # fmt: skip


def ubiquity(
    frame: pl.DataFrame,
    *,
    region: str = "region_code",
    industry: str = "industry_code",
    value: str = "value",
    by: Sequence[str] = (),
    threshold: float = 1.0,
    region_totals: pl.DataFrame | None = None,
    reference: pl.DataFrame | None = None,
    reference_total: TotalsOrNumber = None,
) -> pl.DataFrame:
    """Ubiquity of each industry: the number of regions specialised in it, ``#{r : LQ_ri >= t}``.

    EconGeo 2.x ``ubiquity(mat, rca = TRUE)`` (an LQ of exactly 1 counts, as with ``threshold=1`` here).

    Returns
    -------
    polars.DataFrame
        ``*by``, industry, ``ubiquity`` (Int64), ``n_regions`` (regions with a defined LQ), ``threshold``,
        ``reference`` and ``note``; an industry total of 0 gives null.

    References
    ----------
    Hidalgo, C.A. and Hausmann, R. (2009), PNAS 106(26); Balland, P.-A. EconGeo 2.x, ``ubiquity``.

    Examples
    --------
    >>> import polars as pl
    >>> df = pl.DataFrame({"region_code": ["A", "A", "B", "B", "C", "C"], "industry_code": ["x", "y"] * 3,
    ...                    "value": [30, 10, 10, 30, 25, 15]})
    >>> ubiquity(df).select("industry_code", "ubiquity", "n_regions")
    shape: (2, 3)
    ┌───────────────┬──────────┬───────────┐
    │ industry_code ┆ ubiquity ┆ n_regions │
    │ ---           ┆ ---      ┆ ---       │
    │ str           ┆ i64      ┆ i64       │
    ╞═══════════════╪══════════╪═══════════╡
    │ x             ┆ 2        ┆ 3         │
    │ y             ┆ 1        ┆ 3         │
    └───────────────┴──────────┴───────────┘
    """
    return _count_specialised(
        frame, count_in=industry, name="ubiquity", counted="regions", region=region, industry=industry,
        value=value, by=by, threshold=threshold, region_totals=region_totals, reference=reference,
        reference_total=reference_total,
    )  # fmt: skip


def duranton_puga(
    frame: pl.DataFrame,
    *,
    region: str = "region_code",
    industry: str = "industry_code",
    value: str = "value",
    by: Sequence[str] = (),
    region_totals: pl.DataFrame | None = None,
    reference: pl.DataFrame | None = None,
    reference_total: TotalsOrNumber = None,
) -> pl.DataFrame:
    """Duranton-Puga relative diversity index of each region: ``RDI_r = 1 / Σ_i |s_ri − s_i|``.

    The inverse of the Krugman specialisation index against the total
    (:func:`~pipeline.indices.dissimilarity.krugman_specialisation`, ``against="total"``). REAT 3.0.3
    ``durpug(e_ij, e_i)`` takes the national industry figures ``e_i`` and divides each vector by its own sum:
    pass them as ``reference`` without ``reference_total``.

    Returns
    -------
    polars.DataFrame
        ``*by``, region, ``duranton_puga``, ``reference`` and ``note``. A region whose shares equal the
        reference's (``K = 0``) has an infinite index: null, with a note.

    References
    ----------
    Duranton, G. and Puga, D. (2000), Urban Studies 37(3); Wieland, T. REAT 3.0.3, ``durpug``.

    Examples
    --------
    >>> import polars as pl
    >>> df = pl.DataFrame({"region_code": ["A", "A", "B", "B"], "industry_code": ["x", "y"] * 2,
    ...                    "value": [30, 10, 10, 30]})
    >>> duranton_puga(df).drop("reference", "note")
    shape: (2, 2)
    ┌─────────────┬───────────────┐
    │ region_code ┆ duranton_puga │
    │ ---         ┆ ---           │
    │ str         ┆ f64           │
    ╞═════════════╪═══════════════╡
    │ A           ┆ 2.0           │
    │ B           ┆ 2.0           │
    └─────────────┴───────────────┘
    """
    k = krugman_specialisation(
        frame, region=region, industry=industry, value=value, by=by, against="total",
        region_totals=region_totals, reference=reference, reference_total=reference_total,
    ).with_columns(_k=pl.col("krugman"))  # fmt: skip
    same = "the region's industry shares equal the reference's: the index is infinite"
    return k.select(
        *by,
        region,
        duranton_puga=pl.when(pl.col("_k") != 0).then(1 / pl.col("_k")),
        reference="reference",
        note=join_notes(pl.col("note"), pl.when(pl.col("_k") == 0).then(pl.lit(same))),
    )
