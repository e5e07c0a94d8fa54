"""Specialisation of regions in industries: the location quotient, its change, and its reference economies.

Notation (METHODS.md): ``e_ri`` value of industry i in region r, ``e_r = Σ_i e_ri``, ``e_i = Σ_r e_ri``,
``e = Σ e_ri``; ``s_ri = e_ri / e_r`` and ``s_i = e_i / e``.

Reference economy (METHODS.md, "Reference economy"): internal by default (every total is a sum over the frame
within each ``by`` partition), or explicit: national industry totals ``E_i`` (``reference=``) and a national
total ``E`` (``reference_total=``) that may be larger than the sum of the listed industries, and explicit
region totals ``e_r`` (``region_totals=``) larger than the region's listed industries. The reference used is
recorded in the ``reference`` column of every result.

The indices built on the same shares (Krugman, Hoover coefficient, Hachman, diversity ...) are in
:mod:`pipeline.indices.dissimilarity` and :mod:`pipeline.indices.diversification`. They read the region x industry
matrix as complete (a missing cell is a 0, as in REAT's and EconGeo's matrices) but never build it: they take its
present cells from :mod:`pipeline.indices.sparse`, which also computes the totals of the reference economy for
:func:`location_quotient` (``specialisation_cells`` still builds the completed matrix, for callers that really
need it).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Literal

import polars as pl

from pipeline.indices._common import IndexInputInvalid, first_note, join_notes, require_columns, require_unique, within
from pipeline.indices.sparse import TotalsOrNumber, _with_totals, matrix_codes

__all__ = ["location_quotient", "lq", "lq_change"]

NOTE_NOT_REPORTED = "value not reported"
NOTE_REGION_NOT_GIVEN = "region total not given"
NOTE_REGION_ZERO = "region total is 0"
NOTE_NOT_IN_REFERENCE = "industry not in the reference"
NOTE_INDUSTRY_ZERO = "industry total is 0"
NOTE_TOTAL_NOT_GIVEN = "national total not given"
NOTE_TOTAL_ZERO = "total is 0"
NOTE_SINGLE_REGION = "single region: LQ is 1 by construction"
NOTE_EXCEEDS_REFERENCE = "value exceeds the reference industry total: check the reference"
NOTE_WRITTEN_AS_ZERO = "written as 0 (zero_if_undefined)"

Additive = Literal["industry_share", "region_share"]


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
    x = pl.col(value).cast(pl.Float64)
    e_r, e_i, e = within(x.sum(), [*by, region]), within(x.sum(), [*by, industry]), within(x.sum(), by)
    return pl.when((e_r != 0) & (e_i != 0) & (e != 0)).then((x * e) / (e_r * e_i)).otherwise(None)


def location_quotient(
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
    additive: Additive = "industry_share",
    zero_if_undefined: bool = False,
) -> pl.DataFrame:
    """Location quotient of every region-industry cell, against the internal or an explicit reference economy.

    .. math:: LQ_{ri} = \\frac{e_{ri} / e_r}{e_i / e}

    Internal reference (default): totals are sums over the frame within each ``by`` partition. Explicit
    reference: ``e_i`` and ``e`` are the national figures ``E_i`` and ``E`` of ``reference`` and
    ``reference_total``; ``e_r`` may be explicit too (``region_totals``). Also the additive form and the
    binary "specialised" flag.

    Parameters
    ----------
    frame
        Long format, one row per (``*by``, region, industry), non-negative values.
    region, industry, value
        Column names.
    by
        Partition columns (e.g. ``("year", "measure")``); each partition is a separate economy. Explicit
        totals frames carry the same ``by`` columns.
    threshold
        ``specialised`` is ``lq >= threshold`` (1 by default; 1.2, 1.25 and 2 are used elsewhere).
    region_totals
        Explicit ``e_r``: a frame of (``*by``, region, ``region_total``), for totals larger than the listed
        industries (official all-industry totals; a region's whole economy when the frame holds clusters).
        Without ``reference``, ``e`` is then the sum of these totals in each partition. A region of the frame
        missing here gets ``lq`` null, note ``"region total not given"``.
    reference
        Explicit national industry totals ``E_i``: a frame of (``*by``, industry, ``reference_value``). An
        industry of the frame missing here gets ``lq`` null, note ``"industry not in the reference"``.
    reference_total
        The national total ``E`` (a number, or a frame of (``*by``, ``reference_total``)); official totals
        include unlisted industries, so it may exceed the sum of ``reference`` (never fall short of it).
        Default: the sum of ``reference`` in each partition. Needs ``reference``.
    additive
        The additive form in ``lq_additive``: ``"industry_share"`` (default) ``s_ri − s_i``, the industry's
        share of the region minus its share of the reference (Hoen and Oosterhaven 2006's additive RCA); or
        ``"region_share"``: ``e_ri / e_i − e_r / e``, the region's share of the industry minus its share of the
        whole, which is what REAT 3.0.3 ``locq(..., LQ.method = "a")`` computes.
    zero_if_undefined
        Write 0 instead of null where the LQ is 0/0 (a region, industry or grand total of 0), EconGeo 2.x's
        ``location_quotient`` convention (``lq[is.na(lq)] <- 0``); the note still says why. A value not
        reported, or an industry not in the reference, stays null.

    Returns
    -------
    polars.DataFrame
        In input row order: ``*by``, region, industry, value, ``region_total`` (e_r), ``industry_total``
        (e_i or E_i), ``total`` (e or E) (Float64), ``lq``, ``lq_additive``, ``specialised`` (Boolean; null
        where ``lq`` is null), ``reference`` (``"internal"`` or ``"explicit"``: explicit when ``reference`` is
        given) and ``note`` (String, null when nothing to say).

    Notes
    -----
    Conventions (METHODS.md, "Specialisation and concentration"):

    - A null value means "not reported": ``lq`` null, note ``"value not reported"``; it counts in no total.
    - ``e_r = 0``: ``lq`` null, note ``"region total is 0"``. ``e_i = 0``: ``lq`` null, note ``"industry total
      is 0"`` (0/0; EconGeo writes 0: ``zero_if_undefined=True``). ``lq_additive`` is defined wherever its two
      shares are.
    - A zero value with positive totals gives ``lq = 0`` (defined).
    - Internal reference with a single reporting region in a partition: every LQ is 1 by construction; the
      note ``"single region: LQ is 1 by construction"`` warns that it is not a finding.
    - Explicit reference: a value larger than its ``E_i`` keeps its LQ with a note to check the reference.
    - Computed as ``(e_ri · e) / (e_r · e_i)`` (and the additive forms over a common denominator), so that a
      cell whose share equals the reference's gets exactly 1 (0), never 0.9999999999999999, and the binary flag
      at the threshold does not depend on rounding; REAT and EconGeo divide the shares first (differences of a
      few 1e-16).

    References
    ----------
    Wieland, T. REAT 3.0.3, ``locq`` (explicit reference) and ``locq2`` (internal); Balland, P.-A. EconGeo 2.x,
    ``location_quotient``; Hoen, A.R. and Oosterhaven, J. (2006), Ann. Reg. Sci. 40(3) (additive form);
    Delgado, Porter and Stern (2016), J. Econ. Geography 16(1) (USCMP cluster LQs).

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

    One city against the national economy (explicit reference): the city's total (100) includes an unlisted
    industry, and so does the national total (1000).

    >>> city = pl.DataFrame({"region_code": ["C", "C"], "industry_code": ["x", "y"], "value": [20, 50]})
    >>> nation = pl.DataFrame({"industry_code": ["x", "y"], "reference_value": [100, 600]})
    >>> totals = pl.DataFrame({"region_code": ["C"], "region_total": [100]})
    >>> location_quotient(city, reference=nation, reference_total=1000, region_totals=totals).select(
    ...     "industry_code", "region_total", "industry_total", "total", "lq", "reference")
    shape: (2, 6)
    ┌───────────────┬──────────────┬────────────────┬────────┬──────────┬───────────┐
    │ industry_code ┆ region_total ┆ industry_total ┆ total  ┆ lq       ┆ reference │
    │ ---           ┆ ---          ┆ ---            ┆ ---    ┆ ---      ┆ ---       │
    │ str           ┆ f64          ┆ f64            ┆ f64    ┆ f64      ┆ str       │
    ╞═══════════════╪══════════════╪════════════════╪════════╪══════════╪═══════════╡
    │ x             ┆ 100.0        ┆ 100.0          ┆ 1000.0 ┆ 2.0      ┆ explicit  │
    │ y             ┆ 100.0        ┆ 600.0          ┆ 1000.0 ┆ 0.833333 ┆ explicit  │
    └───────────────┴──────────────┴────────────────┴────────┴──────────┴───────────┘
    """
    by = list(by)
    if not math.isfinite(threshold):
        raise IndexInputInvalid(f"location_quotient: threshold must be a finite number, not {threshold!r}")
    if additive not in ("industry_share", "region_share"):
        raise IndexInputInvalid(
            f"location_quotient: additive must be 'industry_share' or 'region_share', not {additive!r}"
        )
    require_columns(frame, [*by, region, industry, value], what="location_quotient")
    codes = matrix_codes(frame, region=region, industry=industry, by=by, what="location_quotient")
    base = _with_totals(
        frame.select(*by, region, industry, value),
        region=region, industry=industry, value=value, by=by,
        region_totals=region_totals, reference=reference, reference_total=reference_total, codes=codes,
    )  # fmt: skip
    x, e_r, e_i, e = (pl.col(c) for c in ("_x", "region_total", "industry_total", "total"))
    undefined = first_note(
        (x.is_null(), NOTE_NOT_REPORTED),
        (e_r.is_null(), NOTE_REGION_NOT_GIVEN),
        (e_r == 0, NOTE_REGION_ZERO),
        (e_i.is_null(), NOTE_NOT_IN_REFERENCE),
        (e_i == 0, NOTE_INDUSTRY_ZERO),
        (e.is_null(), NOTE_TOTAL_NOT_GIVEN),
        (e == 0, NOTE_TOTAL_ZERO),
    )
    zero_total = (e_r == 0) | (e_i == 0) | (e == 0)
    known = x.is_not_null() & e_r.is_not_null() & e_i.is_not_null() & e.is_not_null()
    as_zero = pl.lit(zero_if_undefined) & known & zero_total
    cross = x * e - e_r * e_i  # the differences of shares over a common denominator: exactly 0 where equal
    if additive == "industry_share":
        additive_expr = pl.when(x.is_not_null() & (e_r != 0) & (e != 0)).then(cross / (e_r * e))  # s_ri − s_i
    else:
        additive_expr = pl.when(x.is_not_null() & (e_i != 0) & (e != 0)).then(cross / (e_i * e))  # σ_ri − x_r
    explicit = reference is not None
    warning = (
        pl.when(x > e_i).then(pl.lit(NOTE_EXCEEDS_REFERENCE))
        if explicit
        else pl.when(pl.col("_regions") == 1).then(pl.lit(NOTE_SINGLE_REGION))
    )
    return (
        base.with_columns(_undefined=undefined)
        .with_columns(
            lq=pl.when(pl.col("_undefined").is_null())
            .then((x * e) / (e_r * e_i))  # = (e_ri/e_r)/(e_i/e); exactly 1 where the two shares are equal
            .when(as_zero)
            .then(pl.lit(0.0))
            .otherwise(None),
            lq_additive=additive_expr,
        )
        .with_columns(
            specialised=pl.col("lq") >= threshold,
            reference=pl.lit("explicit" if explicit else "internal"),
            note=pl.when(as_zero)
            .then(pl.concat_str(pl.col("_undefined"), pl.lit(f": {NOTE_WRITTEN_AS_ZERO}")))
            .when(pl.col("_undefined").is_not_null())
            .then(pl.col("_undefined"))
            .otherwise(warning),
        )
        .drop("_x", "_regions", "_undefined")
    )

def specialisation_cells(
    frame: pl.DataFrame,
    *,
    region: str,
    industry: str,
    value: str,
    by: Sequence[str],
    region_totals: pl.DataFrame | None = None,
    reference: pl.DataFrame | None = None,
    reference_total: TotalsOrNumber = None,
    what: str,
) -> pl.DataFrame:
    """The completed region x industry matrix with its LQs and totals, for callers that need every cell.

    Every region of a ``by`` partition gets a row for every industry of that partition (and of ``reference``):
    a missing combination counts as 0 (EconGeo's and REAT's matrices have every cell). Columns: ``*by``, region,
    industry, ``value`` (Float64, null where not reported), ``region_total``, ``industry_total``, ``total``,
    ``lq``, ``lq_additive`` (``s_ri − s_i``), ``reference``, ``note`` as in :func:`location_quotient`. Its size is
    regions x industries per partition, however sparse the frame: the indices use :func:`sparse_cells` instead.
    """
    by = list(by)
    require_columns(frame, [*by, region, industry, value], what=what)
    require_unique(frame, [*by, region, industry], what=what)
    listed = frame.select(*by, region, industry, pl.col(value).cast(pl.Float64).alias("value"), _listed=pl.lit(True))
    regions = listed.select(*by, region).unique(maintain_order=True)
    industries = listed.select(*by, industry)
    if reference is not None:
        require_columns(reference, [*by, industry], what=f"{what}(reference=)")
        industries = pl.concat([industries, reference.select(*by, industry).cast(industries.schema)])
    industries = industries.unique(maintain_order=True)
    grid = (
        regions.join(industries, on=by, nulls_equal=True, maintain_order="left_right")
        if by
        else regions.join(industries, how="cross", maintain_order="left_right")
    )
    full = grid.join(listed, on=[*by, region, industry], how="left", nulls_equal=True, maintain_order="left").select(
        *by, region, industry, value=pl.when(pl.col("_listed").is_null()).then(0.0).otherwise(pl.col("value"))
    )
    return location_quotient(
        full, region=region, industry=industry, value="value", by=by,
        region_totals=region_totals, reference=reference, reference_total=reference_total,
    )  # fmt: skip


def lq_change(
    frame: pl.DataFrame,
    *,
    start: object,
    end: object,
    time: str = "year",
    region: str = "region_code",
    industry: str = "industry_code",
    value: str = "value",
    by: Sequence[str] = (),
    region_totals: pl.DataFrame | None = None,
    reference: pl.DataFrame | None = None,
    reference_total: TotalsOrNumber = None,
) -> pl.DataFrame:
    """Change of the location quotient of every region-industry cell between two periods.

    ``lq_change = LQ_end − LQ_start`` and ``lq_change_relative = (LQ_end − LQ_start) / LQ_start``, each LQ
    computed by :func:`location_quotient` within its period (``by=(*by, time)``).

    Parameters
    ----------
    frame
        Long format, one row per (``*by``, ``time``, region, industry).
    start, end
        The two values of ``time`` to compare (e.g. 2015 and 2020).
    time, region, industry, value, by
        Column names; ``by`` adds partition columns besides ``time`` (e.g. ``("measure",)``).
    region_totals, reference, reference_total
        Explicit totals as in :func:`location_quotient`; their frames carry the ``time`` column too.

    Returns
    -------
    polars.DataFrame
        ``*by``, region, industry, ``lq_start``, ``lq_end``, ``lq_change``, ``lq_change_relative``,
        ``reference`` and ``note``: one row per cell present in either period (in order of first appearance).
        Where either LQ is null the changes are null and the note says which period and why, e.g.
        ``"2015: industry total is 0"`` or ``"2020: no row"``; ``LQ_start = 0`` leaves ``lq_change_relative``
        null with a note. Other LQ notes (a single region) are kept with their period.

    Examples
    --------
    >>> import polars as pl
    >>> df = pl.DataFrame({"year": [2015] * 4 + [2020] * 4, "region_code": ["A", "A", "B", "B"] * 2,
    ...                    "industry_code": ["x", "y"] * 4, "value": [30, 10, 10, 30, 20, 20, 10, 30]})
    >>> lq_change(df, start=2015, end=2020).drop("reference", "note")
    shape: (4, 6)
    ┌─────────────┬───────────────┬──────────┬──────────┬───────────┬────────────────────┐
    │ region_code ┆ industry_code ┆ lq_start ┆ lq_end   ┆ lq_change ┆ lq_change_relative │
    │ ---         ┆ ---           ┆ ---      ┆ ---      ┆ ---       ┆ ---                │
    │ str         ┆ str           ┆ f64      ┆ f64      ┆ f64       ┆ f64                │
    ╞═════════════╪═══════════════╪══════════╪══════════╪═══════════╪════════════════════╡
    │ A           ┆ x             ┆ 1.5      ┆ 1.333333 ┆ -0.166667 ┆ -0.111111          │
    │ A           ┆ y             ┆ 0.5      ┆ 0.8      ┆ 0.3       ┆ 0.6                │
    │ B           ┆ x             ┆ 0.5      ┆ 0.666667 ┆ 0.166667  ┆ 0.333333           │
    │ B           ┆ y             ┆ 1.5      ┆ 1.2      ┆ -0.3      ┆ -0.2               │
    └─────────────┴───────────────┴──────────┴──────────┴───────────┴────────────────────┘
    """
    by = list(by)
    require_columns(frame, [*by, time], what="lq_change")
    if start == end:
        raise IndexInputInvalid(f"lq_change: start and end are the same period ({start!r})")
    periods = frame.filter(pl.col(time).is_in([start, end]))
    out = location_quotient(
        periods, region=region, industry=industry, value=value, by=[*by, time],
        region_totals=region_totals, reference=reference, reference_total=reference_total,
    ).select(*by, time, region, industry, "lq", "reference", "note")  # fmt: skip
    keys = [*by, region, industry]
    first = out.filter(pl.col(time) == start).drop(time)
    last = out.filter(pl.col(time) == end).drop(time).rename({"lq": "lq_end", "note": "_note_end"})
    joined = first.rename({"lq": "lq_start", "note": "_note_start"}).join(
        last, on=keys, how="full", coalesce=True, nulls_equal=True, maintain_order="left_right"
    )
    a, b = pl.col("lq_start"), pl.col("lq_end")

    def said(period: object, note: str, present: pl.Expr) -> pl.Expr:
        return pl.when(~present).then(pl.lit(f"{period}: no row")).otherwise(pl.format(f"{period}: {{}}", pl.col(note)))

    return joined.select(
        *keys,
        "lq_start",
        "lq_end",
        lq_change=b - a,
        lq_change_relative=pl.when(a != 0).then((b - a) / a),
        reference=pl.coalesce("reference", "reference_right"),
        note=join_notes(
            said(start, "_note_start", pl.col("reference").is_not_null()),
            said(end, "_note_end", pl.col("reference_right").is_not_null()),
            pl.when(a == 0).then(pl.lit(f"{start}: LQ is 0, the relative change is undefined")),
        ),
    )
